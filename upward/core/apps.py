from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "upward.core"
    label = "core"
    verbose_name = "Upward core"

from __future__ import annotations

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "upward.frameworks"
    label = "frameworks"
    verbose_name = "Career frameworks"

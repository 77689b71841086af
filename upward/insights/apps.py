from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "upward.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from upward.insights import receivers

        receivers.connect()

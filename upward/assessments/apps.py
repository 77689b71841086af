from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "upward.assessments"
    label = "assessments"
    verbose_name = "Placements, ratings and feedback"

    def ready(self) -> None:
        from upward.assessments import emails  # noqa: F401 (registers its notification kinds)

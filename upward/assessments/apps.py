from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "upward.assessments"
    label = "assessments"
    verbose_name = "Placements, ratings and feedback"

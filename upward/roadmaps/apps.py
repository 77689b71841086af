from __future__ import annotations

from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "upward.roadmaps"
    label = "roadmaps"
    verbose_name = "Roadmaps"

    def ready(self) -> None:
        from upward.assessments.services.placements import register_placement_hook
        from upward.roadmaps import emails  # noqa: F401 (registers its notification kinds)
        from upward.roadmaps.services import carry_over

        # A new placement takes the member's open objectives with it.
        register_placement_hook(carry_over)

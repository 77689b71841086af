"""Factories for objectives, milestones and templates, made through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from upward.assessments.tests.factories import PlacementFactory
from upward.roadmaps import services
from upward.roadmaps.models import Milestone, Objective, RoadmapTemplate, TemplateStatus

SPECIFIC = (
    "Lead the release of the billing export with the Payments team within eight weeks, "
    "cutting manual reconciliation time in half"
)


def template_objective(**changes: Any) -> dict[str, Any]:
    """One template objective as plain data, specific enough to publish."""
    data: dict[str, Any] = {
        "title": SPECIFIC,
        "kind": "initiative",
        "description": "Own the plan, the release and the follow-up.",
        "success_criteria": ["Released to every customer"],
        "stakeholders": ["Payments team"],
        "timebox_weeks": 8,
        "milestones": [{"title": "Plan reviewed", "week": 2}, {"title": "Released", "week": 8}],
    }
    data.update(changes)
    return data


class ObjectiveFactory(factory.django.DjangoModelFactory[Objective]):
    """An objective on a placed member's roadmap, due in a month, on its first competency."""

    class Meta:
        model = Objective

    placement = factory.SubFactory(PlacementFactory)
    owner = factory.SelfAttribute("placement.user")
    title = SPECIFIC
    competencies = factory.LazyFunction(lambda: ["shipping"])
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    @classmethod
    def _create(cls, model_class: type[Objective], **kwargs: Any) -> Objective:
        return services.create_objective(**kwargs)


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    """A milestone of an objective, due a week from now."""

    class Meta:
        model = Milestone

    objective = factory.SubFactory(ObjectiveFactory)
    by = factory.SelfAttribute("objective.owner")
    title = "Plan reviewed by the team"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))

    @classmethod
    def _create(cls, model_class: type[Milestone], **kwargs: Any) -> Milestone:
        return services.add_milestone(**kwargs)


class TemplateFactory(factory.django.DjangoModelFactory[RoadmapTemplate]):
    """A published library template for the tiny test framework: shipping, l1 -> l2.

    Written straight to the table: library templates come from files, not the services."""

    class Meta:
        model = RoadmapTemplate

    key = factory.Sequence(lambda n: f"tiny-shipping-l1-l2-{n}")
    organization = None
    framework_key = "tiny"
    competency = "shipping"
    track = "ic"
    from_step = "l1"
    to_step = "l2"
    title = factory.Sequence(lambda n: f"Ship a feature end to end ({n})")
    summary = "Own one feature from the plan to the release."
    duration_weeks = 12
    evidence = factory.LazyFunction(lambda: ["The release notes"])
    objectives = factory.LazyFunction(lambda: [template_objective()])
    author_name = "Upward library"
    status = TemplateStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

"""Factories for placements, signals and feedback requests, made through the services."""

from __future__ import annotations

from typing import Any

import factory

from upward.accounts.tests.factories import OrganizationFactory, UserFactory
from upward.assessments import services
from upward.assessments.models import FeedbackRequest, Placement, Signal, Source
from upward.frameworks.tests.factories import FrameworkVersionFactory


class PlacementFactory(factory.django.DjangoModelFactory):
    """A member placed on a published framework at its first level, aiming at the next."""

    class Meta:
        model = Placement

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    version = factory.SubFactory(
        FrameworkVersionFactory, organization=factory.SelfAttribute("..organization")
    )
    track = "ic"
    current_level = "l1"

    @classmethod
    def _create(cls, model_class: type[Placement], **kwargs: Any) -> Placement:
        return services.place(**kwargs)


class SignalFactory(factory.django.DjangoModelFactory):
    """One self-rating of one competency of a placed member."""

    class Meta:
        model = Signal

    class Params:
        placement = factory.SubFactory(PlacementFactory)

    subject = factory.SelfAttribute("placement.user")
    organization = factory.SelfAttribute("placement.organization")
    version = factory.SelfAttribute("placement.version")
    competency = "shipping"
    step = "l1"
    source = Source.SELF
    rater = factory.SelfAttribute("subject")
    source_key = factory.LazyAttribute(lambda signal: f"user:{signal.subject.pk}")


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    """A named request from a placed member to a colleague, about every competency."""

    class Meta:
        model = FeedbackRequest

    placement = factory.SubFactory(PlacementFactory)
    relationship = Source.PEER
    competencies: list[str] = []
    rater = factory.SubFactory(UserFactory)
    anonymous = False

    @classmethod
    def _create(cls, model_class: type[FeedbackRequest], **kwargs: Any) -> FeedbackRequest:
        return services.request_feedback(**kwargs)

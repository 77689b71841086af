"""Factories for mentorship: profiles with offers, rooms, sessions and action items.

Rows are written straight to their tables (the services' rules are tested in their
own tests); `placed` and `tiny_ladder` from the evidence tests give people a
framework, whose competencies are `shipping` and `reviews` with steps l1, l2, l3.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from upward.mentorship.models import (
    ActionItem,
    Cadence,
    MentoringSession,
    MentorProfile,
    Offer,
    Room,
)


class ProfileFactory(factory.django.DjangoModelFactory[MentorProfile]):
    """A mentor's profile; pass `user` and `organization`."""

    class Meta:
        model = MentorProfile

    bio = "Ten years of shipping payment systems; happy to talk design reviews."
    capacity = 2
    cadence = Cadence.FORTNIGHTLY
    time_zone = "Europe/London"
    languages = factory.LazyFunction(lambda: ["en"])


class OfferFactory(factory.django.DjangoModelFactory[Offer]):
    class Meta:
        model = Offer

    profile = factory.SubFactory(ProfileFactory)
    competency = "shipping"
    step = "l2"


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    """A room; pass `mentor`, `mentee` and `organization` (the mentee's)."""

    class Meta:
        model = Room

    cadence = Cadence.FORTNIGHTLY


class SessionFactory(factory.django.DjangoModelFactory[MentoringSession]):
    """A session two days from now; pass `room`."""

    class Meta:
        model = MentoringSession

    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    minutes = 45
    agenda = "- Review the design doc draft"


class ActionItemFactory(factory.django.DjangoModelFactory[ActionItem]):
    """An action item due in a week; pass `room` and `owner`."""

    class Meta:
        model = ActionItem

    title = "Send the design doc draft to the platform team"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))

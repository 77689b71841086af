"""Factories for evidence entries, growth threads, posts and packets.

Entries, threads and posts are made through the services, so a factory-made row
looks exactly like one a member would make (an entry comes with its claim signals).
Packets are written straight to the table: they hold only the member's choices.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments import services as assessments
from upward.assessments.models import Placement
from upward.assessments.tests.factories import PlacementFactory
from upward.core.visibility import Tier
from upward.evidence.models import Entry, Packet, Post, Thread
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document


def tiny_ladder(organization: Organization, by: User) -> FrameworkVersion:
    """The tiny test framework (competencies shipping and reviews, levels l1 to l3),
    published in `organization` by one of its admins."""
    version = framework_services.create_version(
        document=validate_document(small_document()), organization=organization, by=by
    )
    return framework_services.publish_version(version=version, by=by)


def placed(
    user: User, organization: Organization, version: FrameworkVersion, level: str = "l1"
) -> Placement:
    """`user` placed on `version` in `organization` at `level`, aiming at the next."""
    return assessments.place(
        user=user, organization=organization, version=version, track="ic", current_level=level
    )


class EntryFactory(factory.django.DjangoModelFactory[Entry]):
    """An entry of a placed member, three days ago, showing `shipping` at step l2.

    The tiny test framework (upward.frameworks.tests.factories.small_document) has the
    competencies `shipping` and `reviews`, whose steps are the levels l1, l2, l3.
    """

    class Meta:
        model = Entry

    placement = factory.SubFactory(PlacementFactory)
    owner = factory.SelfAttribute("placement.user")
    title = "Moved the billing export to the new queue"
    happened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    competencies = factory.LazyFunction(lambda: [{"competency": "shipping", "step": "l2"}])
    body = "Planned the move with the Payments team and ran it over two weeks."
    impact = "The nightly export now finishes before the finance team starts work."
    visibility = Tier.MANAGER

    @classmethod
    def _create(cls, model_class: type[Entry], **kwargs: Any) -> Entry:
        from upward.evidence.services.entries import create_entry

        return create_entry(**kwargs)


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    """A growth thread of a placed member, readable by their organization, with no posts."""

    class Meta:
        model = Thread

    class Params:
        placement = factory.SubFactory(PlacementFactory)

    owner = factory.SelfAttribute("placement.user")
    organization = factory.SelfAttribute("placement.organization")
    title = "Learning to review database migrations"
    visibility = Tier.ORGANIZATION

    @classmethod
    def _create(cls, model_class: type[Thread], **kwargs: Any) -> Thread:
        from upward.evidence.services.threads import open_thread

        return open_thread(**kwargs)


class PostFactory(factory.django.DjangoModelFactory[Post]):
    """An update by a thread's owner."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    by = factory.SelfAttribute("thread.owner")
    body = "Reviewed three migrations this week; the last one needed a second pass."

    @classmethod
    def _create(cls, model_class: type[Post], **kwargs: Any) -> Post:
        from upward.evidence.services.threads import post_update

        return post_update(**kwargs)


class PacketFactory(factory.django.DjangoModelFactory[Packet]):
    """A promotion packet for a placement, every eligible item included."""

    class Meta:
        model = Packet

    placement = factory.SubFactory(PlacementFactory)
    owner = factory.SelfAttribute("placement.user")
    organization = factory.SelfAttribute("placement.organization")
    title = "Case for level 2"
    summary = "A year of shipping the billing work."
    choices = factory.LazyFunction(dict)

"""Hand-built insight data for the page tests: Acme with three teams, standings whose
figures are easy to work out by hand, and named ratings for calibration.

With the anonymity threshold at 3 and everyone at L1 aiming at L2 of the small test
framework (steps l1, l2, l3 are indexes 0, 1, 2):

- Platform (Bob's team): Alice, Pia, Pat, Paz. Shipping: meets 3 of 4 (75%), mean gap
  0.5; Reviews: 4 of 4 (100%), gap 0.0. Ready (>= 0.8): Alice and Pia.
- Apps: Ann, Abe, Ari (3 people): shown on its own, but hidden as the complementary
  cell, because Data is small.
- Data: Dan, Dot (2 people): suppressed as small.
- Totals (9 people): Shipping 6 of 9 meet (67%), mean gap 5/9 = 0.6.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from upward.accounts.models import Organization, Team, User
from upward.accounts.tests.factories import MembershipFactory, TeamFactory, TeamMembershipFactory
from upward.assessments.models import Placement, Signal, Source
from upward.assessments.tests.factories import PlacementFactory
from upward.engine.insights import quarter_of
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import FrameworkVersionFactory
from upward.insights.models import Standing
from upward.testing import make_user


@dataclass(frozen=True)
class Person:
    """One placed person: shipping and reviews as (operating, demonstrated) step indexes."""

    name: str
    team: str
    shipping: tuple[int, int]
    reviews: tuple[int, int]
    readiness: float = 0.4
    roadmap: bool = False
    mentor: bool = False


PEOPLE = [
    Person("Pia", "Platform", (1, 0), (1, 0), readiness=0.85, roadmap=True),
    Person("Pat", "Platform", (0, 0), (1, 0), mentor=True),
    Person("Paz", "Platform", (0, -1), (1, 0)),
    Person("Ann", "Apps", (0, -1), (0, 0), readiness=0.95, roadmap=True),
    Person("Abe", "Apps", (0, -1), (0, 0)),
    Person("Ari", "Apps", (0, 0), (0, 0)),
    Person("Dan", "Data", (1, 0), (1, 1)),
    Person("Dot", "Data", (1, 0), (1, 1)),
]
ALICE = Person("Alice", "Platform", (1, 0), (1, 0), readiness=0.9)


@dataclass
class Acme:
    """What the builder made, by name."""

    version: FrameworkVersion
    users: dict[str, User] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)


def standing(placement: Placement, person: Person) -> Standing:
    """The placement's standing with the person's figures (this quarter in its history)."""
    operating = np.array([person.shipping[0], person.reviews[0]], dtype=np.int8)
    demonstrated = np.array([person.shipping[1], person.reviews[1]], dtype=np.int8)
    found, _ = Standing.objects.update_or_create(
        placement=placement,
        defaults={
            "user": placement.user,
            "organization": placement.organization,
            "version": placement.version,
            "track": placement.track,
            "current_level": placement.current_level,
            "target_track": placement.target_track,
            "target_level": placement.target_level,
            "operating": operating.tobytes(),
            "demonstrated": demonstrated.tobytes(),
            "readiness": person.readiness,
            "history": {quarter_of(timezone.localdate()): person.readiness},
            "has_roadmap": person.roadmap,
            "has_mentor": person.mentor,
        },
    )
    return found


def build_acme(acme: Organization, ada: User, alice: User, platform: Team) -> Acme:
    """Acme's three teams and nine placed people with their standings."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    built = Acme(version=FrameworkVersionFactory.create(organization=acme, created_by=ada))
    built.teams = {
        "Platform": platform,
        "Apps": TeamFactory.create(organization=acme, name="Apps"),
        "Data": TeamFactory.create(organization=acme, name="Data"),
    }
    for person in [ALICE, *PEOPLE]:
        user = (
            alice if person is ALICE else make_user(f"{person.name.lower()}@acme.test", person.name)
        )
        if person is not ALICE:
            MembershipFactory(organization=acme, user=user)
            TeamMembershipFactory(team=built.teams[person.team], user=user)
        placement = PlacementFactory.create(
            organization=acme, user=user, version=built.version, track="ic", current_level="l1"
        )
        standing(placement, person)
        built.users[person.name] = user
        built.placements[person.name] = placement
    return built


def rate(built: Acme, rater: User, source: str, steps: dict[str, list[str]]) -> None:
    """Named ratings by `rater` of Alice, Pia and Pat: competency -> their three steps."""
    for competency, given in steps.items():
        for name, step in zip(("Alice", "Pia", "Pat"), given, strict=True):
            placement = built.placements[name]
            Signal.objects.create(
                subject=placement.user,
                organization=placement.organization,
                version=built.version,
                competency=competency,
                step=step,
                source=source,
                rater=rater,
                source_key=f"user:{rater.pk}",
            )


def rate_for_calibration(built: Acme, bob: User, maya: User) -> None:
    """Bob and Maya agree on Shipping; on Reviews Maya is one step above Bob each time."""
    rate(
        built, bob, Source.MANAGER, {"shipping": ["l1", "l2", "l2"], "reviews": ["l1", "l2", "l2"]}
    )
    rate(
        built, maya, Source.MENTOR, {"shipping": ["l1", "l2", "l2"], "reviews": ["l2", "l3", "l3"]}
    )


def add_people(built: Acme, team: str, count: int) -> None:
    """`count` more placed people on `team`, each like Pat (meets both, gap 1 and 0)."""
    acme = built.teams[team].organization
    for i in range(count):
        person = Person(f"{team} extra {i}", team, (0, 0), (1, 0))
        user = make_user(f"{team.lower()}.extra{i}@acme.test", person.name)
        MembershipFactory(organization=acme, user=user)
        TeamMembershipFactory(team=built.teams[team], user=user)
        placement = PlacementFactory.create(
            organization=acme, user=user, version=built.version, track="ic", current_level="l1"
        )
        standing(placement, person)

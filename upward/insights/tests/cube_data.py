"""Standings built by hand for the selector tests: people placed on the small test
framework (track ic: l1, l2, l3 at step indexes 0, 1, 2; competencies shipping and
reviews), with their step indexes written straight into the standing's bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import count

import numpy as np
from django.utils import timezone

from upward.accounts.models import Organization, Role, Team, TeamMembership, User
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import Placement, Signal
from upward.frameworks.models import FrameworkVersion
from upward.insights.models import Standing
from upward.testing import make_user

_numbers = count(1)


def person(
    organization: Organization,
    name: str,
    *,
    teams: Sequence[Team] = (),
    role: str = Role.MEMBER,
) -> User:
    """A new member of the organization, on these teams."""
    user = make_user(f"{name.lower().replace(' ', '.')}.{next(_numbers)}@example.test", name)
    MembershipFactory(organization=organization, user=user, role=role)
    for team in teams:
        TeamMembership.objects.create(team=team, user=user, organization=organization)
    return user


def standing(
    user: User,
    version: FrameworkVersion,
    *,
    organization: Organization | None = None,
    track: str = "ic",
    level: str = "l1",
    target_track: str = "",
    target: str = "l2",
    operating: Sequence[int] = (0, 0),
    demonstrated: Sequence[int] = (0, 0),
    readiness: float = 0.5,
    history: dict[str, float] | None = None,
    roadmap: bool = False,
    mentor: bool = False,
) -> Standing:
    """An active placement of `user` and its standing, with these figures."""
    organization = organization or version.framework.organization
    assert organization is not None
    placement = Placement.objects.create(
        user=user,
        organization=organization,
        version=version,
        track=track,
        current_level=level,
        target_track=target_track or track,
        target_level=target,
    )
    return Standing.objects.create(
        placement=placement,
        user=user,
        organization=organization,
        version=version,
        track=track,
        current_level=level,
        target_track=target_track or track,
        target_level=target,
        operating=np.array(operating, dtype=np.int8).tobytes(),
        demonstrated=np.array(demonstrated, dtype=np.int8).tobytes(),
        readiness=readiness,
        history=history if history is not None else {},
        has_roadmap=roadmap,
        has_mentor=mentor,
    )


def rating(
    subject: User,
    version: FrameworkVersion,
    rater: User | None,
    competency: str,
    step: str,
    *,
    source: str,
    key: str = "",
    on: date | None = None,
) -> Signal:
    """One signal about `subject` (attributed unless `key` starts with "anon:")."""
    organization = version.framework.organization
    assert organization is not None
    return Signal.objects.create(
        subject=subject,
        organization=organization,
        version=version,
        competency=competency,
        step=step,
        source=source,
        rater=rater,
        source_key=key or f"user:{rater.pk if rater else 0}",
        observed_on=on or timezone.localdate(),
    )


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)

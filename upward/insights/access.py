"""Who may see an organization's insights, and how much of it.

Admins see the whole organization. A manager sees the teams they lead there, and
in the list of ready people only their own reports. Members who lead no team,
people of other organizations and visitors get Http404, as for an organization
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from upward.accounts.models import Membership, Organization, Role, Team, User
from upward.accounts.relationships import reports_of


@dataclass(frozen=True)
class Scope:
    """What one viewer sees of an organization's insights."""

    organization: Organization
    viewer: User
    admin: bool
    team_ids: frozenset[int]  # teams the viewer sees (every team of the organization for admins)
    report_ids: frozenset[int] | None  # the ready list is limited to these; None: everyone


def access_insights(user: User | AnonymousUser, organization: Organization) -> Scope:
    """The viewer's scope in the organization: admins all of it, managers their teams.

    3 queries at most (the viewer's role, the teams they see, a manager's reports)."""
    role = _role(user, organization)
    if role is None:
        raise Http404
    viewer = cast(User, user)  # only a signed-in member has a role
    if role == Role.ADMIN:
        teams = Team.objects.filter(organization=organization).values_list("pk", flat=True)
        return Scope(organization, viewer, True, frozenset(teams), None)
    led = frozenset(
        Team.objects.filter(organization=organization, manager=viewer).values_list("pk", flat=True)
    )
    if not led:
        raise Http404
    reports = frozenset(reports_of(viewer, organization).values_list("pk", flat=True))
    return Scope(organization, viewer, False, led, reports)


def may_see_insights(user: User | AnonymousUser, organization: Organization) -> bool:
    """True when the user may open the organization's insights (for navigation links)."""
    role = _role(user, organization)
    if role is None:
        return False
    if role == Role.ADMIN:
        return True
    return Team.objects.filter(organization=organization, manager=cast(User, user)).exists()


def _role(user: User | AnonymousUser, organization: Organization) -> str | None:
    """The user's role in the organization, or None for visitors and non-members."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(organization=organization, user=user)
        .values_list("role", flat=True)
        .first()
    )

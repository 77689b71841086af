"""Who may see and change organizations, members, teams, invitations and tokens.

Every lookup answers Http404 both for what does not exist and for what the user
may not see, so ids and slugs don't leak across organizations.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Role,
    Team,
    User,
)


def access_organization(user: User, slug: str, *, admin: bool = False) -> Membership:
    """The user's membership of the organization `slug` (an admin one when `admin`)."""
    if not user.is_authenticated:
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("organization"), organization__slug=slug, user=user
    )
    if admin and membership.role != Role.ADMIN:
        raise Http404
    return membership


def access_membership(
    user: User, slug: str, membership_id: int, *, write: bool = False
) -> Membership:
    """A membership in `slug` that the user may read (any member) or change (admins)."""
    own = access_organization(user, slug, admin=write)
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"),
        pk=membership_id,
        organization_id=own.organization_id,
    )


def access_team(user: User, slug: str, team_id: int, *, write: bool = False) -> Team:
    """A team that the user may read (any member) or change (admins only).

    A team says whose manager someone is, so its own manager may not change who is
    on it: they could make anyone their report.
    """
    own = access_organization(user, slug, admin=write)
    return get_object_or_404(
        Team.objects.select_related("manager", "organization"),
        pk=team_id,
        organization_id=own.organization_id,
    )


def access_invitation(user: User, slug: str, invitation_id: int) -> Invitation:
    """An invitation of `slug`; only the organization's admins handle invitations."""
    own = access_organization(user, slug, admin=True)
    return get_object_or_404(
        Invitation.objects.select_related("organization"),
        pk=invitation_id,
        organization_id=own.organization_id,
    )


def access_api_token(user: User, token_id: int) -> ApiToken:
    """One of the user's own API tokens; nobody else's."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(ApiToken, pk=token_id, user=user)


def access_audit_log(user: User, slug: str) -> Organization:
    """The organization whose audit log the user may read: admins only."""
    return access_organization(user, slug, admin=True).organization

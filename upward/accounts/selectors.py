"""Reads for accounts and organizations."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from upward.accounts import relationships
from upward.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    ProfilePhoto,
    Team,
    TeamMembership,
    User,
)
from upward.core.models import AuditEvent


def memberships_of(user: User) -> QuerySet[Membership]:
    """The user's memberships with their organizations, personal space first."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("-organization__is_personal", "organization__name")
    )


def members_of(organization: Organization) -> QuerySet[Membership]:
    """Everyone in an organization, with their user rows."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__email")
    )


def teams_of(organization: Organization) -> QuerySet[Team]:
    """Teams with their manager and member count."""
    return (
        Team.objects.filter(organization=organization)
        .select_related("manager")
        .annotate(member_count=Count("team_memberships"))
        .order_by("name")
    )


def team_with_members(team: Team) -> Team:
    """A team with its members prefetched."""
    return (
        Team.objects.filter(pk=team.pk)
        .select_related("manager", "organization")
        .prefetch_related(
            Prefetch(
                "team_memberships",
                queryset=TeamMembership.objects.select_related("user").order_by("user__email"),
            )
        )
        .get()
    )


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    """Invitations still waiting for an answer."""
    return organization.invitations.pending().select_related("invited_by")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def audit_log(organization: Organization) -> QuerySet[AuditEvent]:
    """The organization's audit events, newest first."""
    return AuditEvent.objects.filter(organization=organization).order_by("-created_at", "-id")


def reports_of(manager: User, organization: Organization) -> QuerySet[User]:
    """People on the teams `manager` leads in `organization`, both still members there."""
    return relationships.reports_of(manager, organization)


def photo_of(owner: User) -> bytes:
    """The bytes of `owner`'s photo (after access): 1 query."""
    image = ProfilePhoto.objects.filter(user=owner).values_list("image", flat=True).first()
    if image is None:
        raise Http404
    return bytes(image)

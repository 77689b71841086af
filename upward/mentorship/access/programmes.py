"""Who may see and run cohort mentoring programmes.

A programme is read by the members of its organization (they join it, leave it and,
once it is published, see their own match). Its admins open, propose, adjust,
publish and close it, and only they see the proposal and its pairs. Missing and
forbidden both raise Http404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import Membership, Organization, Role, User
from upward.mentorship.models import Pair, Programme

__all__ = ["access_pair", "access_programme", "may_run_programmes"]


def may_run_programmes(user: User | AnonymousUser, organization: Organization) -> bool:
    """Whether the user opens and runs the programmes of `organization` (its admins)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(organization=organization, user=user, role=Role.ADMIN).exists()


def access_programme(
    user: User | AnonymousUser, programme_id: int, *, admin: bool = False
) -> Programme:
    """A programme of an organization the user belongs to (one they run, when `admin`)."""
    if not user.is_authenticated:
        raise Http404
    programme = get_object_or_404(
        Programme.objects.select_related("organization"),
        pk=programme_id,
        organization__memberships__user=user,  # still a member there
    )
    if admin and not may_run_programmes(user, programme.organization):
        raise Http404
    return programme


def access_pair(user: User | AnonymousUser, pair_id: int) -> Pair:
    """A pair of a programme's proposal, for the admins who run the programme."""
    if not user.is_authenticated:
        raise Http404
    pair = get_object_or_404(
        Pair.objects.select_related("programme__organization", "mentee", "mentor"),
        pk=pair_id,
        programme__organization__memberships__user=user,
    )
    if not may_run_programmes(user, pair.programme.organization):
        raise Http404
    return pair

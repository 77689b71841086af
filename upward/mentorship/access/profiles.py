"""Who may find, read and change mentor profiles, verify their offers, handle requests
and change an organization's mentorship settings.

A viewer working in an organization finds the profiles of that organization's mentors
(shown to the organization or to anyone), and, when the organization takes outside
mentors (its settings say so, or it is a personal space), the profiles of other
organizations' mentors who mentor anyone and show their profile to anyone. A profile
is changed by its owner only; its offers are verified by admins of its organization
or by site staff. A request is read by its mentee and its mentor only. Missing and
forbidden both raise Http404.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import Membership, Organization, Role, User
from upward.core.visibility import Tier
from upward.mentorship.models import (
    MentorProfile,
    MentorshipRequest,
    MentorshipSettings,
    Offer,
    Reach,
)

__all__ = [
    "access_mentorship_request",
    "access_offer_to_verify",
    "access_own_profile",
    "access_profile",
    "access_profile_to_verify",
    "allows_outside_mentors",
    "findable_profiles",
    "may_verify",
]


def allows_outside_mentors(organization: Organization) -> bool:
    """Whether the organization's members may find mentors of other organizations:
    a personal space always, a company when its settings say so (1 query)."""
    if organization.is_personal:
        return True
    return MentorshipSettings.objects.filter(
        organization=organization, allow_outside_mentors=True
    ).exists()


def findable_profiles(
    organization: Organization, *, outside: bool | None = None
) -> QuerySet[MentorProfile]:
    """The profiles a member of `organization` finds, of mentors still members of their
    profile's organization. `outside`: whether the organization takes outside mentors
    (read from its settings when not given)."""
    if outside is None:
        outside = allows_outside_mentors(organization)
    wanted = Q(organization=organization, visibility__in=[Tier.ORGANIZATION, Tier.PUBLIC])
    if outside:
        wanted |= Q(reach=Reach.ANYONE, visibility=Tier.PUBLIC)
    still_member = Membership.objects.filter(
        organization_id=OuterRef("organization_id"), user_id=OuterRef("user_id")
    )
    return MentorProfile.objects.filter(wanted, Exists(still_member))


def _member(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(organization=organization, user_id=user.pk).exists()


def access_profile(user: User, profile_id: int, organization: Organization) -> MentorProfile:
    """A profile that `user`, working in `organization` (a member there), may read:
    one they find there, or their own."""
    if not user.is_authenticated:
        raise Http404
    if not _member(user, organization):
        raise Http404
    profile = get_object_or_404(
        MentorProfile.objects.select_related("user", "organization"), pk=profile_id
    )
    if profile.user_id == user.pk:
        return profile
    if not findable_profiles(organization).filter(pk=profile.pk).exists():
        raise Http404
    return profile


def access_own_profile(user: User, organization: Organization) -> MentorProfile:
    """The user's own profile in `organization`, where they are still a member."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        MentorProfile.objects.select_related("user", "organization"),
        user_id=user.pk,
        organization=organization,
        organization__memberships__user_id=user.pk,
    )


def may_verify(user: User, organization: Organization) -> bool:
    """Whether `user` records verifications for mentors of `organization`: its admins
    and site staff."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(
        organization=organization, user_id=user.pk, role=Role.ADMIN
    ).exists()


def access_profile_to_verify(user: User, profile_id: int) -> MentorProfile:
    """A profile whose offers `user` may verify: admins of its organization, site staff."""
    if not user.is_authenticated:
        raise Http404
    profile = get_object_or_404(
        MentorProfile.objects.select_related("user", "organization"), pk=profile_id
    )
    if not may_verify(user, profile.organization):
        raise Http404
    return profile


def access_offer_to_verify(user: User, profile_id: int, competency: str) -> Offer:
    """An offer of a profile whose offers `user` may verify (see `access_profile_to_verify`)."""
    profile = access_profile_to_verify(user, profile_id)
    return get_object_or_404(
        Offer.objects.select_related("profile__user", "profile__organization", "verified_by"),
        profile=profile,
        competency=competency,
    )


def access_mentorship_request(
    user: User, request_id: int, *, as_mentor: bool = False, as_mentee: bool = False
) -> MentorshipRequest:
    """A request its mentee or its mentor may read; `as_mentor` / `as_mentee`: only that side."""
    if not user.is_authenticated:
        raise Http404
    found = get_object_or_404(
        MentorshipRequest.objects.select_related(
            "mentee", "organization", "profile__user", "profile__organization"
        ),
        pk=request_id,
    )
    mentee = found.mentee_id == user.pk
    mentor = found.profile.user_id == user.pk
    if as_mentor and not mentor:
        raise Http404
    if as_mentee and not mentee:
        raise Http404
    if not (mentee or mentor):
        raise Http404
    return found

"""Who may see and change organizations, members, teams, invitations and tokens.

Every lookup answers Http404 both for what does not exist and for what the user
may not see, so ids and slugs don't leak across organizations.
"""

from __future__ import annotations

from django.core import signing
from django.db.models import Exists, OuterRef
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


PHOTO_LINK_SALT = "upward.accounts.photo"


def access_photo_owner(viewer: User, user_id: int) -> User:
    """The person whose photo `viewer` asks for, if they have one and `viewer` may see it.

    Who may: the person, and anyone in one of their organizations (who sees their
    name on member lists and team pages). The photo's bytes are not read here.
    """
    if not viewer.is_authenticated:
        raise Http404
    shared = Membership.objects.filter(
        user_id=OuterRef("pk"), organization__memberships__user=viewer
    )
    owner = get_object_or_404(
        User.objects.exclude(photo_version="")
        .annotate(shares_organization=Exists(shared))
        .only("pk", "photo_version"),
        pk=user_id,
    )
    if owner.pk == viewer.pk:
        return owner
    if owner.shares_organization:  # type: ignore[attr-defined]
        return owner
    raise Http404


def photo_link(owner: User) -> str:
    """A signed token naming `owner`'s current photo, for pages shown to people without an
    account (a rater's answer page): it opens that photo, and no longer once it changes."""
    return signing.dumps([owner.pk, owner.photo_version], salt=PHOTO_LINK_SALT, compress=False)


def access_photo_by_link(token: str) -> User:
    """The person a `photo_link` token names, while the photo it was made for is theirs."""
    try:
        user_id, version = signing.loads(token, salt=PHOTO_LINK_SALT)
    except (signing.BadSignature, TypeError, ValueError) as bad:
        raise Http404 from bad
    if not isinstance(user_id, int) or not isinstance(version, str) or not version:
        raise Http404
    return get_object_or_404(
        User.objects.only("pk", "photo_version"), pk=user_id, photo_version=version
    )

"""Writes for accounts, organizations, teams, invitations and API tokens."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from upward.accounts import photos, profiles
from upward.accounts.emails import send_invitation_email
from upward.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    ProfilePhoto,
    Role,
    Team,
    TeamMembership,
    TokenScope,
    User,
)
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.tokens import digest, new_api_token, new_link_secret, prefix_of
from upward.core.validators import email_address, single_line

RESERVED_SLUGS = {"new", "switch", "api", "admin", "static", "accounts", "settings"}
# A short name people choose: lowercase letters and digits, single hyphens between them.
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def _unique_slug(base: str) -> str:
    root = (slugify(base) or "org")[:50]
    if root in RESERVED_SLUGS:
        root = f"{root}-org"
    slug, n = root, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{root}-{n}", n + 1
    return slug


@transaction.atomic
def create_personal_organization(*, user: User) -> Organization:
    """Give a new person their own space, where they are the admin."""
    org = Organization.objects.create(
        name=f"{user.display_name}'s space",
        slug=_unique_slug(user.email.split("@")[0]),
        is_personal=True,
    )
    Membership.objects.create(organization=org, user=user, role=Role.ADMIN)
    audit.record(org, AuditCode.ACCOUNT_ORGANIZATION_CREATED, actor=user, data={"personal": True})
    return org


@transaction.atomic
def create_organization(*, name: str, by: User, slug: str = "") -> Organization:
    """Create a company organization with `by` as its first admin."""
    name = single_line(name, field="name")
    if not name:
        raise Invalid("Give the organization a name.", field="name")
    if len(name) > 120:
        raise Invalid("Use at most 120 characters for the name.", field="name")
    if slug:
        if not re.fullmatch(SLUG_PATTERN, slug) or slug in RESERVED_SLUGS:
            raise Invalid(
                "Use lowercase letters, digits and hyphens for the short name.", field="slug"
            )
        if Organization.objects.filter(slug=slug).exists():
            raise Conflict(f"The short name '{slug}' is taken.", field="slug")
    else:
        slug = _unique_slug(name)
    org = Organization.objects.create(name=name, slug=slug)
    Membership.objects.create(organization=org, user=by, role=Role.ADMIN)
    audit.record(org, AuditCode.ACCOUNT_ORGANIZATION_CREATED, actor=by)
    audit.record(
        org, AuditCode.ACCOUNT_MEMBER_ADDED, actor=by, data={"user": by.email, "role": Role.ADMIN}
    )
    return org


def _other_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(organization_id=membership.organization_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Give a member another role; an organization always keeps one admin."""
    if role not in Role.values:
        raise Invalid(f"'{role}' is not a role; use one of {', '.join(Role.values)}.", field="role")
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN and not _other_admins(membership):
        raise Conflict("An organization needs at least one admin; make someone else admin first.")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        membership,
        AuditCode.ACCOUNT_MEMBER_ROLE_CHANGED,
        actor=by,
        data={"user": membership.user.email, "from": old, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    """Take someone out of an organization (and its teams)."""
    if membership.organization.is_personal:
        raise Conflict("Nobody can be removed from a personal space.")
    if membership.role == Role.ADMIN and not _other_admins(membership):
        raise Conflict("An organization needs at least one admin; make someone else admin first.")
    org, user = membership.organization, membership.user
    TeamMembership.objects.filter(organization=org, user=user).delete()
    Team.objects.filter(organization=org, manager=user).update(manager=None)
    code = AuditCode.ACCOUNT_MEMBER_LEFT if by.pk == user.pk else AuditCode.ACCOUNT_MEMBER_REMOVED
    audit.record(membership, code, actor=by, data={"user": user.email, "role": membership.role})
    membership.delete()


@transaction.atomic
def invite_member(*, organization: Organization, email: str, role: str, by: User) -> Invitation:
    """Invite someone by email; the link in the message works once, until it expires."""
    email = email_address(email)
    if role not in Role.values:
        raise Invalid(f"'{role}' is not a role; use one of {', '.join(Role.values)}.", field="role")
    if organization.is_personal:
        raise Conflict("A personal space can't have other members; create an organization.")
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise Conflict(f"{email} is already a member.", field="email")
    if organization.invitations.pending().filter(email__iexact=email).exists():
        raise Conflict(f"{email} already has a pending invitation.", field="email")
    secret = new_link_secret()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=digest(secret),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(
        invitation,
        AuditCode.ACCOUNT_INVITATION_CREATED,
        actor=by,
        data={"email": email, "role": role},
    )
    transaction.on_commit(lambda: send_invitation_email(invitation=invitation, secret=secret))
    return invitation


def find_invitation(secret: str) -> Invitation:
    """The invitation a link's secret belongs to, or a clear reason it can't be used."""
    invitation = (
        Invitation.objects.select_related("organization").filter(token_hash=digest(secret)).first()
    )
    if invitation is None:
        raise Invalid("This invitation link is not valid. Ask for a new one.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used.")
    if invitation.revoked_at is not None:
        raise Conflict("This invitation was withdrawn. Ask for a new one.")
    if invitation.expires_at <= timezone.now():
        raise Conflict("This invitation has expired. Ask for a new one.")
    return invitation


@transaction.atomic
def accept_invitation(*, secret: str, user: User) -> Membership:
    """Join the organization an invitation is for; the link can't be used again."""
    invitation = find_invitation(secret)
    # Lock the row so two tabs accepting at once can't both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used.")
    if invitation.email.lower() != user.email.lower():
        raise Invalid(
            f"This invitation was sent to {invitation.email}; you are signed in as {user.email}."
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                organization=invitation.organization, user=user, role=invitation.role
            )
    except IntegrityError:
        raise Conflict("You are already a member of this organization.") from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        membership,
        AuditCode.ACCOUNT_MEMBER_ADDED,
        actor=user,
        data={"user": user.email, "role": invitation.role},
    )
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw a pending invitation."""
    if invitation.status != "pending":
        raise Conflict(
            f"This invitation is {invitation.status}; only pending ones can be withdrawn."
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        invitation, AuditCode.ACCOUNT_INVITATION_REVOKED, actor=by, data={"email": invitation.email}
    )
    return invitation


def _member_of(organization: Organization, user: User | None, field: str) -> None:
    if (
        user is not None
        and not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        raise Invalid(f"{user.email} is not a member of {organization.name}.", field=field)


@transaction.atomic
def create_team(*, organization: Organization, name: str, manager: User | None, by: User) -> Team:
    """Create a team, optionally with its manager."""
    name = single_line(name, field="name")
    if not name:
        raise Invalid("Give the team a name.", field="name")
    if organization.teams.filter(name__iexact=name).exists():
        raise Conflict(f"There is already a team called '{name}'.", field="name")
    _member_of(organization, manager, "manager")
    team = Team.objects.create(organization=organization, name=name, manager=manager)
    audit.record(
        team,
        AuditCode.ACCOUNT_TEAM_CREATED,
        actor=by,
        data={"manager": manager.email if manager else None},
    )
    return team


@transaction.atomic
def update_team(
    *,
    team: Team,
    by: User,
    name: str | None = None,
    manager: User | None = None,
    clear_manager: bool = False,
) -> Team:
    """Rename a team or change its manager."""
    changed: dict[str, object] = {}
    if name is not None:
        name = single_line(name, field="name")
        if not name:
            raise Invalid("Give the team a name.", field="name")
        clash = team.organization.teams.filter(name__iexact=name).exclude(pk=team.pk)
        if clash.exists():
            raise Conflict(f"There is already a team called '{name}'.", field="name")
        team.name, changed["name"] = name, name
    if manager is not None or clear_manager:
        _member_of(team.organization, manager, "manager")
        team.manager, changed["manager"] = manager, manager.email if manager else None
    if changed:
        team.save(update_fields=[k for k in ("name", "manager") if k in changed])
        audit.record(team, AuditCode.ACCOUNT_TEAM_UPDATED, actor=by, data=changed)
    return team


@transaction.atomic
def delete_team(*, team: Team, by: User) -> None:
    """Delete a team; its members stay in the organization."""
    audit.record(team, AuditCode.ACCOUNT_TEAM_DELETED, actor=by, data={"name": team.name})
    team.delete()


@transaction.atomic
def add_team_member(*, team: Team, user: User, by: User) -> TeamMembership:
    """Put a member of the organization on a team."""
    _member_of(team.organization, user, "user")
    tm, created = TeamMembership.objects.get_or_create(
        team=team, user=user, defaults={"organization": team.organization}
    )
    if not created:
        raise Conflict(f"{user.email} is already on {team.name}.", field="user")
    audit.record(team, AuditCode.ACCOUNT_TEAM_MEMBER_ADDED, actor=by, data={"user": user.email})
    return tm


@transaction.atomic
def remove_team_member(*, team: Team, user: User, by: User) -> None:
    """Take someone off a team."""
    deleted, _ = TeamMembership.objects.filter(team=team, user=user).delete()
    if not deleted:
        raise Conflict(f"{user.email} is not on {team.name}.", field="user")
    audit.record(team, AuditCode.ACCOUNT_TEAM_MEMBER_REMOVED, actor=by, data={"user": user.email})


@transaction.atomic
def update_profile(
    *,
    user: User,
    name: str | None = None,
    time_zone: str | None = None,
    languages: list[str] | None = None,
) -> User:
    """Change the given parts of a person's profile; all are checked before any is saved."""
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = profiles.person_name(name)
    if time_zone is not None:
        changes["time_zone"] = profiles.time_zone(time_zone)
    if languages is not None:
        changes["languages"] = profiles.languages(languages)
    changed = [field for field, value in changes.items() if getattr(user, field) != value]
    if not changed:
        return user
    for field in changed:
        setattr(user, field, changes[field])
    user.save(update_fields=changed)
    audit.record(user, AuditCode.ACCOUNT_PROFILE_UPDATED, actor=user, data={"fields": changed})
    return user


@transaction.atomic
def set_photo(*, user: User, data: bytes) -> User:
    """Keep the picture in `data` as the person's photo, in place of any earlier one.

    The picture is checked and re-drawn before anything is written, so a refused
    file leaves the earlier photo (or the initials) as they were.
    """
    image = photos.square_photo(data)
    version = photos.photo_version(image)
    ProfilePhoto.objects.update_or_create(user=user, defaults={"image": image})
    user.photo_version = version
    user.save(update_fields=["photo_version"])
    audit.record(user, AuditCode.ACCOUNT_PROFILE_UPDATED, actor=user, data={"fields": ["photo"]})
    return user


@transaction.atomic
def remove_photo(*, user: User) -> User:
    """Go back to the initials avatar; nothing happens when there is no photo."""
    deleted, _ = ProfilePhoto.objects.filter(user=user).delete()
    if not deleted and not user.photo_version:
        return user
    user.photo_version = ""
    user.save(update_fields=["photo_version"])
    audit.record(user, AuditCode.ACCOUNT_PROFILE_UPDATED, actor=user, data={"fields": ["photo"]})
    return user


@transaction.atomic
def create_api_token(*, user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Make a personal access token; the raw token is returned once and never stored."""
    name = single_line(name, field="name")
    if not name:
        raise Invalid("Name the token after what will use it.", field="name")
    if scope not in TokenScope.values:
        raise Invalid("Scope must be 'read' or 'write'.", field="scope")
    if not 1 <= days <= settings.TOKEN_MAX_DAYS:
        raise Invalid(
            f"A token lasts from 1 to {settings.TOKEN_MAX_DAYS} days.", field="expires_in_days"
        )
    prefix, raw = new_api_token()
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=prefix,
        token_hash=digest(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        token,
        AuditCode.ACCOUNT_TOKEN_CREATED,
        actor=user,
        organization=None,
        data={"name": token.name, "scope": scope, "days": days},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> ApiToken:
    """Stop a token from working, at once and for good."""
    if token.revoked_at is not None:
        raise Conflict("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        token,
        AuditCode.ACCOUNT_TOKEN_REVOKED,
        actor=by,
        organization=None,
        data={"name": token.name},
    )
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """The active token a raw bearer value stands for, or None."""
    if prefix_of(raw) is None:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=digest(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute, so busy clients don't write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

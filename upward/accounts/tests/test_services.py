"""Account and organization services against the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from upward.accounts import services
from upward.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Role,
    TeamMembership,
    User,
)
from upward.core.errors import Conflict, Invalid
from upward.core.models import AuditEvent
from upward.testing import make_user


def _invite(org, by, email="carol@acme.test", role="member", capture=None):
    """Invite and return (invitation, secret) as read from the email."""
    from django.core import mail

    with capture(execute=True):
        invitation = services.invite_member(organization=org, email=email, role=role, by=by)
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/invitations/" in line)
    return invitation, link.rstrip("/").rsplit("/", 1)[1]


def test_signing_up_creates_a_personal_organization(db, mailoutbox):
    response = Client().post(
        "/accounts/signup/",
        {
            "name": "New Person",
            "email": "new@person.test",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@person.test")
    membership = Membership.objects.get(user=user)
    assert membership.organization.is_personal
    assert membership.role == Role.ADMIN
    assert AuditEvent.objects.filter(
        code="account.organization.created", organization=membership.organization
    ).exists()
    assert "confirm" in mailoutbox[0].body.lower()


def test_a_duplicate_email_signup_is_refused_and_writes_nothing(alice):
    users_before = User.objects.count()
    response = Client().post(
        "/accounts/signup/",
        {
            "name": "Alice Again",
            "email": alice.email.upper(),
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    # allauth hides whether the address exists (enumeration), but makes no second account.
    assert User.objects.count() == users_before
    assert response.status_code in (200, 302)


def test_personal_space_slugs_stay_unique(db):
    first = make_user("sam@one.test")
    second = make_user("sam@two.test")
    slugs = set(
        Organization.objects.filter(memberships__user__in=[first, second]).values_list(
            "slug", flat=True
        )
    )
    assert slugs == {"sam", "sam-2"}


def test_reserved_words_are_not_used_as_slugs(db):
    user = make_user("admin@x.test")
    org = Organization.objects.get(memberships__user=user)
    assert org.slug == "admin-org"


@pytest.mark.parametrize(
    ("name", "slug", "error", "field"),
    [
        ("", "", Invalid, "name"),
        ("   ", "", Invalid, "name"),
        ("x" * 121, "", Invalid, "name"),
        ("Initech", "Bad Slug", Invalid, "slug"),
        ("Initech", "acme", Conflict, "slug"),
        ("Initech", "api", Invalid, "slug"),
    ],
)
def test_bad_organization_input_names_the_field_and_writes_nothing(
    acme, alice, name, slug, error, field
):
    before = Organization.objects.count()
    with pytest.raises(error) as raised:
        services.create_organization(name=name, slug=slug, by=alice)
    assert raised.value.field == field
    assert Organization.objects.count() == before


def test_invitations_expire(ada, acme, django_capture_on_commit_callbacks):
    invitation, secret = _invite(acme, ada, capture=django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    carol = make_user("carol@acme.test")
    with pytest.raises(Conflict, match="expired"):
        services.accept_invitation(secret=secret, user=carol)
    assert not Membership.objects.filter(organization=acme, user=carol).exists()


def test_a_withdrawn_invitation_cannot_be_used(ada, acme, django_capture_on_commit_callbacks):
    invitation, secret = _invite(acme, ada, capture=django_capture_on_commit_callbacks)
    services.revoke_invitation(invitation=invitation, by=ada)
    carol = make_user("carol@acme.test")
    with pytest.raises(Conflict, match="withdrawn"):
        services.accept_invitation(secret=secret, user=carol)
    with pytest.raises(Conflict, match="revoked"):
        services.revoke_invitation(invitation=invitation, by=ada)


def test_an_unknown_invitation_secret_is_invalid(db, alice):
    with pytest.raises(Invalid, match="not valid"):
        services.accept_invitation(secret="made-up-secret-value", user=alice)


def test_an_invitation_makes_the_member_with_the_invited_role(
    ada, acme, django_capture_on_commit_callbacks
):
    _invitation, secret = _invite(
        acme, ada, role="mentor", capture=django_capture_on_commit_callbacks
    )
    carol = make_user("Carol@Acme.test")
    membership = services.accept_invitation(secret=secret, user=carol)
    assert membership.role == Role.MENTOR
    event = AuditEvent.objects.filter(code="account.member.added").latest("id")
    assert event.data == {"user": "carol@acme.test", "role": "mentor"}


def test_a_second_pending_invitation_to_the_same_address_is_refused(
    ada, acme, django_capture_on_commit_callbacks
):
    _invite(acme, ada, capture=django_capture_on_commit_callbacks)
    with pytest.raises(Conflict, match="pending invitation"):
        services.invite_member(organization=acme, email="CAROL@acme.test", role="member", by=ada)
    assert Invitation.objects.count() == 1


def test_a_personal_space_cannot_invite(alice):
    personal = Organization.objects.get(memberships__user=alice, is_personal=True)
    with pytest.raises(Conflict, match="personal space"):
        services.invite_member(organization=personal, email="x@y.test", role="member", by=alice)


def test_removing_a_member_takes_them_off_teams_and_unsets_them_as_manager(
    ada, alice, bob, acme, platform
):
    services.remove_member(membership=Membership.objects.get(organization=acme, user=bob), by=ada)
    platform.refresh_from_db()
    assert platform.manager is None
    services.remove_member(membership=Membership.objects.get(organization=acme, user=alice), by=ada)
    assert not TeamMembership.objects.filter(team=platform).exists()
    codes = list(
        AuditEvent.objects.filter(code="account.member.removed").values_list(
            "data__user", flat=True
        )
    )
    assert sorted(codes) == [alice.email, bob.email]


def test_nobody_leaves_their_personal_space(alice):
    personal = Membership.objects.get(user=alice, organization__is_personal=True)
    with pytest.raises(Conflict, match="personal space"):
        services.remove_member(membership=personal, by=alice)


def test_a_team_manager_must_belong_to_the_organization(ada, acme, eve):
    with pytest.raises(Invalid) as raised:
        services.create_team(organization=acme, name="Ops", manager=eve, by=ada)
    assert raised.value.field == "manager"


def test_token_use_is_recorded_at_most_once_a_minute(alice, django_assert_num_queries):
    token, raw = services.create_api_token(user=alice, name="t", scope="read", days=1)
    assert services.authenticate_token(raw) is not None
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only; no second write within a minute
        assert services.authenticate_token(raw) is not None


@pytest.mark.parametrize("days", [0, -1, 366])
def test_token_lifetimes_are_bounded(alice, days):
    with pytest.raises(Invalid) as raised:
        services.create_api_token(user=alice, name="t", scope="read", days=days)
    assert raised.value.field == "expires_in_days"
    assert not ApiToken.objects.exists()


def test_the_audit_log_records_who_what_and_when(ada, alice, acme):
    membership = Membership.objects.get(organization=acme, user=alice)
    services.change_role(membership=membership, role=Role.MANAGER, by=ada)
    event = AuditEvent.objects.get(code="account.member.role_changed")
    assert (event.actor, event.actor_label, event.organization) == (ada, ada.email, acme)
    assert event.target_type == "accounts.membership"
    assert event.target_id == str(membership.pk)
    assert event.created_at is not None

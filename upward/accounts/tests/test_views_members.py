"""Member pages: changing roles, removing members, inviting and accepting invitations.

What the admin-only actions answer everyone else (404), that bad input comes back
in place with the reason and writes nothing, and that invitation links work once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from upward.accounts import services
from upward.accounts.current import SESSION_KEY
from upward.accounts.models import (
    Invitation,
    Membership,
    Role,
    TeamMembership,
)
from upward.accounts.tests.pages import membership
from upward.core.models import AuditEvent
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.testing import client_for, make_user

# --- Changing roles -------------------------------------------------------------------


def test_an_admin_changes_a_members_role(as_ada, acme, alice):
    target = membership(acme, alice)
    response = as_ada.post(f"/orgs/acme/members/{target.pk}/role/", {"role": "mentor"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/#members"
    target.refresh_from_db()
    assert target.role == Role.MENTOR
    assert AuditEvent.objects.filter(code="account.member.role_changed", organization=acme).exists()


def test_with_htmx_a_role_change_answers_with_the_members_section_and_the_message(
    as_ada, acme, alice
):
    target = membership(acme, alice)
    response = as_ada.post(f"/orgs/acme/members/{target.pk}/role/", {"role": "manager"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="members"')
    assert "<html" not in html
    assert (
        'id="messages" class="messages" role="status" aria-live="polite" hx-swap-oob="true"' in html
    )
    assert "alice@acme.test is now manager." in text(response)
    assert_no_inline_code(response)


def test_a_plain_member_cannot_change_roles(as_alice, acme, bob):
    target = membership(acme, bob)
    response = as_alice.post(f"/orgs/acme/members/{target.pk}/role/", {"role": "admin"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.role == Role.MANAGER


def test_an_unknown_role_is_refused_in_place(as_ada, acme, alice):
    target = membership(acme, alice)
    response = as_ada.post(f"/orgs/acme/members/{target.pk}/role/", {"role": "owner"})
    assert response.status_code == 422
    assert "Select a valid choice." in text(response)
    target.refresh_from_db()
    assert target.role == Role.MEMBER


def test_the_last_admin_cannot_step_down(as_ada, acme, ada):
    own = membership(acme, ada)
    response = as_ada.post(f"/orgs/acme/members/{own.pk}/role/", {"role": "member"})
    assert response.status_code == 409
    assert "An organization needs at least one admin" in text(response)
    assert f'<tr id="member-{own.pk}" class="row-error">' in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_with_htmx_the_last_admin_error_comes_back_in_the_members_section(as_ada, acme, ada):
    own = membership(acme, ada)
    response = as_ada.post(f"/orgs/acme/members/{own.pk}/role/", {"role": "member"}, **HTMX)
    assert response.status_code == 409
    assert response.content.decode().lstrip().startswith('<section id="members"')
    assert "at least one admin" in text(response)


def test_an_admin_who_steps_down_is_sent_to_the_fresh_page(as_ada, acme, ada, alice):
    membership(acme, alice).delete()
    other = make_user("grace@acme.test")
    Membership.objects.create(organization=acme, user=other, role=Role.ADMIN)
    own = membership(acme, ada)
    response = as_ada.post(f"/orgs/acme/members/{own.pk}/role/", {"role": "member"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/orgs/acme/"


# --- Removing members ----------------------------------------------------------------------


def test_an_admin_removes_a_member(as_ada, acme, alice):
    target = membership(acme, alice)
    response = as_ada.post(f"/orgs/acme/members/{target.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert not TeamMembership.objects.filter(organization=acme, user=alice).exists()


def test_with_htmx_removing_a_member_answers_with_the_members_section(as_ada, acme, alice):
    target = membership(acme, alice)
    response = as_ada.post(f"/orgs/acme/members/{target.pk}/remove/", **HTMX)
    assert response.status_code == 200
    assert "alice@acme.test is no longer in Acme." in text(response)
    assert f'id="member-{target.pk}"' not in response.content.decode()


def test_a_plain_member_cannot_remove_anyone(as_alice, acme, bob):
    target = membership(acme, bob)
    assert as_alice.post(f"/orgs/acme/members/{target.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=target.pk).exists()


def test_removing_the_last_admin_is_refused_in_place(as_ada, acme, ada):
    own = membership(acme, ada)
    response = as_ada.post(f"/orgs/acme/members/{own.pk}/remove/")
    assert response.status_code == 409
    assert "An organization needs at least one admin" in text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_opening_an_actions_address_shows_its_page(as_ada, acme, alice):
    target = membership(acme, alice)
    response = as_ada.get(f"/orgs/acme/members/{target.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/"
    assert Membership.objects.filter(pk=target.pk).exists()


# --- Invitations ---------------------------------------------------------------------------


def test_an_admin_invites_someone_by_email(
    as_ada, acme, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_ada.post(
            "/orgs/acme/invitations/", {"email": "Carol@Acme.test", "role": "mentor"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/#invitations"
    invitation = Invitation.objects.get(organization=acme)
    assert (invitation.email, invitation.role) == ("carol@acme.test", Role.MENTOR)
    assert len(mailoutbox) == 1
    assert "/invitations/" in mailoutbox[0].body


def test_with_htmx_an_invitation_answers_with_the_invitations_section(as_ada, acme):
    response = as_ada.post(
        "/orgs/acme/invitations/", {"email": "carol@acme.test", "role": "member"}, **HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="invitations"')
    assert "Invitation sent to carol@acme.test." in text(response)


def test_an_invalid_email_is_refused_in_place(as_ada, acme):
    response = as_ada.post("/orgs/acme/invitations/", {"email": "carol at acme", "role": "member"})
    assert response.status_code == 422
    assert "Enter a valid email address." in text(response)
    assert '<a href="#invitations">See what needs fixing</a>' in text(response)
    assert not Invitation.objects.exists()


def test_inviting_someone_already_in_the_organization_is_refused_in_place(as_ada, acme, alice):
    response = as_ada.post(
        "/orgs/acme/invitations/", {"email": alice.email, "role": "member"}, **HTMX
    )
    assert response.status_code == 409
    assert "alice@acme.test is already a member." in text(response)
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_someone_twice_is_refused_in_place(as_ada, acme, invite):
    invite("carol@acme.test")
    response = as_ada.post(
        "/orgs/acme/invitations/", {"email": "carol@acme.test", "role": "member"}
    )
    assert response.status_code == 409
    assert "already has a pending invitation" in text(response)
    assert Invitation.objects.count() == 1


def test_a_plain_member_cannot_invite(as_alice, acme):
    response = as_alice.post(
        "/orgs/acme/invitations/", {"email": "carol@acme.test", "role": "admin"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_an_admin_withdraws_a_pending_invitation(as_ada, acme, invite):
    invite("carol@acme.test")
    invitation = Invitation.objects.get()
    response = as_ada.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_withdrawing_an_invitation_twice_is_refused_in_place(as_ada, acme, invite):
    invite("carol@acme.test")
    invitation = Invitation.objects.get()
    as_ada.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/")
    response = as_ada.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/", **HTMX)
    assert response.status_code == 409
    assert "This invitation is revoked; only pending ones can be withdrawn." in text(response)


def test_a_plain_member_cannot_withdraw_an_invitation(as_alice, acme, invite):
    invite("carol@acme.test")
    invitation = Invitation.objects.get()
    assert as_alice.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- Accepting an invitation -----------------------------------------------------------------


def test_an_invitation_link_says_what_you_are_joining(db, invite):
    secret = invite("carol@acme.test", Role.MENTOR)
    response = Client().get(f"/invitations/{secret}/")
    assert response.status_code == 200
    page = text(response)
    assert "Join Acme" in page
    assert "Mentor" in page
    assert f'href="/accounts/login/?next=/invitations/{secret}/"' in page
    assert f'href="/accounts/signup/?next=/invitations/{secret}/"' in page
    assert_no_inline_code(response)


def test_accepting_an_invitation_joins_the_organization(db, acme, invite):
    secret = invite("carol@acme.test", Role.MENTOR)
    carol = make_user("carol@acme.test", "Carol")
    client = client_for(carol)
    response = client.post(f"/invitations/{secret}/")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/"
    assert membership(acme, carol).role == Role.MENTOR
    assert client.session[SESSION_KEY] == acme.pk
    assert "Welcome to Acme!" in text(client.get(response["Location"]))


def test_accepting_needs_you_to_sign_in_first(db, invite):
    secret = invite("carol@acme.test")
    response = Client().post(f"/invitations/{secret}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/invitations/{secret}/"
    assert Invitation.objects.get().accepted_at is None


def test_a_used_invitation_link_is_gone(db, invite):
    secret = invite("carol@acme.test")
    client = client_for(make_user("carol@acme.test"))
    client.post(f"/invitations/{secret}/")
    for response in (client.get(f"/invitations/{secret}/"), client.post(f"/invitations/{secret}/")):
        assert response.status_code == 410
        assert "This invitation has already been used." in text(response)
        assert_no_inline_code(response)


def test_an_expired_invitation_link_is_gone(db, acme, invite):
    secret = invite("carol@acme.test")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for(make_user("carol@acme.test"))
    response = client.post(f"/invitations/{secret}/")
    assert response.status_code == 410
    assert "This invitation has expired." in text(response)
    assert not Membership.objects.filter(organization=acme, user__email="carol@acme.test").exists()


def test_a_withdrawn_invitation_link_is_gone(db, acme, ada, invite):
    secret = invite("carol@acme.test")
    services.revoke_invitation(invitation=Invitation.objects.get(), by=ada)
    client = client_for(make_user("carol@acme.test"))
    response = client.post(f"/invitations/{secret}/")
    assert response.status_code == 410
    assert "This invitation was withdrawn." in text(response)
    assert not Membership.objects.filter(organization=acme, user__email="carol@acme.test").exists()


def test_an_unknown_invitation_link_is_not_found(db):
    response = Client().get("/invitations/made-up/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in text(response)


def test_an_invitation_for_another_email_is_refused_and_changes_nothing(as_eve, acme, invite):
    secret = invite("carol@acme.test")
    page = words(as_eve.get(f"/invitations/{secret}/"))
    assert "but this invitation is for carol@acme.test" in page
    response = as_eve.post(f"/invitations/{secret}/")
    assert response.status_code == 422
    assert "This invitation was sent to carol@acme.test; you are signed in as eve@globex.test." in (
        text(response)
    )
    assert not Membership.objects.filter(organization=acme, user__email="eve@globex.test").exists()
    assert Invitation.objects.get().accepted_at is None


# --- Names and addresses that would break a mail header or a page title -------------------


@pytest.mark.parametrize("email", ["carol@\u2488.example", "carol@" + "ü" * 60 + ".example"])
def test_an_address_mail_cannot_be_sent_to_is_refused_in_place(as_ada, acme, email):
    response = as_ada.post("/orgs/acme/invitations/", {"email": email, "role": "member"})
    assert response.status_code == 422
    assert "is not a domain mail can be sent to" in text(response)
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(code="account.invitation.created").exists()


@pytest.mark.django_db(transaction=True)
def test_an_invitation_page_answers_when_the_mail_server_is_down(as_ada, acme, broken_mail):
    response = as_ada.post(
        "/orgs/acme/invitations/", {"email": "carol@acme.test", "role": "member"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "carol@acme.test"

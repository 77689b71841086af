"""Organization, member, team, invitation, audit log and API token pages.

Who sees which page, what the admin-only actions answer everyone else (404),
that bad input comes back in place with the reason and writes nothing, and
that every list page costs the same number of queries however long it is.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import client_for, make_user
from upward.accounts import services
from upward.accounts.current import SESSION_KEY
from upward.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Role,
    Team,
    TeamMembership,
)
from upward.core import audit
from upward.core.models import AuditEvent
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words


def membership(org, user) -> Membership:
    return Membership.objects.get(organization=org, user=user)


@pytest.fixture
def as_bob(bob) -> Client:
    return client_for(bob)


@pytest.fixture
def invite(ada, acme, monkeypatch):
    """Invite someone to Acme and return the link's secret (normally only emailed)."""

    def make(email: str, role: str = Role.MEMBER) -> str:
        secret = f"secret-for-{email.split('@')[0]}"
        monkeypatch.setattr(services, "new_link_secret", lambda: secret)
        services.invite_member(organization=acme, email=email, role=role, by=ada)
        return secret

    return make


# --- The list of my organizations ---------------------------------------------------


def test_my_organizations_are_listed_with_my_role_in_each(as_alice):
    response = as_alice.get("/orgs/")
    assert response.status_code == 200
    page = text(response)
    assert "Acme" in page
    assert "Alice's space" in page
    assert "Personal space" in page
    assert '<span class="badge badge-member">Member</span>' in page
    assert_no_inline_code(response)


def test_creating_an_organization_makes_me_its_admin_and_works_in_it(as_alice, alice):
    response = as_alice.post("/orgs/", {"name": "Initech", "slug": ""})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/initech/"
    org = Organization.objects.get(slug="initech")
    assert membership(org, alice).role == Role.ADMIN
    assert as_alice.session[SESSION_KEY] == org.pk
    assert "Initech is ready" in text(as_alice.get(response["Location"]))


def test_an_organization_needs_a_name(as_alice):
    before = Organization.objects.count()
    response = as_alice.post("/orgs/", {"name": "   ", "slug": ""})
    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert "This field is required." in text(response)
    assert Organization.objects.count() == before


def test_a_taken_short_name_is_refused_in_place(as_alice):
    before = Organization.objects.count()
    response = as_alice.post("/orgs/", {"name": "Acme two", "slug": "acme"})
    assert response.status_code == 409
    assert "The short name 'acme' is taken." in text(response)
    assert 'id="id_slug_error"' in response.content.decode()
    assert Organization.objects.count() == before


def test_a_malformed_short_name_is_refused_in_place(as_alice):
    response = as_alice.post("/orgs/", {"name": "Initech", "slug": "Not OK"})
    assert response.status_code == 422
    assert "lowercase letters, digits and hyphens" in text(response)
    assert not Organization.objects.filter(name="Initech").exists()


# --- Switching organization ----------------------------------------------------------


def test_switching_organization_remembers_the_choice(as_alice, acme):
    response = as_alice.post("/orgs/switch/", {"organization": "acme"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert as_alice.session[SESSION_KEY] == acme.pk


def test_switching_to_an_organization_i_am_not_in_is_404(as_alice, globex):
    assert as_alice.post("/orgs/switch/", {"organization": "globex"}).status_code == 404
    assert SESSION_KEY not in as_alice.session


def test_switching_needs_a_post(as_alice):
    assert as_alice.get("/orgs/switch/").status_code == 405


# --- The organization page -----------------------------------------------------------


def test_a_member_sees_the_organization_read_only(as_alice, acme, maya, platform):
    response = as_alice.get("/orgs/acme/")
    assert response.status_code == 200
    page = text(response)
    for email in ("alice@acme.test", "bob@acme.test", "maya@acme.test"):
        assert email in page
    assert '<span class="badge badge-mentor">Mentor</span>' in page
    assert "Platform" in page
    assert "/members/" not in page  # no role or remove forms
    assert "Invite people" not in page
    assert "/orgs/acme/audit/" not in page
    assert "Leave Acme" in page
    assert_no_inline_code(response)


def test_an_admin_sees_role_controls_invitations_and_the_audit_log(as_ada, acme, alice, invite):
    invite("carol@acme.test")
    response = as_ada.get("/orgs/acme/")
    page = text(response)
    alice_row = membership(acme, alice).pk
    assert f'action="/orgs/acme/members/{alice_row}/role/"' in page
    assert f'action="/orgs/acme/members/{alice_row}/remove/"' in page
    assert "Invite people" in page
    assert "carol@acme.test" in page
    assert 'href="/orgs/acme/audit/"' in page
    assert 'action="/orgs/acme/teams/"' in page
    assert_no_inline_code(response)


def test_a_personal_space_offers_no_invitations_and_no_leaving(as_alice, alice):
    slug = Membership.objects.get(user=alice, organization__is_personal=True).organization.slug
    page = text(as_alice.get(f"/orgs/{slug}/"))
    assert "Invite people" not in page
    assert "Leave " not in page
    assert "Just you, for now" in page


def test_an_outsider_gets_404_for_the_organization_page(as_eve, acme):
    assert as_eve.get("/orgs/acme/").status_code == 404


def test_the_organization_page_needs_a_signed_in_person(acme):
    response = Client().get("/orgs/acme/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _grow_acme(acme, ada, rows: int) -> None:
    """Add `rows` members, teams (each with a manager and a member) and invitations."""
    for n in range(rows):
        user = make_user(f"extra{n}@acme.test", f"Extra {n}")
        Membership.objects.create(organization=acme, user=user, role=Role.MEMBER)
        team = Team.objects.create(organization=acme, name=f"Team {n}", manager=user)
        TeamMembership.objects.create(team=team, user=user, organization=acme)
        services.invite_member(organization=acme, email=f"new{n}@acme.test", role="member", by=ada)


def test_the_organization_page_costs_the_same_queries_however_big(
    as_ada, acme, ada, platform, django_assert_num_queries
):
    # 1 session, 2 user, 3 Ada's membership (access), 4 the nav's current
    # organization, 5 the nav's organization switcher, 6 members with their
    # users, 7 teams with managers and member counts, 8 pending invitations
    # with who sent them.
    with django_assert_num_queries(8):
        assert as_ada.get("/orgs/acme/").status_code == 200
    _grow_acme(acme, ada, 20)
    with django_assert_num_queries(8):
        response = as_ada.get("/orgs/acme/")
    assert "extra19@acme.test" in text(response)
    assert "new19@acme.test" in text(response)


# --- Changing roles -------------------------------------------------------------------


def test_an_admin_changes_a_members_role(as_ada, acme, alice):
    target = membership(acme, alice)
    response = as_ada.post(f"/orgs/acme/members/{target.pk}/role/", {"role": "mentor"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/#members"
    target.refresh_from_db()
    assert target.role == Role.MENTOR
    assert AuditEvent.objects.filter(code="org.member.role_changed", organization=acme).exists()


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


# --- Removing members and leaving --------------------------------------------------------


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


def test_a_member_can_leave_an_organization(as_alice, acme, alice):
    response = as_alice.post("/orgs/acme/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert not Membership.objects.filter(organization=acme, user=alice).exists()
    assert AuditEvent.objects.filter(code="org.member.left", actor=alice).exists()


def test_the_last_admin_cannot_leave(as_ada, acme, ada):
    response = as_ada.post("/orgs/acme/leave/")
    assert response.status_code == 409
    page = text(response)
    assert "An organization needs at least one admin" in page
    assert '<a href="#leave">See what needs fixing</a>' in page
    assert Membership.objects.filter(organization=acme, user=ada).exists()


def test_nobody_leaves_their_personal_space(as_alice, alice):
    own = Membership.objects.get(user=alice, organization__is_personal=True)
    response = as_alice.post(f"/orgs/{own.organization.slug}/leave/")
    assert response.status_code == 409
    assert "Nobody can be removed from a personal space." in text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


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


# --- Teams ----------------------------------------------------------------------------------


def test_an_admin_creates_a_team_with_a_manager(as_ada, acme, bob):
    response = as_ada.post("/orgs/acme/teams/", {"name": "Growth", "manager": bob.pk})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/#teams"
    assert Team.objects.get(organization=acme, name="Growth").manager == bob


def test_with_htmx_creating_a_team_answers_with_the_teams_section(as_ada, acme):
    response = as_ada.post("/orgs/acme/teams/", {"name": "Growth", "manager": ""}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="teams"')
    assert "Team Growth created." in text(response)


def test_a_duplicate_team_name_is_refused_in_place(as_ada, acme, platform):
    response = as_ada.post("/orgs/acme/teams/", {"name": "platform", "manager": ""})
    assert response.status_code == 409
    assert "There is already a team called 'platform'." in text(response)
    assert '<a href="#teams">See what needs fixing</a>' in text(response)
    assert Team.objects.filter(organization=acme).count() == 1


def test_a_team_manager_must_be_in_the_organization(as_ada, acme, eve):
    response = as_ada.post("/orgs/acme/teams/", {"name": "Growth", "manager": eve.pk})
    assert response.status_code == 422
    assert "Select a valid choice." in text(response)
    assert not Team.objects.filter(name="Growth").exists()


def test_a_plain_member_cannot_create_teams(as_alice, acme):
    assert as_alice.post("/orgs/acme/teams/", {"name": "Growth", "manager": ""}).status_code == 404
    assert not Team.objects.filter(name="Growth").exists()


def test_a_member_sees_their_team_read_only(as_alice, acme, platform):
    response = as_alice.get(f"/orgs/acme/teams/{platform.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Managed by Bob" in words(response)
    assert "alice@acme.test" in page
    assert "/remove/" not in page
    assert "Add to team" not in page
    assert "Team settings" not in page
    assert_no_inline_code(response)


def test_the_team_manager_sees_the_team_but_cannot_change_who_is_on_it(
    as_bob, acme, platform, alice, maya
):
    page = text(as_bob.get(f"/orgs/acme/teams/{platform.pk}/"))
    assert "alice@acme.test" in page
    assert "Add to team" not in page
    assert "/remove/" not in page
    assert "Team settings" not in page
    base = f"/orgs/acme/teams/{platform.pk}/members"
    assert as_bob.post(f"{base}/", {"user": maya.pk}).status_code == 404
    assert as_bob.post(f"{base}/{alice.pk}/remove/").status_code == 404
    assert set(platform.members.all()) == {alice}


def test_an_admin_changes_who_is_on_the_team_from_its_page(as_ada, acme, platform, maya):
    page = text(as_ada.get(f"/orgs/acme/teams/{platform.pk}/"))
    assert "Add to team" in page
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/members/", {"user": maya.pk})
    assert response.status_code == 302
    assert platform.members.filter(pk=maya.pk).exists()
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/members/{maya.pk}/remove/")
    assert response.status_code == 302
    assert not platform.members.filter(pk=maya.pk).exists()


def test_with_htmx_adding_to_a_team_answers_with_the_members_section(as_ada, acme, platform, maya):
    url = f"/orgs/acme/teams/{platform.pk}/members/"
    response = as_ada.post(url, {"user": maya.pk}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="team-members"')
    assert "maya@acme.test joined Platform." in text(response)


def test_the_team_manager_cannot_rename_reassign_or_delete_the_team(
    as_bob, bob, acme, platform, maya
):
    base = f"/orgs/acme/teams/{platform.pk}"
    assert as_bob.post(f"{base}/rename/", {"name": "Infra"}).status_code == 404
    assert as_bob.post(f"{base}/manager/", {"manager": maya.pk}).status_code == 404
    assert as_bob.post(f"{base}/delete/").status_code == 404
    platform.refresh_from_db()
    assert (platform.name, platform.manager) == ("Platform", bob)
    assert Team.objects.filter(pk=platform.pk).exists()


def test_a_plain_member_cannot_change_who_is_on_a_team(as_alice, acme, platform, maya, alice):
    base = f"/orgs/acme/teams/{platform.pk}/members"
    assert as_alice.post(f"{base}/", {"user": maya.pk}).status_code == 404
    assert as_alice.post(f"{base}/{alice.pk}/remove/").status_code == 404
    assert set(platform.members.all()) == {alice}


def test_adding_someone_already_on_the_team_is_refused_in_place(as_ada, acme, platform, alice):
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/members/", {"user": alice.pk}, **HTMX)
    assert response.status_code == 409
    assert "alice@acme.test is already on Platform." in text(response)
    assert TeamMembership.objects.filter(team=platform).count() == 1


def test_someone_outside_the_organization_cannot_be_added_to_a_team(as_ada, platform, eve):
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/members/", {"user": eve.pk})
    assert response.status_code == 422
    assert "Select a valid choice." in text(response)
    assert not platform.members.filter(pk=eve.pk).exists()


def test_removing_someone_not_on_the_team_is_404(as_ada, platform, maya):
    url = f"/orgs/acme/teams/{platform.pk}/members/{maya.pk}/remove/"
    assert as_ada.post(url).status_code == 404


def test_an_admin_renames_reassigns_and_deletes_a_team(as_ada, acme, platform, maya):
    base = f"/orgs/acme/teams/{platform.pk}"
    assert as_ada.post(f"{base}/rename/", {"name": "Infra"}).status_code == 302
    assert as_ada.post(f"{base}/manager/", {"manager": maya.pk}).status_code == 302
    platform.refresh_from_db()
    assert (platform.name, platform.manager) == ("Infra", maya)
    assert as_ada.post(f"{base}/manager/", {"manager": ""}).status_code == 302
    platform.refresh_from_db()
    assert platform.manager is None
    response = as_ada.post(f"{base}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/acme/#teams"
    assert not Team.objects.filter(pk=platform.pk).exists()
    assert Membership.objects.filter(organization=acme).count() == 4


def test_renaming_a_team_to_a_taken_name_is_refused_in_place(as_ada, acme, platform):
    Team.objects.create(organization=acme, name="Growth")
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/rename/", {"name": "Growth"})
    assert response.status_code == 409
    assert "There is already a team called 'Growth'." in text(response)
    platform.refresh_from_db()
    assert platform.name == "Platform"


def test_an_outsider_gets_404_for_a_team(as_eve, platform):
    assert as_eve.get(f"/orgs/acme/teams/{platform.pk}/").status_code == 404


def test_the_team_page_costs_the_same_queries_however_big(
    as_ada, acme, platform, django_assert_num_queries
):
    url = f"/orgs/acme/teams/{platform.pk}/"
    # 1 session, 2 user, 3 Ada's membership (access to the organization),
    # 4 her membership again (access_team checks it), 5 the team, 6 the team
    # with its manager, 7 its members with their users (prefetch), 8 the
    # organization's members (for the add and manager pickers), 9 the nav's
    # current organization, 10 the nav's switcher.
    with django_assert_num_queries(10):
        assert as_ada.get(url).status_code == 200
    for n in range(20):
        user = make_user(f"extra{n}@acme.test")
        Membership.objects.create(organization=acme, user=user)
        TeamMembership.objects.create(team=platform, user=user, organization=acme)
    with django_assert_num_queries(10):
        response = as_ada.get(url)
    assert "extra19@acme.test" in text(response)


# --- The audit log -------------------------------------------------------------------------


def test_admins_read_the_audit_log_fifty_events_a_page(as_ada, acme, ada):
    for n in range(60):
        audit.record(acme, "org.test.event", actor=ada, data={"n": n})
    first = as_ada.get("/orgs/acme/audit/")
    assert first.status_code == 200
    assert first.content.decode().count("<code>org.test.event</code>") == 50
    assert "n: 59" in text(first)
    assert 'href="?page=2"' in text(first)
    second = as_ada.get("/orgs/acme/audit/?page=2")
    assert "n: 0" in text(second)
    assert "Page 2 of 2" in text(second)
    assert_no_inline_code(first)


def test_audit_codes_read_as_words(as_ada, acme, alice):
    as_ada.post(f"/orgs/acme/members/{membership(acme, alice).pk}/role/", {"role": "mentor"})
    page = text(as_ada.get("/orgs/acme/audit/"))
    assert "Role changed" in page
    assert "ada@acme.test" in page


def test_a_plain_member_cannot_read_the_audit_log(as_alice, acme):
    assert as_alice.get("/orgs/acme/audit/").status_code == 404


def test_the_audit_log_costs_the_same_queries_however_long(
    as_ada, acme, ada, django_assert_num_queries
):
    audit.record(acme, "org.test.event", actor=ada, data={"n": "first"})
    # 1 session, 2 user, 3 Ada's admin membership (access), 4 the nav's
    # current organization, 5 the nav's switcher, 6 the event count (pages),
    # 7 one page of events.
    with django_assert_num_queries(7):
        assert as_ada.get("/orgs/acme/audit/").status_code == 200
    for n in range(20):
        audit.record(acme, "org.test.event", actor=ada, data={"n": n})
    with django_assert_num_queries(7):
        response = as_ada.get("/orgs/acme/audit/")
    assert "n: 19" in text(response)


# --- API tokens -------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(as_alice, alice):
    response = as_alice.post("/settings/tokens/", {"name": "laptop", "scope": "write", "days": 30})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.startswith("upw_")
    assert response.content.decode().count(raw) == 1
    assert "You won't see it again" in text(response)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=alice)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    stored += [str(e.data) for e in AuditEvent.objects.all()]
    assert not any(raw in value for value in stored)
    assert raw not in str(dict(as_alice.session))
    again = as_alice.get("/settings/tokens/")
    assert raw not in again.content.decode()
    assert "laptop" in text(again)


def test_the_tokens_page_lists_name_prefix_scope_dates_and_status(as_alice, alice):
    active, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    revoked, _ = services.create_api_token(user=alice, name="old laptop", scope="write", days=7)
    services.revoke_api_token(token=revoked, by=alice)
    page = text(as_alice.get("/settings/tokens/"))
    assert f"upw_{active.prefix}_…" in page
    assert "Read only" in page
    assert "Never" in page
    assert '<span class="badge badge-active">Active</span>' in page
    assert '<span class="badge badge-revoked">Revoked</span>' in page
    assert page.count('action="/settings/tokens/') == 2  # revoke ci, and the create form


def test_a_token_needs_a_name(as_alice, alice):
    response = as_alice.post("/settings/tokens/", {"name": "", "scope": "read", "days": 30})
    assert response.status_code == 422
    assert "This field is required." in text(response)
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_token_lifetime_must_be_one_of_the_choices(as_alice, alice):
    response = as_alice.post("/settings/tokens/", {"name": "ci", "scope": "read", "days": 5000})
    assert response.status_code == 422
    assert not ApiToken.objects.filter(user=alice).exists()


def test_revoking_a_token_stops_it(as_alice, alice):
    token, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    response = as_alice.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Token “ci” revoked." in text(as_alice.get("/settings/tokens/"))


def test_revoking_a_token_twice_is_refused_in_place(as_alice, alice):
    token, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    as_alice.post(f"/settings/tokens/{token.pk}/revoke/")
    response = as_alice.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 409
    assert "This token is already revoked." in text(response)


def test_nobody_revokes_someone_elses_token(as_eve, alice):
    token, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    assert as_eve.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_costs_the_same_queries_however_many(
    as_alice, alice, django_assert_num_queries
):
    # 1 session, 2 user, 3 the nav's current organization, 4 the nav's
    # switcher, 5 the tokens.
    with django_assert_num_queries(5):
        assert as_alice.get("/settings/tokens/").status_code == 200
    for n in range(20):
        services.create_api_token(user=alice, name=f"token {n}", scope="read", days=7)
    with django_assert_num_queries(5):
        response = as_alice.get("/settings/tokens/")
    assert "token 19" in text(response)


# --- Names and addresses that would break a mail header or a page title -------------------


def test_an_organization_name_on_two_lines_is_refused_in_place(as_alice):
    before = Organization.objects.count()
    response = as_alice.post("/orgs/", {"name": "Initech\r\nBcc: victim@x.example", "slug": ""})
    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert "no line breaks, tabs or control characters" in text(response)
    assert Organization.objects.count() == before


def test_a_team_name_with_control_characters_is_refused_in_place(as_ada, acme, platform):
    response = as_ada.post("/orgs/acme/teams/", {"name": "Growth\x1b[2J", "manager": ""})
    assert response.status_code == 422
    assert "no line breaks, tabs or control characters" in text(response)
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/rename/", {"name": "Ops\tTeam"})
    assert response.status_code == 422
    assert list(Team.objects.filter(organization=acme).values_list("name", flat=True)) == [
        "Platform"
    ]


@pytest.mark.parametrize("email", ["carol@\u2488.example", "carol@" + "ü" * 60 + ".example"])
def test_an_address_mail_cannot_be_sent_to_is_refused_in_place(as_ada, acme, email):
    response = as_ada.post("/orgs/acme/invitations/", {"email": email, "role": "member"})
    assert response.status_code == 422
    assert "is not a domain mail can be sent to" in text(response)
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(code="org.invitation.created").exists()


@pytest.mark.django_db(transaction=True)
def test_an_invitation_page_answers_when_the_mail_server_is_down(as_ada, acme, broken_mail):
    response = as_ada.post(
        "/orgs/acme/invitations/", {"email": "carol@acme.test", "role": "member"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "carol@acme.test"

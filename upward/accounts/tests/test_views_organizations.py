"""Organization pages: my organizations, switching, the organization page, leaving.

Who sees which page (outsiders get 404), that bad names come back in place with
the reason and write nothing, and that the page costs the same number of queries
however big the organization is.
"""

from __future__ import annotations

from django.test import Client

from upward.accounts import services
from upward.accounts.current import SESSION_KEY
from upward.accounts.models import (
    Membership,
    Organization,
    Role,
    Team,
    TeamMembership,
)
from upward.accounts.tests.pages import membership
from upward.core.models import AuditEvent
from upward.core.tests.pages import assert_no_inline_code, text
from upward.testing import make_user


def _grow_acme(acme, ada, rows: int) -> None:
    """Add `rows` members, teams (each with a manager and a member) and invitations."""
    for n in range(rows):
        user = make_user(f"extra{n}@acme.test", f"Extra {n}")
        Membership.objects.create(organization=acme, user=user, role=Role.MEMBER)
        team = Team.objects.create(organization=acme, name=f"Team {n}", manager=user)
        TeamMembership.objects.create(team=team, user=user, organization=acme)
        services.invite_member(organization=acme, email=f"new{n}@acme.test", role="member", by=ada)


# --- The list of my organizations ---------------------------------------------------


def test_my_organizations_are_listed_with_my_role_in_each(as_alice):
    response = as_alice.get("/orgs/")
    assert response.status_code == 200
    page = text(response)
    assert "Acme" in page
    assert "Alice's space" in page
    assert "Personal space" in page
    assert '<span class="badge badge--neutral">Member</span>' in page
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
    assert '<span class="badge badge--warn">Mentor</span>' in page
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


def test_the_organization_page_costs_the_same_queries_however_big(
    as_ada, acme, ada, platform, django_assert_num_queries
):
    # 1 session, 2 user, 3 Ada's membership (access), 4 the nav's current
    # organization, 5 the nav's organization switcher, 6 members with their
    # users, 7 teams with managers and member counts, 8 pending invitations
    # with who sent them, 9 the unread count (the bell).
    with django_assert_num_queries(9):
        assert as_ada.get("/orgs/acme/").status_code == 200
    _grow_acme(acme, ada, 20)
    with django_assert_num_queries(9):
        response = as_ada.get("/orgs/acme/")
    assert "extra19@acme.test" in text(response)
    assert "new19@acme.test" in text(response)


# --- Leaving ---------------------------------------------------------------------------------


def test_a_member_can_leave_an_organization(as_alice, acme, alice):
    response = as_alice.post("/orgs/acme/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert not Membership.objects.filter(organization=acme, user=alice).exists()
    assert AuditEvent.objects.filter(code="account.member.left", actor=alice).exists()


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


# --- Names that would break a page title ----------------------------------------------------


def test_an_organization_name_on_two_lines_is_refused_in_place(as_alice):
    before = Organization.objects.count()
    response = as_alice.post("/orgs/", {"name": "Initech\r\nBcc: victim@x.example", "slug": ""})
    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert "no line breaks, tabs or control characters" in text(response)
    assert Organization.objects.count() == before

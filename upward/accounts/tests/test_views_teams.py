"""Team pages: creating, renaming, reassigning and deleting teams, and who is on them.

Who may change what (team managers read, admins change), bad input refused in
place, and a team page that costs the same queries however big the team is.
"""

from __future__ import annotations

from upward.accounts.models import (
    Membership,
    Team,
    TeamMembership,
)
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.testing import make_user

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
    # current organization, 10 the nav's switcher, 11 the unread count (the bell).
    with django_assert_num_queries(11):
        assert as_ada.get(url).status_code == 200
    for n in range(20):
        user = make_user(f"extra{n}@acme.test")
        Membership.objects.create(organization=acme, user=user)
        TeamMembership.objects.create(team=platform, user=user, organization=acme)
    with django_assert_num_queries(11):
        response = as_ada.get(url)
    assert "extra19@acme.test" in text(response)


# --- Names that would break a page title ----------------------------------------------------


def test_a_team_name_with_control_characters_is_refused_in_place(as_ada, acme, platform):
    response = as_ada.post("/orgs/acme/teams/", {"name": "Growth\x1b[2J", "manager": ""})
    assert response.status_code == 422
    assert "no line breaks, tabs or control characters" in text(response)
    response = as_ada.post(f"/orgs/acme/teams/{platform.pk}/rename/", {"name": "Ops\tTeam"})
    assert response.status_code == 422
    assert list(Team.objects.filter(organization=acme).values_list("name", flat=True)) == [
        "Platform"
    ]

"""Who sees an organization's insights, as a matrix, and what a manager's scope hides."""

from __future__ import annotations

import pytest
from django.http import Http404

from upward.accounts.models import Organization, Role, Team, User
from upward.accounts.tests.factories import TeamFactory
from upward.core.errors import Invalid
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import FrameworkVersionFactory
from upward.insights import selectors
from upward.insights.access import access_insights, may_see_insights
from upward.insights.tests.cube_data import person, rating, standing


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("ada", True),  # admin
        ("bob", True),  # leads Platform
        ("alice", False),  # member
        ("maya", False),  # mentor, leads no team
        ("eve", False),  # admin of another organization
        ("anonymous", False),
    ],
)
def test_who_may_see_acmes_insights(people, acme, who, allowed) -> None:
    user = people[who]
    assert may_see_insights(user, acme) is allowed
    if allowed:
        assert access_insights(user, acme).organization == acme
    else:
        with pytest.raises(Http404):
            access_insights(user, acme)


def test_an_admin_of_another_organization_sees_only_their_own(people, acme, globex) -> None:
    assert access_insights(people["eve"], globex).admin is True
    with pytest.raises(Http404):
        access_insights(people["ada"], globex)


def test_a_manager_by_role_who_leads_no_team_sees_nothing(acme) -> None:
    lead = person(acme, "Lead", role=Role.MANAGER)
    assert may_see_insights(lead, acme) is False
    with pytest.raises(Http404):
        access_insights(lead, acme)


def test_a_member_who_leads_a_team_sees_it(acme) -> None:
    lead = person(acme, "Lead")
    team = TeamFactory.create(organization=acme, name="Ops", manager=lead)
    scope = access_insights(lead, acme)
    assert (scope.admin, scope.team_ids, scope.report_ids) == (False, {team.pk}, frozenset())


def test_someone_who_left_sees_nothing_though_they_still_lead_a_team(acme, bob, platform) -> None:
    bob.memberships.filter(organization=acme).delete()
    assert may_see_insights(bob, acme) is False
    with pytest.raises(Http404):
        access_insights(bob, acme)


def test_the_scopes_of_an_admin_and_a_manager(acme, ada, bob, alice, platform) -> None:
    other = TeamFactory.create(organization=acme, name="Other")
    admin = access_insights(ada, acme)
    assert (admin.admin, admin.team_ids, admin.report_ids) == (
        True,
        {platform.pk, other.pk},
        None,
    )
    manager = access_insights(bob, acme)
    assert (manager.admin, manager.team_ids, manager.report_ids) == (
        False,
        {platform.pk},
        {alice.pk},
    )


# What a manager's scope leaves out ------------------------------------------------------


@pytest.fixture
def version(acme: Organization, ada: User) -> FrameworkVersion:
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    return FrameworkVersionFactory.create(organization=acme, created_by=ada)


@pytest.fixture
def apps(acme: Organization, version: FrameworkVersion, alice: User, platform: Team) -> Team:
    """Platform: Alice and three more, all ready; Apps (another manager): three ready
    people, one of whom (Pam) is on Platform too; Nia on no team, ready."""
    carl = person(acme, "Carl", role=Role.MANAGER)
    team = TeamFactory.create(organization=acme, name="Apps", manager=carl)
    standing(alice, version, readiness=0.9)
    for name in ("Pia", "Pat", "Paz"):
        standing(person(acme, name, teams=[platform]), version, readiness=0.9)
    standing(person(acme, "Pam", teams=[platform, team]), version, readiness=0.9)
    for name in ("Abe", "Ann", "Ari"):
        standing(person(acme, name, teams=[team]), version, readiness=0.9)
    standing(person(acme, "Nia"), version, readiness=0.9)
    return team


def test_a_manager_sees_only_their_teams_rows(acme, bob, ada, apps) -> None:
    mine = selectors.heatmap(access_insights(bob, acme), selectors.Filters())
    assert [(r.label, r.people) for r in mine.rows] == [("Platform", 5)]
    assert mine.grid.totals[0].people == 5
    everyone = selectors.heatmap(access_insights(ada, acme), selectors.Filters())
    assert [(r.label, r.people) for r in everyone.rows] == [
        ("Apps", 4),
        ("Platform", 5),
        ("No team", 1),
    ]


def test_a_manager_cannot_filter_to_another_team(acme, bob, apps) -> None:
    scope = access_insights(bob, acme)
    with pytest.raises(Invalid) as raised:
        selectors.parse_filters(scope, {"team": str(apps.pk)})
    assert (raised.value.field, raised.value.message) == (
        "team",
        f"team: no team {apps.pk} you can see",
    )


def test_a_managers_ready_list_holds_only_their_own_reports(acme, bob, ada, apps) -> None:
    mine = selectors.pipeline(access_insights(bob, acme), selectors.Filters())
    assert [p.user.name for p in mine.ready] == ["Alice", "Pam", "Pat", "Paz", "Pia"]
    assert mine.rows[0].stage.people == 5
    everyone = selectors.pipeline(access_insights(ada, acme), selectors.Filters())
    assert len(everyone.ready) == 9


def test_a_report_who_left_is_neither_counted_nor_listed(acme, bob, apps) -> None:
    pia = User.objects.get(name="Pia")
    pia.memberships.filter(organization=acme).delete()
    view = selectors.pipeline(access_insights(bob, acme), selectors.Filters())
    assert "Pia" not in [p.user.name for p in view.ready]
    assert view.rows[0].stage.people == 4


def test_a_manager_sees_no_leniency_and_only_their_teams_subjects(
    acme, bob, ada, apps, version
) -> None:
    raters = [person(acme, f"Rater {i}") for i in range(2)]
    for subject in User.objects.filter(name__in=["Abe", "Ann", "Ari", "Pia", "Pat", "Paz"]):
        for rater, step in zip(raters, ("l1", "l2"), strict=True):
            rating(subject, version, rater, "shipping", step, source="peer")
    mine = selectors.calibration(access_insights(bob, acme), selectors.Filters())
    assert mine.raters is None
    assert mine.competencies[0].agreement.subjects == 3
    everyone = selectors.calibration(access_insights(ada, acme), selectors.Filters())
    assert everyone.competencies[0].agreement.subjects == 6
    assert everyone.raters is not None
    assert len(everyone.raters) == 2

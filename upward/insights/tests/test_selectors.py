"""The insight selectors on hand-built standings, with figures worked out by hand.

Acme's anonymity threshold is 3. Everyone is at l1 aiming at l2 unless said otherwise,
so the current level expects step 0 and the target step 1 of each competency.

Shipping (operating, demonstrated) -> meets l1? gap to l2:
- Apps: Abe (2, 2) yes 0; Ann (1, 0) yes 0; Ari (0, -1) no 1 -> 3 people, 2/3, 1/3.
- Platform: Alice (1, 0) yes 0; Pia (0, -1) no 1; Pat (0, 0) yes 1; Paz unassessed
  -> 3 people, 2/3, 2/3.
- No team: Nia (0, 0) yes 1 -> 1 person: small, so Apps (first of the two 3s) covers it.
- Totals: 7 people, 5/7 meet, 4/7 mean gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import pytest
from django.http import Http404
from django.urls import reverse

from upward.accounts.models import Membership, Organization, Role, Team, User
from upward.accounts.tests.factories import TeamFactory
from upward.assessments.models import Source
from upward.core.errors import Invalid
from upward.engine.framework.models import FrameworkDocument
from upward.engine.insights import COMPLEMENTARY, SHOWN, SMALL, quarters_until
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.selectors import document_of
from upward.frameworks.tests.factories import FrameworkVersionFactory, small_document
from upward.insights import selectors
from upward.insights.access import Scope, access_insights
from upward.insights.models import InsightSettings, Standing
from upward.insights.selectors import cube as cube_module
from upward.insights.selectors.cube import cube_of, expected_indexes
from upward.insights.tests.cube_data import days_ago, person, rating, standing

SHIPPING, REVIEWS = 0, 1


@dataclass
class World:
    org: Organization
    version: FrameworkVersion
    teams: dict[str, Team]
    people: dict[str, User] = field(default_factory=dict)


@pytest.fixture
def world(acme, ada, alice, bob, platform) -> World:
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada)
    carl = person(acme, "Carl", role=Role.MANAGER)
    apps = TeamFactory.create(organization=acme, name="Apps", manager=carl)
    built = World(acme, version, {"Platform": platform, "Apps": apps})
    built.people = {"Alice": alice, "Carl": carl}
    figures: list[tuple[str, Team | None, tuple[int, int], float, dict[str, Any]]] = [
        ("Alice", platform, (1, 0), 0.9, {"roadmap": True}),
        ("Pia", platform, (0, -1), 0.85, {"mentor": True}),
        ("Pat", platform, (0, 0), 0.3, {}),
        ("Paz", platform, (-1, -1), 0.3, {}),
        ("Abe", apps, (2, 2), 0.95, {"roadmap": True}),
        ("Ann", apps, (1, 0), 0.8, {}),
        ("Ari", apps, (0, -1), 0.3, {}),
        ("Nia", None, (0, 0), 0.3, {}),
    ]
    for name, team, (op, dem), ready, extra in figures:
        user = alice if name == "Alice" else person(acme, name, teams=[team] if team else [])
        built.people[name] = user
        standing(
            user,
            version,
            operating=(op, 1),
            demonstrated=(dem, 1),
            readiness=ready,
            **extra,
        )
    return built


def scope_of(user: User, org: Organization) -> Scope:
    return access_insights(user, org)


def parse(scope: Scope, **data: str) -> selectors.Filters:
    return selectors.parse_filters(scope, data)


def cells(view: selectors.HeatmapView, column: int) -> dict[str, tuple[Any, ...]]:
    return {
        row.label: (cell.people, cell.meeting, cell.mean_gap, cell.suppressed)
        for row, cell in zip(view.rows, (r[column] for r in view.grid.cells), strict=True)
    }


# The cube ---------------------------------------------------------------------------------


def test_expected_indexes_come_from_the_framework_document(world) -> None:
    doc = document_of(world.version)
    assert expected_indexes(doc, "l1", "ic", "l2") == ([0, 0], [1, 1])
    assert expected_indexes(doc, "l2", "ic", "l3") == ([1, 1], [2, 2])


def test_a_level_of_another_track_maps_by_rank_and_a_missing_expectation_is_none() -> None:
    data = small_document()
    data["tracks"].append(
        {"key": "mgmt", "name": "Management", "levels": [{"key": "m2", "title": "M2", "rank": 2}]}
    )
    data["expectations"] = [
        e for e in data["expectations"] if not (e["competency"] == "reviews" and e["level"] == "l3")
    ] + [{"competency": "shipping", "level": "m2"}, {"competency": "reviews", "level": "m2"}]
    doc = FrameworkDocument.model_validate(data)
    # On the ic scale (l1 l2 l3), m2 (rank 2) is read as l2; reviews at l3 expects nothing.
    assert expected_indexes(doc, "m2", "ic", "l3") == ([1, 1], [2, -1])
    # On the mgmt scale (only m2), l1 (rank 1) has nothing at or below it.
    assert expected_indexes(doc, "l1", "mgmt", "m2") == ([-1, -1], [0, 0])


def test_the_cube_is_kept_until_a_standing_changes(world, django_assert_num_queries) -> None:
    first = cube_of(world.org)
    with django_assert_num_queries(1):  # the stamp
        assert cube_of(world.org) is first
    standing(person(world.org, "Zed"), world.version)
    again = cube_of(world.org)
    assert again is not first
    assert again.blocks[world.version.pk].size == first.blocks[world.version.pk].size + 1


def test_a_refreshed_standing_gives_a_new_cube(world, ada) -> None:
    first = cube_of(world.org)
    found = Standing.objects.get(user=world.people["Nia"])
    found.readiness = 0.99
    found.save()
    again = cube_of(world.org)
    assert again is not first
    view = selectors.pipeline(scope_of(ada, world.org), selectors.Filters())
    assert view.ready[0].user == world.people["Nia"]


def test_only_a_few_cubes_are_kept(world, globex, eve, monkeypatch) -> None:
    monkeypatch.setattr(cube_module, "KEPT", 1)
    first = cube_of(world.org)
    cube_of(globex)
    assert cube_of(world.org) is not first


def test_a_membership_change_gives_a_new_cube(world) -> None:
    first = cube_of(world.org)
    Membership.objects.filter(organization=world.org, user=world.people["Nia"]).delete()
    again = cube_of(world.org)
    assert again.blocks[world.version.pk].size == first.blocks[world.version.pk].size - 1


# Filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"by": "person"}, "by", "'person'"),
        ({"version": "abc"}, "version", "'abc' is not a whole number"),
        ({"version": "-3"}, "version", "'-3'"),
        ({"version": "999999"}, "version", "999999"),
        ({"track": "mgmt"}, "track", "'mgmt'"),
        ({"level": "l9"}, "level", "'l9'"),
        ({"track": "ic", "level": "l9"}, "level", "on track 'ic'"),
        ({"team": "999999"}, "team", "no team 999999 you can see"),
        ({"team": "x1"}, "team", "'x1'"),
    ],
)
def test_a_bad_filter_names_its_field_and_value(world, ada, data, field, words) -> None:
    with pytest.raises(Invalid) as raised:
        selectors.parse_filters(scope_of(ada, world.org), data)
    assert raised.value.field == field
    assert words in raised.value.message
    assert raised.value.message.startswith(f"{field}: ")


def test_a_version_of_another_organization_is_not_one_in_use(world, ada, eve, globex) -> None:
    theirs = FrameworkVersionFactory.create(organization=globex, created_by=eve)
    standing(eve, theirs, organization=globex)
    with pytest.raises(Invalid) as raised:
        parse(scope_of(ada, world.org), version=str(theirs.pk))
    assert raised.value.field == "version"


def test_filters_default_and_drilling_into_a_team_gives_rows_by_level(world, ada) -> None:
    scope = scope_of(ada, world.org)
    assert parse(scope) == selectors.Filters()
    assert parse(scope, by="", version="", track="", level="", team="") == selectors.Filters()
    apps = world.teams["Apps"].pk
    found = parse(scope, team=str(apps), track="ic", level="l1", version=str(world.version.pk))
    assert found == selectors.Filters("level", world.version.pk, "ic", "l1", apps)
    assert parse(scope, by="track", team=str(apps)).by == "track"


def test_the_default_version_is_the_one_most_people_in_scope_use(world, ada, bob) -> None:
    newer = FrameworkVersionFactory.create(organization=world.org, created_by=ada)
    for i in range(9):
        standing(person(world.org, f"New {i}"), newer)
    assert selectors.heatmap(scope_of(ada, world.org), selectors.Filters()).version == newer
    # Bob's people (Platform) are all on the first version.
    assert selectors.heatmap(scope_of(bob, world.org), selectors.Filters()).version == (
        world.version
    )


# Heatmap ----------------------------------------------------------------------------------


def test_the_heatmap_by_team_for_an_admin(world, ada) -> None:
    view = selectors.heatmap(scope_of(ada, world.org), selectors.Filters())
    assert [(r.label, r.people) for r in view.rows] == [
        ("Apps", 3),
        ("Platform", 4),
        ("No team", 1),
    ]
    assert [c.key for c in view.columns] == ["shipping", "reviews"]
    assert view.columns[0].link == reverse(
        "frameworks:framework_competency",
        args=[world.version.framework_id, world.version.number, "shipping"],
    )
    assert cells(view, SHIPPING) == {
        "Apps": (None, None, None, COMPLEMENTARY),
        "Platform": (3, pytest.approx(2 / 3), pytest.approx(2 / 3), SHOWN),
        "No team": (None, None, None, SMALL),
    }
    total = view.grid.totals[SHIPPING]
    assert (total.people, total.meeting, total.mean_gap) == (
        7,
        pytest.approx(5 / 7),
        pytest.approx(4 / 7),
    )
    # Reviews: everyone operates at l2 and demonstrates it: no gap, all meet.
    assert cells(view, REVIEWS)["Platform"] == (4, 1.0, 0.0, SHOWN)
    assert view.threshold == 3
    assert view.version == world.version


def test_a_team_row_drills_into_the_team_by_level(world, ada) -> None:
    view = selectors.heatmap(scope_of(ada, world.org), selectors.Filters())
    platform = world.teams["Platform"].pk
    assert view.rows[1].drill == f"by=level&version={world.version.pk}&team={platform}"
    assert view.rows[2].drill == ""  # no way to filter to "no team"
    drilled = selectors.heatmap(
        scope_of(ada, world.org), parse(scope_of(ada, world.org), team=str(platform))
    )
    assert [(r.key, r.people) for r in drilled.rows] == [("l1", 4), ("l2", 0), ("l3", 0)]
    assert cells(drilled, SHIPPING)["L1 Level 1"] == (
        3,
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
        SHOWN,
    )


def test_rows_by_level_and_by_track_and_the_level_filter(world, ada) -> None:
    scope = scope_of(ada, world.org)
    for name in ("Lee", "Liv", "Lou"):
        standing(person(world.org, name), world.version, level="l2", target="l3", operating=(1, 2))
    by_level = selectors.heatmap(scope, parse(scope, by="level"))
    assert [(r.key, r.people) for r in by_level.rows] == [("l1", 8), ("l2", 3), ("l3", 0)]
    assert by_level.rows[1].drill == f"by=team&version={world.version.pk}&level=l2"
    # l2 people aim at l3 (index 2): shipping operating 1 -> gap 1; l2 expects 1, demonstrated 0.
    assert cells(by_level, SHIPPING)["L2 Level 2"] == (3, 0.0, 1.0, SHOWN)
    by_track = selectors.heatmap(scope, parse(scope, by="track"))
    assert [(r.key, r.label, r.people) for r in by_track.rows] == [
        ("ic", "Individual Contributor", 11)
    ]
    only_l2 = selectors.heatmap(scope, parse(scope, level="l2"))
    assert [(r.label, r.people) for r in only_l2.rows] == [("No team", 3)]
    assert [c.value for c in only_l2.levels] == ["l1", "l2", "l3"]
    assert [c.label for c in only_l2.teams] == ["Apps", "Platform"]


def test_people_who_left_the_organization_are_not_counted(world, ada) -> None:
    Membership.objects.filter(organization=world.org, user=world.people["Abe"]).delete()
    view = selectors.heatmap(scope_of(ada, world.org), selectors.Filters())
    assert [(r.label, r.people) for r in view.rows] == [
        ("Apps", 2),
        ("Platform", 4),
        ("No team", 1),
    ]
    assert view.grid.totals[SHIPPING].people == 6


def test_a_manager_sees_only_their_teams_rows(world, bob) -> None:
    view = selectors.heatmap(scope_of(bob, world.org), selectors.Filters())
    assert [(r.label, r.people) for r in view.rows] == [("Platform", 4)]
    assert cells(view, SHIPPING)["Platform"] == (
        3,
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
        SHOWN,
    )
    assert view.grid.totals[SHIPPING].people == 3
    assert [c.label for c in view.teams] == ["Platform"]


def test_an_organization_with_nobody_placed_has_an_empty_heatmap(acme, ada) -> None:
    view = selectors.heatmap(scope_of(ada, acme), selectors.Filters())
    assert (view.version, view.rows, view.columns, view.versions) == (None, [], [], [])
    with pytest.raises(Invalid) as raised:
        parse(scope_of(ada, acme), track="ic")
    assert raised.value.field == "track"


# Pipeline ---------------------------------------------------------------------------------


def test_the_pipeline_for_an_admin(world, ada) -> None:
    view = selectors.pipeline(scope_of(ada, world.org), selectors.Filters())
    assert [(r.level, r.title, r.next) for r in view.rows] == [("l1", "L1 Level 1", "L2 Level 2")]
    stage = view.rows[0].stage
    # Ready (>= 0.8): Alice, Pia, Abe, Ann. Roadmaps: Alice, Abe. Mentor: Pia.
    assert (stage.people, stage.ready, stage.with_roadmap, stage.with_mentor) == (8, 4, 2, 1)
    assert view.total == stage
    assert [(p.user.name, p.readiness) for p in view.ready] == [
        ("Abe", 0.95),
        ("Alice", 0.9),
        ("Pia", 0.85),
        ("Ann", 0.8),
    ]
    assert (view.ready[0].level, view.ready[0].target) == ("L1 Level 1", "L2 Level 2")
    assert view.ready_at == 0.8


def test_the_ready_threshold_is_the_organizations(world, ada) -> None:
    InsightSettings.objects.create(organization=world.org, ready_threshold=0.9)
    view = selectors.pipeline(scope_of(ada, world.org), selectors.Filters())
    assert [p.user.name for p in view.ready] == ["Abe", "Alice"]
    assert view.rows[0].stage.ready == 2


def test_a_small_level_is_suppressed_and_so_is_its_cover(world, ada) -> None:
    standing(person(world.org, "Lee"), world.version, level="l2", target="l3", readiness=0.9)
    view = selectors.pipeline(scope_of(ada, world.org), selectors.Filters())
    assert [(r.level, r.stage.suppressed) for r in view.rows] == [
        ("l1", COMPLEMENTARY),
        ("l2", SMALL),
    ]
    assert view.rows[1].stage.people is None
    assert (view.total.people, view.total.ready) == (9, 5)
    # Lee is listed by name: the ready list is not an aggregate.
    assert "Lee" in [p.user.name for p in view.ready]


def test_ties_in_readiness_list_by_name_and_the_list_stops_at_a_hundred(world, ada) -> None:
    for i in range(101):
        standing(person(world.org, f"Zoe {i:03d}"), world.version, readiness=1.0)
    standing(person(world.org, "Adam"), world.version, readiness=1.0)
    view = selectors.pipeline(scope_of(ada, world.org), selectors.Filters())
    names = [p.user.name for p in view.ready]
    assert len(names) == 100
    assert names[:3] == ["Adam", "Zoe 000", "Zoe 001"]


def test_a_manager_lists_only_their_own_reports(world, bob) -> None:
    view = selectors.pipeline(scope_of(bob, world.org), selectors.Filters())
    assert [p.user.name for p in view.ready] == ["Alice", "Pia"]
    assert view.rows[0].stage.people == 4


def test_the_trend_carries_readiness_forward_by_quarter(world, ada) -> None:
    quarters = quarters_until(days_ago(0), 4)
    old = quarters_until(days_ago(0), 6)[0]  # before the trend's window
    for i in range(3):
        standing(
            person(world.org, f"Tia {i}"),
            world.version,
            level="l2",
            target="l3",
            history={old: 0.9, quarters[2]: 0.5 + i / 10},
        )
    scope = scope_of(ada, world.org)
    view = selectors.pipeline(scope, parse(scope, level="l2"))
    points = [(p.quarter, p.people, p.ready, p.suppressed) for p in view.trend]
    assert points == [
        (quarters[0], 3, 3, SHOWN),  # carried from before the window
        (quarters[1], 3, 3, SHOWN),
        (quarters[2], 3, 0, SHOWN),  # 0.5, 0.6, 0.7: none ready
        (quarters[3], 3, 0, SHOWN),
    ]
    standing(person(world.org, "Tom"), world.version, history={quarters[3]: 0.9})
    few = selectors.pipeline(scope, parse(scope, level="l1"))
    assert [(p.people, p.suppressed) for p in few.trend] == [
        (0, SHOWN),
        (0, SHOWN),
        (0, SHOWN),
        (None, SMALL),
    ]


# Calibration ------------------------------------------------------------------------------


def rate_three(world: World, rater: User, source: str, competency: str, steps: list[str]) -> None:
    for name, step in zip(("Alice", "Pia", "Pat"), steps, strict=True):
        rating(world.people[name], world.version, rater, competency, step, source=source)


@pytest.fixture
def rated(world, bob, maya) -> World:
    """Bob and Maya agree on shipping; on reviews Maya is one step above Bob each time."""
    rate_three(world, bob, Source.MANAGER, "shipping", ["l1", "l2", "l2"])
    rate_three(world, maya, Source.MENTOR, "shipping", ["l1", "l2", "l2"])
    rate_three(world, bob, Source.MANAGER, "reviews", ["l1", "l2", "l2"])
    rate_three(world, maya, Source.MENTOR, "reviews", ["l2", "l3", "l3"])
    return world


def by_key(view: selectors.CalibrationView) -> Mapping[str, Any]:
    return {c.key: c.agreement for c in view.competencies}


def test_calibration_agreement_per_competency(rated, ada) -> None:
    view = selectors.calibration(scope_of(ada, rated.org), selectors.Filters())
    found = by_key(view)
    assert (found["shipping"].alpha, found["shipping"].reading) == (1.0, "agree")
    assert (found["shipping"].subjects, found["shipping"].ratings) == (3, 6)
    expected = krippendorff.alpha(
        reliability_data=[[0, 1, 1], [1, 2, 2]],
        level_of_measurement="ordinal",
        value_domain=[0, 1, 2],
    )
    assert found["reviews"].alpha == pytest.approx(expected)
    assert view.competencies[0].link == reverse(
        "frameworks:framework_competency",
        args=[rated.version.framework_id, rated.version.number, "shipping"],
    )
    assert (view.window_days, view.threshold, view.min_ratings) == (365, 3, 5)


def test_anonymous_signals_never_enter_calibration(rated, ada, alice) -> None:
    before = selectors.calibration(scope_of(ada, rated.org), selectors.Filters())
    peer = person(rated.org, "Peer")
    for name in ("Alice", "Pia", "Pat"):
        rating(
            rated.people[name],
            rated.version,
            peer,
            "shipping",
            "l3",
            source=Source.PEER,
            key=f"anon:{name}",
        )
    selectors.forget_cubes()  # as the refresh of their standings does once the ratings commit
    after = selectors.calibration(scope_of(ada, rated.org), selectors.Filters())
    assert by_key(after)["shipping"] == by_key(before)["shipping"]
    assert peer.pk not in [r.rater.pk for r in after.raters or []]
    # The same ratings attributed do count.
    for name in ("Alice", "Pia", "Pat"):
        rating(rated.people[name], rated.version, peer, "shipping", "l3", source=Source.PEER)
    selectors.forget_cubes()
    attributed = selectors.calibration(scope_of(ada, rated.org), selectors.Filters())
    assert by_key(attributed)["shipping"].ratings == 9
    assert by_key(attributed)["shipping"].alpha < 1.0


def test_self_ratings_evidence_old_ones_and_earlier_ones_do_not_count(rated, ada, alice) -> None:
    alice_rates = [("shipping", "l3", Source.SELF), ("shipping", "l3", Source.EVIDENCE)]
    for competency, step, source in alice_rates:
        rating(alice, rated.version, alice, competency, step, source=source)
    other = person(rated.org, "Old")
    rating(alice, rated.version, other, "shipping", "l3", source=Source.PEER, on=days_ago(400))
    # Bob changes his mind about Pat: his latest rating (l1) replaces the earlier l2.
    rating(
        rated.people["Pat"], rated.version, rated.people["Alice"], "shipping", "l2", source="peer"
    )
    rating(rated.people["Pat"], rated.version, bob_of(rated), "shipping", "l1", source="manager")
    found = by_key(selectors.calibration(scope_of(ada, rated.org), selectors.Filters()))
    assert (found["shipping"].subjects, found["shipping"].ratings) == (3, 7)
    assert found["shipping"].alpha is not None
    assert found["shipping"].alpha < 1.0


def bob_of(world: World) -> User:
    return world.teams["Platform"].manager  # type: ignore[return-value]


def test_agreement_on_fewer_subjects_than_the_threshold_is_few(world, ada, bob, maya) -> None:
    for rater, source in ((bob, Source.MANAGER), (maya, Source.MENTOR)):
        for name, step in (("Alice", "l1"), ("Pia", "l2")):
            rating(world.people[name], world.version, rater, "shipping", step, source=source)
    found = by_key(selectors.calibration(scope_of(ada, world.org), selectors.Filters()))
    assert (found["shipping"].alpha, found["shipping"].reading) == (None, "few")
    assert found["shipping"].subjects == 2
    assert found["reviews"].reading == "few"


def test_leniency_for_admins_from_the_minimum_number_of_ratings(rated, ada, bob, maya) -> None:
    view = selectors.calibration(scope_of(ada, rated.org), selectors.Filters())
    assert view.raters is not None
    # Maya: +1 on three reviews, 0 on three shipping ratings -> +0.5 over 6; Bob -0.5.
    assert [(r.rater, r.mean, r.ratings) for r in view.raters] == [
        (bob, -0.5, 6),
        (maya, 0.5, 6),
    ]
    InsightSettings.objects.create(organization=rated.org, min_ratings=7)
    assert selectors.calibration(scope_of(ada, rated.org), selectors.Filters()).raters == []


def test_managers_get_no_leniency_and_only_their_teams_subjects(rated, bob, maya) -> None:
    carl = rated.people["Carl"]
    for name in ("Abe", "Ann", "Ari"):
        for rater in (carl, maya):
            rating(rated.people[name], rated.version, rater, "shipping", "l1", source="peer")
    mine = selectors.calibration(scope_of(bob, rated.org), selectors.Filters())
    assert mine.raters is None
    assert by_key(mine)["shipping"].subjects == 3  # Alice, Pia, Pat; not Apps' people
    theirs = selectors.calibration(scope_of(carl, rated.org), selectors.Filters())
    assert (by_key(theirs)["shipping"].subjects, by_key(theirs)["shipping"].reading) == (3, "same")


def test_members_get_no_scope(world, alice) -> None:
    with pytest.raises(Http404):
        scope_of(alice, world.org)


# Settings ---------------------------------------------------------------------------------


def test_settings_default_until_stored(acme) -> None:
    found = selectors.settings_of(acme)
    assert (found.pk, found.ready_threshold, found.min_ratings) == (None, 0.8, 5)
    InsightSettings.objects.create(organization=acme, ready_threshold=0.7, min_ratings=9)
    found = selectors.settings_of(acme)
    assert (found.ready_threshold, found.min_ratings) == (0.7, 9)

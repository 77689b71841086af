"""The insights API under /orgs/{slug}/insights: who gets what, the same numbers as the
selectors, filters refused on their query parameter, and the settings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import numpy as np
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.accounts.models import Organization, Role, Team, User
from upward.accounts.services import create_api_token
from upward.accounts.tests.factories import MembershipFactory, TeamFactory, TeamMembershipFactory
from upward.assessments.models import Placement, Signal
from upward.core.audit import AuditCode
from upward.core.models import AuditEvent
from upward.engine.insights import quarters_until
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import FrameworkVersionFactory
from upward.insights import selectors
from upward.insights.access import access_insights
from upward.insights.models import InsightSettings, Standing
from upward.testing import client_for, make_user

API = "/api/v1/orgs/acme/insights"
SHIPPING, REVIEWS = 0, 1
THIS_QUARTER, LAST_QUARTER = reversed(quarters_until(timezone.localdate(), 2))


@dataclass(frozen=True)
class World:
    """Acme (anonymity threshold 3) with standings built by hand.

    Platform (Bob's team): Alice, Paul and Priya at l1 towards l2.
    Growth (Gina's team): Gus, Gwen and Gail at l2 towards l3.
    Noah: at l1 on no team, the only one with a readiness recorded last quarter.
    Steps index l1=0, l2=1, l3=2 on the ic track.
    """

    version: FrameworkVersion
    platform: Team
    growth: Team
    people: dict[str, User]


def stand(
    user: User,
    org: Organization,
    version: FrameworkVersion,
    level: str,
    operating: list[int],
    demonstrated: list[int],
    readiness: float,
    history: dict[str, float] | None = None,
) -> None:
    """An active placement and its standing, with the step bytes given; readiness recorded
    in this quarter unless `history` says otherwise."""
    target = {"l1": "l2", "l2": "l3"}[level]
    placement = Placement.objects.create(
        user=user,
        organization=org,
        version=version,
        track="ic",
        current_level=level,
        target_track="ic",
        target_level=target,
    )
    Standing.objects.update_or_create(
        placement=placement,
        defaults={
            "user": user,
            "organization": org,
            "version": version,
            "track": "ic",
            "current_level": level,
            "target_track": "ic",
            "target_level": target,
            "operating": np.array(operating, dtype=np.int8).tobytes(),
            "demonstrated": np.array(demonstrated, dtype=np.int8).tobytes(),
            "readiness": readiness,
            "history": history if history is not None else {THIS_QUARTER: readiness},
        },
    )


def member(org: Organization, email: str, name: str, role: str = Role.MEMBER) -> User:
    user = make_user(email, name)
    MembershipFactory(organization=org, user=user, role=role)
    return user


@pytest.fixture
def world(acme, ada, bob, alice, platform, maya) -> World:
    Organization.objects.filter(pk=acme.pk).update(anonymity_threshold=3)
    acme.refresh_from_db()
    version = cast(FrameworkVersion, FrameworkVersionFactory(organization=acme, created_by=ada))
    gina = member(acme, "gina@acme.test", "Gina", Role.MANAGER)
    growth = cast(Team, TeamFactory(organization=acme, name="Growth", manager=gina))
    people = {"alice": alice, "gina": gina}
    for key in ("paul", "priya"):
        people[key] = member(acme, f"{key}@acme.test", key.title())
        TeamMembershipFactory(team=platform, user=people[key])
    for key in ("gus", "gwen", "gail"):
        people[key] = member(acme, f"{key}@acme.test", key.title())
        TeamMembershipFactory(team=growth, user=people[key])
    people["noah"] = member(acme, "noah@acme.test", "Noah")
    # operating / demonstrated per competency (shipping, reviews); -1: nothing known.
    stand(alice, acme, version, "l1", [1, 0], [0, 0], 0.9)
    stand(people["paul"], acme, version, "l1", [0, -1], [-1, -1], 0.3)
    stand(people["priya"], acme, version, "l1", [2, 1], [1, 1], 0.85)
    stand(people["gus"], acme, version, "l2", [2, 2], [1, 1], 0.95)
    stand(people["gwen"], acme, version, "l2", [1, 2], [1, 2], 0.5)
    stand(people["gail"], acme, version, "l2", [1, 1], [0, 1], 0.4)
    noah_history = {LAST_QUARTER: 0.1, THIS_QUARTER: 0.2}
    stand(people["noah"], acme, version, "l1", [0, 0], [0, 0], 0.2, noah_history)
    return World(version=version, platform=platform, growth=growth, people=people)


def get(client: Client, url: str, **params: Any) -> Any:
    return client.get(url, params)


def put(client: Client, url: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.put(url, data=json.dumps(body), content_type="application/json", headers=headers)


def error_path(response: Any) -> str:
    return response.json()["error"]["fields"][0]["path"]


def bearer(user: User, scope: str) -> dict[str, str]:
    _token, raw = create_api_token(user=user, name="insights", scope=scope, days=1)
    return {"Authorization": f"Bearer {raw}"}


def shown_cell(cell: Any) -> dict[str, Any]:
    """A selector's cell as the API shows it."""
    return {
        "people": cell.people,
        "meeting": cell.meeting,
        "mean_gap": cell.mean_gap,
        "suppressed": cell.suppressed,
    }


def assert_no_number_behind_suppression(items: list[dict[str, Any]], *names: str) -> None:
    for item in items:
        if item["suppressed"]:
            assert all(item[name] is None for name in names), item


# --- Who sees what -------------------------------------------------------------------------

ROUTES = ["heatmap", "pipeline", "calibration", "settings"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("ada", 200), ("bob", 200), ("alice", 404), ("maya", 404), ("eve", 404)],
)
def test_admins_and_managers_read_insights_and_nobody_else(world, people, route, who, status):
    response = get(client_for(people[who]), f"{API}/{route}")
    assert response.status_code == status, response.content
    if status == 404:
        assert response.json()["error"]["code"] == "not_found"


def test_a_manager_of_another_organization_gets_404(world, globex, eve):
    TeamFactory(organization=globex, name="Globex team", manager=eve)
    response = get(client_for(eve), f"{API}/heatmap")
    assert response.status_code == 404


def test_an_unknown_organization_answers_404(world, ada):
    assert get(client_for(ada), "/api/v1/orgs/nowhere/insights/heatmap").status_code == 404


def test_signed_out_callers_are_refused(world):
    assert Client().get(f"{API}/heatmap").status_code == 401


# --- The heatmap ---------------------------------------------------------------------------


def test_the_heatmap_gives_the_selectors_numbers(world, ada, acme):
    body = get(client_for(ada), f"{API}/heatmap").json()
    scope = access_insights(ada, acme)
    view = selectors.heatmap(scope, selectors.Filters())
    assert body["version"] == {
        "id": world.version.pk,
        "framework": world.version.framework.name,
        "number": world.version.number,
    }
    assert body["by"] == "team"
    assert body["columns"] == [{"key": c.key, "name": c.name, "kind": c.kind} for c in view.columns]
    assert [(r["key"], r["label"], r["people"]) for r in body["rows"]] == [
        (r.key, r.label, r.people) for r in view.rows
    ]
    assert [r["cells"] for r in body["rows"]] == [
        [shown_cell(c) for c in cells] for cells in view.grid.cells
    ]
    assert body["totals"] == [shown_cell(c) for c in view.grid.totals]
    assert body["threshold"] == 3
    assert body["took_ms"] >= 0


def test_the_heatmap_cells_are_the_hand_computed_ones(world, ada):
    body = get(client_for(ada), f"{API}/heatmap").json()
    rows = {r["label"]: r for r in body["rows"]}
    growth_shipping = rows["Growth"]["cells"][SHIPPING]
    growth_reviews = rows["Growth"]["cells"][REVIEWS]
    # Gus meets l2 and is at l3; Gwen meets l2, one step short; Gail neither meets nor is there.
    if not growth_shipping["suppressed"]:
        assert growth_shipping["people"] == 3
        assert growth_shipping["meeting"] == pytest.approx(2 / 3)
        assert growth_shipping["mean_gap"] == pytest.approx(2 / 3)
    assert growth_reviews["people"] == 3
    assert growth_reviews["meeting"] == pytest.approx(1.0)
    assert growth_reviews["mean_gap"] == pytest.approx(1 / 3)
    # Paul has nothing known on reviews, so two people back Platform's cell: too few.
    platform_reviews = rows["Platform"]["cells"][REVIEWS]
    assert platform_reviews == {
        "people": None,
        "meeting": None,
        "mean_gap": None,
        "suppressed": "small",
    }
    # Noah alone on no team: suppressed, and never shown as a number.
    no_team = [r for r in body["rows"] if r["label"] not in {"Platform", "Growth"}]
    assert no_team
    assert all(cell["suppressed"] for cell in no_team[0]["cells"])
    for row in body["rows"]:
        assert_no_number_behind_suppression(row["cells"], "people", "meeting", "mean_gap")
    assert_no_number_behind_suppression(body["totals"], "people", "meeting", "mean_gap")


def test_one_shown_cell_is_hidden_so_the_total_cannot_reveal_a_small_one(world, ada):
    body = get(client_for(ada), f"{API}/heatmap").json()
    shipping = [row["cells"][SHIPPING] for row in body["rows"]]
    reasons = sorted(cell["suppressed"] for cell in shipping)
    total = body["totals"][SHIPPING]
    # Noah (1) is small; Platform or Growth (3 each) or the total covers him.
    assert "small" in reasons
    assert "complementary" in reasons or total["suppressed"] == "complementary"


def test_a_manager_sees_only_their_own_teams_rows(world, bob):
    body = get(client_for(bob), f"{API}/heatmap").json()
    assert [row["label"] for row in body["rows"]] == ["Platform"]
    shipping = body["rows"][0]["cells"][SHIPPING]
    assert shipping["people"] == 3
    # Alice and Priya meet l1; Paul has nothing demonstrated. Only Paul is short of l2.
    assert shipping["meeting"] == pytest.approx(2 / 3)
    assert shipping["mean_gap"] == pytest.approx(1 / 3)
    assert body["totals"][REVIEWS]["people"] is None


def test_the_heatmap_by_level_and_filters_give_the_selectors_numbers(world, ada, acme):
    scope = access_insights(ada, acme)
    wanted = {"by": "level", "level": "l2", "version": str(world.version.pk)}
    body = get(client_for(ada), f"{API}/heatmap", **wanted).json()
    view = selectors.heatmap(scope, selectors.parse_filters(scope, wanted))
    assert body["by"] == "level"
    assert [r["key"] for r in body["rows"]] == [r.key for r in view.rows]
    assert [r["cells"] for r in body["rows"]] == [
        [shown_cell(c) for c in cells] for cells in view.grid.cells
    ]


def test_drilling_into_a_team_keeps_only_its_people(world, ada):
    body = get(client_for(ada), f"{API}/heatmap", team=world.growth.pk).json()
    assert sum(row["people"] for row in body["rows"]) == 3
    assert body["totals"][REVIEWS]["people"] == 3


# --- Filters -------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["heatmap", "pipeline"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "colour"}, "query.by"),
        ({"team": "999999"}, "query.team"),
        ({"team": "abc"}, "query.team"),
        ({"level": "l9"}, "query.level"),
        ({"track": "wizard"}, "query.track"),
        ({"version": "999999"}, "query.version"),
    ],
)
def test_a_bad_filter_answers_422_on_its_query_parameter(world, ada, route, params, field):
    response = get(client_for(ada), f"{API}/{route}", **params)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"
    assert error_path(response) == field


def test_a_team_of_another_organization_is_refused_on_team(world, ada, globex):
    theirs = cast(Team, TeamFactory(organization=globex, name="Globex team"))
    response = get(client_for(ada), f"{API}/heatmap", team=theirs.pk)
    assert response.status_code == 422
    assert error_path(response) == "query.team"


def test_a_manager_cannot_drill_into_another_managers_team(world, bob):
    response = get(client_for(bob), f"{API}/heatmap", team=world.growth.pk)
    assert response.status_code == 422
    assert error_path(response) == "query.team"
    assert str(world.growth.pk) in response.json()["error"]["message"]


def test_calibration_refuses_an_unknown_version(world, ada):
    response = get(client_for(ada), f"{API}/calibration", version=999999)
    assert response.status_code == 422
    assert error_path(response) == "query.version"


# --- The pipeline --------------------------------------------------------------------------


def test_the_pipeline_gives_the_selectors_numbers(world, ada, acme):
    body = get(client_for(ada), f"{API}/pipeline").json()
    scope = access_insights(ada, acme)
    view = selectors.pipeline(scope, selectors.Filters())
    assert [(r["level"], r["title"], r["next"]) for r in body["levels"]] == [
        (r.level, r.title, r.next) for r in view.rows
    ]
    assert [
        (r["people"], r["ready"], r["with_roadmap"], r["with_mentor"]) for r in body["levels"]
    ] == [
        (r.stage.people, r.stage.ready, r.stage.with_roadmap, r.stage.with_mentor)
        for r in view.rows
    ]
    assert body["total"]["people"] == view.total.people
    assert [(p["quarter"], p["people"], p["ready"]) for p in body["trend"]] == [
        (p.quarter, p.people, p.ready) for p in view.trend
    ]
    assert body["ready_threshold"] == view.ready_at
    assert body["threshold"] == 3
    assert_no_number_behind_suppression(body["levels"], "people", "ready")
    assert_no_number_behind_suppression(body["trend"], "people", "ready")


def test_the_pipeline_counts_people_and_ready_by_level(world, ada):
    body = get(client_for(ada), f"{API}/pipeline").json()
    levels = {row["level"]: row for row in body["levels"]}
    # l1: Alice, Paul, Priya and Noah; Alice (0.9) and Priya (0.85) are ready at 0.8.
    assert levels["l1"]["people"] == 4
    assert levels["l1"]["ready"] == 2
    assert levels["l1"]["next"] == "L2 Level 2"
    # l2: Gus, Gwen and Gail; Gus (0.95) is ready.
    assert levels["l2"]["people"] == 3
    assert levels["l2"]["ready"] == 1
    assert body["total"]["people"] == 7
    assert body["total"]["ready"] == 3


def test_the_trend_counts_people_by_quarter_and_hides_a_small_one(world, ada, bob):
    trend = get(client_for(ada), f"{API}/pipeline").json()["trend"]
    assert [point["quarter"] for point in trend][-2:] == [LAST_QUARTER, THIS_QUARTER]
    assert trend[-1] == {"quarter": THIS_QUARTER, "people": 7, "ready": 3, "suppressed": ""}
    # Only Noah had a readiness last quarter: one person is too few to show.
    assert trend[-2] == {
        "quarter": LAST_QUARTER,
        "people": None,
        "ready": None,
        "suppressed": "small",
    }
    mine = get(client_for(bob), f"{API}/pipeline").json()["trend"]
    assert mine[-1] == {"quarter": THIS_QUARTER, "people": 3, "ready": 2, "suppressed": ""}
    assert mine[-2]["people"] == 0


def test_admins_see_everyone_ready(world, ada):
    body = get(client_for(ada), f"{API}/pipeline").json()
    ready = {row["person"]["name"]: row for row in body["ready"]}
    assert set(ready) == {"Alice", "Priya", "Gus"}
    assert ready["Gus"]["person"]["id"] == world.people["gus"].pk
    assert ready["Gus"]["level"] == "L2 Level 2"
    assert ready["Gus"]["target"] == "L3 Level 3"
    assert ready["Gus"]["readiness"] == pytest.approx(0.95)


def test_managers_see_only_their_own_reports_ready(world, bob):
    body = get(client_for(bob), f"{API}/pipeline").json()
    assert {row["person"]["name"] for row in body["ready"]} == {"Alice", "Priya"}


def test_the_ready_list_follows_the_admins_threshold(world, ada, acme):
    InsightSettings.objects.create(organization=acme, ready_threshold=0.88, min_ratings=5)
    body = get(client_for(ada), f"{API}/pipeline").json()
    assert body["ready_threshold"] == pytest.approx(0.88)
    assert {row["person"]["name"] for row in body["ready"]} == {"Alice", "Gus"}


# --- Calibration ---------------------------------------------------------------------------


@pytest.fixture
def ratings(world, acme) -> list[User]:
    """Three attributed raters on Platform's shipping; Rhea one step above the others."""
    raters = [member(acme, f"{n}@acme.test", n.title()) for n in ("ravi", "rosa", "rhea")]
    steps = {"alice": ["l2", "l2", "l3"], "paul": ["l1", "l1", "l2"], "priya": ["l2", "l2", "l3"]}
    today = timezone.localdate()
    rows = [
        Signal(
            subject=world.people[subject],
            organization=acme,
            version=world.version,
            competency="shipping",
            step=step,
            source="peer",
            rater=rater,
            source_key=str(rater.pk),
            observed_on=today - timedelta(days=3),
        )
        for subject, given in steps.items()
        for rater, step in zip(raters, given, strict=True)
    ]
    # An anonymous answer never enters a rater's figures.
    rows.append(
        Signal(
            subject=world.people["alice"],
            organization=acme,
            version=world.version,
            competency="shipping",
            step="l1",
            source="peer",
            rater=raters[0],
            source_key="anon:1",
            observed_on=today - timedelta(days=2),
        )
    )
    Signal.objects.bulk_create(rows)
    InsightSettings.objects.create(organization=acme, ready_threshold=0.8, min_ratings=3)
    return raters


def test_calibration_gives_the_selectors_numbers(world, ratings, ada, acme):
    body = get(client_for(ada), f"{API}/calibration").json()
    scope = access_insights(ada, acme)
    view = selectors.calibration(scope, selectors.Filters())
    assert [
        (c["key"], c["alpha"], c["subjects"], c["ratings"], c["reading"])
        for c in body["competencies"]
    ] == [
        (c.key, c.agreement.alpha, c.agreement.subjects, c.agreement.ratings, c.agreement.reading)
        for c in view.competencies
    ]
    assert body["min_ratings"] == 3
    assert body["window_days"] == view.window_days
    shipping = body["competencies"][SHIPPING]
    assert shipping["subjects"] == 3
    assert shipping["ratings"] == 9
    assert shipping["reading_text"]


def test_admins_see_each_raters_leniency(world, ratings, ada):
    body = get(client_for(ada), f"{API}/calibration").json()
    ravi, rosa, rhea = ratings
    # Rhea is one step above the other two each time; each of them half a step below.
    assert body["raters"][0] == {
        "person": {"id": rhea.pk, "name": "Rhea"},
        "mean": pytest.approx(1.0),
        "ratings": 3,
    }
    rest = {row["person"]["id"]: row for row in body["raters"][1:]}
    assert set(rest) == {ravi.pk, rosa.pk}
    assert all(row["mean"] == pytest.approx(-0.5) for row in rest.values())


def test_managers_see_no_rater_figures(world, ratings, bob):
    body = get(client_for(bob), f"{API}/calibration").json()
    assert body["raters"] is None
    assert [c["key"] for c in body["competencies"]] == ["shipping", "reviews"]


def test_leniency_on_fewer_ratings_than_the_minimum_is_not_shown(world, ratings, ada, acme):
    InsightSettings.objects.filter(organization=acme).update(min_ratings=4)
    body = get(client_for(ada), f"{API}/calibration").json()
    assert body["raters"] == []


# --- Settings ------------------------------------------------------------------------------


def test_settings_default_until_an_admin_changes_them(world, bob):
    body = get(client_for(bob), f"{API}/settings").json()
    assert body == {"ready_threshold": 0.8, "min_ratings": 5}


def test_an_admin_changes_the_settings_and_it_is_audited(world, ada, acme):
    response = put(client_for(ada), f"{API}/settings", {"ready_threshold": 0.9, "min_ratings": 7})
    assert response.status_code == 200, response.content
    assert response.json() == {"ready_threshold": 0.9, "min_ratings": 7}
    stored = InsightSettings.objects.get(organization=acme)
    assert (stored.ready_threshold, stored.min_ratings) == (0.9, 7)
    event = AuditEvent.objects.get(code=AuditCode.INSIGHTS_SETTINGS_CHANGED)
    assert event.actor == ada
    assert event.organization == acme
    assert get(client_for(ada), f"{API}/settings").json()["min_ratings"] == 7


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ready_threshold": 0.49, "min_ratings": 5}, "body.ready_threshold"),
        ({"ready_threshold": 1.01, "min_ratings": 5}, "body.ready_threshold"),
        ({"ready_threshold": "0.9", "min_ratings": 5}, "body.ready_threshold"),
        ({"ready_threshold": True, "min_ratings": 5}, "body.ready_threshold"),
        ({"ready_threshold": 0.9, "min_ratings": 2}, "body.min_ratings"),
        ({"ready_threshold": 0.9, "min_ratings": 101}, "body.min_ratings"),
        ({"ready_threshold": 0.9, "min_ratings": 5.5}, "body.min_ratings"),
        ({"ready_threshold": 0.9, "min_ratings": "5"}, "body.min_ratings"),
        ({"ready_threshold": 0.9}, "body.min_ratings"),
    ],
)
def test_settings_out_of_range_answer_422_and_change_nothing(world, ada, acme, body, field):
    response = put(client_for(ada), f"{API}/settings", body)
    assert response.status_code == 422, response.content
    assert error_path(response) == field
    assert not InsightSettings.objects.filter(organization=acme).exists()
    assert not AuditEvent.objects.filter(code=AuditCode.INSIGHTS_SETTINGS_CHANGED).exists()


def test_the_edges_of_the_ranges_are_accepted(world, ada):
    response = put(client_for(ada), f"{API}/settings", {"ready_threshold": 1, "min_ratings": 100})
    assert response.status_code == 200, response.content
    response = put(client_for(ada), f"{API}/settings", {"ready_threshold": 0.5, "min_ratings": 3})
    assert response.json() == {"ready_threshold": 0.5, "min_ratings": 3}


@pytest.mark.parametrize("who", ["bob", "alice", "eve"])
def test_only_admins_change_the_settings(world, people, acme, who):
    body = {"ready_threshold": 0.9, "min_ratings": 7}
    response = put(client_for(people[who]), f"{API}/settings", body)
    assert response.status_code == 404
    assert not InsightSettings.objects.filter(organization=acme).exists()


def test_a_read_token_reads_insights_but_cannot_change_the_settings(world, ada, acme):
    headers = bearer(ada, "read")
    assert Client().get(f"{API}/settings", headers=headers).status_code == 200
    assert Client().get(f"{API}/heatmap", headers=headers).status_code == 200
    response = put(Client(), f"{API}/settings", {"ready_threshold": 0.9, "min_ratings": 7}, headers)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]["message"]
    assert not InsightSettings.objects.filter(organization=acme).exists()


def test_a_write_token_changes_the_settings(world, ada, acme):
    headers = bearer(ada, "write")
    response = put(Client(), f"{API}/settings", {"ready_threshold": 0.7, "min_ratings": 9}, headers)
    assert response.status_code == 200
    assert InsightSettings.objects.get(organization=acme).min_ratings == 9


# --- Query budget --------------------------------------------------------------------------


def queries_of(client: Client, url: str) -> tuple[int, int]:
    """Queries of a first (cold) and a second (warm) request."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return counts[0], counts[1]


@pytest.mark.parametrize("route", ["heatmap", "pipeline", "calibration"])
def test_the_queries_do_not_grow_with_the_people(world, ada, acme, route):
    client = client_for(ada)
    before = queries_of(client, f"{API}/{route}")
    for n in range(4):
        newcomer = member(acme, f"new{n}@acme.test", f"New {n}")
        TeamMembershipFactory(team=world.growth, user=newcomer)
        stand(newcomer, acme, world.version, "l2", [1, 1], [1, 1], 0.9)
    assert queries_of(client, f"{API}/{route}") == before

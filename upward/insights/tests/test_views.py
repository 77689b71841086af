"""The insight pages: heatmap, pipeline, calibration, settings and exports, as admins and
managers see them, with the figures of the hand-built data in `pages_data`."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from upward.core.audit import AuditCode
from upward.core.models import AuditEvent
from upward.core.tests.pages import assert_no_inline_code
from upward.insights.models import InsightSettings
from upward.insights.selectors import competency_link, forget_cubes
from upward.insights.tests.pages_data import add_people, build_acme, rate_for_calibration
from upward.testing import client_for, page

HEATMAP = "/insights/"
PIPELINE = "/insights/pipeline/"
CALIBRATION = "/insights/calibration/"
SETTINGS = "/insights/settings/"
PAGES = [HEATMAP, PIPELINE, CALIBRATION]
EXPORTS = [
    "/insights/heatmap.csv",
    "/insights/heatmap.xlsx",
    "/insights/pipeline.csv",
    "/insights/pipeline.xlsx",
    "/insights/calibration.csv",
    "/insights/calibration.xlsx",
]


@pytest.fixture(autouse=True)
def _no_kept_cubes() -> None:
    """Each test reads the standings afresh: database ids repeat between tests."""
    forget_cubes()


@pytest.fixture
def built(acme, ada, alice, platform, bob, maya):
    data = build_acme(acme, ada, alice, platform)
    rate_for_calibration(data, bob, maya)
    return data


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[object]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def line(rows, first: str) -> list:
    found = [row for row in rows if row and row[0] == first]
    assert len(found) == 1, (first, rows)
    return found[0]


# --- Who may look -----------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, SETTINGS, *EXPORTS])
def test_members_get_404(built, alice, maya, url):
    for who in (alice, maya):
        page(who, url, status=404)


@pytest.mark.parametrize("url", [*PAGES, *EXPORTS])
def test_another_organizations_admin_sees_only_their_own(built, eve, url):
    response = client_for(eve).get(url)
    assert response.status_code == 200
    rows = xlsx_rows(response) if url.endswith(".xlsx") else None
    body = str(rows) if rows is not None else response.content.decode("utf-8-sig")
    for name in ("Platform", "Alice", "Shipping", "Maya"):
        assert name not in body


def test_a_visitor_is_sent_to_log_in(built, client):
    response = client.get(HEATMAP)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_manager_cannot_open_the_settings(built, bob):
    page(bob, SETTINGS, status=404)
    assert client_for(bob).post(SETTINGS, {"ready_threshold": "0.7"}).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV", "csv.gz"])
def test_an_unknown_export_format_is_404(built, ada, fmt):
    page(ada, f"/insights/heatmap.{fmt}", status=404)
    page(ada, f"/insights/pipeline.{fmt}", status=404)


# --- Heatmap ----------------------------------------------------------------------------


def test_the_admins_heatmap_shows_shares_gaps_and_suppressed_cells(built, ada):
    shown = page(ada, HEATMAP)
    words = shown.words
    assert "Platform 4 people 75% gap 0.5 100% gap 0.0" in words
    # Data has 2 people (< 3): suppressed; Apps (3) would reveal Data through the total.
    assert "Apps 3 people suppressed suppressed" in words
    assert "Data 2 people suppressed suppressed" in words
    assert "Total 67% gap 0.6 100% gap 0.3" in words
    assert "fewer than 3 people" in shown.html
    assert "Computed in" in words
    assert_no_inline_code(shown.response)


def test_the_heatmap_links_columns_to_the_framework_and_rows_to_a_drill_down(built, ada):
    shown = page(ada, HEATMAP)
    link = competency_link(built.version, "shipping")
    assert link
    assert f'<a href="{link}"><text class="heat-column"' in shown.html
    assert f'<th scope="col"><a href="{link}">Shipping</a></th>' in shown.html
    platform = built.teams["Platform"]
    drill = f"?by=level&version={built.version.pk}&team={platform.pk}"
    assert f'<a href="{drill}">' in shown.html
    drilled = page(ada, f"{HEATMAP}{drill}")
    # Drilling into a team shows its levels: L1 holds Platform's four people.
    table = drilled.words.split("The same figures as a table")[1]
    assert "L1 Level 1 4 people 75% gap 0.5 100% gap 0.0" in table
    assert "Total 75% gap 0.5 100% gap 0.0" in table
    assert "Apps" not in table


def test_a_manager_sees_only_their_teams_cells(built, bob):
    shown = page(bob, HEATMAP)
    assert "Platform 4 people 75% gap 0.5" in shown.words
    table = shown.words.split("The same figures as a table")[1]
    assert "Apps" not in table
    assert "Data" not in table
    assert "Total 75% gap 0.5 100% gap 0.0" in table


def test_the_heatmap_by_level_has_one_row_per_level(built, ada):
    shown = page(ada, f"{HEATMAP}?by=level")
    assert "Total 67% gap 0.6" in shown.words
    assert "9 people 67% gap 0.6" in shown.words


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("by=colour", "by", "'colour' is not one of team, level or track"),
        ("team=abc", "team", "'abc' is not a whole number"),
        ("team=999999", "team", "no team 999999 you can see"),
        ("version=999999", "version", "no framework version 999999"),
        ("track=nope", "track", "no track 'nope'"),
        ("level=l9", "level", "no level 'l9'"),
    ],
)
def test_a_bad_filter_shows_its_error_at_the_form_with_400(built, ada, query, field, message):
    shown = page(ada, f"{HEATMAP}?{query}", status=400)
    assert message in shown.words
    assert f'<ul class="errorlist" id="filter-{field}_error"><li>{field}: ' in shown.html
    assert "The same figures as a table" not in shown.words
    assert "Computed in" not in shown.words


def test_a_manager_cannot_filter_on_another_team(built, bob):
    apps = built.teams["Apps"]
    shown = page(bob, f"{HEATMAP}?team={apps.pk}", status=400)
    assert f"no team {apps.pk} you can see" in shown.words
    page(bob, f"/insights/heatmap.csv?team={apps.pk}", status=400)


# --- Heatmap exports --------------------------------------------------------------------


def test_the_heatmap_csv_writes_suppressed_cells_as_the_word(built, ada):
    response = client_for(ada).get("/insights/heatmap.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="acme-heatmap-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(response)
    assert rows[0][:5] == [
        "Team",
        "People",
        "Shipping: people",
        "Shipping: meeting",
        "Shipping: mean gap",
    ]
    assert line(rows, "Platform") == ["Platform", "4", "4", "0.75", "0.5", "4", "1.0", "0.0"]
    assert line(rows, "Data")[2:] == ["suppressed"] * 6
    assert line(rows, "Apps")[2:] == ["suppressed"] * 6
    assert line(rows, "Total") == ["Total", "", "9", "0.667", "0.56", "9", "1.0", "0.33"]


def test_the_heatmap_xlsx_has_the_same_figures(built, ada):
    response = client_for(ada).get("/insights/heatmap.xlsx?by=team")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(response)
    assert line(rows, "Platform") == ["Platform", 4, 4, 0.75, 0.5, 4, 1, 0]
    assert line(rows, "Data")[2:] == ["suppressed"] * 6
    assert line(rows, "Total")[2:5] == [9, 0.667, 0.56]


def test_a_managers_export_holds_only_their_teams(built, bob):
    rows = csv_rows(client_for(bob).get("/insights/heatmap.csv"))
    assert [row[0] for row in rows] == ["Team", "Platform", "Total"]


# --- Pipeline ---------------------------------------------------------------------------


def test_the_admins_pipeline_counts_each_stage_and_lists_who_is_ready(built, ada):
    shown = page(ada, PIPELINE)
    words = shown.words
    # Nine placed at L1; Alice, Pia and Ann ready; Pia and Ann with a roadmap; Pat a mentor.
    assert "L1 Level 1 towards L2 Level 2 9 3 2 1" in words
    assert "Total 9 3 2 1" in words
    ready = words.split("Ready now")[1]
    for name in ("Alice", "Pia", "Ann"):
        assert name in ready
    assert "Pat" not in ready
    assert "Change what counts as ready" in words
    assert "Ready means a readiness of 80% or more" in words
    assert_no_inline_code(shown.response)


def test_a_managers_pipeline_covers_their_team_and_reports(built, bob):
    shown = page(bob, PIPELINE)
    assert "Total 4 2 1 1" in shown.words
    ready = shown.words.split("Ready now")[1]
    assert "Alice" in ready
    assert "Pia" in ready
    assert "Ann" not in ready
    assert "Change what counts as ready" not in shown.words


def test_a_manager_opens_a_ready_reports_delta_from_the_list(built, bob, ada):
    alice = built.placements["Alice"]
    assert f'href="/growth/placement/{alice.pk}/"' in page(bob, PIPELINE).html
    # Admins may not open others' deltas: the list names people without links.
    assert f'href="/growth/placement/{alice.pk}/"' not in page(ada, PIPELINE).html


def test_the_pipeline_trend_shows_this_quarter(built, ada):
    from django.utils import timezone

    from upward.engine.insights import quarter_of

    shown = page(ada, PIPELINE)
    assert f"{quarter_of(timezone.localdate())}: 3 of 9 ready" in shown.words


def test_the_pipeline_csv_has_levels_total_and_trend(built, ada):
    rows = csv_rows(client_for(ada).get("/insights/pipeline.csv"))
    assert rows[0] == ["Level", "Next level", "Placed", "Ready", "With roadmap", "With mentor"]
    assert line(rows, "Total")[2:] == ["9", "3", "2", "1"]
    assert ["Quarter", "People", "Ready"] in rows


def test_a_bad_pipeline_filter_is_400(built, ada):
    shown = page(ada, f"{PIPELINE}?level=l9", status=400)
    assert "no level 'l9'" in shown.words


# --- Calibration ------------------------------------------------------------------------


def test_the_admin_sees_agreement_and_leniency(built, ada):
    shown = page(ada, CALIBRATION)
    words = shown.words
    assert "Krippendorff's alpha" in words
    assert "Shipping read or sharpen its expectations 1.00 Raters agree 3 6" in words
    assert "Raters read it differently" in words
    assert "Leniency per rater" in words
    assert "Maya +0.50 steps 6" in words
    assert "Bob -0.50 steps 6" in words
    assert f'href="{competency_link(built.version, "reviews")}"' in shown.html
    assert_no_inline_code(shown.response)


def test_a_manager_sees_agreement_but_no_raters(built, bob):
    shown = page(bob, CALIBRATION)
    assert "Raters agree" in shown.words
    assert "Leniency per rater" not in shown.words
    rows = csv_rows(client_for(bob).get("/insights/calibration.csv"))
    assert ["Rater", "Mean difference (steps)", "Ratings"] not in rows


def test_raters_below_the_minimum_count_are_left_out(built, ada, acme):
    InsightSettings.objects.update_or_create(organization=acme, defaults={"min_ratings": 7})
    shown = page(ada, CALIBRATION)
    assert "Maya +0.50" not in shown.words
    assert "No rater has enough ratings yet" in shown.words


def test_the_calibration_xlsx_has_alpha_and_raters(built, ada):
    rows = xlsx_rows(client_for(ada).get("/insights/calibration.xlsx"))
    assert line(rows, "Shipping")[1:] == [1, "Raters agree", 3, 6]
    assert line(rows, "Maya")[1:] == [0.5, 6]


# --- Settings ---------------------------------------------------------------------------


def test_the_settings_form_shows_the_defaults(built, ada):
    shown = page(ada, SETTINGS)
    assert 'value="0.8"' in shown.html
    assert 'value="5"' in shown.html
    assert_no_inline_code(shown.response)


def test_saving_valid_settings_changes_what_counts_as_ready(built, ada, acme):
    client = client_for(ada)
    response = client.post(SETTINGS, {"ready_threshold": "0.9", "min_ratings": "4"})
    assert response.status_code == 302
    stored = InsightSettings.objects.get(organization=acme)
    assert (stored.ready_threshold, stored.min_ratings) == (0.9, 4)
    assert AuditEvent.objects.filter(code=AuditCode.INSIGHTS_SETTINGS_CHANGED).count() == 1
    # Now only Ann (0.95) and Alice (0.9) count as ready.
    assert "Total 9 2 2 1" in page(client, PIPELINE).words


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ready_threshold": "0.3", "min_ratings": "5"}, "ready_threshold"),
        ({"ready_threshold": "1.5", "min_ratings": "5"}, "ready_threshold"),
        ({"ready_threshold": "0.8", "min_ratings": "2"}, "min_ratings"),
        ({"ready_threshold": "0.8", "min_ratings": "101"}, "min_ratings"),
        ({"ready_threshold": "lots", "min_ratings": "5"}, "ready_threshold"),
    ],
)
def test_bad_settings_are_refused_at_their_field(built, ada, acme, data, field):
    response = client_for(ada).post(SETTINGS, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert not InsightSettings.objects.filter(organization=acme).exists()


# --- Query budgets ----------------------------------------------------------------------


def queries_of(client, url: str) -> tuple[int, int]:
    """Queries of the page read cold, then warm."""
    forget_cubes()  # read cold, as after a change
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold.captured_queries), len(warm.captured_queries)


@pytest.mark.parametrize("url", [*PAGES, "/insights/heatmap.csv", "/insights/pipeline.xlsx"])
@pytest.mark.parametrize("who", ["ada", "bob"])
def test_the_pages_queries_do_not_grow_with_the_people(built, request, who, url):
    client = client_for(request.getfixturevalue(who))
    before = queries_of(client, url)
    add_people(built, "Platform", 6)
    add_people(built, "Apps", 4)
    assert queries_of(client, url) == before
    # Kept arrays: a warm page reads fewer queries than a cold one.
    assert before[1] < before[0]


def test_the_warm_heatmap_reads_nine_queries(built, ada, django_assert_num_queries):
    client = client_for(ada)
    client.get(HEATMAP)  # keeps the arrays
    # session, user, current membership (3); role, teams in scope (2); the standings'
    # stamp, read once by the filters (1); the teams' names (1); the header's
    # memberships and unread notifications (2).
    with django_assert_num_queries(9):
        assert client.get(HEATMAP).status_code == 200


def test_the_warm_pipeline_of_a_manager_reads_thirteen_queries(
    built, bob, django_assert_num_queries
):
    client = client_for(bob)
    client.get(PIPELINE)
    # session, user, current membership (3); role, teams led, reports (3); the stamp
    # (1); settings, teams' names, the ready people (3); their placements for
    # the links (1); the header's memberships and unread notifications (2).
    with django_assert_num_queries(13):
        assert client.get(PIPELINE).status_code == 200

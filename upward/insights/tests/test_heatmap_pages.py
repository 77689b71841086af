"""A heatmap of many teams comes in pages of rows: each page suppressed as the whole grid
is, the totals over every row, the exports with every row, and a page past the last an
error naming `page`."""

from __future__ import annotations

import csv
import io

import pytest

from upward.accounts.models import Organization, Role, Team, User
from upward.accounts.tests.factories import TeamFactory
from upward.frameworks.tests.factories import FrameworkVersionFactory
from upward.insights import selectors
from upward.insights.access import access_insights
from upward.insights.forms import TEAMS_LISTED
from upward.insights.tests.cube_data import person, standing
from upward.testing import client_for, page

PER = selectors.ROWS_PER_PAGE
TEAMS = PER + 5  # two pages


@pytest.fixture
def many(acme: Organization, ada: User) -> list[Team]:
    """TEAMS teams "Team 00".."Team 34" of three people each; "Team 00" has one person
    assessed on shipping, so its shipping cell is small and another covers it."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada)
    teams = [TeamFactory.create(organization=acme, name=f"Team {i:02}") for i in range(TEAMS)]
    for i, team in enumerate(teams):
        for j in range(3):
            user = person(acme, f"P{i}x{j}", teams=[team])
            shipping = 0 if i or j == 0 else -1
            standing(user, version, operating=(shipping, 1), demonstrated=(shipping, 1))
    return teams


def test_the_rows_come_a_page_at_a_time(acme, ada, many) -> None:
    scope = access_insights(ada, acme)
    first = selectors.heatmap(scope, selectors.parse_filters(scope, {}))
    assert (first.page, first.pages, first.rows_total) == (1, 2, TEAMS)
    assert [r.label for r in first.rows] == [f"Team {i:02}" for i in range(PER)]
    assert len(first.grid.cells) == PER
    second = selectors.heatmap(scope, selectors.parse_filters(scope, {"page": "2"}))
    assert [r.label for r in second.rows] == [f"Team {i:02}" for i in range(PER, TEAMS)]
    assert second.first_row == PER + 1
    assert second.next_page == ""
    assert "page=1" in second.previous_page
    # The totals are over every row's people on each page.
    assert first.grid.totals == second.grid.totals
    assert first.grid.totals[1].people == 3 * TEAMS


def test_a_page_is_suppressed_as_the_whole_grid_is(acme, ada, many) -> None:
    scope = access_insights(ada, acme)
    whole = selectors.heatmap(scope, selectors.parse_filters(scope, {}), every_row=True)
    assert len(whole.rows) == TEAMS
    assert whole.grid.cells[0][0].suppressed == "small"
    covered = [i for i, cells in enumerate(whole.grid.cells) if cells[0].suppressed]
    assert covered == [0, 1]  # the smallest other cell (first by name) covers it
    for number in (1, 2):
        shown = selectors.heatmap(scope, selectors.parse_filters(scope, {"page": str(number)}))
        start = (number - 1) * PER
        assert shown.grid.cells == whole.grid.cells[start : start + PER]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "0"}, "page: 0 is before the first page, 1"),
        ({"page": "x"}, "page: 'x' is not a whole number"),
        ({"page": "3"}, "page: 3 is past the last page, 2"),
    ],
)
def test_a_page_out_of_range_is_an_error_naming_it(acme, ada, many, query, message) -> None:
    scope = access_insights(ada, acme)
    with pytest.raises(Exception, match=message):
        selectors.heatmap(scope, selectors.parse_filters(scope, query))


def test_the_page_links_to_the_next_and_the_export_has_every_row(acme, ada, many) -> None:
    last = f"Team {TEAMS - 1:02}"
    shown = page(ada, "/insights/")
    assert f"Rows 1\N{EN DASH}{PER} of {TEAMS}" in shown.words
    assert "Page 1 of 2" in shown.words
    # A row's label links to its team (the filter's list names every team).
    assert ">Team 00</a>" in shown.html
    assert f">{last}</a>" not in shown.html
    second = page(ada, "/insights/?by=team&page=2")
    assert f">{last}</a>" in second.html
    assert ">Team 00</a>" not in second.html
    assert 'rel="prev"' in second.html
    assert "page: 3 is past the last page, 2" in page(ada, "/insights/?page=3", status=400).words
    got = client_for(ada).get("/insights/heatmap.csv?page=2")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    labels = [row[0] for row in rows]
    assert "Team 00" in labels
    assert f"Team {TEAMS - 1:02}" in labels


def test_the_api_pages_the_rows_too(acme, ada, many) -> None:
    client = client_for(ada)
    url = f"/api/v1/orgs/{acme.slug}/insights/heatmap"
    body = client.get(url, {"page": 2}).json()
    assert (body["page"], body["pages"], body["rows_total"]) == (2, 2, TEAMS)
    assert len(body["rows"]) == TEAMS - PER
    past = client.get(url, {"page": 3})
    assert past.status_code == 422
    assert past.json()["error"]["fields"][0]["path"] == "query.page"
    assert "past the last page, 2" in past.json()["error"]["fields"][0]["message"]
    assert client.get(url, {"page": 0}).status_code == 422


def test_many_teams_make_the_team_filter_a_number_box(acme, ada) -> None:
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada)
    teams = Team.objects.bulk_create(
        Team(organization=acme, name=f"Squad {i:03}") for i in range(TEAMS_LISTED + 1)
    )
    user = person(acme, "Solo", teams=teams[:1], role=Role.MEMBER)
    standing(user, version)
    shown = page(ada, "/insights/")
    assert 'type="number" name="team"' in shown.html
    assert "Squad 150" not in shown.html
    Team.objects.filter(name__gt="Squad 100").delete()
    few = page(ada, "/insights/")
    assert 'type="number" name="team"' not in few.html
    assert "Squad 050" in few.html

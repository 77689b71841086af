"""The gap heatmap: teams (or levels, or tracks) x competencies."""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter
from typing import NamedTuple

import numpy as np
from django.urls import NoReverseMatch, reverse

from upward.core import anonymity
from upward.core.errors import Invalid
from upward.engine import insights as engine
from upward.frameworks.models import FrameworkVersion
from upward.insights.access import Scope
from upward.insights.selectors.cube import Block
from upward.insights.selectors.filters import (
    Choice,
    Filters,
    block_for,
    cube_for,
    level_choices,
    levels_of,
    people_of,
    query_string,
    team_choices,
    track_choices,
    version_choices,
)

__all__ = ["NO_TEAM", "ROWS_PER_PAGE", "Column", "HeatmapView", "Row", "competency_link", "heatmap"]

NO_TEAM = "No team"
ROWS_PER_PAGE = 30  # a page shows this many rows; an export has them all


@dataclass(frozen=True)
class Column:
    """A competency of the version, with its page in the framework."""

    key: str
    name: str
    kind: str
    link: str  # frameworks:framework_competency; "" when the framework pages offer none


class Row(NamedTuple):
    """A row of the heatmap: a team, a level or a track (a tuple: an organization may
    have 12,000 teams, and rows are made for all of them before a page is picked)."""

    key: str
    label: str
    people: int  # distinct people of the row (assessed or not)
    drill: str  # the query string that drills into the row; "" when there is none


@dataclass(frozen=True)
class HeatmapView:
    """Everything the heatmap page, its export and the API show."""

    scope: Scope
    filters: Filters
    version: FrameworkVersion | None
    versions: list[Choice]
    tracks: list[Choice]
    levels: list[Choice]
    teams: list[Choice]
    columns: list[Column]
    rows: list[Row]  # the page's
    grid: engine.Grid  # the page's rows, and the totals over every row
    threshold: int
    took_ms: float
    page: int = 1
    pages: int = 1
    rows_total: int = 0  # rows on every page

    def page_link(self, page: int) -> str:
        """The query string of another page of the same rows."""
        version = self.version.pk if self.version is not None else None
        return query_string(self.filters, version, page=page)

    @property
    def previous_page(self) -> str:
        return self.page_link(self.page - 1) if self.page > 1 else ""

    @property
    def next_page(self) -> str:
        return self.page_link(self.page + 1) if self.page < self.pages else ""

    @property
    def first_row(self) -> int:
        """The number of the page's first row, from 1 (0 with no rows)."""
        return (self.page - 1) * ROWS_PER_PAGE + 1 if self.rows else 0


def heatmap(scope: Scope, filters: Filters, *, every_row: bool = False) -> HeatmapView:
    """Share meeting the current level and mean gap to the target, per row and competency,
    with small cells (and those that would reveal them) suppressed.

    The rows of `filters.page`, ROWS_PER_PAGE of them (all with `every_row`); suppression
    is decided over every row, and the totals are over every row's people. A page past
    the last is Invalid.

    1 query once the cube is kept and given with the filters (the teams' names), 1 more
    for its stamp when not given, 3 more when it is read."""
    started = perf_counter()
    cube = cube_for(scope, filters)
    block = block_for(cube, scope, filters.version)
    teams = team_choices(scope)
    threshold = anonymity.threshold(scope.organization.anonymity_threshold)
    columns: list[Column] = []
    rows: list[Row] = []
    grid = engine.Grid(cells=[], totals=[])
    page, pages, rows_total = 1, 1, 0
    if block is not None:
        columns = [
            Column(c.key, c.name, c.kind, competency_link(block.version, c.key))
            for c in block.document.competencies
        ]
        people = people_of(block, scope, filters)
        rows, pair_person, pair_group = _grouped(block, scope, filters, people, teams)
        rows_total = len(rows)
        shown = slice(None)
        if not every_row:
            page, pages = filters.page, max(1, -(-rows_total // ROWS_PER_PAGE))
            if page > pages:
                raise Invalid(f"page: {page} is past the last page, {pages}", field="page")
            shown = slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE)
        rows = _counted(rows, pair_person, pair_group, shown)
        grid = engine.gap_grid(
            pair_person,
            pair_group,
            rows_total,
            block.assessed,
            block.meets,
            block.gap,
            threshold,
            shown=shown,
            layout=_layout(block),
        )
    return HeatmapView(
        scope=scope,
        filters=filters,
        version=block.version if block is not None else None,
        versions=version_choices(cube),
        tracks=track_choices(block),
        levels=level_choices(block, filters),
        teams=teams,
        columns=columns,
        rows=rows,
        grid=grid,
        threshold=threshold,
        took_ms=(perf_counter() - started) * 1000,
        page=page,
        pages=pages,
        rows_total=rows_total,
    )


def _layout(block: Block) -> np.ndarray:
    """The block's arrays as the grid sums them, kept with the block (they change with it)."""
    found = block.kept.get("gap_layout")
    if found is None:
        found = block.kept["gap_layout"] = engine.gap_layout(block.assessed, block.meets, block.gap)
    return found


def competency_link(version: FrameworkVersion, key: str) -> str:
    """The competency's page in the framework, where its authors can sharpen the text."""
    try:
        return reverse(
            "frameworks:framework_competency", args=[version.framework_id, version.number, key]
        )
    except NoReverseMatch:
        return ""


Grouped = tuple[list[Row], np.ndarray, np.ndarray]


def _grouped(
    block: Block, scope: Scope, filters: Filters, people: np.ndarray, teams: list[Choice]
) -> Grouped:
    if filters.by == "team":
        return _by_team(block, scope, filters, people, teams)
    if filters.by == "track":
        return _by_track(block, filters, people)
    return _by_level(block, filters, people)


def _by_team(
    block: Block, scope: Scope, filters: Filters, people: np.ndarray, teams: list[Choice]
) -> Grouped:
    """Rows for the teams in scope that have anyone the filters leave, by name, then
    (for admins) "No team" for people on none."""
    named = np.array([int(t.value) for t in teams], dtype=np.int64)  # in scope, by name
    order = np.argsort(named)
    keep = people[block.pair_person]
    person, team = block.pair_person[keep], block.pair_team[keep]
    position = np.minimum(np.searchsorted(named[order], team), max(named.size - 1, 0))
    known = (named[order][position] == team) if named.size else np.zeros(team.size, dtype=bool)
    person, at = person[known], order[position[known]]  # `at`: the team's place in `teams`
    present = np.flatnonzero(np.bincount(at, minlength=len(teams)))
    renumber = np.full(len(teams), -1, dtype=np.int64)
    renumber[present] = np.arange(present.size)
    group = renumber[at]
    drill = query_string(filters, block.version.pk, by="level", team=None)
    rows = [
        Row(teams[i].value, teams[i].label, 0, f"{drill}&team={teams[i].value}") for i in present
    ]
    if scope.admin:
        alone = np.flatnonzero(people & block.on_no_team())
        if alone.size:
            rows.append(Row("none", NO_TEAM, 0, ""))
            person = np.concatenate([person, alone])
            group = np.concatenate([group, np.full(alone.size, len(rows) - 1, dtype=np.int64)])
    return rows, person, group


def _by_level(block: Block, filters: Filters, people: np.ndarray) -> Grouped:
    """Rows for the version's levels on the filtered track (or every track), in order."""
    levels = levels_of(block.document, filters.track)
    if filters.level is not None:
        levels = [lv for lv in levels if lv.key == filters.level]
    version = block.version.pk
    rows = [
        Row(
            lv.key,
            lv.label,
            0,
            ""
            if filters.team is not None
            else query_string(filters, version, by="team", level=lv.key),
        )
        for lv in levels
    ]
    return _one_row_each(rows, block.levels, block.level, people)


def _by_track(block: Block, filters: Filters, people: np.ndarray) -> Grouped:
    """Rows for the version's tracks, in the document's order."""
    tracks = block.document.tracks
    if filters.track is not None:
        tracks = [t for t in tracks if t.key == filters.track]
    version = block.version.pk
    rows = []
    for t in tracks:
        on_track = {lv.key for lv in block.document.levels_of(t.key)}
        level = filters.level if filters.level in on_track else None
        drill = query_string(filters, version, by="level", track=t.key, level=level)
        rows.append(Row(t.key, t.name, 0, drill))
    return _one_row_each(rows, block.tracks, block.track, people)


def _one_row_each(
    rows: list[Row], vocabulary: list[str], coded: np.ndarray, people: np.ndarray
) -> Grouped:
    """One pair per person whose key has a row."""
    wanted = {row.key: i for i, row in enumerate(rows)}
    row_of = np.array([wanted.get(key, -1) for key in vocabulary], dtype=np.int64)
    person = np.flatnonzero(people)
    group = row_of[coded[person]] if vocabulary else np.zeros(0, dtype=np.int64)
    keep = group >= 0
    return rows, person[keep], group[keep]


def _counted(rows: list[Row], person: np.ndarray, group: np.ndarray, shown: slice) -> list[Row]:
    """The shown rows with their people counted (each person once per row)."""
    person, group = person.astype(np.int64), group.astype(np.int64)
    width = int(person.max()) + 1 if person.size else 1
    pairs = np.sort(group * width + person)  # sorting beats np.unique on large arrays
    first = np.ones(pairs.size, dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    sizes = np.bincount(pairs[first] // width, minlength=len(rows))[shown].tolist()
    return [r._replace(people=n) for r, n in zip(rows[shown], sizes, strict=True)]

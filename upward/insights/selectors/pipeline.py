"""The readiness pipeline: per level, who is placed towards the next and who is ready."""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

import numpy as np
from django.utils import timezone

from upward.accounts.models import User
from upward.core import anonymity
from upward.engine import insights as engine
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.models import FrameworkVersion
from upward.insights.access import Scope
from upward.insights.selectors.cube import Block
from upward.insights.selectors.filters import (
    Choice,
    Filters,
    block_for,
    cube_for,
    level_choices,
    people_of,
    team_choices,
    track_choices,
    version_choices,
)
from upward.insights.selectors.settings import settings_of

__all__ = ["READY_LISTED", "TREND_QUARTERS", "LevelRow", "PipelineView", "ReadyPerson", "pipeline"]

TREND_QUARTERS = 4
READY_LISTED = 100  # the ready list shows at most this many, the readiest first


@dataclass(frozen=True)
class LevelRow:
    """One level of a track with the people placed at it."""

    level: str  # the level's key
    title: str  # its code and title (and the track's name when several tracks are shown)
    next: str | None  # the next level on the track, code and title; None at the top
    stage: engine.Stage


@dataclass(frozen=True)
class ReadyPerson:
    """Someone whose readiness reaches the organization's threshold."""

    user: User
    level: str  # current level, code and title
    target: str  # target level, code and title
    readiness: float


@dataclass(frozen=True)
class PipelineView:
    """Everything the pipeline page, its export and the API show."""

    scope: Scope
    filters: Filters
    version: FrameworkVersion | None
    versions: list[Choice]
    tracks: list[Choice]
    levels: list[Choice]
    teams: list[Choice]
    rows: list[LevelRow]
    total: engine.Stage
    trend: list[engine.QuarterPoint]  # the last four quarters, oldest first
    ready: list[ReadyPerson]  # admins: everyone ready in scope; managers: their own reports
    ready_at: float
    threshold: int
    took_ms: float


def pipeline(scope: Scope, filters: Filters) -> PipelineView:
    """Per level with anyone placed (by track, then level order): placed, ready, with a
    roadmap, with a mentor; the trend of the last quarters; the ready people.

    4 queries once the cube is kept (its stamp, unless the filters carry the cube; the
    settings, the teams' names, the ready people); 7 when it is read. Suppression is the
    engine's."""
    started = perf_counter()
    cube = cube_for(scope, filters)
    block = block_for(cube, scope, filters.version)
    settings = settings_of(scope.organization)
    teams = team_choices(scope)
    threshold = anonymity.threshold(scope.organization.anonymity_threshold)
    quarters = engine.quarters_until(timezone.localdate(), TREND_QUARTERS)
    rows: list[LevelRow] = []
    total = engine.Stage(0, 0, 0, 0)
    trend = engine.ready_by_quarter(
        np.zeros((0, len(quarters))), quarters, settings.ready_threshold, threshold
    )
    ready: list[ReadyPerson] = []
    if block is not None:
        people = people_of(block, scope, filters)
        rows, total = _stages(block, people, settings.ready_threshold, threshold)
        trend = engine.ready_by_quarter(
            block.history_at(quarters)[people], quarters, settings.ready_threshold, threshold
        )
        ready = _ready(block, scope, people, settings.ready_threshold)
    return PipelineView(
        scope=scope,
        filters=filters,
        version=block.version if block is not None else None,
        versions=version_choices(cube),
        tracks=track_choices(block),
        levels=level_choices(block, filters),
        teams=teams,
        rows=rows,
        total=total,
        trend=trend,
        ready=ready,
        ready_at=settings.ready_threshold,
        threshold=threshold,
        took_ms=(perf_counter() - started) * 1000,
    )


def _stages(
    block: Block, people: np.ndarray, ready_at: float, threshold: int
) -> tuple[list[LevelRow], engine.Stage]:
    """The engine's stages for each (track, level) of the document that has anyone."""
    doc = block.document
    places = [(t.key, lv) for t in doc.tracks for lv in doc.levels_of(t.key)]
    width = len(block.levels)
    coded = block.track * width + block.level  # each person's (track, level) as one number
    place_code = np.array([_place(block, t, lv.key) for t, lv in places], dtype=np.int64)
    filled = (place_code >= 0) & np.isin(place_code, coded[people])
    shown = [place for place, keep in zip(places, filled.tolist(), strict=True) if keep]
    row_of = np.full(len(block.tracks) * width, -1, dtype=np.int64)
    row_of[place_code[filled]] = np.arange(len(shown))
    level_of = row_of[coded]
    stages, total = engine.pipeline(
        level_of[people],
        len(shown),
        block.readiness[people] >= ready_at,
        block.roadmap[people],
        block.mentor[people],
        threshold,
    )
    several = len({t for t, _ in shown}) > 1
    rows = [
        LevelRow(lv.key, _title(doc, t, lv.label, several), _next(doc, t, lv.key), stage)
        for (t, lv), stage in zip(shown, stages, strict=True)
    ]
    return rows, total


def _place(block: Block, track: str, level: str) -> int:
    """A (track, level) as the number `_stages` codes people's places with; -1: nobody's."""
    t, lv = block.code(block.tracks, track), block.code(block.levels, level)
    return t * len(block.levels) + lv if t >= 0 and lv >= 0 else -1


def _title(doc: FrameworkDocument, track: str, label: str, several: bool) -> str:
    return f"{label} ({doc.track(track).name})" if several else label


def _next(doc: FrameworkDocument, track: str, level: str) -> str | None:
    found = doc.next_level(track, level)
    return found.label if found is not None else None


def _ready(block: Block, scope: Scope, people: np.ndarray, ready_at: float) -> list[ReadyPerson]:
    """The ready people the viewer may list, readiest first, then by name: 1 query."""
    listed = people & (block.readiness >= ready_at)
    if scope.report_ids is not None:
        reports = np.fromiter(scope.report_ids, dtype=np.int64)
        listed &= np.isin(block.users, reports)
    found = np.flatnonzero(listed)
    order = np.lexsort((block.name_rank[found], -block.readiness[found]))
    chosen = found[order][:READY_LISTED].tolist()
    users = User.objects.in_bulk([int(block.users[i]) for i in chosen])
    out = []
    for i in chosen:
        user = users.get(int(block.users[i]))
        if user is None:  # gone since the cube was read
            continue
        level, target = block.levels[block.level[i]], block.targets[block.target[i]]
        out.append(
            ReadyPerson(
                user, _label(block, level), _label(block, target), float(block.readiness[i])
            )
        )
    return out


def _label(block: Block, level: str) -> str:
    try:
        return block.document.level(level).label
    except KeyError:
        return level

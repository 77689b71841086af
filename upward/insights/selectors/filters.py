"""The filters every insight page shares, checked against what the viewer may see, and
the people they leave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np

from upward.accounts.models import Team
from upward.core.errors import Invalid
from upward.engine.framework.models import FrameworkDocument, Level
from upward.frameworks.models import FrameworkVersion
from upward.insights.access import Scope
from upward.insights.selectors.cube import Block, Cube, cube_of

__all__ = [
    "GROUPINGS",
    "Choice",
    "Filters",
    "block_for",
    "cube_for",
    "level_choices",
    "levels_of",
    "parse_filters",
    "people_of",
    "query_string",
    "team_choices",
    "track_choices",
    "version_choices",
    "version_label",
]

GROUPINGS = ("team", "level", "track")


@dataclass(frozen=True)
class Filters:
    """What the viewer narrowed the insights to; None: no narrowing."""

    by: str = "team"  # team | level | track
    version: int | None = None  # FrameworkVersion id; None: the version most people in scope use
    track: str | None = None  # placement track key
    level: str | None = None  # current level key
    team: int | None = None  # drill down: only this team's people
    page: int = 1  # the heatmap's page of rows, from 1
    # The cube the filters were checked against, read again by the selector when None.
    cube: Cube | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Choice:
    """One option of a filter."""

    value: str
    label: str


def parse_filters(scope: Scope, data: Mapping[str, str]) -> Filters:
    """The filters a query asks for, or Invalid naming the field and the value.

    Empty values count as not given. Drilling into a team (`team`) with rows by team
    gives rows by level: that team's levels. 1 query (the cube's stamp), 4 when the
    cube is read."""
    by = _text(data, "by") or "team"
    if by not in GROUPINGS:
        raise Invalid(f"by: {by!r} is not one of team, level or track", field="by")
    version = _number(data, "version")
    team = _number(data, "team")
    if team is not None and team not in scope.team_ids:
        raise Invalid(f"team: no team {team} you can see", field="team")
    cube = cube_of(scope.organization)
    if version is not None and version not in cube.blocks:
        raise Invalid(
            f"version: no framework version {version} has people placed on it here", field="version"
        )
    block = block_for(cube, scope, version)
    track = _text(data, "track")
    level = _text(data, "level")
    doc = block.document if block is not None else None
    if track and (doc is None or track not in {t.key for t in doc.tracks}):
        raise Invalid(f"track: no track {track!r} in {_named(block)}", field="track")
    if level and (doc is None or level not in {lv.key for lv in levels_of(doc, track)}):
        where = f"on track {track!r}" if track else f"in {_named(block)}"
        raise Invalid(f"level: no level {level!r} {where}", field="level")
    if team is not None and by == "team":
        by = "level"
    page = _number(data, "page")
    if page is not None and page < 1:
        raise Invalid(f"page: {page} is before the first page, 1", field="page")
    return Filters(
        by=by,
        version=version,
        track=track or None,
        level=level or None,
        team=team,
        page=page or 1,
        cube=cube,
    )


def cube_for(scope: Scope, filters: Filters) -> Cube:
    """The cube the filters were checked against (no query), or the organization's."""
    kept = filters.cube
    if kept is not None and kept.organization_id == scope.organization.pk:
        return kept
    return cube_of(scope.organization)


def _text(data: Mapping[str, str], name: str) -> str:
    value = data.get(name)
    return str(value).strip() if value is not None else ""


def _number(data: Mapping[str, str], name: str) -> int | None:
    value = _text(data, name)
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise Invalid(f"{name}: {value!r} is not a whole number", field=name)
    return int(value)


def _named(block: Block | None) -> str:
    return version_label(block.version) if block is not None else "a framework in use here"


def block_for(cube: Cube, scope: Scope, version: int | None) -> Block | None:
    """The block of the chosen version, else of the version most people in scope are
    placed on (ties: the newer version); None when nobody is placed."""
    if version is not None:
        return cube.blocks.get(version)
    if not cube.blocks:
        return None
    counts = {pk: int(people_in_scope(block, scope).sum()) for pk, block in cube.blocks.items()}
    chosen = max(counts, key=lambda pk: (counts[pk], pk))
    return cube.blocks[chosen]


def people_in_scope(block: Block, scope: Scope) -> np.ndarray:
    """Bool per person of the block: admins see everyone, managers their teams' people."""
    if scope.admin:
        return np.ones(block.size, dtype=bool)
    return block.on_teams(scope.team_ids)


def people_of(block: Block, scope: Scope, filters: Filters) -> np.ndarray:
    """Bool per person of the block: in scope and left by the filters."""
    found = people_in_scope(block, scope)
    if filters.track is not None:
        found &= block.track == block.code(block.tracks, filters.track)
    if filters.level is not None:
        found &= block.level == block.code(block.levels, filters.level)
    if filters.team is not None:
        found &= block.on_teams([filters.team])
    return found


def levels_of(doc: FrameworkDocument, track: str | None) -> list[Level]:
    """The levels of a track in order, or of every track (each level once)."""
    if track:
        return doc.levels_of(track)
    seen: dict[str, Level] = {}
    for t in doc.tracks:
        for level in doc.levels_of(t.key):
            seen.setdefault(level.key, level)
    return list(seen.values())


def version_label(version: FrameworkVersion) -> str:
    return f"{version.framework.name} v{version.number}"


def version_choices(cube: Cube) -> list[Choice]:
    """The versions people of the organization are placed on, by framework and number."""
    versions = sorted(
        (b.version for b in cube.blocks.values()), key=lambda v: (v.framework.name, v.number)
    )
    return [Choice(str(v.pk), version_label(v)) for v in versions]


def track_choices(block: Block | None) -> list[Choice]:
    if block is None:
        return []
    return [Choice(t.key, t.name) for t in block.document.tracks]


def level_choices(block: Block | None, filters: Filters) -> list[Choice]:
    if block is None:
        return []
    return [Choice(lv.key, lv.label) for lv in levels_of(block.document, filters.track)]


def team_choices(scope: Scope) -> list[Choice]:
    """The teams the viewer sees, by name: 1 query."""
    teams = Team.objects.filter(organization=scope.organization)
    if not scope.admin:
        teams = teams.filter(pk__in=scope.team_ids)
    return [Choice(str(pk), name) for pk, name in teams.order_by("name").values_list("pk", "name")]


def query_string(filters: Filters, version: int | None, **changes: str | int | None) -> str:
    """The filters as a query string, with the version spelled out and some changed."""
    values: dict[str, str | int | None] = {
        "by": filters.by,
        "version": version,
        "track": filters.track,
        "level": filters.level,
        "team": filters.team,
    }
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v is not None and v != ""})

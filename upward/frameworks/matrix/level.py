"""One level: what it asks for, and what changes from the level below."""

from __future__ import annotations

from dataclasses import dataclass

from upward.engine.framework.models import Competency, FrameworkDocument, Level, Track
from upward.frameworks.matrix.grid import Cell, Group, Threshold, cell, thresholds

# --- One level --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One competency from the previous level to this one."""

    competency: Competency
    before: Cell | None
    after: Cell

    @property
    def is_new(self) -> bool:
        """True when nothing was expected at the previous level."""
        return self.before is None or self.before.expectation is None


@dataclass(frozen=True)
class LevelPage:
    """What a level asks for, and what changes from the level below it."""

    level: Level
    track: Track | None
    previous: Level | None
    next: Level | None
    groups: list[Group[Cell]]
    changes: list[Group[Change]]
    threshold: Threshold | None


def level_view(doc: FrameworkDocument, level: str, *, track: str | None = None) -> LevelPage:
    """A level's expectations (KeyError for an unknown level) on `track` or its first track."""
    found = doc.level(level)
    tracks = doc.tracks_of(level)
    chosen = next((t for t in tracks if t.key == track), tracks[0] if tracks else None)
    previous = following = None
    if chosen is not None:
        keys = [lv.key for lv in doc.levels_of(chosen.key)]
        position = keys.index(level)
        previous = doc.level(keys[position - 1]) if position > 0 else None
        following = doc.next_level(chosen.key, level)
    cells = [cell(doc, c, found) for c in doc.competencies]
    filled = [c for c in cells if c.expectation is not None]
    changes = []
    if previous is not None:
        changes = [Change(c.competency, cell(doc, c.competency, previous), c) for c in filled]
    return LevelPage(
        level=found,
        track=chosen,
        previous=previous,
        next=following,
        groups=_group_cells(doc, filled),
        changes=_group_cells(doc, changes),
        threshold=next((t for t in thresholds(doc) if t.level_key == level), None),
    )


def _group_cells[C: (Cell, Change)](doc: FrameworkDocument, items: list[C]) -> list[Group[C]]:
    groups: list[Group[C]] = []
    for area in doc.areas:
        mine = [i for i in items if i.competency.area == area.key]
        if mine:
            groups.append(Group(area, mine))
    return groups

"""One competency: its own scale, and what each track expects of it."""

from __future__ import annotations

from dataclasses import dataclass

from upward.engine.framework.models import Area, Competency, FrameworkDocument, Step, Track
from upward.frameworks.matrix.grid import Cell, cell

# --- One competency -------------------------------------------------------------------


@dataclass(frozen=True)
class TrackCells:
    """A competency at every level of one track."""

    track: Track
    cells: list[Cell]


@dataclass(frozen=True)
class CompetencyPage:
    """A competency: its area, its own scale (if any), and each track's expectations."""

    competency: Competency
    area: Area | None
    scale: list[tuple[Step, int | None]]
    tracks: list[TrackCells]


def competency_view(doc: FrameworkDocument, key: str) -> CompetencyPage:
    """Everything the framework says about one competency (KeyError if unknown)."""
    found = doc.competency(key)
    area = next((a for a in doc.areas if a.key == found.area), None)
    rule = doc.level_rule
    scale = [(s, rule.step_points.get(s.key) if rule else None) for s in found.scale]
    tracks = []
    for track in doc.tracks:
        cells = [cell(doc, found, lv) for lv in doc.levels_of(track.key)]
        if any(c.expectation is not None for c in cells):
            tracks.append(TrackCells(track, cells))
    return CompetencyPage(found, area, scale, tracks)

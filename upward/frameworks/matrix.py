"""How a framework document reads on a page: the matrix, a level, a competency.

Plain functions over the parsed document (no database): the views pick a
version, these arrange what its document says into rows and columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from upward.engine.diff import FrameworkDiff, PartDiff, Rename, diff
from upward.engine.framework.models import (
    Area,
    Competency,
    Expectation,
    Level,
    PointsRule,
    Step,
    Track,
)
from upward.engine.framework.models import Framework as Document


@dataclass(frozen=True)
class Cell:
    """One competency at one level: what is expected, and the step it asks for."""

    competency: Competency
    level: Level
    expectation: Expectation | None
    step: Step | None = None

    @property
    def has_details(self) -> bool:
        """True when there are signals or examples to expand."""
        e = self.expectation
        return e is not None and bool(e.signals or e.examples)


@dataclass(frozen=True)
class Row:
    """A competency across the columns."""

    competency: Competency
    cells: list[Cell]


@dataclass(frozen=True)
class ScaleColumn:
    """One position on the competencies' own scales (points-based frameworks)."""

    label: str
    points: int | None


@dataclass(frozen=True)
class ScaleCell:
    """One step of a competency's own scale; `named` when its name differs from the column's."""

    step: Step | None
    named: bool = False


@dataclass(frozen=True)
class ScaleRow:
    """A competency's own steps, padded to the widest scale."""

    competency: Competency
    steps: list[ScaleCell]


@dataclass(frozen=True)
class Group[R]:
    """The rows of one area."""

    area: Area
    rows: list[R]


@dataclass(frozen=True)
class Matrix:
    """The whole grid for one track (levels) or, for points-based frameworks, the scales."""

    track: Track | None
    levels: list[Level]
    groups: list[Group[Row]] = field(default_factory=list)
    scale_columns: list[ScaleColumn] = field(default_factory=list)
    scale_groups: list[Group[ScaleRow]] = field(default_factory=list)

    @property
    def by_scale(self) -> bool:
        """True when the competencies are shown by their own scales, not by levels."""
        return bool(self.scale_columns)

    @property
    def is_empty(self) -> bool:
        """True when the chosen area and track leave nothing to show."""
        return not (self.groups or self.scale_groups)


def reads_by_scale(doc: Document) -> bool:
    """Points-based frameworks (and any without per-level expectations) read by scale."""
    if doc.level_rule is not None:
        return True
    return not doc.expectations and any(c.scale for c in doc.competencies)


def build_matrix(doc: Document, *, track: str | None = None, area: str | None = None) -> Matrix:
    """The matrix of `doc` for one track (default: the first) and area (default: all)."""
    chosen = _track(doc, track)
    levels = doc.levels_of(chosen.key) if chosen else []
    competencies = [c for c in doc.competencies if not area or c.area == area]
    if reads_by_scale(doc):
        columns, scale_rows = _scales(doc, competencies)
        return Matrix(chosen, levels, scale_columns=columns, scale_groups=_group(doc, scale_rows))
    rows = [Row(c, [cell(doc, c, lv) for lv in levels]) for c in competencies]
    return Matrix(chosen, levels, groups=_group(doc, rows))


def cell(doc: Document, competency: Competency, level: Level) -> Cell:
    """One cell, with the competency's own step resolved when it has a scale."""
    expectation = doc.expectation(competency.key, level.key)
    step = None
    if expectation is not None and expectation.step and competency.scale:
        step = next((s for s in competency.scale if s.key == expectation.step), None)
    return Cell(competency, level, expectation, step)


def _track(doc: Document, key: str | None) -> Track | None:
    for track in doc.tracks:
        if track.key == key:
            return track
    return doc.tracks[0] if doc.tracks else None


def _group[R: (Row, ScaleRow)](doc: Document, rows: list[R]) -> list[Group[R]]:
    """Rows under their areas, areas in the document's order, competency order kept."""
    groups: list[Group[R]] = []
    for area in doc.areas:
        mine = [r for r in rows if r.competency.area == area.key]
        if mine:
            groups.append(Group(area, mine))
    return groups


def _scales(
    doc: Document, competencies: list[Competency]
) -> tuple[list[ScaleColumn], list[ScaleRow]]:
    width = max((len(c.scale) for c in competencies), default=0)
    padded = [
        [c.scale[i] if i < len(c.scale) else None for i in range(width)] for c in competencies
    ]
    columns = [_scale_column(doc.level_rule, [p[i] for p in padded], i) for i in range(width)]
    rows = [
        ScaleRow(
            c,
            [
                ScaleCell(s, s is not None and s.name != col.label)
                for s, col in zip(p, columns, strict=True)
            ],
        )
        for c, p in zip(competencies, padded, strict=True)
    ]
    return columns, rows


def _scale_column(rule: PointsRule | None, column: list[Step | None], i: int) -> ScaleColumn:
    """A column's heading: the step's name and points when every competency agrees."""
    steps = [s for s in column if s is not None]
    names = {s.name for s in steps}
    keys = {s.key for s in steps}
    label = names.pop() if len(names) == 1 else f"Step {i + 1}"
    points = None
    if rule is not None and len(keys) == 1:
        points = rule.step_points.get(keys.pop())
    return ScaleColumn(label, points)


@dataclass(frozen=True)
class Threshold:
    """A row of the points rule: from so many points, this level (and these titles)."""

    min_points: int
    level: Level | None
    level_key: str
    titles: list[str]


def thresholds(doc: Document) -> list[Threshold]:
    """The points rule as a table, lowest first; empty for frameworks without one."""
    rule = doc.level_rule
    if rule is None:
        return []
    out = []
    for t in sorted(rule.thresholds, key=lambda t: t.min_points):
        level = _level_or_none(doc, t.level)
        out.append(Threshold(t.min_points, level, t.level, rule.titles_for(t.min_points)))
    return out


def _level_or_none(doc: Document, key: str) -> Level | None:
    try:
        return doc.level(key)
    except KeyError:
        return None


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
class LevelView:
    """What a level asks for, and what changes from the level below it."""

    level: Level
    track: Track | None
    previous: Level | None
    next: Level | None
    groups: list[Group[Cell]]
    changes: list[Group[Change]]
    threshold: Threshold | None


def level_view(doc: Document, level: str, *, track: str | None = None) -> LevelView:
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
    return LevelView(
        level=found,
        track=chosen,
        previous=previous,
        next=following,
        groups=_group_cells(doc, filled),
        changes=_group_cells(doc, changes),
        threshold=next((t for t in thresholds(doc) if t.level_key == level), None),
    )


def _group_cells[C: (Cell, Change)](doc: Document, items: list[C]) -> list[Group[C]]:
    groups: list[Group[C]] = []
    for area in doc.areas:
        mine = [i for i in items if i.competency.area == area.key]
        if mine:
            groups.append(Group(area, mine))
    return groups


# --- One competency -------------------------------------------------------------------


@dataclass(frozen=True)
class TrackCells:
    """A competency at every level of one track."""

    track: Track
    cells: list[Cell]


@dataclass(frozen=True)
class CompetencyView:
    """A competency: its area, its own scale (if any), and each track's expectations."""

    competency: Competency
    area: Area | None
    scale: list[tuple[Step, int | None]]
    tracks: list[TrackCells]


def competency_view(doc: Document, key: str) -> CompetencyView:
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
    return CompetencyView(found, area, scale, tracks)


def counts(doc: Document) -> dict[str, int]:
    """How big a framework is, for cards and previews."""
    levels = {lv.key for t in doc.tracks for lv in doc.levels_of(t.key)}
    return {
        "areas": len(doc.areas),
        "competencies": len(doc.competencies),
        "tracks": len(doc.tracks),
        "levels": len(levels),
        "expectations": len(doc.expectations),
    }


# --- What changed between two versions ----------------------------------------------------


@dataclass(frozen=True)
class PartChanges:
    """Areas, competencies, tracks or levels added, removed, renamed or otherwise changed."""

    label: str
    added: list[str]
    removed: list[str]
    renamed: list[Rename]
    changed: list[tuple[str, tuple[str, ...]]]

    @property
    def empty(self) -> bool:
        """True when nothing of this kind changed."""
        return not (self.added or self.removed or self.renamed or self.changed)


@dataclass(frozen=True)
class CellChange:
    """One expectation, before and after (either may be missing)."""

    competency: str
    level: str
    competency_name: str
    level_label: str
    before: Expectation | None
    after: Expectation | None
    fields: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """added, removed or changed."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class DiffView:
    """A version diff with names and texts filled in, ready to read."""

    raw: FrameworkDiff
    framework_fields: tuple[str, ...]
    parts: list[PartChanges]
    cells: list[CellChange]
    level_rule: bool

    @property
    def empty(self) -> bool:
        """True when the two versions say the same thing."""
        return self.raw.empty


def diff_view(old: Document, new: Document) -> DiffView:
    """What changed from `old` to `new`, with names instead of keys and both texts of each cell."""
    raw = diff(old, new)
    parts = [
        _part_changes("Areas", raw.areas, _names(old.areas), _names(new.areas)),
        _part_changes(
            "Competencies", raw.competencies, _names(old.competencies), _names(new.competencies)
        ),
        _part_changes("Tracks", raw.tracks, _names(old.tracks), _names(new.tracks)),
        _part_changes("Levels", raw.levels, _level_names(old), _level_names(new)),
    ]
    e = raw.expectations
    cells = [_cell_change(old, new, c, lv) for c, lv in e.added]
    cells += [_cell_change(old, new, c, lv) for c, lv in e.removed]
    cells += [_cell_change(old, new, ch.competency, ch.level, ch.fields) for ch in e.changed]
    order = _cell_order(old, new)
    cells.sort(key=lambda ch: order.get((ch.competency, ch.level), (len(order), 0)))
    return DiffView(raw, raw.framework, [p for p in parts if not p.empty], cells, raw.level_rule)


def _names(items: list[Area] | list[Competency] | list[Track]) -> dict[str, str]:
    return {i.key: i.name for i in items}


def _level_names(doc: Document) -> dict[str, str]:
    return {lv.key: lv.label for t in doc.tracks for lv in doc.levels_of(t.key)}


def _part_changes(
    label: str, part: PartDiff, old: dict[str, str], new: dict[str, str]
) -> PartChanges:
    return PartChanges(
        label=label,
        added=[new.get(k, k) for k in part.added],
        removed=[old.get(k, k) for k in part.removed],
        renamed=list(part.renamed),
        changed=[(new.get(c.key, c.key), c.fields) for c in part.changed],
    )


def _cell_order(old: Document, new: Document) -> dict[tuple[str, str], tuple[int, int]]:
    """Competency order, then level order, as the new version has them (the old one's after)."""
    competencies = [c.key for c in new.competencies]
    competencies += [c.key for c in old.competencies if c.key not in competencies]
    new_levels = list(_level_names(new))
    levels = new_levels + [k for k in _level_names(old) if k not in new_levels]
    return {(c, lv): (i, j) for i, c in enumerate(competencies) for j, lv in enumerate(levels)}


def _cell_change(
    old: Document, new: Document, competency: str, level: str, fields: tuple[str, ...] = ()
) -> CellChange:
    return CellChange(
        competency=competency,
        level=level,
        competency_name=_label(new, old, "competency", competency),
        level_label=_label(new, old, "level", level),
        before=old.expectation(competency, level),
        after=new.expectation(competency, level),
        fields=fields,
    )


def _label(new: Document, old: Document, kind: str, key: str) -> str:
    """A competency's name or a level's label from either version (the key if neither has it)."""
    for doc in (new, old):
        try:
            return doc.competency(key).name if kind == "competency" else doc.level(key).label
        except KeyError:
            continue
    return key

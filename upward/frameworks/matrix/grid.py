"""The matrix: each competency at each level of a track, or along its own scale
for points-based frameworks; the points rule as a table; a framework's size."""

from __future__ import annotations

from dataclasses import dataclass, field

from upward.engine.framework.models import (
    Area,
    Competency,
    Expectation,
    FrameworkDocument,
    Level,
    PointsRule,
    Step,
    Track,
)


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


def reads_by_scale(doc: FrameworkDocument) -> bool:
    """Points-based frameworks (and any without per-level expectations) read by scale."""
    if doc.level_rule is not None:
        return True
    return not doc.expectations and any(c.scale for c in doc.competencies)


def build_matrix(
    doc: FrameworkDocument, *, track: str | None = None, area: str | None = None
) -> Matrix:
    """The matrix of `doc` for one track (default: the first) and area (default: all)."""
    chosen = _track(doc, track)
    levels = doc.levels_of(chosen.key) if chosen else []
    competencies = [c for c in doc.competencies if not area or c.area == area]
    if reads_by_scale(doc):
        columns, scale_rows = _scales(doc, competencies)
        return Matrix(chosen, levels, scale_columns=columns, scale_groups=_group(doc, scale_rows))
    rows = [Row(c, [cell(doc, c, lv) for lv in levels]) for c in competencies]
    return Matrix(chosen, levels, groups=_group(doc, rows))


def cell(doc: FrameworkDocument, competency: Competency, level: Level) -> Cell:
    """One cell, with the competency's own step resolved when it has a scale."""
    expectation = doc.expectation(competency.key, level.key)
    step = None
    if expectation is not None and expectation.step and competency.scale:
        step = next((s for s in competency.scale if s.key == expectation.step), None)
    return Cell(competency, level, expectation, step)


def scale_cell(doc: FrameworkDocument, competency: Competency, step: Step) -> ScaleCell:
    """One step of a competency's scale as the whole matrix shows it."""
    columns, _rows = _scales(doc, doc.competencies)
    index = next(i for i, s in enumerate(competency.scale) if s.key == step.key)
    return ScaleCell(step, step.name != columns[index].label)


def _track(doc: FrameworkDocument, key: str | None) -> Track | None:
    for track in doc.tracks:
        if track.key == key:
            return track
    return doc.tracks[0] if doc.tracks else None


def _group[R: (Row, ScaleRow)](doc: FrameworkDocument, rows: list[R]) -> list[Group[R]]:
    """Rows under their areas, areas in the document's order, competency order kept."""
    groups: list[Group[R]] = []
    for area in doc.areas:
        mine = [r for r in rows if r.competency.area == area.key]
        if mine:
            groups.append(Group(area, mine))
    return groups


def _scales(
    doc: FrameworkDocument, competencies: list[Competency]
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


def thresholds(doc: FrameworkDocument) -> list[Threshold]:
    """The points rule as a table, lowest first; empty for frameworks without one."""
    rule = doc.level_rule
    if rule is None:
        return []
    out = []
    for t in sorted(rule.thresholds, key=lambda t: t.min_points):
        level = _level_or_none(doc, t.level)
        out.append(Threshold(t.min_points, level, t.level, rule.titles_for(t.min_points)))
    return out


def _level_or_none(doc: FrameworkDocument, key: str) -> Level | None:
    try:
        return doc.level(key)
    except KeyError:
        return None


def counts(doc: FrameworkDocument) -> dict[str, int]:
    """How big a framework is, for cards and previews."""
    levels = {lv.key for t in doc.tracks for lv in doc.levels_of(t.key)}
    return {
        "areas": len(doc.areas),
        "competencies": len(doc.competencies),
        "tracks": len(doc.tracks),
        "levels": len(levels),
        "expectations": len(doc.expectations),
    }

"""The spreadsheet layout shared by CSV and XLSX: a framework as named sections.

The `matrix` section is the part people read: one block of rows per competency,
one column per level. The other sections (framework, areas, tracks, scales and the
points rule) carry the rest so the round trip is exact. docs/framework-format.md
draws the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upward.engine.framework import FrameworkDocument, Level, LevelRef
from upward.engine.framework.models import Competency, Expectation

Cell = str | int | float | None
Rows = list[list[Cell]]

COMPETENCY_COLUMNS = ["competency", "name", "area", "kind", "weight", "description", "field"]
LEVEL_FIELDS = ["track", "code", "title", "rank", "summary"]
COMPETENCY_FIELDS = ["summary", "expected", "step", "signal", "example"]
SECTIONS = [
    "matrix",
    "framework",
    "areas",
    "tracks",
    "scales",
    "step_points",
    "thresholds",
    "titles",
]

# Cells starting with these open a formula in spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """Neutralise formula injection: a leading apostrophe makes the cell plain text.

    A text that already starts with an apostrophe before one of those characters gets
    a second one, so `unescape_cell` restores every text exactly.
    """
    if text.startswith(_FORMULA_START) or (text[:1] == "'" and text[1:2] in (*_FORMULA_START, "'")):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo `escape_cell`; other leading apostrophes are kept as typed."""
    if text[:1] == "'" and text[1:2] in (*_FORMULA_START, "'"):
        return text[1:]
    return text


@dataclass
class SheetRow:
    """One row read back from a file, with the line (or row number) it came from."""

    line: int
    cells: list[str]

    def get(self, index: int | None) -> str:
        """The cell at `index`, or "" when the row is shorter or there is no column."""
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    @property
    def blank(self) -> bool:
        """True when every cell is empty."""
        return not any(c.strip() for c in self.cells)


@dataclass
class Section:
    """A named table: a CSV section or an XLSX sheet."""

    name: str
    rows: list[SheetRow] = field(default_factory=list)
    file: str | None = None  # set for workbooks: "framework.xlsx:matrix"


def to_sections(fw: FrameworkDocument) -> list[tuple[str, Rows]]:
    """The framework as named tables, in the order they are written."""
    areas = [[a.key, a.name, a.description] for a in fw.areas]
    sections: list[tuple[str, Rows]] = [
        ("matrix", _matrix(fw)),
        ("framework", _framework_rows(fw)),
        ("areas", _table(["key", "name", "description"], areas)),
        ("tracks", _track_rows(fw)),
        ("scales", _scale_rows(fw)),
    ]
    rule = fw.level_rule
    if rule is not None:
        points = [[k, v] for k, v in rule.step_points.items()]
        thresholds = [[t.min_points, t.level] for t in rule.thresholds]
        titles = [[t.title, t.min_points, t.max_points, " ".join(t.tracks)] for t in rule.titles]
        sections += [
            ("step_points", _table(["step", "points"], points)),
            ("thresholds", _table(["min_points", "level"], thresholds)),
            ("titles", _table(["title", "min_points", "max_points", "tracks"], titles)),
        ]
    return sections


def _table(header: list[str], rows: list[list[Any]]) -> Rows:
    return [list[Cell](header), *rows]


def defined_levels(fw: FrameworkDocument) -> list[tuple[str, Level]]:
    """(defining track, level) for every level, in track order: the matrix columns."""
    return [
        (track.key, item) for track in fw.tracks for item in track.levels if isinstance(item, Level)
    ]


def _matrix(fw: FrameworkDocument) -> Rows:
    columns = defined_levels(fw)
    rows: Rows = [[*COMPETENCY_COLUMNS, *(level.key for _, level in columns)]]
    pad: list[Cell] = [""] * (len(COMPETENCY_COLUMNS) - 1)
    rows.append([*pad, "track", *(track for track, _ in columns)])
    rows.append([*pad, "code", *(level.code for _, level in columns)])
    rows.append([*pad, "title", *(level.title for _, level in columns)])
    rows.append([*pad, "rank", *(level.rank for _, level in columns)])
    rows.append([*pad, "summary", *(level.summary for _, level in columns)])
    for competency in fw.competencies:
        cells = [fw.expectation(competency.key, level.key) for _, level in columns]
        rows += _competency_rows(competency, cells)
    return rows


def _competency_rows(c: Competency, cells: list[Expectation | None]) -> Rows:
    head: list[Cell] = [c.key, c.name, c.area, c.kind, c.weight, c.description]
    same: list[Cell] = [c.key, "", "", "", "", ""]
    rows: Rows = [
        [*head, "summary", *(e.summary if e else "" for e in cells)],
        [*same, "expected", *(_expected(e) for e in cells)],
    ]
    if c.scale:
        rows.append([*same, "step", *(e.step if e else "" for e in cells)])
    for name, attr in (("signal", "signals"), ("example", "examples")):
        lists = [getattr(e, attr) if e else [] for e in cells]
        for n in range(max((len(items) for items in lists), default=0)):
            rows.append([*same, name, *(items[n] if n < len(items) else "" for items in lists)])
    return rows


def _expected(e: Expectation | None) -> str:
    if e is None:
        return ""
    return "optional" if e.optional else "required"


def _framework_rows(fw: FrameworkDocument) -> Rows:
    rows: Rows = [["field", "value"], ["key", fw.key], ["name", fw.name]]
    rows.append(["description", fw.description])
    if fw.attribution is not None:
        rows.append(["attribution.source", fw.attribution.source])
        rows.append(["attribution.url", fw.attribution.url])
        rows.append(["attribution.licence", fw.attribution.licence])
    return rows


def _track_rows(fw: FrameworkDocument) -> Rows:
    rows: Rows = [["key", "name", "description", "levels"]]
    for track in fw.tracks:
        keys = [item.ref if isinstance(item, LevelRef) else item.key for item in track.levels]
        rows.append([track.key, track.name, track.description, " ".join(keys)])
    return rows


def _scale_rows(fw: FrameworkDocument) -> Rows:
    rows: Rows = [["competency", "step", "name", "description", "signal", "example"]]
    for c in fw.competencies:
        for step in c.scale:
            count = max(1, len(step.signals), len(step.examples))
            for n in range(count):
                first = n == 0
                rows.append(
                    [
                        c.key,
                        step.key,
                        step.name if first else "",
                        step.description if first else "",
                        step.signals[n] if n < len(step.signals) else "",
                        step.examples[n] if n < len(step.examples) else "",
                    ]
                )
    return rows

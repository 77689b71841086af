"""The insight aggregates as tables for CSV and XLSX files, with the pages' suppression:
a suppressed figure is written as the word "suppressed", never as its number."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from openpyxl import Workbook

from upward.engine.insights import READINGS, SHOWN, Cell, Stage

if TYPE_CHECKING:
    from upward.insights.selectors import CalibrationView, HeatmapView, PipelineView

SUPPRESSED = "suppressed"
BY_LABELS = {"team": "Team", "level": "Level", "track": "Track"}

Value = str | int | float | None
Table = list[list[Value]]


def _share(value: float | None) -> Value:
    return None if value is None else round(value, 3)


def _cell(cell: Cell) -> list[Value]:
    """People, share meeting the current level and mean gap of one heatmap cell."""
    if cell.suppressed != SHOWN:
        return [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    if not cell.people:
        return [0, None, None]
    gap = None if cell.mean_gap is None else round(cell.mean_gap, 2)
    return [cell.people, _share(cell.meeting), gap]


def heatmap_table(view: HeatmapView) -> Table:
    """One line per row of the heatmap and a total line; three columns per competency."""
    head: list[Value] = [BY_LABELS.get(view.filters.by, "Group"), "People"]
    for column in view.columns:
        head += [f"{column.name}: people", f"{column.name}: meeting", f"{column.name}: mean gap"]
    table: Table = [head]
    for row, cells in zip(view.rows, view.grid.cells, strict=True):
        line: list[Value] = [row.label, row.people]
        for cell in cells:
            line += _cell(cell)
        table.append(line)
    total: list[Value] = ["Total", None]
    for cell in view.grid.totals:
        total += _cell(cell)
    table.append(total)
    return table


def _stage(stage: Stage) -> list[Value]:
    if stage.suppressed != SHOWN:
        return [SUPPRESSED] * 4
    return [stage.people, stage.ready, stage.with_roadmap, stage.with_mentor]


def pipeline_table(view: PipelineView) -> Table:
    """Per level: placed, ready, with a roadmap, with a mentor; the total; then the trend."""
    table: Table = [["Level", "Next level", "Placed", "Ready", "With roadmap", "With mentor"]]
    for row in view.rows:
        table.append([row.title, row.next or "", *_stage(row.stage)])
    table.append(["Total", "", *_stage(view.total)])
    table.append([])
    table.append(["Quarter", "People", "Ready"])
    for point in view.trend:
        if point.suppressed != SHOWN:
            table.append([point.quarter, SUPPRESSED, SUPPRESSED])
        else:
            table.append([point.quarter, point.people, point.ready])
    return table


def calibration_table(view: CalibrationView) -> Table:
    """Per competency the agreement of raters; for admins, each rater's leniency."""
    table: Table = [["Competency", "Alpha", "Reading", "Subjects", "Ratings"]]
    for item in view.competencies:
        found = item.agreement
        alpha: Value = SUPPRESSED if found.alpha is None else round(found.alpha, 3)
        reading = READINGS.get(found.reading, found.reading)
        table.append([item.name, alpha, reading, found.subjects, found.ratings])
    if view.raters is not None:
        table.append([])
        table.append(["Rater", "Mean difference (steps)", "Ratings"])
        for rater in view.raters:
            name = rater.rater.display_name
            table.append([name, round(rater.mean, 2), rater.ratings])
    return table


def _safe(value: Value) -> Value:
    """Text a spreadsheet would run as a formula starts with a quote instead."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(rows: Sequence[Sequence[Value]]) -> bytes:
    """The table as UTF-8 CSV (with a byte order mark, so spreadsheets read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: Sequence[Sequence[Value]], sheet: str) -> bytes:
    """The table as an XLSX workbook of one sheet named `sheet`; numbers stay numbers."""
    book = Workbook(write_only=True)
    page = book.create_sheet(title=sheet[:31])
    for row in rows:
        page.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

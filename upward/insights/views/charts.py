"""The insight charts as plain geometry for server-rendered SVG: the gap heatmap, the
pipeline's bars per level, the ready trend by quarter and agreement per competency.

Colours come from CSS classes (the page's policy allows no inline style); a suppressed
figure is drawn hatched, with the reason in its title.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe

from upward.engine.insights import READINGS, SHOWN, Cell, QuarterPoint, Stage

if TYPE_CHECKING:
    from upward.insights.selectors import CompetencyAgreement, HeatmapView, LevelRow


def n(value: float | None) -> str:
    """A coordinate as SVG wants it, whatever the page's locale: "12.5", "30", or ""."""
    if value is None:
        return ""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)}%"


def short(text: str, longest: int) -> str:
    return text if len(text) <= longest else text[: longest - 1] + "…"


def hidden_reason(threshold: int) -> str:
    return f"suppressed: fewer than {threshold} people, or it would reveal a group that small"


# --- Heatmap -----------------------------------------------------------------------------

HEAT_LABEL = 170  # the rows' names
HEAT_NAME = 18  # longest competency name drawn whole in a column's head
HEAT_COLUMN = 58
HEAT_ROW = 40
HEAT_RIGHT = 110  # room for the last competencies' slanted names


def heat_class(cell: Cell) -> str:
    """The colour of a cell: hatched when suppressed, plain when empty, else by share."""
    if cell.suppressed != SHOWN:
        return "heat-suppressed"
    if not cell.people or cell.meeting is None:
        return "heat-empty"
    return f"heat-{min(4, int(cell.meeting * 5))}"


def cell_text(cell: Cell, threshold: int) -> dict[str, str]:
    """What a cell says: its share, its mean gap, and the whole in words for its title."""
    if cell.suppressed != SHOWN:
        return {"share": "—", "gap": "", "title": hidden_reason(threshold)}
    if not cell.people or cell.meeting is None:
        return {"share": "", "gap": "", "title": "nobody assessed"}
    gap = cell.mean_gap or 0.0
    return {
        "share": percent(cell.meeting),
        "gap": f"gap {gap:.1f}",
        "title": f"{percent(cell.meeting)} of {cell.people} meet their current level; "
        f"mean gap to target {gap:.1f} steps",
    }


def heat_td(text: dict[str, str]) -> SafeString:
    """A cell of the heatmap's table, from `cell_text`. Made here rather than by a
    template included per cell: a page of 30 rows has 1,500 of them."""
    if text["share"] == "—":
        return _SUPPRESSED_TD
    if text["share"]:
        return mark_safe(_TD.format(escape(text["share"]), escape(text["gap"])))  # noqa: S308 (escaped)
    return _EMPTY_TD


_SUPPRESSED_TD = mark_safe('<td class="is-suppressed">suppressed</td>')
_EMPTY_TD = mark_safe('<td class="muted">—</td>')
_TD = '<td>{}<span class="cell-sub">{}</span></td>'
_TEXT = '<text class="{}" x="{}" y="{}">{}</text>'
_CELL = (
    '<g class="heat-cell"><title>{}</title><rect class="{}"{} x="{}" y="{}" width="{}"'
    ' height="{}" rx="3"/>{}{}</g>'
)
_HATCHED = ' fill="url(#hatch-heat)"'


def _heat_cell(cell: Cell, x: float, top: float, title: str, text: dict[str, str]) -> SafeString:
    """One cell of the heatmap's SVG: its colour, share and gap, and the whole in its
    title. Plain string formatting with every text escaped: format_html per cell costs
    a tenth of a millisecond, and a page has 1,500 cells."""
    css = heat_class(cell)
    cx = n(x + HEAT_COLUMN / 2)
    share = gap = ""
    if text["share"]:
        share = _TEXT.format("heat-share", cx, n(top + 18), escape(text["share"]))
    if text["gap"]:
        gap = _TEXT.format("heat-gap", cx, n(top + 32), escape(text["gap"]))
    markup = _CELL.format(
        escape(title),
        css,
        _HATCHED if css == "heat-suppressed" else "",
        n(x + 1),
        n(top + 1),
        n(HEAT_COLUMN - 2),
        n(HEAT_ROW - 2),
        share,
        gap,
    )
    return mark_safe(markup)  # noqa: S308 (every text escaped above; the rest are numbers)


def _heat_row(cells: list[Cell], top: float, view: HeatmapView, label: str) -> list[SafeString]:
    out = []
    for i, cell in enumerate(cells):
        text = cell_text(cell, view.threshold)
        title = f"{label} · {view.columns[i].name}: {text['title']}"
        out.append(_heat_cell(cell, HEAT_LABEL + i * HEAT_COLUMN, top, title, text))
    return out


def heatmap_chart(view: HeatmapView) -> dict[str, Any]:
    """Rows (teams, levels or tracks) by competencies, then the totals row."""
    longest = max((min(len(c.name), HEAT_NAME) for c in view.columns), default=0)
    head = 24 + round(longest * 4.8)  # room for the slanted names
    columns = [
        {
            "name": short(c.name, HEAT_NAME),
            "title": c.name,
            "link": c.link,
            "x": n(HEAT_LABEL + i * HEAT_COLUMN + HEAT_COLUMN / 2 + 4),
            "y": n(head - 8),
        }
        for i, c in enumerate(view.columns)
    ]
    rows = []
    for r, (row, cells) in enumerate(zip(view.rows, view.grid.cells, strict=True)):
        top = head + r * HEAT_ROW
        rows.append(
            {
                "label": short(row.label, 22),
                "title": f"{row.label}: {row.people} people",
                "drill": row.drill,
                "text_y": n(top + HEAT_ROW / 2 + 5),
                "cells": _heat_row(cells, top, view, row.label),
            }
        )
    total_top = head + len(rows) * HEAT_ROW + 6
    return {
        "width": HEAT_LABEL + len(columns) * HEAT_COLUMN + HEAT_RIGHT,
        "height": total_top + HEAT_ROW + 4,
        "columns": columns,
        "rows": rows,
        "total": {
            "text_y": n(total_top + HEAT_ROW / 2 + 5),
            "line_y": n(total_top - 3),
            "cells": _heat_row(view.grid.totals, total_top, view, "Total"),
        },
        "right": HEAT_LABEL + len(columns) * HEAT_COLUMN,
    }


# --- Pipeline ----------------------------------------------------------------------------

BAR_WIDTH = 360
BAR_LABEL = 116
BAR_HEIGHT = 14
BAR_GAP = 4
BAR_HEAD = 22
STAGES = [
    ("people", "Placed"),
    ("ready", "Ready"),
    ("with_roadmap", "With a roadmap"),
    ("with_mentor", "With a mentor"),
]


def _stage_bars(stage: Stage, top: float, scale: float, threshold: int) -> list[dict[str, Any]]:
    bars = []
    for i, (attr, label) in enumerate(STAGES):
        y = top + i * (BAR_HEIGHT + BAR_GAP)
        value = getattr(stage, attr)
        hidden = stage.suppressed != SHOWN
        width = BAR_WIDTH - BAR_LABEL - 70 if hidden else (value or 0) * scale
        bars.append(
            {
                "css": "bar-suppressed" if hidden else f"bar-stage-{i}",
                "y": n(y),
                "w": n(max(width, 1)),
                "text_x": n(BAR_LABEL + width + 6),
                "text_y": n(y + BAR_HEIGHT - 3),
                "label": label,
                "label_y": n(y + BAR_HEIGHT - 3),
                "value": "suppressed" if hidden else str(value or 0),
                "title": f"{label}: " + (hidden_reason(threshold) if hidden else str(value or 0)),
            }
        )
    return bars


def pipeline_chart(rows: list[LevelRow], threshold: int) -> dict[str, Any]:
    """For each level, four bars: placed, ready, with a roadmap, with a mentor."""
    largest = max((r.stage.people or 0 for r in rows), default=0) or 1
    scale = (BAR_WIDTH - BAR_LABEL - 70) / largest
    block = BAR_HEAD + len(STAGES) * (BAR_HEIGHT + BAR_GAP) + 12
    levels = []
    for i, row in enumerate(rows):
        top = i * block
        levels.append(
            {
                "title": row.title,
                "next": row.next or "",
                "head_y": n(top + 15),
                "bars": _stage_bars(row.stage, top + BAR_HEAD, scale, threshold),
            }
        )
    return {
        "width": BAR_WIDTH,
        "height": max(block * len(rows), 1),
        "label": BAR_LABEL,
        "levels": levels,
    }


TREND_WIDTH = 360
TREND_HEIGHT = 190
TREND_PAD = {"left": 48, "right": 12, "top": 24, "bottom": 34}


def trend_chart(points: list[QuarterPoint], threshold: int) -> dict[str, Any]:
    """A bar per quarter: the share of the people placed then who were ready."""
    pad = TREND_PAD
    inner_w = TREND_WIDTH - pad["left"] - pad["right"]
    inner_h = TREND_HEIGHT - pad["top"] - pad["bottom"]
    base = pad["top"] + inner_h
    slot = inner_w / max(1, len(points))
    bars = []
    for i, point in enumerate(points):
        x = pad["left"] + i * slot + slot * 0.2
        hidden = point.suppressed != SHOWN
        share = (point.ready or 0) / point.people if point.people and not hidden else 0.0
        height = inner_h if hidden else max(share * inner_h, 1)
        if hidden:
            words, title = "suppressed", hidden_reason(threshold)
        elif not point.people:
            words, title = "nobody", "nobody placed yet"
        else:
            words = f"{point.ready} of {point.people}"
            title = f"{point.quarter}: {words} ready ({percent(share)})"
        bars.append(
            {
                "css": "bar-suppressed" if hidden else "bar-ready",
                "x": n(x),
                "y": n(base - height),
                "w": n(slot * 0.6),
                "h": n(height),
                "cx": n(x + slot * 0.3),
                "value_y": n(base - height - 6 if not hidden else pad["top"] + 14),
                "value": words if hidden or not point.people else percent(share),
                "quarter": point.quarter,
                "title": title,
            }
        )
    grid = []
    for pct in (0, 50, 100):
        y = pad["top"] + (1 - pct / 100) * inner_h
        grid.append({"y": n(y), "text_y": n(y + 4), "label": f"{pct}%"})
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": pad["left"],
        "axis_x": pad["left"] - 6,
        "right": TREND_WIDTH - pad["right"],
        "base": n(base),
        "label_y": TREND_HEIGHT - 10,
        "bars": bars,
        "grid": grid,
    }


# --- Calibration -------------------------------------------------------------------------

ALPHA_WIDTH = 400
ALPHA_LABEL = 130
ALPHA_ROW = 28
ALPHA_HEAD = 22
ALPHA_RIGHT = 56


def alpha_class(reading: str) -> str:
    return {"agree": "bar-agree", "mostly": "bar-mostly", "differ": "bar-differ"}.get(
        reading, "bar-suppressed"
    )


def alpha_chart(items: list[CompetencyAgreement]) -> dict[str, Any]:
    """Krippendorff's alpha per competency on a 0 to 1 scale, with the 0.667 and 0.8 marks."""
    span = ALPHA_WIDTH - ALPHA_LABEL - ALPHA_RIGHT
    rows = []
    for i, item in enumerate(items):
        top = ALPHA_HEAD + i * ALPHA_ROW
        found = item.agreement
        alpha = found.alpha
        width = max(0.0, min(1.0, alpha)) * span if alpha is not None else 0.0
        reading = READINGS.get(found.reading, found.reading)
        rows.append(
            {
                "name": short(item.name, 18),
                "link": item.link,
                "text_y": n(top + ALPHA_ROW / 2 + 4),
                "y": n(top + 6),
                "w": n(max(width, 2)),
                "css": alpha_class(found.reading),
                "value_x": n(ALPHA_LABEL + width + 6),
                "value": f"{alpha:.2f}" if alpha is not None else "—",
                "title": f"{item.name}: {reading}"
                + (f" (alpha {alpha:.2f}, {found.subjects} people)" if alpha is not None else ""),
            }
        )
    bottom = ALPHA_HEAD + len(items) * ALPHA_ROW
    marks = [
        {"x": n(ALPHA_LABEL + value * span), "label": label}
        for value, label in ((0.0, "0"), (0.667, "0.67"), (0.8, "0.8"), (1.0, "1"))
    ]
    return {
        "width": ALPHA_WIDTH,
        "height": bottom + 6,
        "left": ALPHA_LABEL,
        "bottom": bottom,
        "rows": rows,
        "marks": marks,
    }

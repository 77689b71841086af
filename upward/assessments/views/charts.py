"""The delta's charts as plain geometry for server-rendered SVG: the steps chart
(wide and phone layouts) and the readiness trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from upward.assessments import selectors
from upward.assessments.selectors import step_code
from upward.engine.framework.models import FrameworkDocument

# --- Charts (server-rendered SVG) -------------------------------------------------------------


@dataclass(frozen=True)
class ChartLayout:
    """Where the steps chart puts things: each name beside its bars, or (no label
    column, for phones) above them, so the text stays readable at either size."""

    name: str  # also the prefix of the chart's element ids
    width: int
    label: int  # the names' column; 0 puts each name above its bars
    row: int
    head: int = 30
    right: int = 12


WIDE = ChartLayout("wide", width=960, label=230, row=32)
NARROW = ChartLayout("narrow", width=360, label=0, row=48)


def step_chart(
    doc: FrameworkDocument, view: selectors.DeltaReport, layout: ChartLayout
) -> dict[str, Any]:
    """Expected, operating and demonstrated step per competency, on the steps scale.

    When every competency shares the track's levels the scale is cropped to the
    levels around the current and target ones, with a column per level. A bar
    ends at the right edge of its step's column, so reaching the target's mark
    means reaching the target.
    """
    track = view.placement.target_track
    items = view.delta.competencies
    scales = [[s.key for s in doc.steps(c.key, track)] for c in items]
    shared = len({tuple(s) for s in scales}) == 1
    lo, hi = _chart_window(view, scales[0]) if shared else (0, 0)
    rows = []
    for n, (item, keys) in enumerate(zip(items, scales, strict=True)):
        first, last = (lo, hi) if shared else (0, len(keys) - 1)
        row = _chart_row(doc, item, keys, layout, first=first, last=last)
        top = layout.head + n * layout.row
        mid = top + layout.row / 2 if layout.label else top + 32
        row.update(
            text_y=_n(mid + 4 if layout.label else top + 14),
            operating_y=_n(mid - 8),
            demonstrated_y=_n(mid - 4),
            expected_y=_n(mid - 13),
            tick_y=_n(mid - 3),
            tick_end=_n(mid + 3),
            none_y=_n(mid + 4),  # "not rated yet", on the operating bar's line
        )
        if shared:
            row["ticks"] = []
        rows.append(row)
    left, right = layout.label, layout.width - layout.right
    columns = []
    if shared and scales:
        width = (right - left) / (hi - lo + 1)
        columns = [
            {
                "x": _n(left + (i + 0.5) * width),
                "edge": _n(left + (i + 1) * width),
                "label": step_code(doc, items[0].key, k),
            }
            for i, k in enumerate(scales[0][lo : hi + 1])
        ]
    return {
        "id": layout.name,
        "width": layout.width,
        "height": layout.head + len(rows) * layout.row + 6,
        "left": left,
        "name_x": 0 if left else 4,
        "none_x": left + 8,
        "right": right,
        "rows": rows,
        "columns": columns,
        "cropped": shared and lo > 0,
    }


def _chart_window(view: selectors.DeltaReport, keys: list[str]) -> tuple[int, int]:
    """The shared levels worth showing: one below the lowest mark to one above the highest."""
    marks = (
        [keys.index(view.placement.current_level)] if view.placement.current_level in keys else []
    )
    for item in view.delta.competencies:
        marks += [keys.index(k) for k in (item.expected, item.operating) if k in keys]
    lo = max(0, min(marks, default=0) - 1)
    hi = min(len(keys) - 1, max(marks, default=len(keys) - 1) + 1)
    return lo, hi


def _chart_row(
    doc: FrameworkDocument,
    item: Any,
    keys: list[str],
    layout: ChartLayout,
    *,
    first: int,
    last: int,
) -> dict[str, Any]:
    """One competency's bars: each ends at the right edge of its step's column."""
    left = layout.label
    width = (layout.width - layout.right - left) / (last - first + 1)

    def end_of(step: str | None) -> float | None:
        if step is None or step not in keys:
            return None
        column = min(keys.index(step), last) - first + 1
        return round(max(column * width, 4), 1)  # below the chart: a stub

    expected = end_of(item.expected)
    labels = [
        step_code(doc, item.key, step) if step else "none"
        for step in (item.expected, item.operating, item.demonstrated)
    ]
    longest = 26 if layout.label else 48
    return {
        "name": item.name if len(item.name) <= longest else item.name[: longest - 1] + "…",
        "title": f"{item.name}: expected {labels[0]}, operating {labels[1]}, "
        f"demonstrated {labels[2]}",
        "status": item.status,
        "operating": _n(end_of(item.operating)),
        "demonstrated": _n(end_of(item.demonstrated)),
        "expected_x": _n(left + expected - 1.5) if expected else "",
        "ticks": [_n(left + (i + 1) * width) for i in range(last - first + 1)],
    }


TREND_WIDTH = 560
TREND_HEIGHT = 180
TREND_PAD = {"left": 64, "right": 18, "top": 24, "bottom": 34}
TREND_INSET = 16  # the first and last points stay clear of the axis labels


def trend_chart(trend: list[tuple[date, float]]) -> dict[str, Any]:
    """A line of readiness over the last months."""
    pad = TREND_PAD
    inner_w = TREND_WIDTH - pad["left"] - pad["right"]
    inner_h = TREND_HEIGHT - pad["top"] - pad["bottom"]
    count = max(1, len(trend) - 1)
    span = inner_w - 2 * TREND_INSET
    xy = [
        (
            round(pad["left"] + TREND_INSET + i * span / count, 1),
            round(pad["top"] + (1 - v) * inner_h, 1),
        )
        for i, (_day, v) in enumerate(trend)
    ]
    points = [
        {"x": _n(x), "y": _n(y), "day": day, "pct": round(v * 100)}
        for (x, y), (day, v) in zip(xy, trend, strict=True)
    ]
    value = points[-1] | {"y": _n(xy[-1][1] - 12)} if points else None
    base = pad["top"] + inner_h
    line = " ".join(f"{x},{y}" for x, y in xy)
    area = f"{pad['left']},{base} {line} {xy[-1][0]},{base}" if xy else ""
    grid = []
    for pct in (0, 50, 100):
        y = round(pad["top"] + (1 - pct / 100) * inner_h, 1)
        grid.append({"y": _n(y), "text_y": _n(y + 4), "label": f"{pct}%"})
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": pad["left"],
        "axis_x": pad["left"] - 8,
        "right": TREND_WIDTH - pad["right"],
        "base": base,
        "label_y": TREND_HEIGHT - 8,
        "points": points,
        "value": value,
        "line": line,
        "area": area,
        "grid": grid,
    }


def _n(value: float | None) -> str:
    """A coordinate as SVG wants it, whatever the page's locale: "12.5", "30", or ""."""
    if value is None:
        return ""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)

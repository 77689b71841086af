"""Organization insights in arrays: gap grids, the readiness pipeline and rater agreement.

Every function takes numpy arrays (one entry per person, per membership or per rating) and
returns small results; none loops in Python over people or ratings, so an organization of
100,000 people is aggregated in milliseconds.

Anonymity: an aggregate backed by fewer people than the organization's threshold is
suppressed (shown as "suppressed", never as a number). So is any aggregate that, together with
the totals shown beside it, would let a reader work a suppressed one out by subtraction: see
`suppress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import krippendorff
import numpy as np

__all__ = [
    "COMPLEMENTARY",
    "READINGS",
    "SHOWN",
    "SMALL",
    "Agreement",
    "Cell",
    "Grid",
    "Leniency",
    "QuarterPoint",
    "Stage",
    "agreement",
    "gap_grid",
    "gap_layout",
    "leniency",
    "pipeline",
    "quarter_of",
    "quarters_until",
    "ready_by_quarter",
    "suppress",
]

SHOWN, SMALL, COMPLEMENTARY = "", "small", "complementary"

READINGS = {
    "agree": "Raters agree",
    "mostly": "Raters mostly agree",
    "differ": "Raters read it differently",
    "same": "Every rating is the same step",
    "few": "Too few subjects rated by two or more people",
}
AGREE_AT = 0.8
MOSTLY_AT = 0.667


def _check_threshold(threshold: int) -> None:
    if threshold < 0:
        raise ValueError(f"threshold: {threshold} is negative")


def suppress(
    counts: np.ndarray, threshold: int, totals: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Which cells of a table of counts may be shown, and why the others may not.

    `counts` is an int array G x C: the people behind each cell; the rows of a column together
    make its total, which is shown beside them. `totals` (C), when given, is each column's total
    when it is not the plain sum (people in several rows count once); else the column sums.
    Returns (cell reasons G x C, total reasons C), each SHOWN, SMALL or COMPLEMENTARY.

    - Primary: a cell with 0 < n < threshold is SMALL. An empty cell (n == 0) is shown as
      empty: it hides nobody and never serves as a cover.
    - A total with 0 < total < threshold is SMALL, and so is every non-empty cell of its column.
    - Secondary, per column: while the suppressed cells together back 0 < sum < threshold people
      (a single suppressed cell always does), the total minus the shown cells would reveal
      them, so the smallest remaining non-empty shown cell (ties: lowest row) is suppressed too,
      as COMPLEMENTARY; when no such cell remains, the total is. A shown non-empty cell backs at
      least `threshold` people, so one cover is always enough.
    """
    _check_threshold(threshold)
    counts = np.asarray(counts, dtype=np.int64)
    if counts.ndim != 2:
        raise ValueError(f"counts: expected a 2-D array, got {counts.ndim}-D")
    if (counts < 0).any():
        raise ValueError("counts: negative count")
    total = counts.sum(axis=0) if totals is None else np.asarray(totals, dtype=np.int64)
    if total.shape != (counts.shape[1],):
        raise ValueError(f"totals: expected {counts.shape[1]} columns, got {total.shape}")
    cells = np.full(counts.shape, SHOWN, dtype=object)
    totals_out = np.full(total.shape, SHOWN, dtype=object)

    small_total = (total > 0) & (total < threshold)
    totals_out[small_total] = SMALL
    hidden = ((counts > 0) & (counts < threshold)) | ((counts > 0) & small_total[None, :])
    cells[hidden] = SMALL

    backed = np.where(hidden, counts, 0).sum(axis=0)
    needs_cover = (backed > 0) & (backed < threshold) & ~small_total
    if needs_cover.any():
        candidates = (counts > 0) & ~hidden
        keyed = np.where(candidates, counts, np.iinfo(np.int64).max)
        smallest = keyed.argmin(axis=0) if counts.shape[0] else np.zeros(0, dtype=np.int64)
        has_candidate = candidates.any(axis=0)
        cover_cell = needs_cover & has_candidate
        cells[smallest[cover_cell], np.flatnonzero(cover_cell)] = COMPLEMENTARY
        totals_out[needs_cover & ~has_candidate] = COMPLEMENTARY
    return cells, totals_out


@dataclass(frozen=True, slots=True)
class Cell:
    """One aggregate of a grid; every number is None when the cell is suppressed."""

    people: int | None  # None when suppressed
    meeting: float | None  # share (0..1) meeting their current level's expectation
    mean_gap: float | None  # mean gap to their target, in steps
    suppressed: str = SHOWN  # SHOWN, SMALL or COMPLEMENTARY


@dataclass(frozen=True)
class Grid:
    """Rows (groups) x columns (competencies), and the total of each column."""

    cells: list[list[Cell]]
    totals: list[Cell]  # per column, over the distinct people of all rows


_EMPTY = Cell(0, None, None)
_HIDDEN = {
    SMALL: Cell(None, None, None, SMALL),
    COMPLEMENTARY: Cell(None, None, None, COMPLEMENTARY),
}


def _cells(n: np.ndarray, met: np.ndarray, gap: np.ndarray, reasons: np.ndarray) -> list[Any]:
    """Cell objects, in the shape of `n`, for counts, sums and suppression reasons."""
    safe = np.maximum(n, 1)
    share = (met / safe).tolist()
    mean = (gap / safe).tolist()
    people = n.tolist()
    why = reasons.tolist()

    def one(p: int, s: float, m: float, r: str) -> Cell:
        if r:
            return _HIDDEN[r]
        if p == 0:
            return _EMPTY
        return Cell(p, s, m)

    if n.ndim == 1:
        return [one(*t) for t in zip(people, share, mean, why, strict=True)]
    return [
        [one(*t) for t in zip(*row, strict=True)]
        for row in zip(people, share, mean, why, strict=True)
    ]


def gap_layout(assessed: np.ndarray, meets: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """The arrays `gap_grid` sums, as one: [assessed | meeting | gap] x people (3C x P),
    people along the fast axis; bytes unless a gap passes 255."""
    assessed = np.asarray(assessed, dtype=bool)
    meets = np.asarray(meets, dtype=bool)
    gap = np.asarray(gap)
    people, columns = assessed.shape
    small = not gap.size or gap.max() <= np.iinfo(np.uint8).max
    stacked = np.empty((3, columns, people), dtype=np.uint8 if small else np.int64)
    stacked[0] = assessed.T
    stacked[1] = (assessed & meets).T
    stacked[2] = np.where(assessed, gap, 0).T
    return stacked.reshape(3 * columns, people)


def gap_grid(
    pair_person: np.ndarray,
    pair_group: np.ndarray,
    groups: int,
    assessed: np.ndarray,
    meets: np.ndarray,
    gap: np.ndarray,
    threshold: int,
    shown: slice | None = None,
    layout: np.ndarray | None = None,
) -> Grid:
    """Per group and competency: people assessed, share meeting their level, mean gap.

    `pair_person`/`pair_group` hold one entry per (person, group) membership: a person may be
    in several groups (counted in each) or in none (counted in no row and not in the totals); a
    repeated pair counts once. `assessed`/`meets` are bool P x C and `gap` int P x C. A cell's
    n is the number of assessed people of the group; `meeting` the mean of `meets` over them;
    `mean_gap` the mean of `gap` over them. A column's total is over the distinct people of all
    groups. Cells and totals are suppressed by `suppress` on the n matrix.

    `shown`: the groups whose cells are returned (a page of them; every group by default).
    Suppression is decided over every group all the same, so a page shows what the whole
    grid would. `layout`: `gap_layout` of the same arrays, when the caller keeps it.
    """
    _check_threshold(threshold)
    assessed = np.asarray(assessed, dtype=bool)
    meets = np.asarray(meets, dtype=bool)
    gap = np.asarray(gap)
    if assessed.ndim != 2 or meets.shape != assessed.shape or gap.shape != assessed.shape:
        raise ValueError("assessed, meets and gap: expected arrays of the same P x C shape")
    people, columns = assessed.shape
    person = np.asarray(pair_person, dtype=np.int64)
    group = np.asarray(pair_group, dtype=np.int64)
    if person.shape != group.shape or person.ndim != 1:
        raise ValueError("pair_person and pair_group: expected 1-D arrays of the same length")
    if groups < 0:
        raise ValueError(f"groups: {groups} is negative")
    if person.size and (person.min() < 0 or person.max() >= people):
        raise ValueError(f"pair_person: an index outside 0..{people - 1}")
    if group.size and (group.min() < 0 or group.max() >= groups):
        raise ValueError(f"pair_group: an index outside 0..{groups - 1}")
    if gap.size and gap.min() < 0:
        raise ValueError("gap: a negative gap")

    laid = layout if layout is not None else gap_layout(assessed, meets, gap)
    if laid.shape != (3 * columns, people):
        raise ValueError("layout: expected gap_layout of these assessed, meets and gap")
    small = laid.dtype == np.uint8
    wide = np.int32 if small and people < 2**23 else np.int64

    sums = np.zeros((groups, 3 * columns), dtype=np.int64)
    keys = np.sort(group * max(people, 1) + person)  # by group, then person
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
    if keys.size:
        person, group = keys % max(people, 1), keys // max(people, 1)
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        picked = np.take(laid, person, axis=1)
        sums[group[starts]] = np.add.reduceat(picked, starts, axis=1, dtype=wide).T

    outside = np.flatnonzero(np.bincount(person, minlength=people) == 0)
    total = laid.sum(axis=1, dtype=np.int64)
    total -= np.take(laid, outside, axis=1).sum(axis=1, dtype=np.int64)
    n, met_n, gaps = np.split(sums, 3, axis=1)
    total_n, total_met, total_gap = np.split(total, 3)

    reasons, total_reasons = suppress(n, threshold, total_n)
    rows = shown if shown is not None else slice(None)
    return Grid(
        cells=_cells(n[rows], met_n[rows], gaps[rows], reasons[rows]),
        totals=_cells(total_n, total_met, total_gap, total_reasons),
    )


@dataclass(frozen=True)
class Stage:
    """One level of the pipeline (or the total); every number is None when suppressed."""

    people: int | None
    ready: int | None
    with_roadmap: int | None
    with_mentor: int | None
    suppressed: str = SHOWN


def pipeline(
    level_of: np.ndarray,
    levels: int,
    ready: np.ndarray,
    roadmap: np.ndarray,
    mentor: np.ndarray,
    threshold: int,
) -> tuple[list[Stage], Stage]:
    """Per level: the people placed at it, how many are ready, have a roadmap, have a mentor.

    `level_of` is each person's current level index among `levels` (-1: left out);
    `ready`/`roadmap`/`mentor` are bool per person. Returns a Stage per level and the total over
    the people counted. A level's row (or the total) is suppressed by `suppress` on the people
    per level, as one column whose total is shown.
    """
    _check_threshold(threshold)
    level_of = np.asarray(level_of, dtype=np.int64)
    flags = [np.asarray(a, dtype=bool) for a in (ready, roadmap, mentor)]
    if level_of.ndim != 1 or any(f.shape != level_of.shape for f in flags):
        raise ValueError("level_of, ready, roadmap and mentor: expected 1-D arrays of one length")
    if levels < 0:
        raise ValueError(f"levels: {levels} is negative")
    if level_of.size and (level_of.min() < -1 or level_of.max() >= levels):
        raise ValueError(f"level_of: an index outside -1..{levels - 1}")
    counted = level_of >= 0
    at = level_of[counted]
    people = np.bincount(at, minlength=levels)
    sums = [np.bincount(at, weights=f[counted], minlength=levels).astype(np.int64) for f in flags]

    reasons, total_reasons = suppress(people[:, None], threshold)

    def stage(counts: list[int], why: str) -> Stage:
        if why:
            return Stage(None, None, None, None, why)
        size, ready_n, roadmap_n, mentor_n = counts
        return Stage(size, ready_n, roadmap_n, mentor_n)

    table = np.stack([people, *sums], axis=1)
    rows = [stage(c, w) for c, w in zip(table.tolist(), reasons[:, 0].tolist(), strict=True)]
    total = stage(table.sum(axis=0).tolist(), total_reasons[0])
    return rows, total


def quarter_of(day: date) -> str:
    """The calendar quarter of a day, as "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters_until(day: date, n: int) -> list[str]:
    """The `n` quarters ending with the one of `day`, oldest first."""
    if n < 0:
        raise ValueError(f"n: {n} is negative")
    index = day.year * 4 + (day.month - 1) // 3
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - n + 1, index + 1)]


@dataclass(frozen=True)
class QuarterPoint:
    """People with a readiness at a quarter and how many of them were ready."""

    quarter: str
    people: int | None
    ready: int | None
    suppressed: str = SHOWN


def ready_by_quarter(
    history: np.ndarray, quarters: list[str], ready_at: float, threshold: int
) -> list[QuarterPoint]:
    """How many people were ready at each quarter.

    `history` is float P x Q (nan: nothing recorded in that quarter), columns in `quarters`
    order. A person's value at a quarter is the latest one recorded at or before it (carried
    forward over quarters without a record); the people of a quarter are those with a value,
    and the ready ones those whose value is at least `ready_at`. A quarter is suppressed
    (SMALL) when 0 < people < threshold.
    """
    _check_threshold(threshold)
    history = np.asarray(history, dtype=np.float64)
    if history.ndim != 2 or history.shape[1] != len(quarters):
        raise ValueError(f"history: expected P x {len(quarters)}, got shape {history.shape}")
    recorded = ~np.isnan(history)
    latest = np.maximum.accumulate(np.where(recorded, np.arange(len(quarters)), 0), axis=1)
    filled = np.take_along_axis(history, latest, axis=1)
    has = ~np.isnan(filled)
    people = has.sum(axis=0).tolist()
    ready = (has & (np.nan_to_num(filled, nan=-np.inf) >= ready_at)).sum(axis=0).tolist()
    return [
        QuarterPoint(q, None, None, SMALL) if 0 < p < threshold else QuarterPoint(q, p, r)
        for q, p, r in zip(quarters, people, ready, strict=True)
    ]


@dataclass(frozen=True)
class Agreement:
    """Krippendorff's alpha of one competency, what it rests on, and its reading (READINGS)."""

    alpha: float | None
    subjects: int
    ratings: int
    reading: str


def _paired(subject: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Which rows belong to a unit with >= 2 rows, their unit index (0..units-1), units."""
    _, inverse, size = np.unique(subject, return_inverse=True, return_counts=True)
    keep = size[inverse] >= 2
    _, unit = np.unique(inverse[keep], return_inverse=True)
    return keep, unit.reshape(-1), int((size >= 2).sum())


def agreement(subject: np.ndarray, value: np.ndarray, steps: int) -> Agreement:
    """How well raters agree on one competency: Krippendorff's alpha on ordinal steps.

    Rows are ratings: the subject's id and the step index (0..steps-1), at most one per
    (rater, subject) (the caller keeps each rater's latest). Only subjects rated by two or more
    people count. Alpha is ordinal, over the value domain range(steps), computed by the
    `krippendorff` package from the units x steps value counts. Readings: alpha >= 0.8
    "agree", >= 0.667 "mostly", else "differ"; fewer than 2 such subjects: "few"; every counted
    rating on one step (no variation to agree on): "same". Alpha is None for "few" and "same".
    """
    subject = np.asarray(subject).reshape(-1)
    value = np.asarray(value, dtype=np.int64).reshape(-1)
    if subject.shape != value.shape:
        raise ValueError("subject and value: expected arrays of the same length")
    if steps < 1:
        raise ValueError(f"steps: {steps} is below 1")
    if value.size and (value.min() < 0 or value.max() >= steps):
        raise ValueError(f"value: a step index outside 0..{steps - 1}")
    keep, unit, units = _paired(subject)
    value = value[keep]
    if units < 2:
        return Agreement(None, units, int(value.size), "few")
    if (value == value[0]).all():
        return Agreement(None, units, int(value.size), "same")
    counts = np.bincount(unit * steps + value, minlength=units * steps).reshape(units, steps)
    alpha = float(
        krippendorff.alpha(
            value_counts=counts, value_domain=range(steps), level_of_measurement="ordinal"
        )
    )
    reading = "agree" if alpha >= AGREE_AT else "mostly" if alpha >= MOSTLY_AT else "differ"
    return Agreement(alpha, units, int(value.size), reading)


@dataclass(frozen=True)
class Leniency:
    """A rater's mean step above (+) or below (-) the other raters, over `ratings` ratings."""

    rater: int
    mean: float
    ratings: int


def leniency(unit: np.ndarray, rater: np.ndarray, value: np.ndarray) -> list[Leniency]:
    """How far each rater sits from the consensus of the others.

    `unit` identifies what a rating is about (one subject and competency), `rater` who gave it,
    `value` its step. Only units with two or more ratings count. A rating's difference is its
    value minus the mean of the other ratings of its unit; a rater's leniency is the mean of
    their differences, with how many ratings it rests on. Sorted by the largest distance from
    consensus first (-abs(mean)), then by rater.
    """
    unit = np.asarray(unit).reshape(-1)
    rater = np.asarray(rater, dtype=np.int64).reshape(-1)
    value = np.asarray(value, dtype=np.float64).reshape(-1)
    if not unit.shape == rater.shape == value.shape:
        raise ValueError("unit, rater and value: expected arrays of the same length")
    keep, index, _ = _paired(unit)
    rater, value = rater[keep], value[keep]
    if not value.size:
        return []
    size = np.bincount(index)
    total = np.bincount(index, weights=value)
    others = (total[index] - value) / (size[index] - 1)
    ids, who = np.unique(rater, return_inverse=True)
    count = np.bincount(who)
    mean = np.bincount(who, weights=value - others) / count
    order = np.lexsort((ids, -np.abs(mean)))
    return [
        Leniency(r, m, c)
        for r, m, c in zip(
            ids[order].tolist(), mean[order].tolist(), count[order].tolist(), strict=True
        )
    ]

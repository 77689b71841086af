"""Insights arithmetic: hand-computed grids, suppression, Krippendorff's alpha, leniency."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import krippendorff
import numpy as np
import pytest

from upward.engine.insights import (
    COMPLEMENTARY,
    READINGS,
    SHOWN,
    SMALL,
    Cell,
    Leniency,
    QuarterPoint,
    Stage,
    agreement,
    gap_grid,
    gap_layout,
    leniency,
    pipeline,
    quarter_of,
    quarters_until,
    ready_by_quarter,
    suppress,
)


def column(*counts: int, threshold: int = 5) -> tuple[list[str], str]:
    """Suppression of one column of counts: (cell reasons, total reason)."""
    cells, total = suppress(np.array(counts, dtype=int)[:, None], threshold)
    return [str(r) for r in cells[:, 0]], str(total[0])


# --- suppress -----------------------------------------------------------------------------


def test_every_cell_at_or_above_the_threshold_is_shown() -> None:
    assert column(5, 9, 12) == ([SHOWN, SHOWN, SHOWN], SHOWN)


def test_a_small_cell_is_covered_by_the_smallest_other_non_empty_cell() -> None:
    # Column 3, 0, 8, 6 (total 17). Hiding only the 3 would leave 17 - 0 - 8 - 6 = 3 readable,
    # so the smallest other non-empty cell (6, not the empty 0) is hidden as well; then the
    # reader only learns that the two hidden cells hold 17 - 8 = 9 people together.
    cells, total = column(3, 0, 8, 6)
    assert cells == [SMALL, SHOWN, SHOWN, COMPLEMENTARY]
    assert total == SHOWN
    assert 17 - 0 - 8 - 6 == 3  # what the total would reveal without the cover


def test_the_cover_tie_goes_to_the_lowest_row() -> None:
    assert column(7, 2, 7)[0] == [COMPLEMENTARY, SMALL, SHOWN]


def test_an_empty_cell_is_neither_suppressed_nor_a_cover() -> None:
    # The 2 is small and its only neighbour is empty, which cannot cover it; the total (2) is
    # below the threshold as well, so the total is hidden and the empty cell stays shown.
    assert column(2, 0) == ([SMALL, SHOWN], SMALL)
    # An all-empty column has nothing to hide.
    assert column(0, 0, 0) == ([SHOWN, SHOWN, SHOWN], SHOWN)


def test_two_small_cells_below_the_threshold_together_need_a_third() -> None:
    # 1 + 2 = 3 < 5: total 18 minus the shown 7 and 8 would give 3 for the pair, and the pair
    # is still fewer than 5 people, so the smallest shown cell (7) is hidden too.
    assert column(1, 2, 7, 8) == ([SMALL, SMALL, COMPLEMENTARY, SHOWN], SHOWN)


def test_two_small_cells_reaching_the_threshold_together_need_no_cover() -> None:
    # 3 + 4 = 7 >= 5: the total minus the shown cells gives 7 people for two hidden cells.
    assert column(3, 4, 9) == ([SMALL, SMALL, SHOWN], SHOWN)


def test_all_cells_small_with_a_small_total_hides_the_total() -> None:
    assert column(2, 2) == ([SMALL, SMALL], SMALL)
    # All small but 3 + 3 + 3 = 9 >= 5: the total is shown; no single cell can be worked out.
    assert column(3, 3, 3) == ([SMALL, SMALL, SMALL], SHOWN)


def test_a_total_below_the_threshold_hides_every_non_empty_cell_of_its_column() -> None:
    # Threshold 10: each cell (5, 4) is small anyway and the total 9 is below 10 too.
    assert column(5, 4, 0, threshold=10) == ([SMALL, SMALL, SHOWN], SMALL)


def test_given_totals_override_the_column_sums() -> None:
    # Rows overlap: 3 people appear in both rows, so the distinct total is 4, below 5.
    cells, totals = suppress(np.array([[4], [3]]), 5, np.array([4]))
    assert list(totals) == [SMALL]
    assert list(cells[:, 0]) == [SMALL, SMALL]


def test_columns_are_suppressed_independently() -> None:
    cells, totals = suppress(np.array([[2, 9], [8, 9], [9, 0]]), 5)
    assert cells.tolist() == [[SMALL, SHOWN], [COMPLEMENTARY, SHOWN], [SHOWN, SHOWN]]
    assert totals.tolist() == [SHOWN, SHOWN]


def test_a_cover_when_no_cell_remains_is_the_total() -> None:
    # Only reachable when the given total exceeds the rows' sum: the single small cell has no
    # shown neighbour, so the total (which would give it away) is hidden instead.
    cells, totals = suppress(np.array([[3]]), 5, np.array([9]))
    assert cells.tolist() == [[SMALL]]
    assert totals.tolist() == [COMPLEMENTARY]


@pytest.mark.parametrize(
    ("counts", "threshold", "totals", "message"),
    [
        (np.array([1, 2]), 5, None, "2-D"),
        (np.array([[1], [-2]]), 5, None, "negative count"),
        (np.array([[1, 2]]), 5, np.array([1]), "totals"),
        (np.array([[1]]), -1, None, "threshold"),
    ],
)
def test_suppress_rejects_bad_input(counts, threshold, totals, message) -> None:
    with pytest.raises(ValueError, match=message):
        suppress(counts, threshold, totals)


def test_threshold_one_suppresses_nothing() -> None:
    assert column(1, 0, 1, threshold=1) == ([SHOWN, SHOWN, SHOWN], SHOWN)


def test_an_empty_column_of_rows() -> None:
    cells, totals = suppress(np.zeros((0, 2), dtype=int), 5)
    assert cells.shape == (0, 2)
    assert totals.tolist() == [SHOWN, SHOWN]


# --- gap_grid -----------------------------------------------------------------------------

# Six people, two competencies. Person 5 is in no group; person 2 is in both groups.
# Group 0 = persons 0, 1, 2; group 1 = persons 2, 3, 4.
ASSESSED = np.array([[1, 1], [1, 0], [1, 1], [1, 1], [0, 1], [1, 1]], dtype=bool)
MEETS = np.array([[1, 0], [0, 1], [1, 1], [0, 0], [1, 1], [1, 1]], dtype=bool)
GAP = np.array([[0, 2], [1, 3], [0, 1], [2, 0], [4, 1], [9, 9]])
PAIR_PERSON = np.array([0, 1, 2, 2, 3, 4])
PAIR_GROUP = np.array([0, 0, 0, 1, 1, 1])


def test_gap_grid_hand_computed_with_overlaps_and_people_in_no_group() -> None:
    grid = gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=1)
    # Group 0, competency 0: persons 0, 1, 2 assessed (n 3); meets 1, 0, 1 -> 2/3;
    #   gaps 0, 1, 0 -> 1/3.
    assert astuple(grid.cells[0][0]) == (3, pytest.approx(2 / 3), pytest.approx(1 / 3), SHOWN)
    # Group 0, competency 1: person 1 unassessed, so persons 0, 2 (n 2); meets 0, 1 -> 1/2;
    #   gaps 2, 1 -> 3/2 (person 1's gap 3 does not count).
    assert grid.cells[0][1] == Cell(2, 0.5, 1.5)
    # Group 1, competency 0: person 4 unassessed: persons 2, 3 (n 2); meets 1, 0; gaps 0, 2.
    assert grid.cells[1][0] == Cell(2, 0.5, 1.0)
    # Group 1, competency 1: persons 2, 3, 4 (n 3); meets 1, 0, 1 -> 2/3; gaps 1, 0, 1 -> 2/3.
    assert astuple(grid.cells[1][1]) == (3, pytest.approx(2 / 3), pytest.approx(2 / 3), SHOWN)
    # Group 2 has nobody: empty cells, shown as empty.
    assert grid.cells[2] == [Cell(0, None, None), Cell(0, None, None)]
    # Totals over the distinct people 0..4 (person 2 once, person 5 not at all):
    # competency 0: persons 0..3 (n 4); meets 1, 0, 1, 0 -> 1/2; gaps 0, 1, 0, 2 -> 3/4.
    assert grid.totals[0] == Cell(4, 0.5, 0.75)
    # competency 1: persons 0, 2, 3, 4 (n 4); meets 0, 1, 0, 1 -> 1/2; gaps 2, 1, 0, 1 -> 1.
    assert grid.totals[1] == Cell(4, 0.5, 1.0)


def test_gap_grid_counts_a_repeated_membership_once_and_ignores_pair_order() -> None:
    # The same pairs reversed, with (person 2, group 0) and (person 3, group 1) given twice.
    person = np.r_[PAIR_PERSON[::-1], 2, 3]
    group = np.r_[PAIR_GROUP[::-1], 0, 1]
    again = gap_grid(person, group, 3, ASSESSED, MEETS, GAP, threshold=1)
    plain = gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=1)
    assert again == plain
    assert again.cells[0][0].people == 3


def test_gap_grid_suppresses_on_the_assessed_counts() -> None:
    # Threshold 3: group 0 / competency 1 (n 2) and group 1 / competency 0 (n 2) are small.
    # The totals (4 distinct people each) are at least 3; in each column one small cell of 2
    # backs fewer than 3 people, so the other non-empty cell (n 3) covers it.
    grid = gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=3)
    assert grid.cells[0][1] == Cell(None, None, None, SMALL)
    assert grid.cells[1][1] == Cell(None, None, None, COMPLEMENTARY)
    assert grid.cells[1][0] == Cell(None, None, None, SMALL)
    assert grid.cells[0][0] == Cell(None, None, None, COMPLEMENTARY)
    assert grid.totals[0].people == 4
    assert grid.totals[0].suppressed == SHOWN
    # Threshold 5: every total (4) is below it, so everything non-empty is hidden.
    grid = gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=5)
    assert [c.suppressed for c in grid.totals] == [SMALL, SMALL]
    assert grid.cells[0][0].people is None
    assert grid.cells[2][0] == Cell(0, None, None)


def test_a_page_of_the_grid_is_suppressed_as_the_whole_grid_is() -> None:
    # Group 1 alone on the page: its cell in column 0 is small and its cell in column 1
    # covers group 0's small cell, though group 0 is on no page shown here.
    whole = gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=3)
    page = gap_grid(
        PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=3, shown=slice(1, 2)
    )
    assert page.cells == [whole.cells[1]]
    assert page.cells[0][1] == Cell(None, None, None, COMPLEMENTARY)
    assert page.totals == whole.totals
    rest = gap_grid(
        PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=3, shown=slice(2, 9)
    )
    assert rest.cells == whole.cells[2:]


def test_a_kept_layout_gives_the_same_grid_and_a_wrong_one_is_refused() -> None:
    laid = gap_layout(ASSESSED, MEETS, GAP)
    kept = gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=1, layout=laid)
    assert kept == gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=1)
    with pytest.raises(ValueError, match="layout"):
        gap_grid(PAIR_PERSON, PAIR_GROUP, 3, ASSESSED, MEETS, GAP, threshold=1, layout=laid[1:])


def test_gap_grid_with_no_memberships() -> None:
    grid = gap_grid(np.array([], int), np.array([], int), 2, ASSESSED, MEETS, GAP, threshold=3)
    assert grid.cells == [[Cell(0, None, None)] * 2] * 2
    assert grid.totals == [Cell(0, None, None)] * 2


def test_gap_grid_matches_a_per_person_count_on_random_data() -> None:
    rng = np.random.default_rng(7)
    people, columns, groups = 300, 4, 6
    assessed = rng.random((people, columns)) < 0.7
    meets = rng.random((people, columns)) < 0.5
    gap = rng.integers(0, 4, (people, columns))
    person = rng.integers(0, people, 400)
    group = rng.integers(0, groups, 400)
    grid = gap_grid(person, group, groups, assessed, meets, gap, threshold=1)
    for g in range(groups):
        members = sorted(set(person[group == g].tolist()))
        for c in range(columns):
            rows = [p for p in members if assessed[p, c]]
            cell = grid.cells[g][c]
            assert cell.people == len(rows)
            assert cell.meeting == pytest.approx(np.mean(meets[rows, c]))
            assert cell.mean_gap == pytest.approx(np.mean(gap[rows, c]))
    everyone = sorted(set(person.tolist()))
    assert [t.people for t in grid.totals] == assessed[everyone].sum(axis=0).tolist()


@pytest.mark.parametrize(
    ("person", "group", "groups", "gap", "message"),
    [
        ([0, 6], [0, 1], 2, GAP, "pair_person"),
        ([0, -1], [0, 1], 2, GAP, "pair_person"),
        ([0, 1], [0, 2], 2, GAP, "pair_group"),
        ([0, 1], [0], 2, GAP, "same length"),
        ([0, 1], [0, 1], -1, GAP, "groups"),
        ([0, 1], [0, 1], 2, GAP[:3], "same P x C"),
        ([0, 1], [0, 1], 2, -GAP, "negative gap"),
    ],
)
def test_gap_grid_rejects_bad_input(person, group, groups, gap, message) -> None:
    with pytest.raises(ValueError, match=message):
        gap_grid(np.array(person), np.array(group), groups, ASSESSED, MEETS, gap, 3)


def test_gap_grid_accepts_gaps_past_a_byte() -> None:
    grid = gap_grid(
        np.array([0, 1]), np.array([0, 0]), 1, ASSESSED[:2], MEETS[:2], GAP[:2] * 300, 1
    )
    # Competency 0: persons 0 and 1, gaps 0 and 300 -> mean 150.
    assert grid.cells[0][0].mean_gap == 150.0


# --- pipeline -----------------------------------------------------------------------------


def test_pipeline_counts_per_level_and_suppresses_small_levels() -> None:
    # Level 0: persons 0..5 (6); level 1: persons 6, 7 (2); level 2: persons 8..14 (7);
    # person 15 is left out (-1).
    level_of = np.array([0] * 6 + [1] * 2 + [2] * 7 + [-1])
    ready = np.array([1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1], dtype=bool)
    roadmap = np.array([1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1], dtype=bool)
    mentor = np.array([0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1], dtype=bool)
    rows, total = pipeline(level_of, 4, ready, roadmap, mentor, threshold=1)
    assert rows == [Stage(6, 2, 3, 1), Stage(2, 1, 2, 0), Stage(7, 3, 1, 2), Stage(0, 0, 0, 0)]
    # Total over the 15 counted people: ready 2 + 1 + 3, roadmaps 3 + 2 + 1, mentors 1 + 0 + 2.
    assert total == Stage(15, 6, 6, 3)

    # Threshold 5: level 1 (2 people) is small; without a cover 15 - 6 - 7 - 0 = 2 would show
    # it, so the smallest other non-empty level (6 people, level 0) is hidden too.
    rows, total = pipeline(level_of, 4, ready, roadmap, mentor, threshold=5)
    assert [r.suppressed for r in rows] == [COMPLEMENTARY, SMALL, SHOWN, SHOWN]
    assert rows[0] == Stage(None, None, None, None, COMPLEMENTARY)
    assert rows[2] == Stage(7, 3, 1, 2)
    assert total == Stage(15, 6, 6, 3)

    # Threshold 16: the total itself is small: every level and the total are hidden.
    rows, total = pipeline(level_of, 4, ready, roadmap, mentor, threshold=16)
    assert total.suppressed == SMALL
    assert all(r.people is None for r in rows[:3])
    assert rows[3] == Stage(0, 0, 0, 0)


@pytest.mark.parametrize(
    ("level_of", "levels", "message"),
    [
        ([0, 3], 3, "level_of"),
        ([0, -2], 3, "level_of"),
        ([0, 1], -1, "levels"),
        ([0], 3, "one length"),
    ],
)
def test_pipeline_rejects_bad_input(level_of, levels, message) -> None:
    flags = np.array([True, False])
    with pytest.raises(ValueError, match=message):
        pipeline(np.array(level_of), levels, flags, flags, flags, 3)


# --- quarters -----------------------------------------------------------------------------


def test_quarter_of() -> None:
    assert quarter_of(date(2026, 1, 1)) == "2026-Q1"
    assert quarter_of(date(2026, 3, 31)) == "2026-Q1"
    assert quarter_of(date(2026, 4, 1)) == "2026-Q2"
    assert quarter_of(date(2026, 12, 31)) == "2026-Q4"


def test_quarters_until_crosses_a_year_boundary() -> None:
    assert quarters_until(date(2027, 2, 10), 4) == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert quarters_until(date(2026, 12, 1), 1) == ["2026-Q4"]
    assert quarters_until(date(2026, 12, 1), 0) == []
    with pytest.raises(ValueError, match="negative"):
        quarters_until(date(2026, 12, 1), -1)


def test_ready_by_quarter_carries_values_forward() -> None:
    nan = np.nan
    quarters = quarters_until(date(2027, 1, 5), 4)  # 2026-Q2 .. 2027-Q1
    history = np.array(
        [
            [0.9, nan, nan, 0.5],  # ready, ready (carried), ready (carried), not ready
            [nan, 0.7, nan, nan],  # -, not ready, not ready (carried), not ready (carried)
            [nan, nan, 0.8, nan],  # -, -, ready (exactly at 0.8), ready (carried)
            [nan, nan, nan, nan],  # never recorded: counted nowhere
        ]
    )
    points = ready_by_quarter(history, quarters, 0.8, threshold=1)
    assert points == [
        QuarterPoint("2026-Q2", 1, 1),
        QuarterPoint("2026-Q3", 2, 1),
        QuarterPoint("2026-Q4", 3, 2),
        QuarterPoint("2027-Q1", 3, 1),
    ]
    points = ready_by_quarter(history, quarters, 0.8, threshold=3)
    assert points[0] == QuarterPoint("2026-Q2", None, None, SMALL)
    assert points[1].suppressed == SMALL
    assert points[2] == QuarterPoint("2026-Q4", 3, 2)
    empty = ready_by_quarter(np.full((2, 4), nan), quarters, 0.8, threshold=3)
    assert [p.people for p in empty] == [0, 0, 0, 0]


def test_ready_by_quarter_rejects_a_history_of_the_wrong_width() -> None:
    with pytest.raises(ValueError, match="history"):
        ready_by_quarter(np.zeros((2, 3)), ["2026-Q1", "2026-Q2"], 0.8, 3)


# --- agreement ----------------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, values 1..5, missing data. Published: nominal .743, ordinal .815, interval .849.
# Unit 12 has a single value and is left out, as in the published computation.
PUBLISHED = [
    "1 2 3 3 2 1 4 1 2 . . .",
    "1 2 3 3 2 2 4 1 2 5 . 3",
    ". 3 3 3 2 3 4 2 2 5 1 .",
    "1 2 3 3 2 4 4 1 2 5 1 .",
]


def ratings(rows: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Observer rows of values (or ".") as (subject, step index) rating rows."""
    cells = [
        (unit, int(mark) - 1)
        for row in rows
        for unit, mark in enumerate(row.split())
        if mark != "."
    ]
    subject, value = zip(*cells, strict=True)
    return np.array(subject), np.array(value)


def test_agreement_matches_the_published_worked_example() -> None:
    subject, value = ratings(PUBLISHED)
    result = agreement(subject, value, steps=5)
    assert result.alpha is not None
    assert round(result.alpha, 3) == 0.815
    # 11 units with two or more values, holding 41 - 1 = 40 values.
    assert (result.subjects, result.ratings) == (11, 40)
    assert result.reading == "agree"


def test_the_transcribed_example_gives_the_other_published_coefficients() -> None:
    # The same data through the package directly (observers x units, nan for missing): the
    # nominal and interval values of the paper confirm the transcription.
    data = [[np.nan if mark == "." else float(mark) for mark in row.split()] for row in PUBLISHED]
    assert round(krippendorff.alpha(data, level_of_measurement="nominal"), 3) == 0.743
    assert round(krippendorff.alpha(data, level_of_measurement="interval"), 3) == 0.849


def test_agreement_readings() -> None:
    # Perfect agreement on varied subjects.
    agree = agreement(np.array([0, 0, 1, 1, 2, 2]), np.array([0, 0, 2, 2, 4, 4]), 5)
    assert agree.alpha == pytest.approx(1.0)
    assert agree.reading == "agree"
    # Raters opposite on every subject.
    differ = agreement(np.array([0, 0, 1, 1]), np.array([0, 4, 4, 0]), 5)
    assert differ.alpha is not None
    assert differ.alpha < 0
    assert differ.reading == "differ"
    # Every rating on one step: nothing to agree on.
    same = agreement(np.array([0, 0, 1, 1]), np.array([2, 2, 2, 2]), 5)
    assert (same.alpha, same.reading) == (None, "same")
    # One subject with two ratings (subject 1 has a single rating and does not count).
    few = agreement(np.array([0, 0, 1]), np.array([1, 3, 4]), 5)
    assert (few.alpha, few.subjects, few.ratings, few.reading) == (None, 1, 2, "few")
    assert agreement(np.array([]), np.array([]), 5).reading == "few"
    assert set(READINGS) == {"agree", "mostly", "differ", "same", "few"}


def test_agreement_mostly_between_the_two_cut_points() -> None:
    # Nine subjects rated alike by two raters across the scale, and one a step apart.
    subject = np.repeat(np.arange(10), 2)
    value = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0, 1, 1, 2, 2, 3, 3, 1, 4])
    result = agreement(subject, value, 5)
    assert result.alpha is not None
    assert 0.667 <= result.alpha < 0.8
    assert result.reading == "mostly"


@pytest.mark.parametrize(
    ("subject", "value", "steps", "message"),
    [
        ([0, 0], [0, 5], 5, "step index"),
        ([0, 0], [-1, 0], 5, "step index"),
        ([0, 0], [0], 5, "same length"),
        ([0, 0], [0, 0], 0, "steps"),
    ],
)
def test_agreement_rejects_bad_input(subject, value, steps, message) -> None:
    with pytest.raises(ValueError, match=message):
        agreement(np.array(subject), np.array(value), steps)


# --- leniency -----------------------------------------------------------------------------


def test_leniency_by_hand() -> None:
    # Raters 10, 11, 12 rate subjects A (unit 0) and B (unit 1); rater 12 is always a step
    # above the others, who agree. Unit 2 has one rating (rater 11) and is ignored.
    unit = np.array([0, 0, 0, 1, 1, 1, 2])
    rater = np.array([10, 11, 12, 10, 11, 12, 11])
    value = np.array([1, 1, 2, 3, 3, 4, 0])
    # Unit 0: rater 12: 2 - mean(1, 1) = +1; raters 10 and 11: 1 - mean(1, 2) = -0.5 each.
    # Unit 1: the same shape: +1 for rater 12, -0.5 for the others.
    assert leniency(unit, rater, value) == [
        Leniency(12, 1.0, 2),
        Leniency(10, -0.5, 2),
        Leniency(11, -0.5, 2),  # its rating of unit 2 is not counted
    ]


def test_leniency_mixed_signs_and_ordering() -> None:
    # Unit 0: raters 1 (3) and 2 (1): +2 and -2. Unit 1: raters 1 (2), 3 (2): 0 and 0.
    result = leniency(np.array([0, 0, 1, 1]), np.array([1, 2, 1, 3]), np.array([3, 1, 2, 2]))
    # Rater 1: (2 + 0) / 2 = 1 over 2 ratings; rater 2: -2 over 1; rater 3: 0 over 1.
    assert result == [Leniency(2, -2.0, 1), Leniency(1, 1.0, 2), Leniency(3, 0.0, 1)]


def test_leniency_without_shared_units_is_empty() -> None:
    assert leniency(np.array([0, 1, 2]), np.array([1, 1, 2]), np.array([0, 1, 2])) == []
    with pytest.raises(ValueError, match="same length"):
        leniency(np.array([0, 0]), np.array([1]), np.array([0, 1]))

"""The accountability state of a room over dates (the table in docs/mentorship.md)."""

from __future__ import annotations

from datetime import date

import pytest

from upward.engine.accountability import CADENCE_DAYS, GRACE_DAYS, State, accountability

OPENED = date(2026, 11, 2)


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


def state_on(
    today: date,
    *,
    cadence: str = "weekly",
    last: date | None = None,
    session: date | None = None,
    items: tuple[date, ...] = (),
    grace: int = GRACE_DAYS,
):
    return accountability(
        cadence=cadence,
        opened_on=OPENED,
        last_check_in=last,
        next_session_on=session,
        open_items_due=items,
        today=today,
        grace_days=grace,
    )


# A weekly room opened on 2026-11-02: check-in due 2026-11-09, grace until 2026-11-12.
TABLE = [
    # today, last check-in, next session, open items due, state, due on, overdue items
    (d(5), None, None, (), State.ON_TRACK, d(9), 0),
    (d(9), None, None, (), State.DUE, d(9), 0),
    (d(12), None, None, (), State.DUE, d(9), 0),
    (d(13), None, None, (), State.OVERDUE, d(9), 0),
    (d(10), None, d(12), (), State.ON_TRACK, d(9), 0),
    (d(12), None, d(12), (), State.ON_TRACK, d(9), 0),
    (d(10), None, d(14), (), State.DUE, d(9), 0),
    (d(13), None, d(14), (), State.OVERDUE, d(9), 0),
    (d(13), d(10), None, (), State.ON_TRACK, d(17), 0),
    (d(5), None, None, (d(4),), State.OVERDUE, d(9), 1),
    (d(5), None, None, (d(5), d(20)), State.ON_TRACK, d(9), 0),
    (d(10), None, d(11), (d(3), d(4)), State.OVERDUE, d(9), 2),
]


@pytest.mark.parametrize(("today", "last", "session", "items", "state", "due_on", "overdue"), TABLE)
def test_the_state_follows_the_table(today, last, session, items, state, due_on, overdue):
    result = state_on(today, last=last, session=session, items=items)
    assert (result.state, result.due_on, result.overdue_items) == (state, due_on, overdue)


def test_each_cadence_sets_the_due_date():
    assert state_on(d(5), cadence="weekly").due_on == d(9)
    assert state_on(d(5), cadence="fortnightly").due_on == d(16)
    assert state_on(d(5), cadence="monthly").due_on == d(2, 12)
    assert CADENCE_DAYS == {"weekly": 7, "fortnightly": 14, "monthly": 30}


def test_a_monthly_room_is_due_a_month_on_and_overdue_after_the_grace():
    assert state_on(d(1, 12), cadence="monthly").state == State.ON_TRACK
    assert state_on(d(2, 12), cadence="monthly").state == State.DUE
    assert state_on(d(5, 12), cadence="monthly").state == State.DUE
    assert state_on(d(6, 12), cadence="monthly").state == State.OVERDUE


def test_without_grace_the_day_after_the_due_date_is_overdue():
    assert state_on(d(9), grace=0).state == State.DUE
    assert state_on(d(10), grace=0).state == State.OVERDUE


def test_a_session_day_that_has_passed_no_longer_counts_as_booked():
    # The session on the 10th was not held (it would be the last check-in otherwise).
    assert state_on(d(11), session=d(10)).state == State.DUE


def test_the_last_check_in_moves_the_due_date_from_the_opening():
    result = state_on(d(20), last=d(16))
    assert (result.state, result.due_on) == (State.ON_TRACK, d(23))


def test_reasons_say_why_in_plain_sentences():
    assert state_on(d(5)).reasons == ("The next check-in is due on 2026-11-09.",)
    assert state_on(d(10), session=d(12)).reasons == ("The next session is booked for 2026-11-12.",)
    assert state_on(d(10)).reasons == (
        "A check-in is due since 2026-11-09 and no session is booked; "
        "it is overdue after 2026-11-12.",
    )
    assert state_on(d(13), items=(d(1), d(2))).reasons == (
        "2 action items are past their due date.",
        "The check-in due on 2026-11-09 was missed: the grace period ended on 2026-11-12.",
    )
    assert state_on(d(5), items=(d(4),)).reasons[0] == "1 action item is past its due date."


def test_an_unknown_cadence_is_refused():
    with pytest.raises(ValueError, match="daily"):
        state_on(d(5), cadence="daily")


def test_a_negative_grace_is_refused():
    with pytest.raises(ValueError, match="grace_days"):
        state_on(d(5), grace=-1)

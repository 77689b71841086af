"""The accountability state of a mentoring room, computed from dates alone.

A room agrees a check-in cadence. The next check-in is due one cadence after the
last one (or after the room opened). The room is on track until that day, the
check-in is due from that day, and it is overdue once a grace period has passed
as well. A session booked on or before the end of the grace period keeps the room
on track until the day of that session passes. An open action item past its due
date makes the room overdue whatever the check-ins say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = ["CADENCE_DAYS", "GRACE_DAYS", "Accountability", "State", "accountability"]

CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}
GRACE_DAYS = 3


class State(StrEnum):
    """Where a room stands against its cadence and its action items."""

    ON_TRACK = "on_track"
    DUE = "check_in_due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Accountability:
    """A room's state, when its next check-in is due, and why, in plain sentences."""

    state: State
    due_on: date
    overdue_items: int
    reasons: tuple[str, ...]


def accountability(
    *,
    cadence: str,
    opened_on: date,
    last_check_in: date | None,
    next_session_on: date | None,
    open_items_due: Sequence[date],
    today: date,
    grace_days: int = GRACE_DAYS,
) -> Accountability:
    """The state of a room on `today` (see the module docstring and docs/mentorship.md)."""
    if cadence not in CADENCE_DAYS:
        raise ValueError(f"Unknown cadence {cadence!r}: use one of {', '.join(CADENCE_DAYS)}.")
    if grace_days < 0:
        raise ValueError("grace_days must not be negative.")
    due_on = (last_check_in or opened_on) + timedelta(days=CADENCE_DAYS[cadence])
    late_after = due_on + timedelta(days=grace_days)
    booked = next_session_on is not None and today <= next_session_on <= late_after
    overdue_items = sum(1 for due in open_items_due if due < today)
    reasons = _item_reasons(overdue_items)
    if today > late_after:
        state = State.OVERDUE
        reasons += (
            f"The check-in due on {due_on.isoformat()} was missed: "
            f"the grace period ended on {late_after.isoformat()}.",
        )
    elif today >= due_on and not booked:
        state = State.OVERDUE if overdue_items else State.DUE
        reasons += (
            f"A check-in is due since {due_on.isoformat()} and no session is booked; "
            f"it is overdue after {late_after.isoformat()}.",
        )
    else:
        state = State.OVERDUE if overdue_items else State.ON_TRACK
        reasons += (_on_track_reason(due_on, next_session_on if booked else None),)
    return Accountability(state=state, due_on=due_on, overdue_items=overdue_items, reasons=reasons)


def _item_reasons(overdue_items: int) -> tuple[str, ...]:
    if overdue_items == 0:
        return ()
    if overdue_items == 1:
        return ("1 action item is past its due date.",)
    return (f"{overdue_items} action items are past their due date.",)


def _on_track_reason(due_on: date, session_on: date | None) -> str:
    if session_on is not None:
        return f"The next session is booked for {session_on.isoformat()}."
    return f"The next check-in is due on {due_on.isoformat()}."

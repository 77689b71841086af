"""The daily sweep: remind both sides of rooms whose check-in is due or overdue.

A room is reminded on the day its state changes for the worse: its check-in falls
due (with no session booked), it turns overdue, or one more action item goes past
its due date; then once a week while it stays so. Never twice in a day, however
often the sweep runs: each room is claimed with a conditional update of its
`reminded_on`, so two sweeps at once send one reminder.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.db import transaction

from upward.engine.accountability import GRACE_DAYS, Accountability, State
from upward.mentorship import emails_accountability
from upward.mentorship.models import Room, RoomStatus
from upward.mentorship.selectors.dashboard import (
    RoomDates,
    clock,
    room_dates,
    state_from,
)

__all__ = ["REMIND_EVERY", "remind_rooms", "worse_since"]

REMIND_EVERY = timedelta(days=7)
CHUNK = 500  # rooms read and judged at a time


def worse_since(state: Accountability, dates: RoomDates, *, today: date) -> date:
    """The day the room last changed for the worse: its check-in fell due (with nothing
    booked), its grace period ran out, or its latest overdue action item went past due."""
    days = [due + timedelta(days=1) for due in dates.open_items_due if due < today]
    late = state.due_on + timedelta(days=GRACE_DAYS + 1)
    if today >= late:
        days.append(late)
    elif today >= state.due_on and not _booked(dates, state, today):
        days.append(state.due_on)
    return max(days, default=today)


def _booked(dates: RoomDates, state: Accountability, today: date) -> bool:
    session_on = dates.next_session_on
    return session_on is not None and today <= session_on <= state.due_on + timedelta(
        days=GRACE_DAYS
    )


def reminder_due(reminded_on: date | None, since: date, today: date) -> bool:
    """Whether a room not on track is reminded today."""
    if reminded_on is None:
        return True
    return reminded_on < since or reminded_on <= today - REMIND_EVERY


def _claim(room: Room, today: date) -> bool:
    """Mark the room reminded today, if no other sweep did first."""
    found = Room.objects.filter(pk=room.pk)
    if room.reminded_on is None:
        found = found.filter(reminded_on__isnull=True)
    else:
        found = found.filter(reminded_on=room.reminded_on)
    return bool(found.update(reminded_on=today))


def _active_rooms() -> Iterator[list[Room]]:
    rooms = Room.objects.filter(status=RoomStatus.ACTIVE).select_related("mentor", "mentee")
    chunk: list[Room] = []
    for room in rooms.order_by("pk").iterator(chunk_size=CHUNK):
        chunk.append(room)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def remind_rooms(*, today: date | None = None, now: datetime | None = None) -> int:
    """Send the reminders due today to both sides; returns how many rooms were reminded.
    Safe to run any number of times."""
    today, now = clock(today=today, now=now)
    sent = 0
    for rooms in _active_rooms():
        dates = room_dates(rooms, now=now)
        for room in rooms:
            state = state_from(room, dates[room.pk], today=today)
            if state.state == State.ON_TRACK:
                continue
            since = worse_since(state, dates[room.pk], today=today)
            if not reminder_due(room.reminded_on, since, today):
                continue
            with transaction.atomic():
                if _claim(room, today):
                    emails_accountability.notify_check_in_due(room=room, state=state)
                    sent += 1
    return sent

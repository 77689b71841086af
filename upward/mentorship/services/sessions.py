"""Changes to a room's sessions: scheduling one (with an agenda generated when none is
given), editing its agenda and notes, marking it held, cancelling it."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from upward.accounts.models import User
from upward.core.errors import Conflict, Invalid
from upward.mentorship import emails_rooms
from upward.mentorship.models import MentoringSession, Room, RoomStatus
from upward.mentorship.selectors.rooms import agenda_for

__all__ = [
    "MINUTES_MAX",
    "MINUTES_MIN",
    "TEXT_MAX",
    "cancel_session",
    "schedule_session",
    "update_session",
]

MINUTES_MIN = 5
MINUTES_MAX = 480
TEXT_MAX = 20_000


def _check(room: Room, by: User | AbstractBaseUser) -> None:
    if room.status != RoomStatus.ACTIVE:
        raise Conflict("This room has ended: it can be read, not changed.")
    if by.pk not in (room.mentor_id, room.mentee_id):
        raise Invalid("Only the mentor and the mentee write in a room.", field="by")


def _minutes(minutes: int) -> int:
    if not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise Invalid(f"A session lasts {MINUTES_MIN} to {MINUTES_MAX} minutes.", field="minutes")
    return minutes


def _text(text: str, field: str) -> str:
    if len(text) > TEXT_MAX:
        raise Invalid(f"Keep it under {TEXT_MAX} characters.", field=field)
    return text.strip()


@transaction.atomic
def schedule_session(
    *,
    room: Room,
    by: User,
    starts_at: datetime | None,
    minutes: int = 45,
    agenda: str = "",
) -> MentoringSession:
    """Book a check-in in the future; a blank agenda is generated from the open
    objectives, the overdue action items and the evidence since the last check-in.
    The other side is told."""
    _check(room, by)
    now = timezone.now()
    if starts_at is None:
        raise Invalid("Pick a day and a time.", field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= now:
        raise Invalid("Pick a time in the future.", field="starts_at")
    agenda = _text(agenda, "agenda") or agenda_for(room, now=now)
    session = MentoringSession.objects.create(
        room=room, starts_at=starts_at, minutes=_minutes(minutes), agenda=agenda, created_by=by
    )
    emails_rooms.notify_session(session=session, by=by)
    return session


@transaction.atomic
def update_session(
    *,
    session: MentoringSession,
    by: User,
    agenda: str | None = None,
    notes: str | None = None,
    held: bool | None = None,
) -> MentoringSession:
    """Edit the agenda or the notes, or mark the session held (once it has started)."""
    _check(session.room, by)
    if session.cancelled_at is not None:
        raise Conflict("This session was cancelled.")
    changed = []
    if agenda is not None:
        session.agenda = _text(agenda, "agenda")
        changed.append("agenda")
    if notes is not None:
        session.notes = _text(notes, "notes")
        changed.append("notes")
    if held is not None and held != (session.held_at is not None):
        if held and session.starts_at > timezone.now():
            raise Invalid("A session is held once it has started.", field="held")
        session.held_at = timezone.now() if held else None
        changed.append("held_at")
    if changed:
        session.save(update_fields=[*changed, "updated_at"])
    return session


@transaction.atomic
def cancel_session(*, session: MentoringSession, by: User) -> MentoringSession:
    """Call a session off (it leaves both calendars)."""
    _check(session.room, by)
    if session.cancelled_at is not None:
        raise Conflict("This session is already cancelled.")
    if session.held_at is not None:
        raise Conflict("This session was held; it can't be cancelled.")
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at", "updated_at"])
    return session

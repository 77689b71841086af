"""Reads for accountability and the mentoring pages: each room's state from its dates,
the hub (`/mentoring/`) and the mentor dashboard.

A room's state comes from the engine (`upward.engine.accountability`) fed with three
dates read in bulk: the last check-in (the latest session not cancelled that has
started by `now`), the next session booked (the earliest not cancelled after `now`)
and the due dates of the open action items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max, Min, Q
from django.utils import timezone

from upward.engine.accountability import Accountability, accountability
from upward.mentorship.models import (
    ActionItem,
    MentoringSession,
    MentorProfile,
    MentorshipRequest,
    RequestStatus,
    Room,
    RoomStatus,
)
from upward.mentorship.selectors.rooms import rooms_of

__all__ = [
    "Capacity",
    "Dashboard",
    "DashboardRow",
    "Hub",
    "RoomDates",
    "RoomRow",
    "clock",
    "dashboard_of",
    "hub_of",
    "room_dates",
    "room_rows",
    "state_from",
    "states_of",
]


@dataclass(frozen=True)
class RoomDates:
    """What a room's state is computed from."""

    last_check_in: date | None = None
    next_session_at: datetime | None = None
    open_items_due: tuple[date, ...] = ()

    @property
    def next_session_on(self) -> date | None:
        if self.next_session_at is None:
            return None
        return timezone.localdate(self.next_session_at)


def clock(*, today: date | None = None, now: datetime | None = None) -> tuple[date, datetime]:
    """The day and moment to judge rooms at. Given only a day, the moment is the start of
    that day (the sessions of that day are still to come); given only a moment, the day is
    its local day; given neither, now."""
    if now is None:
        if today is None:
            now = timezone.now()
        else:
            now = timezone.make_aware(datetime.combine(today, time.min))
    if today is None:
        today = timezone.localdate(now)
    return today, now


def room_dates(rooms: Iterable[Room], *, now: datetime) -> dict[int, RoomDates]:
    """Each room's check-in dates and open action items' due dates: 2 queries."""
    ids = [room.pk for room in rooms]
    if not ids:
        return {}
    live = Q(cancelled_at__isnull=True)
    sessions = (
        MentoringSession.objects.filter(live, room_id__in=ids)
        .order_by()
        .values("room_id")
        .annotate(
            last=Max("starts_at", filter=Q(starts_at__lte=now)),
            next=Min("starts_at", filter=Q(starts_at__gt=now)),
        )
    )
    found: dict[int, tuple[datetime | None, datetime | None]] = {
        row["room_id"]: (row["last"], row["next"]) for row in sessions
    }
    items: dict[int, list[date]] = defaultdict(list)
    open_items = ActionItem.objects.filter(room_id__in=ids, done_at__isnull=True).order_by()
    for room_id, due_on in open_items.values_list("room_id", "due_on"):
        items[room_id].append(due_on)
    out = {}
    for room_id in ids:
        last, upcoming = found.get(room_id, (None, None))
        out[room_id] = RoomDates(
            last_check_in=timezone.localdate(last) if last is not None else None,
            next_session_at=upcoming,
            open_items_due=tuple(sorted(items[room_id])),
        )
    return out


def state_from(room: Room, dates: RoomDates, *, today: date) -> Accountability:
    """One room's state on `today`, from its dates (no query)."""
    return accountability(
        cadence=room.cadence,
        opened_on=timezone.localdate(room.opened_at),
        last_check_in=dates.last_check_in,
        next_session_on=dates.next_session_on,
        open_items_due=dates.open_items_due,
        today=today,
    )


def states_of(
    rooms: list[Room], *, today: date | None = None, now: datetime | None = None
) -> dict[int, Accountability]:
    """The accountability state of each room, by room id: 2 queries for any number of rooms.

    An ended room is judged like an active one; pages show states for active rooms only."""
    today, now = clock(today=today, now=now)
    dates = room_dates(rooms, now=now)
    return {room.pk: state_from(room, dates[room.pk], today=today) for room in rooms}


# --- The hub and the mentor dashboard --------------------------------------------------


@dataclass(frozen=True)
class RoomRow:
    """A room as the hub lists it: the other person and, while active, its state."""

    room: Room
    other: AbstractBaseUser
    as_mentor: bool
    state: Accountability | None  # None once ended


@dataclass(frozen=True)
class Hub:
    """What `/mentoring/` shows one person."""

    mentoring: list[RoomRow]  # rooms where they are the mentor
    mentored: list[RoomRow]  # rooms where they are the mentee
    asked: list[MentorshipRequest]  # their pending requests to mentors
    received: list[MentorshipRequest]  # pending requests to them as a mentor
    profiles: list[MentorProfile]


def room_rows(
    user: AbstractBaseUser, *, today: date | None = None, now: datetime | None = None
) -> list[RoomRow]:
    """The person's rooms both ways, active ones first (newest first within each) with
    their states: 3 queries (rooms, sessions, action items)."""
    today, now = clock(today=today, now=now)
    rooms = rooms_of(user)
    active = [room for room in rooms if room.status == RoomStatus.ACTIVE]
    states = states_of(active, today=today, now=now)
    rows = [
        RoomRow(
            room=room,
            other=room.mentee if room.mentor_id == user.pk else room.mentor,
            as_mentor=room.mentor_id == user.pk,
            state=states.get(room.pk),
        )
        for room in rooms
    ]
    return sorted(rows, key=lambda row: row.state is None)


def hub_of(
    user: AbstractBaseUser, *, today: date | None = None, now: datetime | None = None
) -> Hub:
    """The person's rooms both ways with states, pending requests both ways and their
    mentor profiles: 5 queries (rooms, sessions, action items, requests, profiles)."""
    rows = room_rows(user, today=today, now=now)
    pending = MentorshipRequest.objects.filter(
        Q(mentee_id=user.pk) | Q(profile__user_id=user.pk), status=RequestStatus.PENDING
    ).select_related("mentee", "profile__user", "organization")
    requests = list(pending)
    profiles = MentorProfile.objects.filter(user_id=user.pk).select_related("organization")
    return Hub(
        mentoring=[row for row in rows if row.as_mentor],
        mentored=[row for row in rows if not row.as_mentor],
        asked=[r for r in requests if r.mentee_id == user.pk],
        received=[r for r in requests if r.profile.user_id == user.pk],
        profiles=list(profiles),
    )


@dataclass(frozen=True)
class DashboardRow:
    """An active room on the mentor dashboard."""

    room: Room
    state: Accountability
    next_session_at: datetime | None


@dataclass(frozen=True)
class Capacity:
    """How many of a mentor profile's places are taken by active rooms."""

    profile: MentorProfile
    used: int

    @property
    def open(self) -> int:
        return max(0, self.profile.capacity - self.used)


@dataclass(frozen=True)
class Dashboard:
    """The mentor's active rooms (most urgent first), their places, and ended rooms."""

    rows: list[DashboardRow]
    capacities: list[Capacity]
    ended: list[Room]
    counts: dict[str, int] = field(default_factory=dict)  # state value -> rooms


URGENCY = {"overdue": 0, "check_in_due": 1, "on_track": 2}


def dashboard_of(
    mentor: AbstractBaseUser, *, today: date | None = None, now: datetime | None = None
) -> Dashboard:
    """All the rooms `mentor` mentors, with state, due date, next session and overdue items,
    and the places used of each of their profiles: 4 queries for any number of rooms
    (rooms, sessions, action items, profiles)."""
    today, now = clock(today=today, now=now)
    rooms = list(Room.objects.filter(mentor_id=mentor.pk).select_related("mentee", "organization"))
    active = [room for room in rooms if room.status == RoomStatus.ACTIVE]
    dates = room_dates(active, now=now)
    rows = [
        DashboardRow(
            room=room,
            state=state_from(room, dates[room.pk], today=today),
            next_session_at=dates[room.pk].next_session_at,
        )
        for room in active
    ]
    rows.sort(key=lambda row: (URGENCY[row.state.state.value], row.state.due_on, row.room.pk))
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.state.state.value] += 1
    profiles = MentorProfile.objects.filter(user_id=mentor.pk).select_related("organization")
    return Dashboard(
        rows=rows,
        # Every active room as mentor takes a place, whichever profile it came from.
        capacities=[Capacity(profile=p, used=len(active)) for p in profiles],
        ended=[room for room in rooms if room.status != RoomStatus.ACTIVE],
        counts=dict(counts),
    )

"""Reads for rooms: who mentors whom (the MENTOR relationship), the rooms' sessions
as calendar events, and what a room's page shows."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import Membership, Organization, User
from upward.core.visibility import Tier
from upward.evidence.models import Entry, Thread
from upward.mentorship.models import (
    ActionItem,
    Goal,
    MentoringSession,
    Message,
    Room,
    RoomStatus,
)
from upward.roadmaps.models import OPEN_STATUSES, Objective

__all__ = [
    "SHARED_TIERS",
    "ItemShown",
    "RoomPage",
    "action_items",
    "agenda_for",
    "last_check_in",
    "linkable_objectives",
    "mentees_of",
    "room_page",
    "rooms_of",
    "session_calendar",
    "session_events",
    "shared_entries",
    "shared_threads",
]

# What a mentee's growth threads and evidence need to be shared at for the room to
# show them: mentors or a wider audience, never private (upward.core.visibility).
SHARED_TIERS = (Tier.MENTORS, Tier.MANAGER, Tier.ORGANIZATION, Tier.PUBLIC)
# How much of each the room lists, newest first.
SHARED_LIMIT = 20
MESSAGES_LIMIT = 100


def mentees_of(viewer: User, subject_ids: set[int], organization: Organization) -> Collection[int]:
    """Of `subject_ids`, those `viewer` mentors in an active room of `organization`: 1 query.

    Registered as the MENTOR relationship's provider (upward.accounts.relationships)."""
    return set(
        Room.objects.filter(
            mentor=viewer,
            mentee_id__in=subject_ids,
            organization=organization,
            status=RoomStatus.ACTIVE,
        ).values_list("mentee_id", flat=True)
    )


def rooms_of(user: User | AbstractBaseUser, *, active_only: bool = False) -> list[Room]:
    """The rooms `user` is in, as mentor or mentee, newest first: 1 query."""
    found = Room.objects.filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))
    if active_only:
        found = found.filter(status=RoomStatus.ACTIVE)
    return list(found.select_related("mentor", "mentee", "organization"))


def session_events(person: AbstractBaseUser) -> list[icalendar.Event]:
    """The sessions of `person`'s active rooms that are not cancelled, as events: 1 query."""
    sessions = MentoringSession.objects.filter(
        Q(room__mentor_id=person.pk) | Q(room__mentee_id=person.pk),
        room__status=RoomStatus.ACTIVE,
        cancelled_at__isnull=True,
    ).select_related("room__mentor", "room__mentee")
    return [_event(session) for session in sessions]


def _event(session: MentoringSession) -> icalendar.Event:
    room = session.room
    host = urlsplit(settings.SITE_URL).hostname or "upward"
    event = icalendar.Event()
    event.add("uid", f"mentoring-session-{session.pk}@{host}")
    event.add("dtstamp", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.starts_at + timedelta(minutes=session.minutes))
    event.add("summary", f"Mentoring: {room.mentor.display_name} and {room.mentee.display_name}")
    event.add("url", settings.SITE_URL + reverse("mentorship:room", args=[room.pk]))
    return event


def session_calendar(session: MentoringSession) -> bytes:
    """One session as an iCalendar file to import."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Upward//Mentoring//EN")
    cal.add("version", "2.0")
    cal.add_component(_event(session))
    return bytes(cal.to_ical())


# --- What a room shows ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemShown:
    """An action item, with whether it is past its due date and still open."""

    item: ActionItem
    overdue: bool


@dataclass(frozen=True)
class RoomPage:
    """Everything the room's page shows one of its two people."""

    room: Room
    as_mentor: bool
    goals: list[Goal]
    sessions: list[MentoringSession]
    upcoming: list[MentoringSession]
    past: list[MentoringSession]
    items: list[ItemShown]
    messages: list[Message]
    threads: list[Thread]
    entries: list[Entry]
    objectives: list[Objective]
    viewer_is_member: bool

    @property
    def other(self) -> User:
        return self.room.mentee if self.as_mentor else self.room.mentor

    @property
    def overdue_items(self) -> int:
        return sum(1 for shown in self.items if shown.overdue)


def room_page(room: Room, viewer: User, *, now: datetime | None = None) -> RoomPage:
    """The room's goals, sessions, action items, messages and what the mentee shares: 8
    queries whatever their number (goals, sessions, items, messages, threads, entries,
    linkable objectives, the viewer's membership, and nothing per row)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sessions = list(room.sessions.all())
    messages = list(
        Message.objects.filter(room=room)
        .select_related("author")
        .order_by("-created_at", "-id")[:MESSAGES_LIMIT]
    )
    as_mentor = viewer.pk == room.mentor_id
    return RoomPage(
        room=room,
        as_mentor=as_mentor,
        goals=list(room.goals.select_related("objective").order_by("done_at", "id")),
        sessions=sessions,
        upcoming=[s for s in sessions if s.starts_at >= now and s.cancelled_at is None],
        past=[s for s in reversed(sessions) if s.starts_at < now or s.cancelled_at is not None],
        items=action_items(room, today=today),
        messages=list(reversed(messages)),
        threads=shared_threads(room),
        entries=shared_entries(room),
        objectives=linkable_objectives(room, viewer),
        viewer_is_member=Membership.objects.filter(
            organization_id=room.organization_id, user_id=viewer.pk
        ).exists(),
    )


def action_items(room: Room, *, today: date | None = None) -> list[ItemShown]:
    """The room's action items, open ones first by due date, each marked overdue when
    it is open past its due date: 1 query."""
    today = today or timezone.localdate()
    items = room.action_items.select_related("owner").order_by("done_at", "due_on", "id")
    return [ItemShown(i, i.done_at is None and i.due_on < today) for i in items]


def shared_threads(room: Room) -> list[Thread]:
    """The mentee's growth threads in the room's organization shared with mentors or
    wider, while the room is active (an ended room no longer makes a mentor): 1 query."""
    if room.status != RoomStatus.ACTIVE:
        return []
    found = Thread.objects.filter(
        owner_id=room.mentee_id, organization_id=room.organization_id, visibility__in=SHARED_TIERS
    )
    return list(found.order_by("-last_activity_at", "-id")[:SHARED_LIMIT])


def shared_entries(room: Room, *, since: datetime | None = None) -> list[Entry]:
    """The mentee's evidence entries in the room's organization shared with mentors or
    wider (added after `since`, when given), while the room is active: 1 query."""
    if room.status != RoomStatus.ACTIVE:
        return []
    found = Entry.objects.filter(
        owner_id=room.mentee_id, organization_id=room.organization_id, visibility__in=SHARED_TIERS
    )
    if since is not None:
        found = found.filter(created_at__gt=since)
    return list(found.order_by("-happened_on", "-id")[:SHARED_LIMIT])


def linkable_objectives(room: Room, by: User | AbstractBaseUser) -> list[Objective]:
    """The mentee's open objectives in the room's organization that `by` may link a goal
    to: all of them for the mentee, those shared with mentors or wider for the mentor."""
    found = Objective.objects.filter(
        owner_id=room.mentee_id, organization_id=room.organization_id, status__in=OPEN_STATUSES
    )
    if by.pk != room.mentee_id:
        found = found.filter(visibility__in=SHARED_TIERS)
    return list(found.order_by("due_on", "id"))


def last_check_in(room: Room, *, now: datetime | None = None) -> MentoringSession | None:
    """The latest session that is not cancelled and has started: 1 query."""
    return (
        room.sessions.filter(cancelled_at__isnull=True, starts_at__lte=now or timezone.now())
        .order_by("-starts_at", "-id")
        .first()
    )


def agenda_for(room: Room, *, now: datetime | None = None) -> str:
    """An agenda in Markdown: the open objectives the room's goals link to (or else the
    mentee's open objectives shared with mentors), the overdue action items, and the
    evidence the mentee shared since the last check-in: 5 queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    objectives = _agenda_objectives(room)
    overdue = room.action_items.filter(done_at__isnull=True, due_on__lt=today).select_related(
        "owner"
    )
    last = last_check_in(room, now=now)
    entries = shared_entries(room, since=last.starts_at if last else room.opened_at)
    parts = []
    if objectives:
        parts.append(_section("Objectives", [_objective_line(o) for o in objectives]))
    if overdue:
        lines = [f"{i.title} ({i.owner.display_name}, due {_day(i.due_on)})" for i in overdue]
        parts.append(_section("Overdue action items", lines))
    if entries:
        heading = "Evidence since the last check-in" if last else "Evidence so far"
        parts.append(_section(heading, [f"{e.title} ({_day(e.happened_on)})" for e in entries]))
    if not parts:
        parts.append(_section("Check-in", ["What moved since last time, and what is in the way"]))
    return "\n\n".join(parts)


def _agenda_objectives(room: Room) -> list[Objective]:
    linked = list(
        Objective.objects.filter(
            pk__in=room.goals.filter(done_at__isnull=True).values("objective_id"),
            status__in=OPEN_STATUSES,
        ).order_by("due_on", "id")
    )
    if linked:
        return linked
    return linkable_objectives(room, room.mentor)


def _objective_line(objective: Objective) -> str:
    due = f" (due {_day(objective.due_on)})" if objective.due_on else ""
    return f"{objective.title}{due}"


def _section(heading: str, lines: list[str]) -> str:
    return f"### {heading}\n\n" + "\n".join(f"- {_plain(line)}" for line in lines)


def _plain(text: str) -> str:
    """Text a person wrote, kept from reading as Markdown markup in a list item."""
    for mark in ("\\", "*", "_", "`", "[", "]", "#", "<", ">"):
        text = text.replace(mark, "\\" + mark)
    return " ".join(text.split())


def _day(day: date) -> str:
    return day.isoformat()

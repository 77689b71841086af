"""What a room tells its two people, through notifications: a message from the other
side, a session the other side booked, an action item the other side set for you.

Nobody is told of what they did themselves, and only the room's two people are
ever told anything about it.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from upward.accounts.models import User
from upward.mentorship.models import ActionItem, MentoringSession, Message, Room
from upward.notifications.services import notify, register_kind

__all__ = [
    "ACTION_ASSIGNED",
    "ROOM_MESSAGE",
    "SESSION_SCHEDULED",
    "local_time",
    "notify_action",
    "notify_message",
    "notify_session",
]

ROOM_MESSAGE = register_kind("mentorship.room_message", "Messages in your mentoring rooms").key
SESSION_SCHEDULED = register_kind(
    "mentorship.session_scheduled", "Mentoring sessions booked with you"
).key
ACTION_ASSIGNED = register_kind(
    "mentorship.action_assigned", "Action items set for you in a mentoring room"
).key

EXCERPT_WORDS = 40


def _other(room: Room, user_id: int) -> User:
    return room.mentee if user_id == room.mentor_id else room.mentor


def _room_path(room: Room, anchor: str = "") -> str:
    return reverse("mentorship:room", args=[room.pk]) + (f"#{anchor}" if anchor else "")


def notify_message(*, message: Message) -> None:
    """Tell the other side of the room about a message."""
    room = message.room
    notify(
        recipient=_other(room, message.author_id),
        kind_key=ROOM_MESSAGE,
        title=f"{message.author.display_name} wrote in your mentoring room",
        url=_room_path(room, f"message-{message.pk}"),
        body=Truncator(message.body).words(EXCERPT_WORDS),
    )


def local_time(moment: datetime, person: User) -> str:
    """`moment` as `person` reads it: in their profile's time zone, named, when they set one."""
    try:
        zone = zoneinfo.ZoneInfo(person.time_zone) if person.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    local = timezone.localtime(moment, zone or timezone.get_default_timezone())
    return f"{local:%a %d %b %Y, %H:%M} ({zone.key if zone else local.tzname()})"


def notify_session(*, session: MentoringSession, by: User) -> None:
    """Tell the other side a session was booked, at the time in their own time zone."""
    room = session.room
    recipient = _other(room, by.pk)
    notify(
        recipient=recipient,
        kind_key=SESSION_SCHEDULED,
        title=f"{by.display_name} booked a mentoring session on "
        f"{local_time(session.starts_at, recipient)}",
        url=reverse("mentorship:session", args=[session.pk]),
        body=Truncator(session.agenda).words(EXCERPT_WORDS),
    )


def notify_action(*, item: ActionItem, by: User) -> None:
    """Tell an action item's owner the other side set it for them."""
    if item.owner_id == by.pk:
        return
    notify(
        recipient=item.owner,
        kind_key=ACTION_ASSIGNED,
        title=f"{by.display_name} set you an action item: {item.title}",
        url=_room_path(item.room, f"action-{item.pk}"),
        body=f"Due {item.due_on:%d %b %Y}.",
    )

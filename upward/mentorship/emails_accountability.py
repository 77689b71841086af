"""What accountability tells people, through notifications: a check-in falling due or
overdue, and a room ended by the other side.

A check-in reminder goes to both sides in the daily digest by default: it is worth
knowing, not worth an interruption. The sweep (`services.remind_rooms`) decides when
(on the day a room falls due, turns overdue or gets a new overdue action item, then
weekly while it stays so). A room ended tells the other side right away.
"""

from __future__ import annotations

from django.urls import reverse

from upward.accounts.models import User
from upward.engine.accountability import Accountability, State
from upward.mentorship.models import Room
from upward.notifications.services import Choice, notify, register_kind

__all__ = ["CHECK_IN_DUE", "ROOM_ENDED", "notify_check_in_due", "notify_room_ended", "room_path"]

CHECK_IN_DUE = register_kind(
    "mentorship.check_in_due", "Mentoring check-ins due or overdue", default=Choice.DAILY
).key
ROOM_ENDED = register_kind("mentorship.room_ended", "Mentorships ended by the other side").key


def room_path(room_id: int) -> str:
    """The room's page (mentorship:room)."""
    return reverse("mentorship:room", args=[room_id])


def notify_check_in_due(*, room: Room, state: Accountability) -> None:
    """Tell both sides their room's check-in is due or overdue, with why."""
    todo = "Book a session" if state.overdue_items == 0 else "Book a session or close what is late"
    body = " ".join((*state.reasons, f"{todo} to get back on track."))
    for person, other in ((room.mentor, room.mentee), (room.mentee, room.mentor)):
        if state.state == State.OVERDUE:
            title = f"Your mentoring with {other.display_name} is overdue"
        else:
            title = f"A check-in with {other.display_name} is due"
        notify(
            recipient=person, kind_key=CHECK_IN_DUE, title=title, url=room_path(room.pk), body=body
        )


def notify_room_ended(*, room: Room, by: User) -> None:
    """Tell the other side that `by` ended the room, and invite their rating."""
    other: User = room.mentee if room.mentor_id == by.pk else room.mentor
    ender = room.mentor if room.mentor_id == by.pk else room.mentee
    notify(
        recipient=other,
        kind_key=ROOM_ENDED,
        title=f"{ender.display_name} ended your mentorship",
        url=reverse("mentorship:room_rate", args=[room.pk]),
        body=(
            "The room stays there to read. Rate how the mentorship went: "
            "neither of you sees the other's rating until you both have, or 14 days have passed."
        ),
    )

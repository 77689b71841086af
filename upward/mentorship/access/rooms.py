"""Who may read and change a mentorship room and what is in it.

A room is read by its mentor and its mentee, and nobody else: not the mentee's
manager, not the organization's admins, not site staff. Changing anything in it
(goals, messages, sessions, action items, the cadence) also needs the room to be
active; an ended room is kept for the two of them to read. Missing and forbidden
both raise Http404, so ids don't leak.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.mentorship.models import ActionItem, Goal, MentoringSession, Room, RoomStatus

__all__ = [
    "access_action_item",
    "access_goal",
    "access_room",
    "access_session",
    "may_use_room",
]

RELATED = ("mentor", "mentee", "organization")


def may_use_room(user: AbstractBaseUser | AnonymousUser, room: Room) -> bool:
    """Whether `user` is one of the room's two people (and an active account)."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return user.pk in (room.mentor_id, room.mentee_id)


def _check(user: AbstractBaseUser | AnonymousUser, room: Room, *, write: bool) -> None:
    if not may_use_room(user, room):
        raise Http404
    if write and room.status != RoomStatus.ACTIVE:
        raise Http404


def access_room(
    user: AbstractBaseUser | AnonymousUser, room_id: int, *, write: bool = False
) -> Room:
    """A room the user is in (mentor or mentee); `write` needs it to be active."""
    if not user.is_authenticated:
        raise Http404
    room = get_object_or_404(Room.objects.select_related(*RELATED), pk=room_id)
    _check(user, room, write=write)
    return room


def access_goal(
    user: AbstractBaseUser | AnonymousUser, goal_id: int, *, write: bool = False
) -> Goal:
    """A goal of a room the user is in; `write` needs the room to be active."""
    if not user.is_authenticated:
        raise Http404
    goal = get_object_or_404(
        Goal.objects.select_related("objective", *(f"room__{r}" for r in RELATED)), pk=goal_id
    )
    _check(user, goal.room, write=write)
    return goal


def access_session(
    user: AbstractBaseUser | AnonymousUser, session_id: int, *, write: bool = False
) -> MentoringSession:
    """A session of a room the user is in; `write` needs the room to be active."""
    if not user.is_authenticated:
        raise Http404
    session = get_object_or_404(
        MentoringSession.objects.select_related(*(f"room__{r}" for r in RELATED)), pk=session_id
    )
    _check(user, session.room, write=write)
    return session


def access_action_item(
    user: AbstractBaseUser | AnonymousUser, item_id: int, *, write: bool = False
) -> ActionItem:
    """An action item of a room the user is in; `write` needs the room to be active."""
    if not user.is_authenticated:
        raise Http404
    item = get_object_or_404(
        ActionItem.objects.select_related("owner", *(f"room__{r}" for r in RELATED)), pk=item_id
    )
    _check(user, item.room, write=write)
    return item

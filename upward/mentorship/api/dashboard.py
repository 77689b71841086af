"""API for accountability, the mentor dashboard, ending a room and its blind ratings.

Rooms answer only to their mentor and their mentee; anyone else gets 404, as for a
room that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from upward.accounts.current import api_caller
from upward.accounts.models import User
from upward.core.schemas import ErrorOut, Id, Pages, PersonOut
from upward.engine.accountability import Accountability
from upward.mentorship.access.rooms import access_room
from upward.mentorship.models import Room, RoomRating
from upward.mentorship.selectors import dashboard as selectors
from upward.mentorship.selectors.ratings import ending_of
from upward.mentorship.services import ratings as services

router = Router(tags=["mentorship"])

ROOMS_PAGE_SIZE = 20


# --- Schemas -----------------------------------------------------------------------------


class StateOut(Schema):
    state: Literal["on_track", "check_in_due", "overdue"]
    due_on: date = Field(..., description="When the next check-in is due")
    overdue_items: int = Field(..., description="Open action items past their due date")
    reasons: list[str] = Field(..., description="Why, in plain sentences")


class RoomSummaryOut(Schema):
    id: int
    organization: str = Field(..., description="The slug of the mentee's organization")
    role: Literal["mentor", "mentee"] = Field(..., description="Your side of the room")
    other: PersonOut = Field(..., description="The other side")
    status: Literal["active", "ended"]
    cadence: str
    opened_at: datetime
    ended_at: datetime | None
    state: StateOut | None = Field(..., description="Accountability while active, else null")


class DashboardRoomOut(Schema):
    id: int
    organization: str
    mentee: PersonOut
    cadence: str
    state: StateOut
    next_session_at: datetime | None


class PlacesOut(Schema):
    profile_id: int
    organization: str
    capacity: int
    used: int = Field(..., description="Active rooms you mentor")
    open: int
    accepting: bool


class DashboardOut(Schema):
    rooms: list[DashboardRoomOut] = Field(..., description="Active rooms, most urgent first")
    places: list[PlacesOut]
    ended: list[int] = Field(..., description="Ids of your ended rooms as a mentor")


class RoomRatingIn(Schema):
    stars: int = Field(..., description="1 to 5")
    comment: Annotated[str, Field(max_length=services.COMMENT_MAX)] = ""


class RoomRatingOut(Schema):
    stars: int
    comment: str
    created_at: datetime


class RoomRatingsOut(Schema):
    """Ending and rating a room as the caller sees it (blind: see the description)."""

    ended: bool
    ended_at: datetime | None
    may_rate: bool = Field(..., description="The room ended and you have not rated yet")
    mine: RoomRatingOut | None
    theirs: RoomRatingOut | None = Field(
        ..., description="Shown once both have rated, or 14 days after the room ended"
    )
    they_rated: bool
    opens_at: datetime | None = Field(..., description="When both ratings show regardless")


# --- Helpers -----------------------------------------------------------------------------


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.display_name}


def _state(state: Accountability | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "state": state.state.value,
        "due_on": state.due_on,
        "overdue_items": state.overdue_items,
        "reasons": list(state.reasons),
    }


def _room(room: Room, viewer: User, state: Accountability | None) -> dict[str, Any]:
    as_mentor = room.mentor_id == viewer.pk
    return {
        "id": room.pk,
        "organization": room.organization.slug,
        "role": "mentor" if as_mentor else "mentee",
        "other": _person(room.mentee if as_mentor else room.mentor),
        "status": room.status,
        "cadence": room.cadence,
        "opened_at": room.opened_at,
        "ended_at": room.ended_at,
        "state": _state(state),
    }


def _rating(rating: RoomRating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {"stars": rating.stars, "comment": rating.comment, "created_at": rating.created_at}


def _ratings(room: Room, viewer: User) -> dict[str, Any]:
    ending = ending_of(room, viewer)
    return {
        "ended": ending.ended,
        "ended_at": ending.ended_at,
        "may_rate": ending.may_rate,
        "mine": _rating(ending.mine),
        "theirs": _rating(ending.theirs),
        "they_rated": ending.they_rated,
        "opens_at": ending.opens_at,
    }


# --- Endpoints ---------------------------------------------------------------------------


@router.get("/mentoring/rooms", response=list[RoomSummaryOut])
@paginate(Pages, page_size=ROOMS_PAGE_SIZE)
def list_rooms(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Your rooms as mentor and as mentee, active first, with their accountability state."""
    caller = api_caller(request)
    return [_room(row.room, caller, row.state) for row in selectors.room_rows(caller)]


@router.get("/mentoring/dashboard", response=DashboardOut)
def get_dashboard(request: HttpRequest) -> dict[str, Any]:
    """The rooms you mentor with state, due date, next session and overdue items, and
    the places used of each of your mentor profiles."""
    board = selectors.dashboard_of(api_caller(request))
    return {
        "rooms": [
            {
                "id": row.room.pk,
                "organization": row.room.organization.slug,
                "mentee": _person(row.room.mentee),
                "cadence": row.room.cadence,
                "state": _state(row.state),
                "next_session_at": row.next_session_at,
            }
            for row in board.rows
        ],
        "places": [
            {
                "profile_id": c.profile.pk,
                "organization": c.profile.organization.slug,
                "capacity": c.profile.capacity,
                "used": c.used,
                "open": c.open,
                "accepting": c.profile.accepting,
            }
            for c in board.capacities
        ],
        "ended": [room.pk for room in board.ended],
    }


@router.post("/mentoring/rooms/{room_id}/end", response={200: RoomSummaryOut, 409: ErrorOut})
def end_room(request: HttpRequest, room_id: Id) -> dict[str, Any]:
    """End an active room (either side); the other side is told. Ending it again answers 409."""
    caller = api_caller(request)
    room = services.end_room(room=access_room(caller, room_id), by=caller)
    return _room(room, caller, None)


@router.get("/mentoring/rooms/{room_id}/rating", response=RoomRatingsOut)
def get_rating(request: HttpRequest, room_id: Id) -> dict[str, Any]:
    """Your rating of the room and, once released, the other side's."""
    caller = api_caller(request)
    return _ratings(access_room(caller, room_id), caller)


@router.post(
    "/mentoring/rooms/{room_id}/rating",
    response={201: RoomRatingsOut, 409: ErrorOut, 422: ErrorOut},
)
def create_rating(request: HttpRequest, room_id: Id, payload: RoomRatingIn) -> Status:
    """Rate an ended room once (1 to 5 stars). Rating twice, or an active room, answers 409;
    stars outside 1 to 5 answer 422 naming `stars`."""
    caller = api_caller(request)
    room = access_room(caller, room_id)
    services.rate_room(room=room, by=caller, stars=payload.stars, comment=payload.comment)
    return Status(201, _ratings(room, caller))

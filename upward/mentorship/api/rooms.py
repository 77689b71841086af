"""API for mentorship rooms under /mentoring: a room with its goals, sessions, action
items and what the mentee shares; messages; booking and editing sessions; the mentee's
request for the mentor's rating.

Only the room's mentor and mentee get answers; for anyone else every path answers 404,
like one that does not exist. Changes need the room to be active.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from upward.accounts.current import api_caller
from upward.accounts.models import User
from upward.core.errors import Invalid
from upward.core.schemas import Day, Id, PersonOut
from upward.mentorship.access.rooms import (
    access_action_item,
    access_goal,
    access_room,
    access_session,
)
from upward.mentorship.models import ActionItem, Goal, MentoringSession, Room
from upward.mentorship.selectors import rooms as selectors
from upward.mentorship.services import rooms as services
from upward.mentorship.services import sessions

router = Router(tags=["mentorship"])

Title = Annotated[str, Field(max_length=services.TITLE_MAX)]
Text = Annotated[str, Field(max_length=sessions.TEXT_MAX, description="Markdown")]
MESSAGES_PAGE_SIZE = 50


# --- Schemas -----------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    title: str
    objective_id: int | None
    objective_title: str | None
    done_at: datetime | None
    created_at: datetime


class GoalIn(Schema):
    title: Title
    objective_id: Id | None = Field(None, description="One of the mentee's open objectives here")


class GoalPatch(Schema):
    """The fields to change; any left out stay as they are."""

    title: Title | None = None
    objective_id: Id | None = Field(None, description="null unlinks the objective")
    done: bool | None = Field(None, strict=True)


class SessionOut(Schema):
    id: int
    starts_at: datetime
    minutes: int
    agenda: str
    notes: str
    held_at: datetime | None
    cancelled_at: datetime | None


class SessionIn(Schema):
    starts_at: datetime = Field(..., description="In the future, with a time zone offset")
    minutes: int = Field(45, ge=sessions.MINUTES_MIN, le=sessions.MINUTES_MAX)
    agenda: Text = Field("", description="Generated when left blank")


class SessionPatch(Schema):
    agenda: Text | None = None
    notes: Text | None = None
    held: bool | None = Field(None, strict=True)


class ActionItemOut(Schema):
    id: int
    title: str
    owner: PersonOut
    due_on: date
    done_at: datetime | None
    overdue: bool = Field(..., description="Open and past its due date")


class ActionItemIn(Schema):
    title: Title
    owner_id: Id = Field(..., description="The mentor's or the mentee's user id")
    due_on: Day
    session_id: Id | None = None


class ActionItemPatch(Schema):
    title: Title | None = None
    owner_id: Id | None = None
    due_on: Day | None = None
    done: bool | None = Field(None, strict=True)


class MessageOut(Schema):
    id: int
    author: PersonOut
    body: str
    created_at: datetime


class MessageIn(Schema):
    body: Annotated[str, Field(max_length=services.BODY_MAX, description="Markdown")]


class SharedOut(Schema):
    kind: str = Field(..., description="thread or entry")
    id: int
    title: str
    on: date = Field(..., description="The entry's day, or the thread's last activity")
    visibility: str


class RoomOut(Schema):
    id: int
    organization: str = Field(..., description="The mentee's organization (its slug)")
    mentor: PersonOut
    mentee: PersonOut
    cadence: str
    status: str
    opened_at: datetime
    ended_at: datetime | None
    goals: list[GoalOut]
    sessions: list[SessionOut]
    action_items: list[ActionItemOut]
    shared: list[SharedOut] = Field(..., description="What the mentee shares with mentors")


class RatingRequestIn(Schema):
    message: Annotated[str, Field(max_length=2000)] = ""


class RatingRequestOut(Schema):
    feedback_request_id: int
    competencies: list[str]
    rater: str = Field(..., description="user (answers in Upward) or email (a link)")


# --- Shapes ------------------------------------------------------------------------------


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.display_name}


def _goal(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "title": goal.title,
        "objective_id": goal.objective_id,
        "objective_title": goal.objective.title if goal.objective else None,
        "done_at": goal.done_at,
        "created_at": goal.created_at,
    }


def _session(session: MentoringSession) -> dict[str, Any]:
    fields = ("id", "starts_at", "minutes", "agenda", "notes", "held_at", "cancelled_at")
    return {name: getattr(session, name) for name in fields}


def _item(item: ActionItem, overdue: bool) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "owner": _person(item.owner),
        "due_on": item.due_on,
        "done_at": item.done_at,
        "overdue": overdue,
    }


def _room(room: Room, viewer: User) -> dict[str, Any]:
    shown = selectors.room_page(room, viewer)
    shared = [
        {
            "kind": "thread",
            "id": t.pk,
            "title": t.title,
            "on": t.last_activity_at.date(),
            "visibility": t.visibility,
        }
        for t in shown.threads
    ] + [
        {
            "kind": "entry",
            "id": e.pk,
            "title": e.title,
            "on": e.happened_on,
            "visibility": e.visibility,
        }
        for e in shown.entries
    ]
    return {
        "id": room.pk,
        "organization": room.organization.slug,
        "mentor": _person(room.mentor),
        "mentee": _person(room.mentee),
        "cadence": room.cadence,
        "status": room.status,
        "opened_at": room.opened_at,
        "ended_at": room.ended_at,
        "goals": [_goal(g) for g in shown.goals],
        "sessions": [_session(s) for s in shown.sessions],
        "action_items": [_item(i.item, i.overdue) for i in shown.items],
        "shared": shared,
    }


def _objective_of(room: Room, by: User, objective_id: int | None) -> Any:
    if objective_id is None:
        return None
    found = [o for o in selectors.linkable_objectives(room, by) if o.pk == objective_id]
    if not found:
        raise Invalid(
            f"Pick one of {room.mentee.display_name}'s open objectives here.", field="objective_id"
        )
    return found[0]


def _owner_of(room: Room, owner_id: int | None) -> User | None:
    if owner_id == room.mentor_id:
        return room.mentor
    if owner_id == room.mentee_id:
        return room.mentee
    raise Invalid("An action item belongs to the mentor or the mentee.", field="owner_id")


# --- Rooms and goals ---------------------------------------------------------------------


@router.get("/mentoring/rooms/{room_id}", response=RoomOut)
def get_room(request: HttpRequest, room_id: Id) -> dict[str, Any]:
    """A room you are in: goals, sessions, action items and what the mentee shares."""
    me = api_caller(request)
    return _room(access_room(me, room_id), me)


@router.get("/mentoring/rooms/{room_id}/goals", response=list[GoalOut])
def list_goals(request: HttpRequest, room_id: Id) -> list[dict[str, Any]]:
    """The room's goals, open ones first."""
    room = access_room(api_caller(request), room_id)
    goals = room.goals.select_related("objective").order_by("done_at", "id")
    return [_goal(g) for g in goals]


@router.post("/mentoring/rooms/{room_id}/goals", response={201: GoalOut})
def create_goal(request: HttpRequest, room_id: Id, payload: GoalIn) -> Status:
    """Add a shared goal, linked to one of the mentee's open objectives or not."""
    me = api_caller(request)
    room = access_room(me, room_id, write=True)
    goal = services.add_goal(
        room=room,
        by=me,
        title=payload.title,
        objective=_objective_of(room, me, payload.objective_id),
    )
    return Status(201, _goal(goal))


@router.patch("/mentoring/goals/{goal_id}", response=GoalOut)
def update_goal(request: HttpRequest, goal_id: Id, payload: GoalPatch) -> dict[str, Any]:
    """Rename a goal, link or unlink an objective, mark it done or open."""
    me = api_caller(request)
    goal = access_goal(me, goal_id, write=True)
    given = payload.model_dump(exclude_unset=True)
    link = given.get("objective_id")
    services.update_goal(
        goal=goal,
        by=me,
        title=payload.title,
        objective=_objective_of(goal.room, me, link) if link is not None else None,
        unlink="objective_id" in given and link is None,
        done=payload.done,
    )
    return _goal(goal)


@router.delete("/mentoring/goals/{goal_id}", response={204: None})
def delete_goal(request: HttpRequest, goal_id: Id) -> Status:
    """Take a goal out of the room."""
    me = api_caller(request)
    services.delete_goal(goal=access_goal(me, goal_id, write=True), by=me)
    return Status(204, None)


# --- Messages ----------------------------------------------------------------------------


@router.get("/mentoring/rooms/{room_id}/messages", response=list[MessageOut])
def list_messages(
    request: HttpRequest, room_id: Id, before: Id | None = None
) -> list[dict[str, Any]]:
    """The room's newest messages first, up to 50; `before` (a message id) pages back."""
    room = access_room(api_caller(request), room_id)
    found = room.messages.select_related("author").order_by("-created_at", "-id")
    if before is not None:
        found = found.filter(pk__lt=before)
    return [
        {"id": m.pk, "author": _person(m.author), "body": m.body, "created_at": m.created_at}
        for m in found[:MESSAGES_PAGE_SIZE]
    ]


@router.post("/mentoring/rooms/{room_id}/messages", response={201: MessageOut})
def create_message(request: HttpRequest, room_id: Id, payload: MessageIn) -> Status:
    """Write to the other side; they are told."""
    me = api_caller(request)
    room = access_room(me, room_id, write=True)
    message = services.post_message(room=room, by=me, body=payload.body)
    out = {"id": message.pk, "author": _person(me), "body": message.body}
    return Status(201, {**out, "created_at": message.created_at})


# --- Sessions ----------------------------------------------------------------------------


@router.get("/mentoring/rooms/{room_id}/sessions", response=list[SessionOut])
def list_sessions(request: HttpRequest, room_id: Id) -> list[dict[str, Any]]:
    """The room's sessions in time order, cancelled ones included."""
    room = access_room(api_caller(request), room_id)
    return [_session(s) for s in room.sessions.all()]


@router.post("/mentoring/rooms/{room_id}/sessions", response={201: SessionOut})
def create_session(request: HttpRequest, room_id: Id, payload: SessionIn) -> Status:
    """Book a session in the future; a blank agenda is generated. The other side is told."""
    me = api_caller(request)
    room = access_room(me, room_id, write=True)
    made = sessions.schedule_session(
        room=room,
        by=me,
        starts_at=payload.starts_at,
        minutes=payload.minutes,
        agenda=payload.agenda,
    )
    return Status(201, _session(made))


@router.get("/mentoring/sessions/{session_id}", response=SessionOut)
def get_session(request: HttpRequest, session_id: Id) -> dict[str, Any]:
    """A session with its agenda and notes."""
    return _session(access_session(api_caller(request), session_id))


@router.patch("/mentoring/sessions/{session_id}", response=SessionOut)
def update_session(request: HttpRequest, session_id: Id, payload: SessionPatch) -> dict[str, Any]:
    """Edit the agenda or notes, or mark the session held."""
    me = api_caller(request)
    item = access_session(me, session_id, write=True)
    sessions.update_session(
        session=item, by=me, agenda=payload.agenda, notes=payload.notes, held=payload.held
    )
    return _session(item)


@router.post("/mentoring/sessions/{session_id}/cancel", response=SessionOut)
def cancel_session(request: HttpRequest, session_id: Id) -> dict[str, Any]:
    """Call a session off (cancelling twice answers 409)."""
    me = api_caller(request)
    item = access_session(me, session_id, write=True)
    return _session(sessions.cancel_session(session=item, by=me))


# --- Action items and the rating request -----------------------------------------------------


@router.get("/mentoring/rooms/{room_id}/action-items", response=list[ActionItemOut])
def list_action_items(request: HttpRequest, room_id: Id) -> list[dict[str, Any]]:
    """The room's action items, open ones first by due date; overdue ones say so."""
    room = access_room(api_caller(request), room_id)
    return [_item(i.item, i.overdue) for i in selectors.action_items(room)]


@router.post("/mentoring/rooms/{room_id}/action-items", response={201: ActionItemOut})
def create_action_item(request: HttpRequest, room_id: Id, payload: ActionItemIn) -> Status:
    """Set something the mentor or the mentee will do by a date."""
    me = api_caller(request)
    room = access_room(me, room_id, write=True)
    session = None
    if payload.session_id is not None:
        session = room.sessions.filter(pk=payload.session_id).first()
        if session is None:
            raise Invalid("Pick a session of this room.", field="session_id")
    item = services.add_action_item(
        room=room,
        by=me,
        title=payload.title,
        owner=_owner_of(room, payload.owner_id),
        due_on=payload.due_on,
        session=session,
    )
    return Status(201, _item(item, False))


@router.patch("/mentoring/action-items/{item_id}", response=ActionItemOut)
def update_action_item(
    request: HttpRequest, item_id: Id, payload: ActionItemPatch
) -> dict[str, Any]:
    """Change an action item's title, owner or due date, or mark it done or open."""
    me = api_caller(request)
    item = access_action_item(me, item_id, write=True)
    owner = _owner_of(item.room, payload.owner_id) if payload.owner_id is not None else None
    services.update_action_item(
        item=item, by=me, title=payload.title, owner=owner, due_on=payload.due_on, done=payload.done
    )
    overdue = item.done_at is None and item.due_on < timezone.localdate()
    return _item(item, overdue)


@router.post("/mentoring/rooms/{room_id}/rating-request", response={201: RatingRequestOut})
def create_rating_request(request: HttpRequest, room_id: Id, payload: RatingRequestIn) -> Status:
    """The mentee asks the mentor to rate them; the answer becomes `mentor` signals."""
    me = api_caller(request)
    room = access_room(me, room_id, write=True)
    made = services.request_rating(room=room, by=me, message=payload.message)
    out = {
        "feedback_request_id": made.pk,
        "competencies": list(made.competencies),
        "rater": "user" if made.rater_id else "email",
    }
    return Status(201, out)

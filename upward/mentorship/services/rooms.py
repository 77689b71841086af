"""Changes to rooms: opening one (from an accepted request or a published programme),
its goals, messages and action items, its cadence, and the mentee's request for the
mentor's rating.

What is inside a room is the two people's own: the audit log records that a room
opened and ended, never its goals, messages or items (see `AuditCode`).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Membership, Organization, User
from upward.assessments.models import FeedbackRequest
from upward.assessments.selectors import active_placement, delta_for
from upward.assessments.services import request_feedback
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.mentorship import emails_rooms
from upward.mentorship.models import (
    ActionItem,
    Cadence,
    Goal,
    MentoringSession,
    MentorProfile,
    Message,
    Programme,
    Room,
    RoomStatus,
)
from upward.mentorship.selectors.rooms import linkable_objectives
from upward.roadmaps.models import Objective

__all__ = [
    "BODY_MAX",
    "TITLE_MAX",
    "add_action_item",
    "add_goal",
    "change_cadence",
    "delete_goal",
    "open_room",
    "post_message",
    "rating_competencies",
    "request_rating",
    "set_action_done",
    "set_goal_done",
    "update_action_item",
    "update_goal",
]

TITLE_MAX = 300
BODY_MAX = 20_000
# How many of the mentee's top gaps a rating request asks about when no goal names any.
RATED_GAPS = 3


@transaction.atomic
def open_room(
    *,
    mentor: User,
    mentee: User,
    organization: Organization,
    cadence: str,
    profile: MentorProfile | None = None,
    programme: Programme | None = None,
) -> Room:
    """Open a room for `mentor` and `mentee` (whose placement in `organization` it follows).

    Refuses the same person twice, and a second active room for the same two."""
    if mentor.pk == mentee.pk:
        raise Invalid("A mentor can't mentor themselves.", field="mentor")
    if Room.objects.filter(
        mentor=mentor, mentee=mentee, organization=organization, status=RoomStatus.ACTIVE
    ).exists():
        raise Conflict(f"{mentor.display_name} already mentors {mentee.display_name} here.")
    room = Room.objects.create(
        mentor=mentor,
        mentee=mentee,
        organization=organization,
        cadence=cadence,
        profile=profile,
        programme=programme,
    )
    audit.record(room, AuditCode.MENTORSHIP_ROOM_OPENED, actor=mentor, data={"cadence": cadence})
    return room


def _check_active(room: Room) -> None:
    if room.status != RoomStatus.ACTIVE:
        raise Conflict("This room has ended: it can be read, not changed.")


def _check_in_room(room: Room, by: User | AbstractBaseUser) -> None:
    # Access functions already keep everyone else out; services refuse them too.
    if by.pk not in (room.mentor_id, room.mentee_id):
        raise Invalid("Only the mentor and the mentee write in a room.", field="by")


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise Invalid("Give it a title.", field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"Keep the title under {TITLE_MAX} characters.", field="title")
    return title


# --- Goals ------------------------------------------------------------------------------


def _objective(room: Room, by: User, objective: Objective | None) -> Objective | None:
    if objective is None:
        return None
    if objective.pk not in {o.pk for o in linkable_objectives(room, by)}:
        raise Invalid(
            f"Pick one of {room.mentee.display_name}'s open objectives here.", field="objective"
        )
    return objective


@transaction.atomic
def add_goal(*, room: Room, by: User, title: str, objective: Objective | None = None) -> Goal:
    """Add a goal the two share, linked to one of the mentee's open objectives or not."""
    _check_active(room)
    _check_in_room(room, by)
    return Goal.objects.create(
        room=room, title=_title(title), objective=_objective(room, by, objective), created_by=by
    )


@transaction.atomic
def update_goal(
    *,
    goal: Goal,
    by: User,
    title: str | None = None,
    objective: Objective | None = None,
    unlink: bool = False,
    done: bool | None = None,
) -> Goal:
    """Rename a goal, link it to another objective (or unlink it), mark it done or not."""
    _check_active(goal.room)
    _check_in_room(goal.room, by)
    changed = []
    if title is not None:
        goal.title = _title(title)
        changed.append("title")
    if objective is not None or unlink:
        goal.objective = _objective(goal.room, by, objective)
        changed.append("objective")
    if done is not None and done != (goal.done_at is not None):
        goal.done_at = timezone.now() if done else None
        changed.append("done_at")
    if changed:
        goal.save(update_fields=changed)
    return goal


def set_goal_done(*, goal: Goal, by: User, done: bool = True) -> Goal:
    """Mark a goal reached (or open again)."""
    return update_goal(goal=goal, by=by, done=done)


@transaction.atomic
def delete_goal(*, goal: Goal, by: User) -> None:
    """Take a goal out of the room."""
    _check_active(goal.room)
    _check_in_room(goal.room, by)
    goal.delete()


# --- Messages ---------------------------------------------------------------------------


@transaction.atomic
def post_message(*, room: Room, by: User, body: str) -> Message:
    """Write to the other side of the room; they are told."""
    _check_active(room)
    _check_in_room(room, by)
    body = body.strip()
    if not body:
        raise Invalid("Write something first.", field="body")
    if len(body) > BODY_MAX:
        raise Invalid(f"Keep a message under {BODY_MAX} characters.", field="body")
    message = Message.objects.create(room=room, author=by, body=body)
    emails_rooms.notify_message(message=message)
    return message


# --- Action items -----------------------------------------------------------------------


def _owner(room: Room, owner: User | None) -> User:
    if owner is None or owner.pk not in (room.mentor_id, room.mentee_id):
        raise Invalid("An action item belongs to the mentor or the mentee.", field="owner")
    return room.mentor if owner.pk == room.mentor_id else room.mentee


def _due(due_on: date | None, *, today: date) -> date:
    if due_on is None:
        raise Invalid("Give it a due date.", field="due_on")
    if due_on < today:
        raise Invalid("Pick a due date from today on.", field="due_on")
    return due_on


@transaction.atomic
def add_action_item(
    *,
    room: Room,
    by: User,
    title: str,
    owner: User | None,
    due_on: date | None,
    session: MentoringSession | None = None,
) -> ActionItem:
    """Set something one of the two will do by a date; the owner is told when the
    other side set it."""
    _check_active(room)
    _check_in_room(room, by)
    if session is not None and session.room_id != room.pk:
        raise Invalid("Pick a session of this room.", field="session")
    item = ActionItem.objects.create(
        room=room,
        session=session,
        title=_title(title),
        owner=_owner(room, owner),
        due_on=_due(due_on, today=timezone.localdate()),
        created_by=by,
    )
    if item.owner_id != by.pk:
        emails_rooms.notify_action(item=item, by=by)
    return item


@transaction.atomic
def update_action_item(
    *,
    item: ActionItem,
    by: User,
    title: str | None = None,
    owner: User | None = None,
    due_on: date | None = None,
    done: bool | None = None,
) -> ActionItem:
    """Change an action item's title, owner or due date, or mark it done (or not)."""
    room = item.room
    _check_active(room)
    _check_in_room(room, by)
    changed = []
    if title is not None:
        item.title = _title(title)
        changed.append("title")
    if owner is not None:
        item.owner = _owner(room, owner)
        changed.append("owner")
    if due_on is not None and due_on != item.due_on:
        item.due_on = _due(due_on, today=timezone.localdate())
        changed.append("due_on")
    if done is not None and done != (item.done_at is not None):
        item.done_at = timezone.now() if done else None
        changed.append("done_at")
    if changed:
        item.save(update_fields=changed)
    return item


def set_action_done(*, item: ActionItem, by: User, done: bool = True) -> ActionItem:
    """Mark an action item done (or open again)."""
    return update_action_item(item=item, by=by, done=done)


# --- Cadence and the mentor's rating ---------------------------------------------------------


@transaction.atomic
def change_cadence(*, room: Room, by: User, cadence: str) -> Room:
    """Check in weekly, every two weeks or monthly from now on."""
    _check_active(room)
    _check_in_room(room, by)
    if cadence not in Cadence.values:
        raise Invalid("Pick weekly, fortnightly or monthly.", field="cadence")
    room.cadence = cadence
    room.save(update_fields=["cadence"])
    return room


def rating_competencies(room: Room, placement_competencies: list[str]) -> list[str]:
    """What the mentor is asked to rate: the competencies of the objectives the room's open
    goals link to, else the mentee's top gaps (empty asks about every competency)."""
    linked: list[str] = []
    for goal in room.goals.filter(done_at__isnull=True, objective__isnull=False).select_related(
        "objective"
    ):
        assert goal.objective is not None
        linked += [c for c in goal.objective.competencies if c not in linked]
    return [c for c in linked if c in placement_competencies]


@transaction.atomic
def request_rating(*, room: Room, by: User, message: str = "") -> FeedbackRequest:
    """The mentee asks the mentor to rate them; the answer becomes `mentor` signals.

    A mentor who is a member of the room's organization answers in Upward; a mentor
    from outside it gets a single-use link by email (the answer form is for members)."""
    _check_active(room)
    if by.pk != room.mentee_id:
        raise Invalid("The mentee asks their mentor for a rating.", field="by")
    placement = active_placement(room.mentee, room.organization)
    if placement is None:
        raise Conflict(
            f"{room.mentee.display_name} has no placement in {room.organization.name} to rate."
        )
    report = delta_for(placement)
    known = [c.key for c in report.delta.competencies]
    competencies = rating_competencies(room, known) or report.delta.top_gaps[:RATED_GAPS]
    member = Membership.objects.filter(organization=room.organization, user=room.mentor).exists()
    return request_feedback(
        placement=placement,
        relationship="mentor",
        competencies=competencies,
        rater=room.mentor if member else None,
        email="" if member else room.mentor.email,
        message=message,
    )

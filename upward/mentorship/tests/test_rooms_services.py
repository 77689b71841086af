"""Changes inside a room: goals linked to the mentee's objectives, messages, action items
with an owner and a due date, the cadence, the notifications each sends, and the mentee's
request for the mentor's rating, which becomes a `mentor` signal when answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.assessments.access import access_feedback_request
from upward.assessments.models import FeedbackRequest, Signal, Source
from upward.assessments.services import Rating, respond
from upward.core.errors import Conflict, Invalid
from upward.core.visibility import Tier
from upward.mentorship.models import ActionItem, Goal, Message, Room, RoomStatus
from upward.mentorship.services import rooms as services
from upward.mentorship.tests.factories import ActionItemFactory, RoomFactory
from upward.notifications.kinds import Choice, kind
from upward.notifications.models import Notification
from upward.roadmaps.models import Status
from upward.roadmaps.tests.factories import ObjectiveFactory

TODAY = timezone.localdate()


@pytest.fixture
def room(maya, alice, acme, placement) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme)


def _end(room: Room) -> None:
    room.status = RoomStatus.ENDED
    room.save(update_fields=["status"])


# --- Goals ------------------------------------------------------------------------------


def test_a_goal_links_to_one_of_the_mentees_open_objectives(room, maya, placement):
    objective = ObjectiveFactory.create(placement=placement)
    goal = services.add_goal(
        room=room, by=maya, title="  Ship  the migration ", objective=objective
    )
    assert (goal.title, goal.objective, goal.created_by) == ("Ship the migration", objective, maya)


def test_the_mentor_cannot_link_an_objective_the_mentee_keeps_private(room, maya, alice, placement):
    hidden = ObjectiveFactory.create(placement=placement, visibility=Tier.PRIVATE)
    with pytest.raises(Invalid) as caught:
        services.add_goal(room=room, by=maya, title="Secret plan", objective=hidden)
    assert caught.value.field == "objective"
    assert (
        services.add_goal(room=room, by=alice, title="Mine", objective=hidden).objective == hidden
    )
    assert Goal.objects.count() == 1


def test_someone_elses_or_a_finished_objective_is_refused(room, alice, maya, acme, ladder):
    from upward.evidence.tests.factories import placed

    theirs = ObjectiveFactory.create(placement=placed(maya, acme, ladder, level="l2"))
    done = ObjectiveFactory.create(placement=room.mentee.placements.get())
    done.status = Status.DONE
    done.save(update_fields=["status"])
    for objective in (theirs, done):
        with pytest.raises(Invalid) as caught:
            services.add_goal(room=room, by=alice, title="Grow", objective=objective)
        assert caught.value.field == "objective"
    assert not Goal.objects.exists()


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_a_goal_needs_a_title_of_sensible_length(room, alice, title):
    with pytest.raises(Invalid) as caught:
        services.add_goal(room=room, by=alice, title=title)
    assert caught.value.field == "title"
    assert not Goal.objects.exists()


def test_goals_are_marked_done_reopened_and_deleted(room, alice, maya):
    goal = services.add_goal(room=room, by=alice, title="Lead a review")
    services.set_goal_done(goal=goal, by=maya)
    assert goal.done_at is not None
    services.set_goal_done(goal=goal, by=alice, done=False)
    goal.refresh_from_db()
    assert goal.done_at is None
    services.delete_goal(goal=goal, by=maya)
    assert not Goal.objects.exists()


def test_nothing_changes_in_an_ended_room(room, alice):
    goal = services.add_goal(room=room, by=alice, title="Lead a review")
    _end(room)
    with pytest.raises(Conflict):
        services.add_goal(room=room, by=alice, title="Another")
    with pytest.raises(Conflict):
        services.set_goal_done(goal=goal, by=alice)
    with pytest.raises(Conflict):
        services.post_message(room=room, by=alice, body="Hello?")
    assert Goal.objects.count() == 1
    assert not Message.objects.exists()


def test_a_third_person_is_refused_by_the_services_too(room, bob):
    with pytest.raises(Invalid):
        services.post_message(room=room, by=bob, body="I manage Alice")
    with pytest.raises(Invalid):
        services.add_goal(room=room, by=bob, title="Mine")
    assert not Message.objects.exists()


# --- Messages ---------------------------------------------------------------------------


def test_a_message_tells_the_other_side_only(room, alice, maya):
    message = services.post_message(room=room, by=alice, body="Could we talk about **reviews**?")
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (maya, "mentorship.room_message")
    assert note.title == "Alice wrote in your mentoring room"
    assert note.url == f"/mentoring/rooms/{room.pk}/#message-{message.pk}"
    assert "reviews" in note.body


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_empty_message_is_invalid_on_body(room, alice, body):
    with pytest.raises(Invalid) as caught:
        services.post_message(room=room, by=alice, body=body)
    assert caught.value.field == "body"
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


# --- Action items -----------------------------------------------------------------------


def test_an_action_item_set_for_the_other_side_tells_them(room, alice, maya):
    due = TODAY + timedelta(days=5)
    item = services.add_action_item(
        room=room, by=maya, title="Draft the RFC", owner=alice, due_on=due
    )
    assert (item.owner, item.due_on, item.created_by) == (alice, due, maya)
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (alice, "mentorship.action_assigned")
    assert note.title == "Maya set you an action item: Draft the RFC"
    assert note.url == f"/mentoring/rooms/{room.pk}/#action-{item.pk}"


def test_an_action_item_for_oneself_tells_nobody(room, alice):
    services.add_action_item(room=room, by=alice, title="Read", owner=alice, due_on=TODAY)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("owner", ["bob", "sam", None])
def test_an_action_item_belongs_to_the_mentor_or_the_mentee(room, alice, people, sam, owner):
    who = {**people, "sam": sam}.get(owner) if owner else None
    with pytest.raises(Invalid) as caught:
        services.add_action_item(room=room, by=alice, title="Do it", owner=who, due_on=TODAY)
    assert caught.value.field == "owner"
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("due", [None, TODAY - timedelta(days=1)])
def test_an_action_item_needs_a_due_date_from_today_on(room, alice, due):
    with pytest.raises(Invalid) as caught:
        services.add_action_item(room=room, by=alice, title="Do it", owner=alice, due_on=due)
    assert caught.value.field == "due_on"
    assert not ActionItem.objects.exists()


def test_action_items_are_done_and_reopened(room, alice, maya):
    item = ActionItemFactory.create(room=room, owner=alice)
    services.set_action_done(item=item, by=maya)
    assert item.done_at is not None
    services.update_action_item(item=item, by=alice, done=False, owner=maya)
    item.refresh_from_db()
    assert (item.done_at, item.owner) == (None, maya)


# --- Cadence ----------------------------------------------------------------------------


def test_either_side_changes_the_cadence_to_a_known_one(room, alice):
    services.change_cadence(room=room, by=alice, cadence="weekly")
    room.refresh_from_db()
    assert room.cadence == "weekly"
    with pytest.raises(Invalid) as caught:
        services.change_cadence(room=room, by=alice, cadence="daily")
    assert caught.value.field == "cadence"
    room.refresh_from_db()
    assert room.cadence == "weekly"


def test_the_room_notification_kinds_are_registered_and_instant():
    for key in (
        "mentorship.room_message",
        "mentorship.session_scheduled",
        "mentorship.action_assigned",
    ):
        assert kind(key).default == Choice.INSTANT


# --- The mentor's rating ----------------------------------------------------------------


def test_the_mentors_answer_becomes_a_mentor_signal_end_to_end(room, alice, maya, placement):
    objective = ObjectiveFactory.create(placement=placement, competencies=["reviews"])
    services.add_goal(room=room, by=alice, title="Review well", objective=objective)
    asked = services.request_rating(room=room, by=alice, message="How am I doing?")
    assert (asked.relationship, asked.rater, asked.competencies) == ("mentor", maya, ["reviews"])
    # Maya answers it in Upward, as any rater does.
    found = access_feedback_request(maya, asked.pk, as_rater=True)
    respond(feedback_request=found, ratings=[Rating("reviews", "l2")], by=maya)
    signal = Signal.objects.get(subject=alice, source=Source.MENTOR)
    assert (signal.competency, signal.step, signal.rater) == ("reviews", "l2", maya)


def test_without_goals_the_request_asks_about_the_mentees_gaps(room, alice, maya):
    asked = services.request_rating(room=room, by=alice)
    assert asked.competencies
    assert set(asked.competencies) <= {"shipping", "reviews"}


def test_an_outside_mentor_is_asked_by_a_link_to_their_address(alice, acme, eve, placement):
    room = RoomFactory.create(mentor=eve, mentee=alice, organization=acme)
    asked = services.request_rating(room=room, by=alice)
    assert (asked.rater, asked.rater_email, asked.relationship) == (None, eve.email, "mentor")


def test_only_the_mentee_asks_for_a_rating(room, maya):
    with pytest.raises(Invalid):
        services.request_rating(room=room, by=maya)
    assert not FeedbackRequest.objects.exists()


def test_a_mentee_without_a_placement_has_nothing_to_rate(maya, sam, acme):
    room = RoomFactory.create(mentor=maya, mentee=sam, organization=acme)
    with pytest.raises(Conflict):
        services.request_rating(room=room, by=sam)
    assert not FeedbackRequest.objects.exists()


def test_asking_again_while_the_first_request_waits_is_a_conflict(room, alice):
    services.request_rating(room=room, by=alice)
    with pytest.raises(Conflict):
        services.request_rating(room=room, by=alice)
    assert FeedbackRequest.objects.count() == 1


def test_moving_an_action_items_due_date_into_the_past_is_refused(room, alice):
    item = ActionItemFactory.create(room=room, owner=alice)
    with pytest.raises(Invalid) as caught:
        services.update_action_item(item=item, by=alice, due_on=TODAY - timedelta(days=1))
    assert caught.value.field == "due_on"
    item.refresh_from_db()
    assert item.due_on > TODAY

"""The room's pages: what the room shows its two people (goals, sessions, overdue action
items marked, messages, what the mentee shares and nothing private), the forms that work
without JavaScript and show errors in place, an outside mentor's view, and the page's
query budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.core.visibility import Tier
from upward.evidence.tests.factories import EntryFactory, ThreadFactory
from upward.mentorship.models import ActionItem, Goal, MentoringSession, Message, Room
from upward.mentorship.tests.factories import ActionItemFactory, RoomFactory, SessionFactory
from upward.roadmaps.tests.factories import ObjectiveFactory
from upward.testing import client_for, page

TODAY = timezone.localdate()


@pytest.fixture
def room(maya, alice, acme, placement) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme)


def url(room: Room, rest: str = "") -> str:
    return f"/mentoring/rooms/{room.pk}/{rest}"


# --- What the page shows ----------------------------------------------------------------


def test_the_page_shows_goals_sessions_items_and_messages(room, alice, maya, placement):
    objective = ObjectiveFactory.create(placement=placement, title="Lead the platform RFC")
    Goal.objects.create(room=room, title="Write for the whole org", objective=objective)
    SessionFactory.create(room=room)
    ActionItemFactory.create(room=room, owner=alice, title="Send the draft")
    Message.objects.create(room=room, author=maya, body="Nice work on **the draft**")
    shown = page(maya, url(room))
    assert "Maya mentors Alice" in shown.words
    assert "Write for the whole org" in shown.words
    assert "Serves the objective Lead the platform RFC" in shown.words
    assert "Coming up" in shown.words
    assert "Send the draft Alice · due" in shown.words
    assert "<strong>the draft</strong>" in shown.html
    assert "Only the two of you see this room." in shown.words


def test_an_overdue_action_item_is_marked(room, alice):
    due = TODAY - timedelta(days=3)
    ActionItemFactory.create(room=room, owner=alice, title="Send the draft", due_on=due)
    shown = page(alice, url(room))
    assert f"Overdue: was due {due:%-d %b %Y}" in shown.words
    assert 'class="is-overdue"' in shown.html


def test_the_mentor_sees_what_the_mentee_shares_and_nothing_private(room, maya, placement):
    ThreadFactory.create(placement=placement, title="Learning SQL plans", visibility=Tier.MENTORS)
    ThreadFactory.create(placement=placement, title="Secret thread", visibility=Tier.PRIVATE)
    EntryFactory.create(
        placement=placement, title="Ran the incident review", visibility=Tier.MANAGER
    )
    EntryFactory.create(placement=placement, title="Private entry", visibility=Tier.PRIVATE)
    shown = page(maya, url(room))
    assert "What Alice shares with you" in shown.words
    assert "Learning SQL plans" in shown.words
    assert "Ran the incident review" in shown.words
    assert "Secret thread" not in shown.words
    assert "Private entry" not in shown.words


def test_an_outside_mentor_sees_only_what_the_mentee_shares(
    alice, eve, acme, placement, sam, ladder
):
    from upward.evidence.tests.factories import placed

    room = RoomFactory.create(mentor=eve, mentee=alice, organization=acme)
    shared = ThreadFactory.create(
        placement=placement, title="Learning SQL plans", visibility=Tier.MENTORS
    )
    ThreadFactory.create(placement=placement, title="Secret thread", visibility=Tier.PRIVATE)
    EntryFactory.create(
        placement=placement, title="Ran the incident review", visibility=Tier.MENTORS
    )
    ThreadFactory.create(placement=placed(sam, acme, ladder), title="Sam's own thread")
    shown = page(eve, url(room))
    assert "Learning SQL plans" in shown.words
    assert "Ran the incident review" in shown.words
    assert "Secret thread" not in shown.words
    assert "Sam's own thread" not in shown.words
    # Not a member: no links into the organization's pages, which would answer 404 anyway.
    assert f"/threads/{shared.pk}/" not in shown.html
    assert client_for(eve).get(f"/threads/{shared.pk}/").status_code == 404


def test_an_ended_room_shows_no_forms_and_no_shared_content(room, alice, placement):
    EntryFactory.create(
        placement=placement, title="Ran the incident review", visibility=Tier.MENTORS
    )
    room.status = "ended"
    room.ended_at = timezone.now()
    room.save(update_fields=["status", "ended_at"])
    shown = page(alice, url(room))
    assert "Ended" in shown.words
    assert url(room, "messages/") not in shown.html
    assert "Ran the incident review" not in shown.words


def test_only_the_mentee_is_offered_the_rating_request(room, alice, maya):
    assert url(room, "rating-request/") in page(alice, url(room)).html
    assert url(room, "rating-request/") not in page(maya, url(room)).html


# --- Forms ------------------------------------------------------------------------------


def test_posting_a_message_lands_on_it(room, as_alice):
    response = as_alice.post(url(room, "messages/"), {"body": "Thanks for today"})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(room) + f"#message-{message.pk}"


def test_an_empty_message_is_shown_on_its_field_and_nothing_is_written(room, as_alice):
    response = as_alice.post(url(room, "messages/"), {"body": "   "})
    assert response.status_code == 422
    assert "Write something first." in response.content.decode()
    assert not Message.objects.exists()


def test_adding_a_goal_with_an_objective(room, as_maya, placement):
    objective = ObjectiveFactory.create(placement=placement)
    response = as_maya.post(url(room, "goals/"), {"title": "Ship it", "objective": objective.pk})
    assert response.status_code == 302
    assert Goal.objects.get().objective == objective


def test_a_private_objective_is_not_offered_to_the_mentor(room, as_maya, placement):
    hidden = ObjectiveFactory.create(
        placement=placement, title="Hidden plan", visibility=Tier.PRIVATE
    )
    assert "Hidden plan" not in page(as_maya, url(room)).words
    response = as_maya.post(url(room, "goals/"), {"title": "Ship it", "objective": hidden.pk})
    assert response.status_code == 422
    assert not Goal.objects.exists()


def test_marking_a_goal_done_and_deleting_it(room, as_alice):
    goal = Goal.objects.create(room=room, title="Ship it")
    assert as_alice.post(f"/mentoring/goals/{goal.pk}/done/", {"done": "on"}).status_code == 302
    goal.refresh_from_db()
    assert goal.done_at is not None
    assert as_alice.post(f"/mentoring/goals/{goal.pk}/delete/").status_code == 302
    assert not Goal.objects.exists()


def test_booking_a_session_generates_its_agenda_and_opens_it(room, as_alice, placement):
    ObjectiveFactory.create(placement=placement, title="Own the billing export")
    starts = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_alice.post(url(room, "sessions/new/"), {"starts_at": starts, "minutes": 30})
    session = MentoringSession.objects.get()
    assert response["Location"] == f"/mentoring/sessions/{session.pk}/"
    assert "Own the billing export" in page(as_alice, response["Location"]).words


def test_a_session_in_the_past_is_refused_on_its_field(room, as_alice):
    starts = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_alice.post(url(room, "sessions/new/"), {"starts_at": starts, "minutes": 30})
    assert response.status_code == 422
    assert "Pick a time in the future." in response.content.decode()
    assert not MentoringSession.objects.exists()


def test_the_session_page_edits_agenda_and_notes_and_cancels(room, as_maya):
    session = SessionFactory.create(room=room)
    response = as_maya.post(
        f"/mentoring/sessions/{session.pk}/", {"agenda": "- Reviews", "notes": "Went *well*"}
    )
    assert response.status_code == 302
    shown = page(as_maya, f"/mentoring/sessions/{session.pk}/")
    assert "<em>well</em>" in shown.html
    assert as_maya.post(f"/mentoring/sessions/{session.pk}/cancel/").status_code == 302
    session.refresh_from_db()
    assert session.cancelled_at is not None


def test_marking_a_future_session_held_is_refused_in_place(room, as_maya):
    session = SessionFactory.create(room=room)
    response = as_maya.post(f"/mentoring/sessions/{session.pk}/", {"held": "on"})
    assert response.status_code == 422
    session.refresh_from_db()
    assert session.held_at is None


def test_adding_an_action_item_for_the_mentee(room, as_maya, alice):
    due = (TODAY + timedelta(days=7)).isoformat()
    response = as_maya.post(
        url(room, "actions/"), {"title": "Draft it", "owner": alice.pk, "due_on": due}
    )
    item = ActionItem.objects.get()
    assert response["Location"] == url(room) + f"#action-{item.pk}"
    assert item.owner == alice


def test_an_action_item_for_someone_outside_the_room_is_refused(room, as_maya, bob):
    due = (TODAY + timedelta(days=7)).isoformat()
    response = as_maya.post(
        url(room, "actions/"), {"title": "Do it", "owner": bob.pk, "due_on": due}
    )
    assert response.status_code == 422
    assert not ActionItem.objects.exists()


def test_marking_an_action_item_done(room, as_alice, alice):
    item = ActionItemFactory.create(room=room, owner=alice)
    assert as_alice.post(f"/mentoring/actions/{item.pk}/done/", {"done": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None


def test_changing_the_cadence(room, as_maya):
    assert as_maya.post(url(room, "cadence/"), {"cadence": "monthly"}).status_code == 302
    room.refresh_from_db()
    assert room.cadence == "monthly"
    assert as_maya.post(url(room, "cadence/"), {"cadence": "hourly"}).status_code == 422


def test_the_mentee_asks_for_a_rating_from_the_page(room, as_alice):
    from upward.assessments.models import FeedbackRequest

    response = as_alice.post(url(room, "rating-request/"), {"message": "How am I doing?"})
    assert response.status_code == 302
    assert FeedbackRequest.objects.get().relationship == "mentor"


def test_a_get_on_an_action_url_goes_back_to_the_room(room, as_alice):
    response = as_alice.get(url(room, "messages/"))
    assert response.status_code == 302
    assert response["Location"] == url(room) + "#messages"


# --- Query budget -----------------------------------------------------------------------


def _fill(room: Room, n: int, placement) -> None:
    for i in range(n):
        objective = ObjectiveFactory.create(placement=placement, title=f"Objective {i}")
        Goal.objects.create(room=room, title=f"Goal {i}", objective=objective)
        SessionFactory.create(room=room, starts_at=timezone.now() + timedelta(days=i + 1))
        SessionFactory.create(room=room, starts_at=timezone.now() - timedelta(days=i + 1))
        ActionItemFactory.create(room=room, owner=room.mentee, due_on=TODAY - timedelta(days=i + 1))
        Message.objects.create(room=room, author=room.mentor, body=f"Message {i}")
        ThreadFactory.create(placement=placement, title=f"Thread {i}", visibility=Tier.MENTORS)
        EntryFactory.create(placement=placement, title=f"Entry {i}", visibility=Tier.MENTORS)


def test_the_room_page_costs_the_same_queries_however_much_is_in_it(
    room, as_maya, placement, django_assert_num_queries
):
    for n in (1, 6):
        _fill(room, n, placement)
        # 1 the session, 2 the signed-in user, 3 the room (access), 4 sessions, 5 action
        # items with owners, 6 messages with authors, 7 goals with objectives, 8 shared
        # threads, 9 shared entries, 10 linkable objectives, 11 whether the viewer is a
        # member here, 12-13 the accountability state (session dates, open items' due
        # dates), 14 the ending (ratings), 15-16 the base page's memberships (current
        # organization, switcher), 17 unread notifications.
        with django_assert_num_queries(17):
            assert as_maya.get(url(room)).status_code == 200

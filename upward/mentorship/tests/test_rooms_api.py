"""The rooms API: a room with its goals, sessions, action items and shared proof; goals,
messages, sessions and action items written through it; bad input answered 422 naming the
field with nothing written; an ended room read but not changed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from upward.core.visibility import Tier
from upward.evidence.tests.factories import EntryFactory, ThreadFactory
from upward.mentorship.models import ActionItem, Goal, MentoringSession, Message, Room
from upward.mentorship.tests.factories import ActionItemFactory, RoomFactory, SessionFactory
from upward.roadmaps.tests.factories import ObjectiveFactory

API = "/api/v1/mentoring"
TODAY = timezone.localdate()


@pytest.fixture
def room(maya, alice, acme, placement) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme)


def send(client: Any, method: str, path: str, body: Any = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(path)
    return call(path, json.dumps(body), content_type="application/json")


def fields(response: Any) -> list[str]:
    return [f["path"] for f in response.json()["error"]["fields"]]


def test_a_room_reads_with_its_goals_sessions_items_and_shared_proof(
    room, as_maya, alice, placement
):
    Goal.objects.create(room=room, title="Lead a review")
    SessionFactory.create(room=room)
    ActionItemFactory.create(room=room, owner=alice, title="Late", due_on=TODAY - timedelta(days=1))
    ThreadFactory.create(placement=placement, title="Shared thread", visibility=Tier.MENTORS)
    EntryFactory.create(placement=placement, title="Shared entry", visibility=Tier.MANAGER)
    EntryFactory.create(placement=placement, title="Private entry", visibility=Tier.PRIVATE)
    body = send(as_maya, "get", f"{API}/rooms/{room.pk}").json()
    assert (body["mentor"]["name"], body["mentee"]["name"]) == ("Maya", "Alice")
    assert body["organization"] == "acme"
    assert [g["title"] for g in body["goals"]] == ["Lead a review"]
    assert len(body["sessions"]) == 1
    assert [(i["title"], i["overdue"]) for i in body["action_items"]] == [("Late", True)]
    assert {s["title"] for s in body["shared"]} == {"Shared thread", "Shared entry"}


def test_goals_are_added_changed_and_deleted(room, as_alice, placement):
    objective = ObjectiveFactory.create(placement=placement)
    made = send(
        as_alice,
        "post",
        f"{API}/rooms/{room.pk}/goals",
        {"title": "Ship", "objective_id": objective.pk},
    )
    assert made.status_code == 201
    goal_id = made.json()["id"]
    assert made.json()["objective_id"] == objective.pk
    changed = send(
        as_alice, "patch", f"{API}/goals/{goal_id}", {"objective_id": None, "done": True}
    )
    assert changed.status_code == 200
    assert changed.json()["objective_id"] is None
    assert changed.json()["done_at"] is not None
    assert [g["id"] for g in send(as_alice, "get", f"{API}/rooms/{room.pk}/goals").json()] == [
        goal_id
    ]
    assert send(as_alice, "delete", f"{API}/goals/{goal_id}").status_code == 204
    assert not Goal.objects.exists()


def test_a_goal_with_an_objective_that_is_not_the_mentees_is_422(room, as_maya, maya, acme, ladder):
    from upward.evidence.tests.factories import placed

    theirs = ObjectiveFactory.create(placement=placed(maya, acme, ladder, level="l2"))
    response = send(
        as_maya,
        "post",
        f"{API}/rooms/{room.pk}/goals",
        {"title": "Ship", "objective_id": theirs.pk},
    )
    assert response.status_code == 422
    assert fields(response) == ["body.objective_id"]
    assert not Goal.objects.exists()


def test_messages_are_posted_and_paged_back(room, as_alice, alice):
    for i in range(3):
        Message.objects.create(room=room, author=alice, body=f"Message {i}")
    made = send(as_alice, "post", f"{API}/rooms/{room.pk}/messages", {"body": "Newest"})
    assert made.status_code == 201
    listed = send(as_alice, "get", f"{API}/rooms/{room.pk}/messages").json()
    assert [m["body"] for m in listed] == ["Newest", "Message 2", "Message 1", "Message 0"]
    older = send(as_alice, "get", f"{API}/rooms/{room.pk}/messages?before={listed[1]['id']}")
    assert [m["body"] for m in older.json()] == ["Message 1", "Message 0"]


def test_an_empty_message_is_422_on_body(room, as_alice):
    response = send(as_alice, "post", f"{API}/rooms/{room.pk}/messages", {"body": "  "})
    assert response.status_code == 422
    assert fields(response) == ["body.body"]
    assert not Message.objects.exists()


def test_a_session_is_booked_with_a_generated_agenda_edited_and_cancelled(
    room, as_alice, placement
):
    ObjectiveFactory.create(placement=placement, title="Own the billing export")
    starts = (timezone.now() + timedelta(days=2)).isoformat()
    made = send(as_alice, "post", f"{API}/rooms/{room.pk}/sessions", {"starts_at": starts})
    assert made.status_code == 201
    session_id = made.json()["id"]
    assert "Own the billing export" in made.json()["agenda"]
    patched = send(as_alice, "patch", f"{API}/sessions/{session_id}", {"notes": "Went well"})
    assert patched.json()["notes"] == "Went well"
    assert send(as_alice, "get", f"{API}/sessions/{session_id}").json()["notes"] == "Went well"
    assert send(as_alice, "post", f"{API}/sessions/{session_id}/cancel").status_code == 200
    assert send(as_alice, "post", f"{API}/sessions/{session_id}/cancel").status_code == 409
    assert len(send(as_alice, "get", f"{API}/rooms/{room.pk}/sessions").json()) == 1


def test_a_session_in_the_past_is_422_on_starts_at_and_nothing_is_written(room, as_alice):
    starts = (timezone.now() - timedelta(hours=1)).isoformat()
    response = send(as_alice, "post", f"{API}/rooms/{room.pk}/sessions", {"starts_at": starts})
    assert response.status_code == 422
    assert fields(response) == ["body.starts_at"]
    assert not MentoringSession.objects.exists()


def test_action_items_are_set_and_marked_done(room, as_maya, alice):
    due = (TODAY + timedelta(days=3)).isoformat()
    made = send(
        as_maya,
        "post",
        f"{API}/rooms/{room.pk}/action-items",
        {"title": "Draft it", "owner_id": alice.pk, "due_on": due},
    )
    assert made.status_code == 201
    assert made.json()["owner"]["id"] == alice.pk
    done = send(as_maya, "patch", f"{API}/action-items/{made.json()['id']}", {"done": True})
    assert done.json()["done_at"] is not None
    listed = send(as_maya, "get", f"{API}/rooms/{room.pk}/action-items").json()
    assert [i["title"] for i in listed] == ["Draft it"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner_id": "bob"}, "body.owner_id"),
        ({"due_on": (TODAY - timedelta(days=1)).isoformat()}, "body.due_on"),
        ({"due_on": "tomorrow"}, "body.due_on"),
        ({"title": ""}, "body.title"),
    ],
)
def test_bad_action_items_are_422_naming_the_field(room, as_maya, alice, bob, change, field):
    body = {"title": "Do it", "owner_id": alice.pk, "due_on": TODAY.isoformat(), **change}
    if body["owner_id"] == "bob":
        body["owner_id"] = bob.pk
    response = send(as_maya, "post", f"{API}/rooms/{room.pk}/action-items", body)
    assert response.status_code == 422
    assert fields(response) == [field]
    assert not ActionItem.objects.exists()


def test_the_mentee_asks_for_a_rating_and_the_mentor_cannot(room, as_alice, as_maya):
    made = send(as_alice, "post", f"{API}/rooms/{room.pk}/rating-request", {})
    assert made.status_code == 201
    assert made.json()["rater"] == "user"
    assert send(as_maya, "post", f"{API}/rooms/{room.pk}/rating-request", {}).status_code == 422


def test_an_ended_room_is_read_but_not_changed(room, as_alice):
    room.status = "ended"
    room.save(update_fields=["status"])
    assert send(as_alice, "get", f"{API}/rooms/{room.pk}").status_code == 200
    response = send(as_alice, "post", f"{API}/rooms/{room.pk}/messages", {"body": "Hi"})
    assert response.status_code == 404
    assert not Message.objects.exists()

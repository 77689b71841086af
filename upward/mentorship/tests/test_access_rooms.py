"""Who reads and writes a room: its mentor and its mentee, nobody else (not the mentee's
manager, not an admin of the organization, not site staff, not another member, not
someone from another organization, not a visitor). Writes need an active room.

Tested on the access functions, then on the pages and the API, for reads and writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from upward.accounts.models import User
from upward.mentorship.access.rooms import (
    access_action_item,
    access_goal,
    access_room,
    access_session,
    may_use_room,
)
from upward.mentorship.models import Goal, Message, Room, RoomStatus
from upward.mentorship.tests.factories import ActionItemFactory, RoomFactory, SessionFactory
from upward.testing import allowed, client_for, make_user

READERS = {"maya": True, "alice": True}
STRANGERS = ["bob", "ada", "sam", "eve", "staff", "anonymous"]
EVERYONE = ["maya", "alice", *STRANGERS]


@pytest.fixture
def staff(db) -> User:
    user = make_user("root@upward.test", "Site Staff")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def who(people, sam, staff) -> dict[str, Any]:
    return {**people, "sam": sam, "staff": staff}


@pytest.fixture
def room(maya, alice, acme) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme)


def _end(room: Room) -> None:
    room.status = RoomStatus.ENDED
    room.ended_at = timezone.now()
    room.save(update_fields=["status", "ended_at"])


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("write", [False, True])
def test_only_the_mentor_and_the_mentee_reach_a_room(room, who, name, write):
    assert allowed(lambda: access_room(who[name], room.pk, write=write)) == (name in READERS)


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("write", [False, True])
def test_only_the_two_reach_its_goals_sessions_and_action_items(room, who, name, write, alice):
    goal = Goal.objects.create(room=room, title="Lead a design review")
    session = SessionFactory.create(room=room)
    item = ActionItemFactory.create(room=room, owner=alice)
    expected = name in READERS
    user = who[name]
    assert allowed(lambda: access_goal(user, goal.pk, write=write)) == expected
    assert allowed(lambda: access_session(user, session.pk, write=write)) == expected
    assert allowed(lambda: access_action_item(user, item.pk, write=write)) == expected


@pytest.mark.parametrize("name", ["maya", "alice"])
def test_an_ended_room_is_read_by_the_two_and_changed_by_nobody(room, who, name, alice):
    goal = Goal.objects.create(room=room, title="Lead a design review")
    session = SessionFactory.create(room=room)
    item = ActionItemFactory.create(room=room, owner=alice)
    _end(room)
    user = who[name]
    assert allowed(lambda: access_room(user, room.pk))
    assert not allowed(lambda: access_room(user, room.pk, write=True))
    assert allowed(lambda: access_goal(user, goal.pk))
    assert not allowed(lambda: access_goal(user, goal.pk, write=True))
    assert allowed(lambda: access_session(user, session.pk))
    assert not allowed(lambda: access_session(user, session.pk, write=True))
    assert allowed(lambda: access_action_item(user, item.pk))
    assert not allowed(lambda: access_action_item(user, item.pk, write=True))


def test_a_deactivated_member_of_the_room_no_longer_uses_it(room, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert not may_use_room(alice, room)


def test_a_missing_room_is_404_like_a_forbidden_one(alice, db):
    assert not allowed(lambda: access_room(alice, 999_999))


# --- Pages ------------------------------------------------------------------------------


def _client(who: dict[str, Any], name: str) -> Any:
    from django.test import Client

    user = who[name]
    return Client() if name == "anonymous" else client_for(user)


@pytest.mark.parametrize("name", EVERYONE)
def test_the_room_page_answers_the_two_and_404s_everyone_else(room, who, name):
    response = _client(who, name).get(f"/mentoring/rooms/{room.pk}/")
    if name in READERS:
        assert response.status_code == 200
    elif name == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", STRANGERS[:-1])
def test_a_third_person_posting_in_a_room_gets_404_and_nothing_is_written(room, who, name):
    client = _client(who, name)
    response = client.post(f"/mentoring/rooms/{room.pk}/messages/", {"body": "Hello there"})
    assert response.status_code == 404
    response = client.post(f"/mentoring/rooms/{room.pk}/goals/", {"title": "Sneak in a goal"})
    assert response.status_code == 404
    assert not Message.objects.exists()
    assert not Goal.objects.exists()


@pytest.mark.parametrize("name", STRANGERS[:-1])
def test_a_third_person_sees_no_session_page_nor_its_calendar_file(room, who, name):
    session = SessionFactory.create(room=room)
    client = _client(who, name)
    assert client.get(f"/mentoring/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/mentoring/sessions/{session.pk}.ics").status_code == 404
    assert client.post(f"/mentoring/sessions/{session.pk}/cancel/").status_code == 404
    session.refresh_from_db()
    assert session.cancelled_at is None


def test_writing_in_an_ended_room_answers_404(room, as_alice):
    _end(room)
    assert as_alice.get(f"/mentoring/rooms/{room.pk}/").status_code == 200
    response = as_alice.post(f"/mentoring/rooms/{room.pk}/messages/", {"body": "Still there?"})
    assert response.status_code == 404
    assert not Message.objects.exists()


# --- API --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_the_api_answers_the_two_and_404s_everyone_else(room, who, name):
    client = _client(who, name)
    read = client.get(f"/api/v1/mentoring/rooms/{room.pk}")
    write = client.post(
        f"/api/v1/mentoring/rooms/{room.pk}/messages",
        json.dumps({"body": "Hello from the API"}),
        content_type="application/json",
    )
    if name in READERS:
        assert (read.status_code, write.status_code) == (200, 201)
        assert Message.objects.count() == 1
        return
    expected = 401 if name == "anonymous" else 404
    assert (read.status_code, write.status_code) == (expected, expected)
    assert not Message.objects.exists()


@pytest.mark.parametrize("name", STRANGERS[:-1])
def test_the_api_keeps_every_room_path_from_strangers(room, who, name, alice):
    goal = Goal.objects.create(room=room, title="Lead a design review")
    session = SessionFactory.create(room=room)
    item = ActionItemFactory.create(room=room, owner=alice)
    client = _client(who, name)
    base = "/api/v1/mentoring"
    reads = [
        f"{base}/rooms/{room.pk}/goals",
        f"{base}/rooms/{room.pk}/messages",
        f"{base}/rooms/{room.pk}/sessions",
        f"{base}/rooms/{room.pk}/action-items",
        f"{base}/sessions/{session.pk}",
    ]
    for path in reads:
        assert client.get(path).status_code == 404, path
    patches = [
        (f"{base}/goals/{goal.pk}", {"done": True}),
        (f"{base}/sessions/{session.pk}", {"notes": "Mine now"}),
        (f"{base}/action-items/{item.pk}", {"done": True}),
    ]
    for path, body in patches:
        response = client.patch(path, json.dumps(body), content_type="application/json")
        assert response.status_code == 404, path
    assert client.delete(f"{base}/goals/{goal.pk}").status_code == 404
    assert client.post(f"{base}/sessions/{session.pk}/cancel").status_code == 404
    assert (
        client.post(
            f"{base}/rooms/{room.pk}/rating-request", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    goal.refresh_from_db()
    session.refresh_from_db()
    item.refresh_from_db()
    assert (goal.done_at, session.notes, session.cancelled_at, item.done_at) == (
        None,
        "",
        None,
        None,
    )

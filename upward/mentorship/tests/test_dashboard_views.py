"""The mentoring hub, the mentor dashboard, ending a room and rating it: pages and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.mentorship.models import MentorshipRequest, Room, RoomRating, RoomStatus
from upward.mentorship.tests.factories import (
    ActionItemFactory,
    ProfileFactory,
    RoomFactory,
    SessionFactory,
)
from upward.notifications.models import Notification
from upward.testing import client_for, make_user, page

API = "/api/v1"


@pytest.fixture
def room(maya: User, alice: User, acme: Organization) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme, cadence="weekly")


def aged(room: Room, days: int) -> Room:
    """The room as if opened `days` ago."""
    Room.objects.filter(pk=room.pk).update(opened_at=timezone.now() - timedelta(days=days))
    room.refresh_from_db()
    return room


def end(room: Room, days_ago: int = 0) -> Room:
    when = timezone.now() - timedelta(days=days_ago)
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.ENDED, ended_at=when)
    room.refresh_from_db()
    return room


def mentees(maya: User, acme: Organization, n: int) -> list[Room]:
    """`n` more active rooms of Maya's, each with a session and an overdue action item."""
    rooms = []
    for i in range(n):
        mentee = make_user(f"mentee{i}@acme.test", f"Mentee {i}")
        extra = aged(RoomFactory.create(mentor=maya, mentee=mentee, organization=acme), 3)
        SessionFactory.create(room=extra)
        ActionItemFactory.create(
            room=extra, owner=mentee, due_on=timezone.localdate() - timedelta(days=1)
        )
        rooms.append(extra)
    return rooms


# --- The hub -----------------------------------------------------------------------------


def test_the_hub_lists_my_rooms_both_ways_with_states(room, alice, maya, acme, sam):
    aged(room, 8)  # weekly, nothing held: the check-in is due
    mine = RoomFactory.create(mentor=alice, mentee=sam, organization=acme)
    words = page(alice, "/mentoring/").words
    assert "My mentors Maya · Acme · check-in due" in words
    assert "Check-in due" in words
    assert "People I mentor Sam · Acme" in words
    assert "On track" in words
    assert f'href="/mentoring/rooms/{mine.pk}/"' in page(alice, "/mentoring/").html


def test_the_hub_lists_pending_requests_both_ways(alice, maya, acme, sam, maya_profile):
    MentorshipRequest.objects.create(mentee=alice, organization=acme, profile=maya_profile)
    sams = ProfileFactory.create(user=sam, organization=acme)
    MentorshipRequest.objects.create(mentee=maya, organization=acme, profile=sams)
    MentorshipRequest.objects.create(
        mentee=make_user("x@acme.test", "Xena"), organization=acme, profile=maya_profile
    )
    words = page(maya, "/mentoring/").words
    assert "Xena asks you to mentor them" in words
    assert "Alice asks you to mentor them" in words
    assert "You asked Sam" in words
    assert "Mentor dashboard" in words
    alice_words = page(alice, "/mentoring/").words
    assert "You asked Maya" in alice_words
    assert "Xena" not in alice_words


def test_the_hub_invites_someone_new_to_find_a_mentor(sam):
    words = page(sam, "/mentoring/").words
    assert "No mentor yet" in words
    assert "Offer to mentor" in words
    assert "People I mentor" not in words


def test_the_hub_costs_the_same_queries_however_many_rooms(
    room, maya, acme, django_assert_num_queries
):
    client = client_for(maya)
    # session, user, the current membership and the switcher's list, unread notifications,
    # rooms, their sessions, their open action items, pending requests, profiles
    with django_assert_num_queries(10):
        assert client.get("/mentoring/").status_code == 200
    mentees(maya, acme, 4)
    end(RoomFactory.create(mentor=maya, mentee=make_user("old@acme.test"), organization=acme))
    with django_assert_num_queries(10):
        html = client.get("/mentoring/").content.decode()
    assert html.count("Overdue") >= 4


# --- The mentor dashboard ----------------------------------------------------------------


def test_the_dashboard_shows_each_room_with_its_state_and_places(room, maya, alice, acme):
    ProfileFactory.create(user=maya, organization=acme, capacity=3)
    aged(room, 2)
    SessionFactory.create(room=room, starts_at=timezone.now() + timedelta(days=2))
    late = mentees(maya, acme, 1)[0]
    words = page(maya, "/mentoring/dashboard/").words
    assert "Acme 2 of 3 used · 1 open" in words
    # Most urgent first: the mentee with an overdue item, then Alice.
    assert words.index("Mentee 0") < words.index("Alice")
    assert "Overdue 1 Check-in due 0 On track 1" in words
    html = page(maya, "/mentoring/dashboard/").html
    assert f'id="room-{late.pk}"' in html


def test_the_dashboard_lists_ended_rooms_apart(room, maya):
    end(room, days_ago=1)
    words = page(maya, "/mentoring/dashboard/").words
    assert "No active rooms" in words
    assert "Ended Alice ended" in words


def test_the_dashboard_costs_the_same_queries_however_many_rooms(
    room, maya, acme, django_assert_num_queries
):
    ProfileFactory.create(user=maya, organization=acme, capacity=8)
    client = client_for(maya)
    # session, user, the current membership and the switcher's list, unread notifications,
    # rooms, their sessions, their open action items, profiles
    with django_assert_num_queries(9):
        assert client.get("/mentoring/dashboard/").status_code == 200
    mentees(maya, acme, 5)
    with django_assert_num_queries(9):
        html = client.get("/mentoring/dashboard/").content.decode()
    assert html.count('id="room-') == 6


def test_a_mentee_sees_no_one_elses_rooms_on_the_dashboard(room, alice):
    words = page(alice, "/mentoring/dashboard/").words
    assert "No active rooms" in words
    assert "Maya" not in words.split("Mentor dashboard", 2)[-1]


# --- Ending a room -----------------------------------------------------------------------


def test_a_mentee_ends_a_room_after_confirming(room, alice, maya):
    client = client_for(alice)
    words = page(client, f"/mentoring/rooms/{room.pk}/end/").words
    assert "End the mentorship with Maya?" in words
    response = client.post(f"/mentoring/rooms/{room.pk}/end/")
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/rooms/{room.pk}/rate/"
    room.refresh_from_db()
    assert (room.status, room.ended_by) == (RoomStatus.ENDED, alice)
    assert Notification.objects.get(kind="mentorship.room_ended").recipient == maya
    assert "Alice ended it on" in page(maya, f"/mentoring/rooms/{room.pk}/rate/").words


def test_ending_an_ended_room_again_says_so(room, maya):
    end(room)
    client = client_for(maya)
    assert "already ended" in page(client, f"/mentoring/rooms/{room.pk}/end/").words
    response = client.post(f"/mentoring/rooms/{room.pk}/end/")
    assert response.status_code == 409
    assert "This mentorship has already ended." in response.content.decode()
    assert not Notification.objects.filter(kind="mentorship.room_ended").exists()


@pytest.mark.parametrize("who", ["bob", "ada", "sam", "eve"])
@pytest.mark.parametrize("action", ["end", "rate"])
def test_nobody_else_reaches_ending_or_rating(request, room, who, action):
    """Her manager, an admin, a colleague, another organization: 404, nothing written."""
    if action == "rate":
        end(room)
    client = client_for(request.getfixturevalue(who))
    url = f"/mentoring/rooms/{room.pk}/{action}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"stars": "5"}).status_code == 404
    room.refresh_from_db()
    assert room.status == (RoomStatus.ENDED if action == "rate" else RoomStatus.ACTIVE)
    assert not RoomRating.objects.exists()


def test_strangers_are_sent_to_sign_in(client, room):
    response = client.get(f"/mentoring/rooms/{room.pk}/end/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- Rating ------------------------------------------------------------------------------


def test_rating_an_active_room_waits_for_its_end(room, alice):
    client = client_for(alice)
    assert "once it has ended" in page(client, f"/mentoring/rooms/{room.pk}/rate/").words
    response = client.post(f"/mentoring/rooms/{room.pk}/rate/", {"stars": "4"})
    assert response.status_code == 409
    assert not RoomRating.objects.exists()


@pytest.mark.parametrize("stars", ["0", "6", "", "many"])
def test_stars_outside_one_to_five_are_shown_on_the_field(room, alice, stars):
    end(room)
    response = client_for(alice).post(f"/mentoring/rooms/{room.pk}/rate/", {"stars": stars})
    assert response.status_code == 422
    assert "Give 1 to 5 stars." in response.content.decode()
    assert not RoomRating.objects.exists()


def test_a_mentee_rates_once_and_the_mentor_sees_it_only_after_rating(room, alice, maya):
    end(room)
    as_alice = client_for(alice)
    response = as_alice.post(
        f"/mentoring/rooms/{room.pk}/rate/", {"stars": "5", "comment": "Weekly pushes helped."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/rooms/{room.pk}/"
    again = as_alice.post(f"/mentoring/rooms/{room.pk}/rate/", {"stars": "1"})
    assert again.status_code == 409
    assert "already rated" in again.content.decode()
    as_maya = client_for(maya)
    before = page(as_maya, f"/mentoring/rooms/{room.pk}/rate/").words
    assert "Alice has rated." in before
    assert "Weekly pushes helped." not in before
    as_maya.post(f"/mentoring/rooms/{room.pk}/rate/", {"stars": "4"})
    after = page(as_maya, f"/mentoring/rooms/{room.pk}/rate/").words
    assert "Alice's rating: 5 of 5 Weekly pushes helped." in after
    assert "Your rating: 4 of 5" in after


def test_a_lone_rating_shows_fourteen_days_after_the_end(room, alice, maya):
    end(room, days_ago=15)
    RoomRating.objects.create(room=room, rater=alice, stars=3, comment="Fine.")
    assert "Alice's rating: 3 of 5" in page(maya, f"/mentoring/rooms/{room.pk}/rate/").words


# --- API ---------------------------------------------------------------------------------


def test_my_rooms_with_their_state(room, alice, maya, acme, sam, django_assert_num_queries):
    aged(room, 8)
    end(RoomFactory.create(mentor=alice, mentee=sam, organization=acme))
    client = client_for(alice)
    # session, user, rooms, their sessions, their open action items
    with django_assert_num_queries(5):
        body = client.get(f"{API}/mentoring/rooms").json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["id"], first["role"], first["other"]["name"]) == (room.pk, "mentee", "Maya")
    assert first["state"]["state"] == "check_in_due"
    assert first["organization"] == "acme"
    assert (second["role"], second["status"], second["state"]) == ("mentor", "ended", None)


def test_the_dashboard_api(room, maya, acme, django_assert_num_queries):
    ProfileFactory.create(user=maya, organization=acme, capacity=4)
    client = client_for(maya)
    # session, user, rooms, their sessions, their open action items, profiles
    with django_assert_num_queries(6):
        client.get(f"{API}/mentoring/dashboard")
    mentees(maya, acme, 3)
    with django_assert_num_queries(6):
        body = client.get(f"{API}/mentoring/dashboard").json()
    assert [r["state"]["state"] for r in body["rooms"]] == ["overdue"] * 3 + ["on_track"]
    assert body["rooms"][0]["state"]["overdue_items"] == 1
    assert body["places"] == [
        {
            "profile_id": body["places"][0]["profile_id"],
            "organization": "acme",
            "capacity": 4,
            "used": 4,
            "open": 0,
            "accepting": True,
        }
    ]


def test_ending_and_rating_through_the_api(room, alice, maya):
    as_alice, as_maya = client_for(alice), client_for(maya)
    url = f"{API}/mentoring/rooms/{room.pk}"
    early = as_alice.post(f"{url}/rating", {"stars": 5}, content_type="application/json")
    assert early.status_code == 409
    ended = as_alice.post(f"{url}/end")
    assert (ended.status_code, ended.json()["status"]) == (200, "ended")
    assert as_maya.post(f"{url}/end").status_code == 409
    bad = as_maya.post(f"{url}/rating", {"stars": 9}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["path"] == "body.stars"
    made = as_maya.post(
        f"{url}/rating",
        {"stars": 4, "comment": "Great questions."},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["mine"]["stars"] == 4
    assert made.json()["theirs"] is None
    seen = as_alice.get(f"{url}/rating").json()
    assert (seen["they_rated"], seen["theirs"], seen["may_rate"]) == (True, None, True)
    as_alice.post(f"{url}/rating", {"stars": 5}, content_type="application/json")
    twice = as_alice.post(f"{url}/rating", {"stars": 5}, content_type="application/json")
    assert twice.status_code == 409
    assert as_maya.get(f"{url}/rating").json()["theirs"]["stars"] == 5


@pytest.mark.parametrize("who", ["bob", "ada", "eve"])
def test_the_api_hides_rooms_from_everyone_else(request, room, who):
    client = client_for(request.getfixturevalue(who))
    url = f"{API}/mentoring/rooms/{room.pk}"
    assert client.post(f"{url}/end").status_code == 404
    assert client.get(f"{url}/rating").status_code == 404
    posted = client.post(f"{url}/rating", {"stars": 5}, content_type="application/json")
    assert posted.status_code == 404
    assert client.get(f"{API}/mentoring/rooms").json()["count"] == 0
    room.refresh_from_db()
    assert room.status == RoomStatus.ACTIVE


# --- On the room's page ------------------------------------------------------------------


def test_the_room_page_shows_its_state_and_how_to_end_it(room, alice):
    aged(room, 8)
    words = page(alice, f"/mentoring/rooms/{room.pk}/").words
    assert "Accountability Check-in due" in words
    assert "End the mentorship…" in words


def test_an_ended_room_page_invites_the_rating_then_shows_it(room, alice, maya):
    end(room)
    assert "Rate the mentorship" in page(alice, f"/mentoring/rooms/{room.pk}/").words
    RoomRating.objects.create(room=room, rater=alice, stars=4)
    words = page(alice, f"/mentoring/rooms/{room.pk}/").words
    assert "Your rating: 4 of 5" in words
    assert "Maya has not rated yet." in words
    assert "End the mentorship…" not in words
    assert "Accountability" not in words  # an ended room has no state to keep

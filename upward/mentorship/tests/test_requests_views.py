"""Requests on the pages and in the API: asking from a mentor's page, the mentor's
answer opening the room, each side's list, and 404 for everyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from upward.accounts.models import Organization, User
from upward.mentorship.models import MentorProfile, MentorshipRequest, RequestStatus, Room
from upward.mentorship.services import send_request
from upward.mentorship.tests.factories import ProfileFactory
from upward.testing import client_for, page


@pytest.fixture
def asked(alice: User, acme: Organization, maya_profile: MentorProfile) -> MentorshipRequest:
    return send_request(mentee=alice, organization=acme, profile=maya_profile, message="Hi")


def test_a_member_asks_from_the_mentors_page(
    as_alice: Client, maya_profile: MentorProfile, placement
) -> None:
    url = reverse("mentorship:mentor", args=[maya_profile.pk])
    shown = page(as_alice, url)
    assert "Ask to mentor me" in shown.words
    response = as_alice.post(
        reverse("mentorship:request_new", args=[maya_profile.pk]),
        {"message": "Shipping, please", "competencies": ["shipping"]},
    )
    made = MentorshipRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentorship:request", args=[made.pk])
    assert made.competencies == ["shipping"]


def test_asking_her_manager_shows_the_error_on_the_mentors_page(
    as_alice: Client, bob: User, acme: Organization
) -> None:
    profile = ProfileFactory.create(user=bob, organization=acme)
    response = as_alice.post(reverse("mentorship:request_new", args=[profile.pk]), {})
    assert response.status_code == 422
    assert "Your manager assesses you" in response.content.decode()
    assert not MentorshipRequest.objects.exists()


def test_the_mentor_accepts_and_lands_in_the_room(
    asked: MentorshipRequest, as_maya: Client, as_alice: Client
) -> None:
    shown = page(as_maya, reverse("mentorship:request", args=[asked.pk]))
    assert "Alice asks you to mentor them" in shown.words
    assert "Accept and open the room" in shown.words
    assert "Accept" not in page(as_alice, reverse("mentorship:request", args=[asked.pk])).words
    response = as_maya.post(reverse("mentorship:request_accept", args=[asked.pk]))
    room = Room.objects.get()
    assert response["Location"] == reverse("mentorship:room", args=[room.pk])
    again = as_maya.post(reverse("mentorship:request_accept", args=[asked.pk]))
    assert again.status_code == 409
    assert "Go to the room" in page(as_alice, reverse("mentorship:request", args=[asked.pk])).words


def test_the_mentor_declines_and_the_mentee_withdraws(
    asked: MentorshipRequest, as_maya: Client, as_alice: Client
) -> None:
    decline = reverse("mentorship:request_decline", args=[asked.pk])
    withdraw = reverse("mentorship:request_withdraw", args=[asked.pk])
    assert as_alice.post(decline).status_code == 404  # only the mentor answers
    assert as_maya.post(withdraw).status_code == 404  # only the mentee withdraws
    assert as_maya.post(decline, {"reason": "Full this term"}).status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DECLINED
    assert as_alice.post(withdraw).status_code == 409


def test_both_sides_see_the_request_in_their_lists(
    asked: MentorshipRequest, as_maya: Client, as_alice: Client
) -> None:
    url = reverse("mentorship:requests")
    assert "Asked of you Alice" in page(as_maya, url).words
    assert "Asked by you Maya" in page(as_alice, url).words


@pytest.mark.parametrize("who", ["bob", "ada", "eve"])
def test_nobody_else_reads_or_answers_a_request(asked: MentorshipRequest, people, who: str) -> None:
    client = client_for(people[who])
    assert client.get(reverse("mentorship:request", args=[asked.pk])).status_code == 404
    for name in ("request_accept", "request_decline", "request_withdraw"):
        assert client.post(reverse(f"mentorship:{name}", args=[asked.pk])).status_code == 404
    assert client.get(f"/api/v1/mentorship-requests/{asked.pk}").status_code == 404
    assert client.post(f"/api/v1/mentorship-requests/{asked.pk}/accept").status_code == 404
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING


def test_a_stranger_cannot_ask_a_mentor_they_do_not_find(
    as_eve: Client, maya_profile: MentorProfile
) -> None:
    url = reverse("mentorship:request_new", args=[maya_profile.pk])
    assert as_eve.post(url, {"message": "Hi"}).status_code == 404
    api = as_eve.post(
        "/api/v1/orgs/globex/mentorship-requests",
        {"profile_id": maya_profile.pk},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not MentorshipRequest.objects.exists()


def test_the_api_round_trip(
    as_alice: Client, as_maya: Client, maya_profile: MentorProfile, bob: User, acme
) -> None:
    made = as_alice.post(
        "/api/v1/orgs/acme/mentorship-requests",
        {"profile_id": maya_profile.pk, "message": "Hello"},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    twice = as_alice.post(
        "/api/v1/orgs/acme/mentorship-requests",
        {"profile_id": maya_profile.pk},
        content_type="application/json",
    )
    assert twice.status_code == 409
    listed = as_maya.get("/api/v1/orgs/acme/mentorship-requests").json()
    assert [r["id"] for r in listed] == [pk]
    accepted = as_maya.post(f"/api/v1/mentorship-requests/{pk}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["room_id"] == Room.objects.get().pk
    manager = ProfileFactory.create(user=bob, organization=acme)
    refused = as_alice.post(
        "/api/v1/orgs/acme/mentorship-requests",
        {"profile_id": manager.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["path"].endswith("mentor")


def test_the_mentors_page_says_when_she_already_asked(
    asked: MentorshipRequest, as_alice: Client, maya_profile: MentorProfile
) -> None:
    shown = page(as_alice, reverse("mentorship:mentor", args=[maya_profile.pk]))
    assert "haven't answered yet" in shown.words
    assert "Ask to mentor me" not in shown.words


def test_the_request_names_its_competencies_as_the_framework_does(
    as_maya: Client, alice: User, acme: Organization, maya_profile: MentorProfile, placement
) -> None:
    asked = send_request(
        mentee=alice, organization=acme, profile=maya_profile, competencies=["shipping"]
    )
    shown = page(as_maya, reverse("mentorship:request", args=[asked.pk]))
    assert "About: Shipping" in shown.words

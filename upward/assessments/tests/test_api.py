"""The assessments API as clients use it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from upward.accounts.tokens import digest, new_link_secret
from upward.assessments.models import FeedbackRequest, Placement, Signal


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_member_places_rates_and_reads_their_delta(alice, ladder):
    client = session(alice)
    response = post(
        client,
        "/api/v1/placements",
        {
            "organization": "acme",
            "framework_id": ladder.framework_id,
            "version": 1,
            "track": "ic",
            "current_level": "l1",
        },
    )
    assert response.status_code == 201
    placement_id = response.json()["id"]
    assert response.json()["target_level"] == "l2"
    response = post(
        client,
        f"/api/v1/placements/{placement_id}/ratings",
        {"ratings": [{"competency": "shipping", "step": "l2"}]},
    )
    assert response.json() == {"source": "self", "recorded": 1}
    delta = client.get(f"/api/v1/placements/{placement_id}/delta").json()
    shipping = next(c for c in delta["competencies"] if c["key"] == "shipping")
    assert (shipping["expected"], shipping["operating"], shipping["status"]) == (
        "l2",
        "l2",
        "unconfirmed",
    )
    assert shipping["signals"][0]["who"] == "you"
    assert delta["needs_assessment"] == ["reviews"]


def test_a_manager_rates_a_report_and_reads_the_delta(bob, placement):
    client = session(bob)
    response = post(
        client,
        f"/api/v1/placements/{placement.pk}/ratings",
        {"ratings": [{"competency": "reviews", "step": "l1"}]},
    )
    assert response.json() == {"source": "manager", "recorded": 1}
    delta = client.get(f"/api/v1/placements/{placement.pk}/delta").json()
    assert delta["top_gaps"] == ["reviews"]


def test_a_peer_cannot_read_or_rate_someone_elses_placement(maya, placement):
    client = session(maya)
    assert client.get(f"/api/v1/placements/{placement.pk}/delta").status_code == 404
    response = post(
        client,
        f"/api/v1/placements/{placement.pk}/ratings",
        {"ratings": [{"competency": "reviews", "step": "l1"}]},
    )
    assert response.status_code == 404
    assert not Signal.objects.exists()


def test_a_rating_for_an_unknown_step_names_it(alice, placement):
    response = post(
        session(alice),
        f"/api/v1/placements/{placement.pk}/ratings",
        {"ratings": [{"competency": "reviews", "step": "l9"}]},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.ratings[0].step"
    assert not Signal.objects.exists()


def test_a_target_below_the_current_level_is_refused(alice, ladder):
    response = post(
        session(alice),
        "/api/v1/placements",
        {
            "organization": "acme",
            "framework_id": ladder.framework_id,
            "version": 1,
            "track": "ic",
            "current_level": "l2",
            "target_level": "l1",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.target_level"
    assert not Placement.objects.exists()


def test_an_emailed_rater_answers_once_through_the_link(alice, placement):
    response = post(
        session(alice),
        "/api/v1/feedback-requests",
        {"placement_id": placement.pk, "relationship": "peer", "email": "pat@outside.test"},
    )
    assert response.status_code == 201
    # The emailed secret exists only in the message; stand in one whose hash we know.
    secret = new_link_secret()
    FeedbackRequest.objects.filter(pk=response.json()["id"]).update(token_hash=digest(secret))
    anonymous = Client()
    asked = anonymous.get(f"/api/v1/feedback-links/{secret}").json()
    assert asked["competencies"] == ["shipping", "reviews"]
    answer = {"ratings": [{"competency": "shipping", "step": "l1"}], "biggest_gap": "scope"}
    assert post(anonymous, f"/api/v1/feedback-links/{secret}/responses", answer).status_code == 201
    again = post(anonymous, f"/api/v1/feedback-links/{secret}/responses", answer)
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "This feedback request has already been answered."
    assert Signal.objects.count() == 1


def test_anonymous_requests_show_no_rater_to_the_requester(alice, maya, placement):
    post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "mentor",
            "rater_id": maya.pk,
            "anonymous": True,
        },
    )
    [item] = session(alice).get("/api/v1/feedback-requests").json()["items"]
    assert item["rater"] == ""
    assert "maya" not in json.dumps(item).lower()


def test_a_rater_from_another_organization_cannot_be_named(alice, eve, placement):
    response = post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "peer",
            "rater_id": eve.pk,
        },
    )
    assert response.status_code == 422
    assert not FeedbackRequest.objects.exists()


def test_a_rater_sees_and_answers_requests_addressed_to_them(alice, maya, placement):
    post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "mentor",
            "rater_id": maya.pk,
            "competencies": ["reviews"],
        },
    )
    client = session(maya)
    [item] = client.get("/api/v1/feedback-requests/incoming").json()["items"]
    assert item["question"].startswith("Based on the requirements for L2 Level 2, where is Alice")
    answer = {"ratings": [{"competency": "reviews", "step": "l2"}]}
    assert (
        post(client, f"/api/v1/feedback-requests/{item['id']}/responses", answer).status_code == 201
    )
    assert client.get("/api/v1/feedback-requests/incoming").json()["count"] == 0


@pytest.mark.parametrize("competencies", [["nope"], "gaps"])
def test_requests_for_unknown_competencies_or_without_gaps_are_refused(
    alice, placement, competencies
):
    response = post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "peer",
            "email": "x@y.test",
            "competencies": competencies,
        },
    )
    assert response.status_code == 422
    assert not FeedbackRequest.objects.exists()

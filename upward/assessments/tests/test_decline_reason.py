"""A decline may say why: the requester reads it for named requests, never for anonymous ones."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from upward.assessments import services
from upward.assessments.models import FeedbackRequest, RequestStatus
from upward.core.errors import Invalid
from upward.core.tests.pages import words
from upward.notifications.models import Notification
from upward.testing import client_for


def _post(client, url, body=None):
    if body is None:  # no body and no content type, as `curl -X POST` sends
        return client.generic("POST", url)
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def anonymous_to_maya(placement, maya):
    return services.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=maya, anonymous=True
    )


# --- Service --------------------------------------------------------------------------------


def test_a_named_decline_keeps_its_reason_and_the_notification_says_it(asked_maya, maya, alice):
    services.decline(feedback_request=asked_maya, by=maya, reason="  On leave until May.  ")
    asked_maya.refresh_from_db()
    assert asked_maya.decline_reason == "On leave until May."
    note = Notification.objects.get(recipient=alice, kind="feedback.declined")
    assert note.body == "Maya declined your feedback request, saying: On leave until May."


def test_an_anonymous_decline_drops_its_reason(anonymous_to_maya, maya, alice):
    services.decline(feedback_request=anonymous_to_maya, by=maya, reason="I never saw her work.")
    anonymous_to_maya.refresh_from_db()
    assert anonymous_to_maya.status == RequestStatus.DECLINED
    assert anonymous_to_maya.decline_reason == ""
    assert not Notification.objects.filter(recipient=alice, kind="feedback.declined").exists()


def test_a_reason_too_long_is_refused_and_nothing_changes(asked_maya, maya):
    with pytest.raises(Invalid) as raised:
        services.decline(feedback_request=asked_maya, by=maya, reason="x" * 2001)
    assert raised.value.field == "reason"
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.PENDING


# --- API ------------------------------------------------------------------------------------


def test_the_api_takes_a_reason_and_shows_it_to_the_requester(asked_maya, maya, alice):
    url = f"/api/v1/feedback-requests/{asked_maya.pk}/decline"
    response = _post(client_for(maya), url, {"reason": "Too busy this quarter."})
    assert response.status_code == 200
    assert response.json()["decline_reason"] == "Too busy this quarter."
    [listed] = client_for(alice).get("/api/v1/feedback-requests").json()["items"]
    assert listed["decline_reason"] == "Too busy this quarter."


def test_the_api_still_declines_without_a_body(asked_maya, maya):
    response = _post(client_for(maya), f"/api/v1/feedback-requests/{asked_maya.pk}/decline")
    assert response.status_code == 200
    assert response.json()["decline_reason"] == ""


def test_the_api_refuses_a_reason_too_long_naming_the_field(asked_maya, maya):
    url = f"/api/v1/feedback-requests/{asked_maya.pk}/decline"
    response = _post(client_for(maya), url, {"reason": "x" * 2001})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.reason"
    assert FeedbackRequest.objects.get().status == RequestStatus.PENDING


def test_the_api_drops_the_reason_of_an_anonymous_decline(anonymous_to_maya, maya):
    url = f"/api/v1/feedback-requests/{anonymous_to_maya.pk}/decline"
    response = _post(client_for(maya), url, {"reason": "Not my team."})
    assert response.status_code == 200
    assert response.json()["decline_reason"] == ""
    assert FeedbackRequest.objects.get().decline_reason == ""


def test_a_link_decline_takes_a_reason_or_none(link):
    response = _post(Client(), "/api/v1/feedback-links/the-secret/decline", {"reason": "Who?"})
    assert response.status_code == 204
    assert FeedbackRequest.objects.get().decline_reason == "Who?"


def test_a_link_decline_without_a_body_still_works(link):
    assert _post(Client(), "/api/v1/feedback-links/the-secret/decline").status_code == 204
    assert FeedbackRequest.objects.get().status == RequestStatus.DECLINED


# --- Pages ----------------------------------------------------------------------------------


def test_the_answer_page_offers_a_reason_and_the_requester_reads_it(asked_maya, maya, as_alice):
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    as_maya = client_for(maya)
    assert 'name="decline_reason"' in as_maya.get(url).content.decode()
    response = as_maya.post(url, {"action": "decline", "decline_reason": "On leave."})
    assert response.status_code == 302
    assert "“On leave.”" in words(as_alice.get("/growth/feedback/"))


def test_the_answer_page_of_an_anonymous_request_asks_no_reason(anonymous_to_maya, maya):
    url = f"/growth/feedback/{anonymous_to_maya.pk}/answer/"
    as_maya = client_for(maya)
    assert 'name="decline_reason"' not in as_maya.get(url).content.decode()
    response = as_maya.post(url, {"action": "decline", "decline_reason": "Sneaked in."})
    assert response.status_code == 302
    assert FeedbackRequest.objects.get().decline_reason == ""


def test_the_link_page_declines_with_a_reason(link, as_alice):
    client = Client()
    assert 'name="decline_reason"' in client.get("/feedback/the-secret/").content.decode()
    response = client.post("/feedback/the-secret/", {"action": "decline", "decline_reason": "Who?"})
    assert response.status_code == 302
    assert "“Who?”" in words(as_alice.get("/growth/feedback/"))


def test_a_reason_too_long_is_refused_in_place(asked_maya, maya):
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    response = client_for(maya).post(url, {"action": "decline", "decline_reason": "x" * 2001})
    assert response.status_code == 422
    assert "Keep the reason under 2000 characters." in words(response)
    assert FeedbackRequest.objects.get().status == RequestStatus.PENDING

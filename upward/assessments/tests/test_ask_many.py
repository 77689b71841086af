"""Asking several people in one go, and the warning about a request still waiting."""

from __future__ import annotations

import json

import pytest

from upward.assessments import services
from upward.assessments.models import FeedbackRequest, RequestStatus
from upward.assessments.services import Rater
from upward.core.errors import Conflict, Invalid
from upward.core.tests.pages import words
from upward.testing import client_for

BATCH = "/api/v1/feedback-requests/batch"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _page(placement):
    return f"/growth/placement/{placement.pk}/feedback/new/"


# --- Service --------------------------------------------------------------------------------


def test_several_raters_get_one_request_each_with_its_own_link(placement, bob, maya):
    made = services.request_feedback_from_many(
        placement=placement,
        raters=[Rater(user=bob), Rater(user=maya), Rater(email="pat@out.test")],
        relationship="peer",
        competencies=[],
    )
    assert [r.rater for r in made] == [bob, maya, None]
    assert made[2].rater_email == "pat@out.test"
    assert made[2].token_hash
    assert FeedbackRequest.objects.count() == 3


def test_one_bad_rater_writes_nothing_and_names_its_place(placement, bob):
    with pytest.raises(Invalid) as raised:
        services.request_feedback_from_many(
            placement=placement,
            raters=[Rater(user=bob), Rater(email="pat@out.test"), Rater(email="alice@acme.test")],
            relationship="peer",
            competencies=[],
        )
    assert raised.value.field == "raters.2"
    assert "alice@acme.test" in raised.value.message
    assert not FeedbackRequest.objects.exists()


def test_a_rater_named_twice_is_refused(placement):
    with pytest.raises(Invalid) as raised:
        services.request_feedback_from_many(
            placement=placement,
            raters=[Rater(email="pat@out.test"), Rater(email="Pat@out.test")],
            relationship="peer",
            competencies=[],
        )
    assert raised.value.field == "raters.1"
    assert not FeedbackRequest.objects.exists()


def test_asking_the_same_person_again_is_refused_while_the_first_request_waits(
    placement, asked_maya, maya
):
    with pytest.raises(Conflict) as raised:
        services.request_feedback(
            placement=placement, relationship="mentor", competencies=[], rater=maya
        )
    assert "Maya already has a request from you waiting" in raised.value.message
    again = services.request_feedback(
        placement=placement,
        relationship="mentor",
        competencies=[],
        rater=maya,
        allow_duplicate=True,
    )
    assert again.pk != asked_maya.pk


def test_a_closed_request_does_not_count_as_waiting(placement, asked_maya, maya):
    services.decline(feedback_request=asked_maya, by=maya)
    services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    assert FeedbackRequest.objects.filter(status=RequestStatus.PENDING).count() == 1


def test_anonymous_requests_are_never_compared_so_answering_stays_secret(placement, maya):
    """Whether an anonymous request still waits would say whether that person answered."""
    ask = {"placement": placement, "relationship": "peer", "competencies": [], "rater": maya}
    services.request_feedback(**ask, anonymous=True)
    services.request_feedback(**ask, anonymous=True)  # no warning for a new anonymous one
    services.request_feedback(**ask)  # nor for a named one after anonymous ones
    assert FeedbackRequest.objects.count() == 3


# --- API ------------------------------------------------------------------------------------


def test_the_api_asks_several_people_at_once(alice, placement, bob, maya):
    body = {
        "placement_id": placement.pk,
        "relationship": "peer",
        "raters": [{"rater_id": bob.pk}, {"rater_id": maya.pk}, {"email": "pat@out.test"}],
    }
    response = _post(client_for(alice), BATCH, body)
    assert response.status_code == 201
    assert [r["rater"] for r in response.json()] == [
        "bob@acme.test",
        "maya@acme.test",
        "pat@out.test",
    ]
    assert FeedbackRequest.objects.count() == 3


def test_anonymous_batches_come_back_without_raters(alice, placement, bob, maya):
    body = {
        "placement_id": placement.pk,
        "relationship": "peer",
        "anonymous": True,
        "raters": [{"rater_id": bob.pk}, {"rater_id": maya.pk}],
    }
    response = _post(client_for(alice), BATCH, body)
    assert response.status_code == 201
    assert [r["rater"] for r in response.json()] == ["", ""]


@pytest.mark.parametrize(
    ("rater", "message"),
    [
        ({"email": "alice@acme.test"}, "Ask someone other than yourself."),
        ({"rater_id": "EVE"}, "is not in this organization"),
        ({"email": "pat@out.test"}, "named twice"),
        ({"rater_id": "MAYA", "email": "x@out.test"}, "not both"),
        ({}, "Name one rater"),
    ],
)
def test_the_api_names_the_bad_rater_and_writes_nothing(
    alice, placement, maya, eve, rater, message
):
    ids = {"EVE": eve.pk, "MAYA": maya.pk}
    rater = {k: ids.get(v, v) for k, v in rater.items()}
    body = {
        "placement_id": placement.pk,
        "relationship": "peer",
        "raters": [{"rater_id": maya.pk}, {"email": "pat@out.test"}, rater],
    }
    response = _post(client_for(alice), BATCH, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"][0]["path"] == "body.raters.2"
    assert message in error["message"]
    assert not FeedbackRequest.objects.exists()


def test_the_api_refuses_an_address_it_cannot_read_naming_its_place(alice, placement):
    body = {
        "placement_id": placement.pk,
        "relationship": "peer",
        "raters": [{"email": "pat@out.test"}, {"email": "not an address"}],
    }
    response = _post(client_for(alice), BATCH, body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"].startswith("body.raters.1")
    assert not FeedbackRequest.objects.exists()


def test_the_api_refuses_an_empty_list(alice, placement):
    body = {"placement_id": placement.pk, "relationship": "peer", "raters": []}
    response = _post(client_for(alice), BATCH, body)
    assert response.status_code == 422
    assert not FeedbackRequest.objects.exists()


def test_the_api_answers_409_for_a_waiting_request_unless_told_to_go_ahead(
    alice, placement, asked_maya, maya, bob
):
    body = {
        "placement_id": placement.pk,
        "relationship": "mentor",
        "raters": [{"rater_id": bob.pk}, {"rater_id": maya.pk}],
    }
    response = _post(client_for(alice), BATCH, body)
    assert response.status_code == 409
    assert response.json()["error"]["fields"][0]["path"] == "body.raters.1"
    assert "already has a request from you waiting" in response.json()["error"]["message"]
    assert FeedbackRequest.objects.count() == 1
    response = _post(client_for(alice), BATCH, body | {"allow_duplicate": True})
    assert response.status_code == 201
    assert FeedbackRequest.objects.count() == 3


def test_the_single_rater_api_warns_too(alice, placement, asked_maya, maya):
    body = {"placement_id": placement.pk, "relationship": "mentor", "rater_id": maya.pk}
    response = _post(client_for(alice), "/api/v1/feedback-requests", body)
    assert response.status_code == 409
    response = _post(
        client_for(alice), "/api/v1/feedback-requests", body | {"allow_duplicate": True}
    )
    assert response.status_code == 201


def test_another_organization_cannot_ask_on_a_placement_it_cannot_see(eve, placement, maya):
    body = {"placement_id": placement.pk, "relationship": "peer", "raters": [{"email": "p@o.test"}]}
    response = _post(client_for(eve), BATCH, body)
    assert response.status_code == 404
    assert not FeedbackRequest.objects.exists()


# --- Page -----------------------------------------------------------------------------------


def test_the_page_asks_several_people_and_addresses_at_once(as_alice, placement, bob, maya):
    data = {
        "rater": [bob.pk, maya.pk],
        "email": "pat@out.test,\nsam@out.test",
        "relationship": "peer",
        "scope": "all",
    }
    response = as_alice.post(_page(placement), data)
    assert response.status_code == 302
    said = words(as_alice.get(response.url))
    assert "4 requests sent, one each to Bob, Maya, pat@out.test, sam@out.test." in said
    assert FeedbackRequest.objects.count() == 4


def test_the_page_names_the_bad_address_on_its_field_and_writes_nothing(as_alice, placement, bob):
    data = {
        "rater": [bob.pk],
        "email": "pat@out.test alice@acme.test",
        "relationship": "peer",
        "scope": "all",
    }
    response = as_alice.post(_page(placement), data)
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()
    assert "alice@acme.test: Ask someone other than yourself." in words(response)
    assert not FeedbackRequest.objects.exists()


def test_the_page_warns_about_a_waiting_request_and_sends_once_confirmed(
    as_alice, placement, asked_maya, maya
):
    data = {"rater": [maya.pk], "relationship": "mentor", "scope": "all"}
    response = as_alice.post(_page(placement), data)
    assert response.status_code == 409
    said = words(response)
    assert "Maya already has a request from you waiting for an answer." in said
    assert "Send anyway" in said
    assert FeedbackRequest.objects.count() == 1
    response = as_alice.post(_page(placement), data | {"allow_duplicate": "on"})
    assert response.status_code == 302
    assert FeedbackRequest.objects.count() == 2


def test_the_page_never_warns_about_anonymous_requests(as_alice, placement, maya):
    data = {"rater": [maya.pk], "relationship": "peer", "scope": "all", "anonymous": "on"}
    assert as_alice.post(_page(placement), data).status_code == 302
    response = as_alice.post(_page(placement), data)
    assert response.status_code == 302
    assert FeedbackRequest.objects.filter(anonymous=True).count() == 2

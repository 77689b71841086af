"""The notifications API: list, mark read, email choices."""

from __future__ import annotations

import json

import pytest

from upward.notifications import services
from upward.notifications.models import Notification, Preference


def _make(person, count):
    return [
        services.notify(
            recipient=person, kind_key="feedback.answered", title=f"N{i}", url="/growth/"
        )
        for i in range(count)
    ]


def _put(client, body):
    return client.put(
        "/api/v1/notifications/preferences", json.dumps(body), content_type="application/json"
    )


def test_listing_my_notifications_newest_first_within_a_query_budget(
    as_alice, alice, bob, django_assert_num_queries
):
    _make(alice, 3)
    _make(bob, 2)
    # session, user, count, the page
    with django_assert_num_queries(4):
        body = as_alice.get("/api/v1/notifications").json()
    assert body["count"] == 3
    assert [item["title"] for item in body["items"]] == ["N2", "N1", "N0"]
    assert body["items"][0]["url"] == "/growth/"
    assert body["items"][0]["read_at"] is None


def test_marking_read_one_then_all(as_alice, alice):
    first, _second = _make(alice, 2)
    response = as_alice.post(f"/api/v1/notifications/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert as_alice.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert as_alice.post("/api/v1/notifications/read").json() == {"marked": 1}
    assert as_alice.post("/api/v1/notifications/read").json() == {"marked": 0}


def test_someone_else_cannot_read_or_mark_my_notifications(as_eve, alice):
    [notice] = _make(alice, 1)
    assert as_eve.get("/api/v1/notifications").json()["count"] == 0
    response = as_eve.post(f"/api/v1/notifications/{notice.pk}/read")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert as_eve.post("/api/v1/notifications/read").json() == {"marked": 0}
    assert Notification.objects.get().read_at is None


def test_my_email_choices_list_every_kind_i_can_choose(as_alice):
    body = as_alice.get("/api/v1/notifications/preferences").json()
    kinds = {item["kind"]: item["choice"] for item in body}
    assert kinds == {
        "feedback.requested": "instant",
        "feedback.reminder": "instant",
        "feedback.answered": "instant",
        "feedback.declined": "instant",
        "roadmap.objective_overdue": "daily",
        "roadmap.milestone_overdue": "daily",
        "evidence.confirmation_requested": "instant",
        "evidence.entry_confirmed": "instant",
        "evidence.collaborator_named": "instant",
        "evidence.thread_reply": "instant",
        "evidence.thread_reaction": "daily",
        "evidence.packet_opened": "instant",
        "mentorship.request_received": "instant",
        "mentorship.request_answered": "instant",
        "mentorship.room_message": "instant",
        "mentorship.session_scheduled": "instant",
        "mentorship.action_assigned": "instant",
        "mentorship.check_in_due": "daily",
        "mentorship.room_ended": "instant",
        "mentorship.programme_matched": "instant",
    }


def test_choosing_a_digest(as_alice, alice):
    response = _put(as_alice, {"kind": "feedback.answered", "choice": "daily"})
    assert response.status_code == 200
    assert response.json() == {
        "kind": "feedback.answered",
        "label": "Answers to your feedback requests",
        "choice": "daily",
    }
    assert Preference.objects.get(user=alice).choice == "daily"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"kind": "nope", "choice": "daily"}, "body.kind"),
        ({"kind": "org.invitation", "choice": "off"}, "body.kind"),
        ({"kind": "feedback.answered", "choice": "hourly"}, "body.choice"),
        ({"choice": "daily"}, "body.kind"),
    ],
)
def test_a_bad_choice_names_its_field_and_saves_nothing(as_alice, body, path):
    response = _put(as_alice, body)
    assert response.status_code == 422
    assert [f["path"] for f in response.json()["error"]["fields"]] == [path]
    assert not Preference.objects.exists()


def test_the_api_needs_signing_in(db, client):
    assert client.get("/api/v1/notifications").status_code == 401

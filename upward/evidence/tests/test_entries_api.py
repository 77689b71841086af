"""The evidence API under /orgs/{slug}/evidence: list, create, get, update, delete,
confirm and withdraw, ask to confirm, and a collaborator's answer."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from upward.assessments.models import Signal
from upward.core.visibility import Tier
from upward.evidence.models import Collaborator, CollaboratorStatus, Confirmation, Entry
from upward.evidence.tests.factories import EntryFactory, placed
from upward.notifications.models import Notification
from upward.roadmaps.tests.factories import ObjectiveFactory
from upward.testing import client_for

API = "/api/v1/orgs/acme/evidence"
TODAY = timezone.localdate()


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json")


def error_path(response: Any) -> str:
    return response.json()["error"]["fields"][0]["path"]


def new_entry(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "Ran the incident review",
        "happened_on": (TODAY - timedelta(days=1)).isoformat(),
        "competencies": [{"competency": "shipping", "step": "l2"}],
        "impact": "Three follow-ups shipped.",
        "links": [{"url": "https://docs.example.com/review", "label": "Notes"}],
    }
    body.update(changes)
    return body


def test_creating_an_entry_answers_201_with_it(placement, alice, sam):
    response = send(client_for(alice), "post", API, new_entry(collaborator_ids=[sam.pk]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["competencies"] == [{"competency": "shipping", "step": "l2"}]
    assert body["placement_id"] == placement.pk
    assert body["collaborators"] == [{"user_id": sam.pk, "name": "Sam", "status": "pending"}]
    assert Signal.objects.filter(source_key=f"evidence:{body['id']}").count() == 1


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        (
            {"competencies": [{"competency": "cooking", "step": "l2"}]},
            "body.competencies[0].competency",
        ),
        ({"competencies": [{"competency": "shipping", "step": "l9"}]}, "body.competencies[0].step"),
        ({"happened_on": (TODAY + timedelta(days=2)).isoformat()}, "body.happened_on"),
        ({"links": [{"url": "javascript:alert(1)"}]}, "body.links[0].url"),
        ({"title": ""}, "body.title"),
        ({"collaborator_ids": [999_999]}, "body.collaborator_ids[0]"),
    ],
)
def test_bad_input_answers_422_naming_the_field(placement, alice, changes, path):
    response = send(client_for(alice), "post", API, new_entry(**changes))
    assert response.status_code == 422
    assert error_path(response) == path
    assert not Entry.objects.exists()


def test_naming_another_persons_objective_is_refused(placement, acme, ladder, alice, bob):
    bobs = ObjectiveFactory.create(
        placement=placed(bob, acme, ladder), visibility=Tier.ORGANIZATION
    )
    response = send(client_for(alice), "post", API, new_entry(objective_id=bobs.pk))
    assert response.status_code == 422
    assert error_path(response) == "body.objective"


def test_the_list_is_paginated_and_filtered(placement, alice, bob):
    for n in range(3):
        EntryFactory.create(placement=placement, title=f"Entry {n}")
    EntryFactory.create(
        placement=placement, competencies=[{"competency": "reviews", "step": "l1"}], title="R"
    )
    client = client_for(alice)
    body = client.get(f"{API}?page_size=2").json()
    assert (body["count"], len(body["items"])) == (4, 2)
    assert client.get(f"{API}?competency=reviews").json()["count"] == 1
    assert client_for(bob).get(f"{API}?user_id={alice.pk}").json()["count"] == 4


def test_a_colleague_sees_only_what_is_shared(placement, alice, sam):
    EntryFactory.create(placement=placement, visibility=Tier.MANAGER)
    shared = EntryFactory.create(placement=placement, visibility=Tier.ORGANIZATION)
    body = client_for(sam).get(f"{API}?user_id={alice.pk}").json()
    assert [e["id"] for e in body["items"]] == [shared.pk]


def test_get_update_and_delete(placement, alice):
    entry = EntryFactory.create(placement=placement)
    client = client_for(alice)
    assert client.get(f"{API}/{entry.pk}").json()["title"] == entry.title
    response = send(
        client,
        "patch",
        f"{API}/{entry.pk}",
        {"title": "Renamed", "competencies": [{"competency": "reviews", "step": "l3"}]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Renamed"
    assert list(Signal.objects.values_list("competency", "step")) == [("reviews", "l3")]
    assert client.delete(f"{API}/{entry.pk}").status_code == 204
    assert not Signal.objects.exists()


def test_a_bad_patch_changes_nothing(placement, alice):
    entry = EntryFactory.create(placement=placement)
    response = send(
        client_for(alice),
        "patch",
        f"{API}/{entry.pk}",
        {"title": "Renamed", "happened_on": (TODAY + timedelta(days=9)).isoformat()},
    )
    assert response.status_code == 422
    assert error_path(response) == "body.happened_on"
    entry.refresh_from_db()
    assert entry.title != "Renamed"


def test_confirming_and_withdrawing(placement, alice, bob):
    entry = EntryFactory.create(placement=placement)
    client = client_for(bob)
    url = f"{API}/{entry.pk}/confirmations"
    response = send(client, "post", url, {"relation": "manager", "steps": {"shipping": "l3"}})
    assert response.status_code == 201, response.json()
    assert response.json()["by_name"] == "Bob"
    again = send(client, "post", url, {"relation": "manager", "steps": {"shipping": "l3"}})
    assert again.status_code == 409
    mine = send(client_for(alice), "post", url, {"relation": "peer", "steps": {"shipping": "l2"}})
    assert (mine.status_code, error_path(mine)) == (422, "body.by")
    wrong = Confirmation.objects.get()
    assert client.delete(f"{url}/{wrong.pk}").status_code == 204
    assert not Confirmation.objects.exists()


def test_a_confirmation_step_for_a_competency_not_on_the_entry_is_refused(placement, bob):
    entry = EntryFactory.create(placement=placement)
    response = send(
        client_for(bob),
        "post",
        f"{API}/{entry.pk}/confirmations",
        {"relation": "manager", "steps": {"reviews": "l2"}},
    )
    assert (response.status_code, error_path(response)) == (422, "body.steps")


def test_asking_to_confirm_and_answering_as_collaborator(placement, alice, bob, sam):
    entry = EntryFactory.create(placement=placement, collaborators=[sam])
    response = send(
        client_for(alice),
        "post",
        f"{API}/{entry.pk}/confirmation-requests",
        {"user_ids": [bob.pk]},
    )
    assert response.json() == {"asked": [bob.pk]}
    assert Notification.objects.filter(
        recipient=bob, kind="evidence.confirmation_requested"
    ).exists()
    answer = send(client_for(sam), "put", f"{API}/{entry.pk}/collaboration", {"accept": False})
    assert answer.json()["status"] == "declined"
    assert Collaborator.objects.get().status == CollaboratorStatus.DECLINED


def test_another_organization_gets_404_everywhere(placement, alice, eve):
    entry = EntryFactory.create(placement=placement, visibility=Tier.PUBLIC)
    client = client_for(eve)
    assert client.get(f"{API}/{entry.pk}").status_code == 404
    assert client.get(API).status_code == 404
    assert client.get(f"/api/v1/orgs/globex/evidence/{entry.pk}").status_code == 404
    assert send(client, "patch", f"{API}/{entry.pk}", {"title": "x"}).status_code == 404
    assert client.delete(f"{API}/{entry.pk}").status_code == 404
    confirm = {"relation": "peer", "steps": {"shipping": "l2"}}
    assert send(client, "post", f"{API}/{entry.pk}/confirmations", confirm).status_code == 404
    assert not Confirmation.objects.exists()


def test_a_reader_cannot_change_an_entry(placement, bob):
    entry = EntryFactory.create(placement=placement)
    client = client_for(bob)
    assert send(client, "patch", f"{API}/{entry.pk}", {"title": "x"}).status_code == 404
    assert client.delete(f"{API}/{entry.pk}").status_code == 404


def test_the_list_takes_the_same_queries_however_many_entries(
    placement, alice, bob, sam, django_assert_num_queries
):
    client = client_for(alice)
    for n in range(2):
        made = EntryFactory.create(placement=placement, title=f"E{n}", collaborators=[sam])
        send(
            client_for(bob),
            "post",
            f"{API}/{made.pk}/confirmations",
            {"relation": "manager", "steps": {"shipping": "l2"}},
        )
    client.get(API)
    # 1 session, 2 user, 3 membership of acme, 4 entries (with owner, placement, version,
    # objective), 5 confirmations (with who gave them), 6 collaborators (with accounts)
    with django_assert_num_queries(6):
        assert client.get(API).json()["count"] == 2
    EntryFactory.create(placement=placement, title="One more")
    with django_assert_num_queries(6):
        assert client.get(API).json()["count"] == 3

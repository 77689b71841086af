"""The packet API under /orgs/{slug}/packets: packets, their document and Markdown, and
share links."""

# The shared fixtures are imported by name, so tests naming them look like redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from upward.core.tokens import digest
from upward.evidence.models import Packet, ShareLink
from upward.evidence.services.packets import create_share_link, open_share_link
from upward.evidence.tests.test_packets_world import (  # noqa: F401 (fixtures)
    PAT_SAYS,
    SHIPPED,
    packet,
    pat,
    world,
)
from upward.testing import client_for

API = "/api/v1/orgs/acme/packets"


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json")


def error_path(response: Any) -> str:
    return response.json()["error"]["fields"][0]["path"]


def test_listing_gives_my_packets(packet, alice):
    response = client_for(alice).get(API)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["title"] == "Case for level 2"
    assert item["choices"] == {
        "entries": None,
        "quotes": None,
        "objectives": None,
        "anonymous": True,
    }


def test_creating_uses_the_current_placement_by_default(alice, placement, world):
    body = {"title": "My case", "choices": {"entries": [world["shipped"].pk], "anonymous": False}}

    response = send(client_for(alice), "post", API, body)

    assert response.status_code == 201, response.json()
    made = Packet.objects.get()
    assert made.placement == placement
    assert made.choices == {"entries": [world["shipped"].pk], "anonymous": False}
    assert response.json()["choices"]["entries"] == [world["shipped"].pk]


def test_creating_with_an_id_that_is_not_mine_names_it(alice, placement, world):
    body = {"title": "My case", "choices": {"quotes": [world["answer"].pk, 987654]}}

    response = send(client_for(alice), "post", API, body)

    assert response.status_code == 422
    assert error_path(response) == "body.choices.quotes[1]"
    assert not Packet.objects.exists()


def test_creating_without_a_placement_says_so(bob, acme):
    response = send(client_for(bob), "post", API, {"title": "My case"})

    assert response.status_code == 422
    assert error_path(response) == "body.placement_id"


def test_creating_on_someone_elses_placement_is_not_found(bob, placement):
    response = send(client_for(bob), "post", API, {"title": "Hers", "placement_id": placement.pk})

    assert response.status_code == 404


def test_getting_gives_the_document(packet, alice):
    response = client_for(alice).get(f"{API}/{packet.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["packet"]["id"] == packet.pk
    doc = body["document"]
    assert [s["key"] for s in doc["sections"]] == ["shipping", "reviews"]
    shipping = doc["sections"][0]
    assert shipping["proof"][0]["title"] == SHIPPED
    assert shipping["proof"][0]["confirmed"] is True
    assert shipping["proof"][0]["confirmed_by"] == [
        {"name": "Bob", "relation": "manager", "step": "L2"}
    ]
    assert shipping["quotes"][0]["text"] == PAT_SAYS
    assert doc["missing"][0]["key"] == "reviews"
    assert doc["readiness"] == 0.5


def test_updating_changes_what_is_given(packet, alice):
    response = send(
        client_for(alice),
        "patch",
        f"{API}/{packet.pk}",
        {"summary": "Why", "choices": {"quotes": []}},
    )

    assert response.status_code == 200
    packet.refresh_from_db()
    assert (packet.title, packet.summary, packet.choices) == (
        "Case for level 2",
        "Why",
        {"quotes": []},
    )


def test_deleting_removes_the_packet(packet, alice):
    response = client_for(alice).delete(f"{API}/{packet.pk}")

    assert response.status_code == 204
    assert not Packet.objects.exists()


def test_the_markdown_export_is_a_file(packet, alice):
    response = client_for(alice).get(f"{API}/{packet.pk}/markdown")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode().startswith("# Case for level 2")
    assert "attachment" in response["Content-Disposition"]


def test_a_share_link_is_made_listed_and_revoked(packet, alice, bob):
    client = client_for(alice)

    made = send(client, "post", f"{API}/{packet.pk}/links", {"days": 10, "label": "Panel"})

    assert made.status_code == 201
    body = made.json()
    assert ShareLink.objects.get().token_hash == digest(body["secret"])
    assert body["url"].endswith(f"/shared/{body['secret']}/")
    assert body["status"] == "live"
    open_share_link(secret=body["secret"], viewer=bob)
    open_share_link(secret=body["secret"], viewer=None)

    listed = client.get(f"{API}/{packet.pk}/links").json()
    assert [o["viewer"] for o in listed[0]["opens"]] == [None, "Bob"]
    assert "secret" not in listed[0]

    revoked = client.post(f"{API}/{packet.pk}/links/{body['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    again = client.post(f"{API}/{packet.pk}/links/{body['id']}/revoke")
    assert again.status_code == 409


@pytest.mark.parametrize("days", [0, 91])
def test_a_share_link_lives_one_to_ninety_days(packet, alice, days):
    response = send(client_for(alice), "post", f"{API}/{packet.pk}/links", {"days": days})

    assert response.status_code == 422
    assert not ShareLink.objects.exists()


def test_a_link_of_another_packet_is_not_found_under_this_one(packet, alice, placement):
    from upward.evidence.services.packets import create_packet

    other = create_packet(owner=alice, placement=placement, title="Another")
    link, _secret = create_share_link(packet=other, by=alice, days=7)

    response = client_for(alice).post(f"{API}/{packet.pk}/links/{link.pk}/revoke")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["bob", "maya", "eve"])
def test_nobody_but_the_owner_reaches_a_packet_through_the_api(packet, people, alice, who):
    link, _secret = create_share_link(packet=packet, by=alice, days=7)
    client = client_for(people[who])
    base = f"/api/v1/orgs/{'globex' if who == 'eve' else 'acme'}/packets/{packet.pk}"
    calls = [
        ("get", base, None),
        ("patch", base, {"title": "Mine"}),
        ("delete", base, None),
        ("get", base + "/markdown", None),
        ("get", base + "/links", None),
        ("post", base + "/links", {"days": 7}),
        ("post", base + f"/links/{link.pk}/revoke", None),
    ]
    for method, address, body in calls:
        assert send(client, method, address, body).status_code == 404, (method, address)
    assert Packet.objects.get().title == "Case for level 2"
    assert ShareLink.objects.get().revoked_at is None


def test_a_packet_is_not_found_under_another_organization(packet, alice, eve, globex):
    from upward.accounts.models import Membership

    Membership.objects.create(organization=globex, user=alice)

    response = client_for(alice).get(f"/api/v1/orgs/globex/packets/{packet.pk}")

    assert response.status_code == 404
    assert client_for(alice).get("/api/v1/orgs/globex/packets").json()["count"] == 0

"""The programmes API: the cycle, errors naming their field, and 404 for other
organizations and for members asking for the proposal.

The cohort is the one in test_programmes_services (its docstring tells the scores).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from upward.accounts.models import Organization, User
from upward.frameworks.models import FrameworkVersion
from upward.mentorship.models import Pair, Participant, Programme, Room
from upward.mentorship.services import programmes as services
from upward.mentorship.tests.test_programmes_services import World, cohort_world, open_one
from upward.testing import client_for

API = "/api/v1/orgs/acme"


@pytest.fixture
def world(acme: Organization, ladder: FrameworkVersion, ada: User) -> World:
    return cohort_world(acme, ladder, ada)


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def test_the_cycle_through_the_api(world: World, as_ada: Client) -> None:
    p = world.programme.pk
    proposal = post(as_ada, f"{API}/programmes/{p}/propose")
    assert proposal.status_code == 200
    body = proposal.json()
    assert body["total"] == pytest.approx(5.0)
    assert {(x["mentee"]["name"], x["mentor"]["name"]) for x in body["pairs"]} == {
        ("Ana", "Mia"),
        ("Ben", "Mo"),
    }
    ben = next(x for x in body["pairs"] if x["mentee"]["name"] == "Ben")
    assert ben["covers"][0]["name"] == "Shipping"
    assert ben["covers"][0]["mentor_step"] == "L3"
    assert ben["covers"][0]["basis"].startswith("Demonstrated at L3")

    gone = as_ada.delete(f"{API}/programme-pairs/{ben['id']}")
    assert gone.status_code == 204
    shown = as_ada.get(f"{API}/programmes/{p}/proposal").json()
    assert [u["mentee"]["name"] for u in shown["unmatched"]] == ["Ben"]
    assert shown["total"] == pytest.approx(2.0)

    added = post(
        as_ada, f"{API}/programmes/{p}/pairs", {"mentee_id": world.ben.pk, "mentor_id": world.mo.pk}
    )
    assert added.status_code == 201
    assert added.json()["origin"] == "admin"
    assert added.json()["score"] == pytest.approx(3.0)

    published = post(as_ada, f"{API}/programmes/{p}/publish")
    assert published.status_code == 200
    assert all(x["room_id"] for x in published.json()["pairs"])
    assert Room.objects.filter(programme=world.programme).count() == 2
    again = post(as_ada, f"{API}/programmes/{p}/publish")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    mine = client_for(world.ben).get(f"{API}/programmes/{p}").json()
    assert mine["my_role"] == "mentee"
    assert mine["my_match"]["mentor"]["name"] == "Mo"
    assert mine["my_match"]["room_id"] == Room.objects.get(mentee=world.ben).pk
    assert mine["my_mentees"] == []


def test_an_admin_opens_and_members_list_and_join(
    acme: Organization, as_ada: Client, alice: User, placement: Any
) -> None:
    made = post(
        as_ada,
        f"{API}/programmes",
        {"name": "Autumn", "starts_on": "2027-09-01", "ends_on": "2027-12-01"},
    )
    assert made.status_code == 201
    assert made.json()["status"] == "open"
    p = made.json()["id"]
    as_alice = client_for(alice)
    listed = as_alice.get(f"{API}/programmes").json()
    assert [x["name"] for x in listed["items"]] == ["Autumn"]
    joined = post(as_alice, f"{API}/programmes/{p}/join", {"role": "mentee"})
    assert joined.status_code == 201
    assert joined.json()["role"] == "mentee"
    twice = post(as_alice, f"{API}/programmes/{p}/join", {"role": "mentee"})
    assert twice.status_code == 409
    left = post(as_alice, f"{API}/programmes/{p}/leave")
    assert left.status_code == 204
    assert not Participant.objects.exists()


def test_bad_input_names_the_field(
    acme: Organization, ada: User, as_ada: Client, maya: User, maya_profile: Any
) -> None:
    dates = post(
        as_ada,
        f"{API}/programmes",
        {"name": "Backwards", "starts_on": "2027-09-01", "ends_on": "2027-08-01"},
    )
    assert dates.status_code == 422
    assert dates.json()["error"]["fields"][0]["path"] == "body.ends_on"
    programme = open_one(acme, ada)
    too_many = post(
        client_for(maya), f"{API}/programmes/{programme.pk}/join", {"role": "mentor", "capacity": 5}
    )
    assert too_many.status_code == 422
    assert too_many.json()["error"]["fields"][0]["path"] == "body.capacity"
    assert not Participant.objects.exists()
    assert Programme.objects.count() == 1


def test_a_pair_with_score_0_is_refused_on_mentor(world: World, ada: User, as_ada: Client) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    Pair.objects.filter(mentee=world.ana).delete()
    answer = post(
        as_ada,
        f"{API}/programmes/{world.programme.pk}/pairs",
        {"mentee_id": world.ben.pk, "mentor_id": world.mia.pk},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["path"] == "body.mentor"
    assert "score 0" in answer.json()["error"]["message"]


def test_members_get_404_for_the_proposal_and_its_changes(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    p, pair = world.programme.pk, Pair.objects.first()
    assert pair is not None
    as_ana = client_for(world.ana)
    assert as_ana.get(f"{API}/programmes/{p}/proposal").status_code == 404
    assert post(as_ana, f"{API}/programmes/{p}/propose").status_code == 404
    assert post(as_ana, f"{API}/programmes/{p}/publish").status_code == 404
    assert post(as_ana, f"{API}/programmes/{p}/close").status_code == 404
    body = {"mentee_id": world.ana.pk, "mentor_id": world.mo.pk}
    assert post(as_ana, f"{API}/programmes/{p}/pairs", body).status_code == 404
    assert as_ana.delete(f"{API}/programme-pairs/{pair.pk}").status_code == 404
    assert Pair.objects.count() == 2
    assert not Room.objects.exists()


def test_another_organization_gets_404_everywhere(world: World, ada: User, as_eve: Client) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    p, pair = world.programme.pk, Pair.objects.first()
    assert pair is not None
    for path in (f"{API}/programmes", f"{API}/programmes/{p}", f"{API}/programmes/{p}/proposal"):
        assert as_eve.get(path).status_code == 404, path
    for action in ("join", "leave", "propose", "publish", "close"):
        assert post(as_eve, f"{API}/programmes/{p}/{action}", {"role": "mentee"}).status_code == 404
    assert as_eve.delete(f"{API}/programme-pairs/{pair.pk}").status_code == 404
    # Eve is an admin of Globex: the programme is not found under her own organization either.
    assert as_eve.get(f"/api/v1/orgs/globex/programmes/{p}").status_code == 404
    assert as_eve.get(f"/api/v1/orgs/globex/programmes/{p}/proposal").status_code == 404
    assert as_eve.delete(f"/api/v1/orgs/globex/programme-pairs/{pair.pk}").status_code == 404
    assert Pair.objects.count() == 2

"""Your mentor profile, verification of offers and the mentorship settings in the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from upward.accounts.models import Organization, User
from upward.evidence.tests.factories import placed
from upward.mentorship.models import MentorProfile, MentorshipSettings, Offer
from upward.testing import client_for

PROFILE = "/api/v1/orgs/acme/mentor-profile"


def put(client: Client, url: str, body: dict[str, object]) -> Any:
    return client.put(url, body, content_type="application/json")


def test_a_mentor_puts_reads_and_deletes_her_profile(
    maya: User, as_maya: Client, acme: Organization, ladder
) -> None:
    placed(maya, acme, ladder, level="l2")
    assert as_maya.get(PROFILE).status_code == 404
    body = {
        "capacity": 3,
        "languages": ["en"],
        "offers": [{"competency": "shipping", "step": "l3"}],
    }
    saved = put(as_maya, PROFILE, body)
    assert saved.status_code == 200
    assert saved.json()["offers"][0]["basis_text"] == "Not verified yet"
    assert as_maya.get(PROFILE).json()["capacity"] == 3
    assert as_maya.delete(PROFILE).status_code == 204
    assert not MentorProfile.objects.exists()


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"capacity": -1}, "capacity"),
        ({"offers": [{"competency": "cooking", "step": "l1"}]}, "offers[0].competency"),
        ({"offers": [{"competency": "shipping", "step": "l7"}]}, "offers[0].step"),
    ],
)
def test_bad_profiles_answer_422_naming_the_field(
    maya: User, as_maya: Client, acme: Organization, ladder, body, path: str
) -> None:
    placed(maya, acme, ladder, level="l2")
    response = put(as_maya, PROFILE, body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"].endswith(path)
    assert not MentorProfile.objects.exists()


def test_an_admin_verifies_and_unverifies_in_the_api(
    maya_profile: MentorProfile, as_ada: Client, ada: User
) -> None:
    url = f"/api/v1/orgs/acme/mentors/{maya_profile.pk}/offers/shipping/verification"
    assert put(as_ada, url, {"basis": " "}).status_code == 422
    done = put(as_ada, url, {"basis": "Ran the release train"})
    assert done.status_code == 200
    assert done.json()["offers"][0]["basis"] == "verified"
    assert Offer.objects.get().verified_by == ada
    assert as_ada.delete(url).status_code == 204
    assert as_ada.delete(url).status_code == 409
    missing = f"/api/v1/orgs/acme/mentors/{maya_profile.pk}/offers/reviews/verification"
    assert put(as_ada, missing, {"basis": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob", "maya", "eve"])
def test_only_admins_and_staff_verify_in_the_api(maya_profile, people, who: str) -> None:
    url = f"/api/v1/orgs/acme/mentors/{maya_profile.pk}/offers/shipping/verification"
    assert put(client_for(people[who]), url, {"basis": "Me"}).status_code == 404
    assert Offer.objects.get().verified_at is None


def test_settings_in_the_api_are_for_admins(as_ada: Client, as_alice: Client, acme) -> None:
    url = "/api/v1/orgs/acme/mentorship-settings"
    assert as_ada.get(url).json() == {"allow_outside_mentors": False}
    assert put(as_ada, url, {"allow_outside_mentors": True}).json() == {
        "allow_outside_mentors": True
    }
    assert as_alice.get(url).status_code == 404
    assert put(as_alice, url, {"allow_outside_mentors": False}).status_code == 404
    assert MentorshipSettings.objects.get(organization=acme).allow_outside_mentors

"""The profile page, verification by admins and site staff, and the settings page: forms
that work without JavaScript, errors in place, 404 for whoever may not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from upward.accounts.models import Organization, User
from upward.evidence.tests.factories import placed
from upward.mentorship.models import MentorProfile, MentorshipSettings, Offer
from upward.mentorship.tests.factories import RoomFactory
from upward.testing import client_for, make_user, page

EDIT = reverse("mentorship:profile_edit")


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "bio": "Shipped the billing rewrite.",
        "capacity": "2",
        "cadence": "fortnightly",
        "time_zone": "Europe/Paris",
        "languages": "en, fr",
        "reach": "organization",
        "visibility": "organization",
        "accepting": "on",
        "offer_0_competency": "shipping",
        "offer_0_step": "l3",
    }
    data.update(changes)
    return data


@pytest.fixture
def placed_maya(maya: User, acme: Organization, ladder) -> User:
    placed(maya, acme, ladder, level="l2")
    return maya


def test_a_mentor_creates_a_profile_from_the_form(placed_maya: User, as_maya: Client) -> None:
    shown = page(as_maya, EDIT)
    assert "Offer to mentor" in shown.words
    response = as_maya.post(EDIT, form_data())
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=placed_maya)
    assert profile.languages == ["en", "fr"]
    assert list(profile.offers.values_list("competency", "step")) == [("shipping", "l3")]
    again = page(as_maya, EDIT)
    assert "Not verified yet" in again.words
    assert "Shipping up to L3" in again.words


def test_a_bad_offer_is_shown_on_its_own_row(placed_maya: User, as_maya: Client) -> None:
    data = form_data(offer_1_competency="shipping", offer_1_step="l2")
    response = as_maya.post(EDIT, data)
    assert response.status_code == 422
    assert "offered twice" in response.content.decode()
    assert response.context["form"].errors["offer_1_competency"]
    assert not MentorProfile.objects.exists()


def test_a_negative_capacity_is_shown_on_the_capacity_field(
    placed_maya: User, as_maya: Client
) -> None:
    response = as_maya.post(EDIT, form_data(capacity="-2"))
    assert response.status_code == 422
    assert response.context["form"].errors["capacity"] == ["Capacity can't be negative."]


def test_deleting_asks_first_and_is_refused_while_mentoring(
    placed_maya: User, as_maya: Client, alice: User, acme: Organization
) -> None:
    as_maya.post(EDIT, form_data())
    url = reverse("mentorship:profile_delete")
    assert "Delete your mentor profile?" in page(as_maya, url).words
    RoomFactory.create(mentor=placed_maya, mentee=alice, organization=acme)
    refused = as_maya.post(url)
    assert refused.status_code == 409
    assert MentorProfile.objects.exists()


def test_deleting_without_a_profile_is_404(as_alice: Client) -> None:
    assert as_alice.post(reverse("mentorship:profile_delete")).status_code == 404


# --- Verification -----------------------------------------------------------------------


def test_an_admin_verifies_an_offer_with_a_basis(
    maya_profile: MentorProfile, as_ada: Client, ada: User
) -> None:
    url = reverse("mentorship:verify", args=[maya_profile.pk])
    assert "Not verified yet" in page(as_ada, url).words
    missing = as_ada.post(url, {"competency": "shipping", "action": "verify", "basis": ""})
    assert missing.status_code == 422
    assert Offer.objects.get().verified_at is None
    done = as_ada.post(
        url, {"competency": "shipping", "action": "verify", "basis": "Led the guild"}
    )
    assert done.status_code == 302
    offer = Offer.objects.get()
    assert (offer.verified_by, offer.verified_basis) == (ada, "Led the guild")
    assert "Verified by Ada on" in page(as_ada, url).words
    as_ada.post(url, {"competency": "shipping", "action": "remove"})
    assert Offer.objects.get().verified_at is None


def test_site_staff_verify_offers_of_any_organization(maya_profile: MentorProfile) -> None:
    staff = make_user("staff@upward.test", "Staff")
    staff.is_staff = True
    staff.save()
    url = reverse("mentorship:verify", args=[maya_profile.pk])
    client_for(staff).post(url, {"competency": "shipping", "action": "verify", "basis": "Known"})
    assert Offer.objects.get().verified_by == staff


@pytest.mark.parametrize("who", ["alice", "bob", "maya", "eve"])
def test_nobody_else_verifies(maya_profile: MentorProfile, people, who: str) -> None:
    client = client_for(people[who])
    url = reverse("mentorship:verify", args=[maya_profile.pk])
    assert client.get(url).status_code == 404
    data = {"competency": "shipping", "action": "verify", "basis": "Me"}
    assert client.post(url, data).status_code == 404
    assert Offer.objects.get().verified_at is None


# --- Settings ---------------------------------------------------------------------------


def test_an_admin_lets_members_find_outside_mentors(as_ada: Client, acme: Organization) -> None:
    url = reverse("mentorship:settings")
    assert "Mentorship settings" in page(as_ada, url).words
    assert as_ada.post(url, {"allow_outside_mentors": "on"}).status_code == 302
    assert MentorshipSettings.objects.get(organization=acme).allow_outside_mentors


@pytest.mark.parametrize("who", ["alice", "bob", "maya"])
def test_only_admins_change_the_settings(people, who: str) -> None:
    client = client_for(people[who])
    url = reverse("mentorship:settings")
    assert client.get(url).status_code == 404
    assert client.post(url, {"allow_outside_mentors": "on"}).status_code == 404
    assert not MentorshipSettings.objects.exists()


def test_a_competency_without_a_step_is_shown_on_its_step(
    placed_maya: User, as_maya: Client
) -> None:
    response = as_maya.post(EDIT, form_data(offer_0_step=""))
    assert response.status_code == 422
    assert response.context["form"].errors["offer_0_step"] == ["Pick the step you mentor towards."]

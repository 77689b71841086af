"""Saving, deleting and verifying mentor profiles, and the organization's settings:
bad input names its field and writes nothing."""

from __future__ import annotations

import pytest

from upward.accounts.models import Organization, User
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.models import AuditEvent
from upward.evidence.tests.factories import placed
from upward.frameworks.models import FrameworkVersion
from upward.mentorship.models import MentorProfile, MentorshipSettings, Offer
from upward.mentorship.services import (
    OfferIn,
    delete_profile,
    save_profile,
    unverify_offer,
    update_settings,
    verify_offer,
)
from upward.mentorship.tests.factories import RoomFactory


@pytest.fixture
def placed_maya(maya: User, acme: Organization, ladder: FrameworkVersion) -> User:
    placed(maya, acme, ladder, level="l2")
    return maya


def save(user: User, org: Organization, **changes: object) -> MentorProfile:
    given: dict[str, object] = {"offers": [OfferIn("shipping", "l3")], **changes}
    return save_profile(user=user, organization=org, **given)  # type: ignore[arg-type]


def test_a_mentor_saves_a_profile_with_offers(placed_maya: User, acme: Organization) -> None:
    profile = save(
        placed_maya,
        acme,
        capacity=3,
        languages=["EN", "fr", "en"],
        time_zone="Europe/Paris",
        offers=[OfferIn("shipping", "l3"), OfferIn("reviews", "l2")],
    )
    assert profile.capacity == 3
    assert profile.languages == ["en", "fr"]
    assert [(o.competency, o.step) for o in profile.offers.all()] == [
        ("shipping", "l3"),
        ("reviews", "l2"),
    ]
    assert AuditEvent.objects.filter(code=AuditCode.MENTORSHIP_PROFILE_CREATED).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": 51}, "capacity"),
        ({"cadence": "daily"}, "cadence"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"visibility": "private"}, "visibility"),
        ({"reach": "everyone"}, "reach"),
        ({"languages": ["english!"]}, "languages"),
        ({"offers": [OfferIn("shipping", "l3"), OfferIn("cooking", "l2")]}, "offers[1].competency"),
        ({"offers": [OfferIn("shipping", "l9")]}, "offers[0].step"),
        (
            {"offers": [OfferIn("shipping", "l2"), OfferIn("shipping", "l3")]},
            "offers[1].competency",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    placed_maya: User, acme: Organization, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as raised:
        save(placed_maya, acme, **changes)
    assert raised.value.field == field
    assert not MentorProfile.objects.exists()
    assert not Offer.objects.exists()


def test_capacity_below_the_current_mentees_is_refused(
    placed_maya: User, acme: Organization, alice: User, sam: User
) -> None:
    profile = save(placed_maya, acme, capacity=2)
    RoomFactory.create(mentor=placed_maya, mentee=alice, organization=acme)
    RoomFactory.create(mentor=placed_maya, mentee=sam, organization=acme)
    with pytest.raises(Invalid) as raised:
        save(placed_maya, acme, capacity=1, bio="Changed")
    assert raised.value.field == "capacity"
    assert "2" in raised.value.message
    profile.refresh_from_db()
    assert (profile.capacity, profile.bio) == (2, "")


def test_offers_need_a_placement(maya: User, acme: Organization, ladder) -> None:
    with pytest.raises(Invalid) as raised:
        save(maya, acme)
    assert raised.value.field == "offers[0].competency"
    assert save(maya, acme, offers=[]).offers.count() == 0


def test_a_verified_offer_keeps_its_verification_at_the_same_step_only(
    placed_maya: User, acme: Organization, ada: User
) -> None:
    profile = save(placed_maya, acme, offers=[OfferIn("shipping", "l3"), OfferIn("reviews", "l2")])
    for offer in profile.offers.all():
        verify_offer(offer=offer, by=ada, basis="Ran the release train for a year")
    save(placed_maya, acme, offers=[OfferIn("shipping", "l3"), OfferIn("reviews", "l3")])
    kept = {o.competency: o for o in profile.offers.all()}
    assert kept["shipping"].verified_by == ada
    assert kept["reviews"].verified_at is None
    assert kept["reviews"].verified_basis == ""


def test_dropping_an_offer_deletes_it(placed_maya: User, acme: Organization) -> None:
    profile = save(placed_maya, acme, offers=[OfferIn("shipping", "l3"), OfferIn("reviews", "l2")])
    save(placed_maya, acme, offers=[OfferIn("reviews", "l2")])
    assert [o.competency for o in profile.offers.all()] == ["reviews"]


def test_a_verification_needs_a_basis(placed_maya: User, acme: Organization, ada: User) -> None:
    offer = save(placed_maya, acme).offers.get()
    with pytest.raises(Invalid) as raised:
        verify_offer(offer=offer, by=ada, basis="   ")
    assert raised.value.field == "basis"
    offer.refresh_from_db()
    assert offer.verified_at is None


def test_a_verification_is_recorded_and_removed_with_the_audit(
    placed_maya: User, acme: Organization, ada: User
) -> None:
    offer = save(placed_maya, acme).offers.get()
    verify_offer(offer=offer, by=ada, basis="Led the payments guild")
    offer.refresh_from_db()
    assert (offer.verified_by, offer.verified_basis) == (ada, "Led the payments guild")
    unverify_offer(offer=offer, by=ada)
    offer.refresh_from_db()
    assert offer.verified_at is None
    with pytest.raises(Conflict):
        unverify_offer(offer=offer, by=ada)
    codes = list(AuditEvent.objects.filter(organization=acme).values_list("code", flat=True))
    assert AuditCode.MENTORSHIP_OFFER_VERIFIED in codes
    assert AuditCode.MENTORSHIP_OFFER_UNVERIFIED in codes


def test_a_profile_is_not_deleted_while_its_mentor_has_active_rooms(
    placed_maya: User, acme: Organization, alice: User
) -> None:
    profile = save(placed_maya, acme)
    room = RoomFactory.create(mentor=placed_maya, mentee=alice, organization=acme, profile=profile)
    with pytest.raises(Conflict):
        delete_profile(profile=profile, by=placed_maya)
    assert MentorProfile.objects.filter(pk=profile.pk).exists()
    room.status = "ended"
    room.save()
    delete_profile(profile=profile, by=placed_maya)
    assert not MentorProfile.objects.filter(pk=profile.pk).exists()


def test_settings_are_saved_once_per_organization(acme: Organization, ada: User) -> None:
    update_settings(organization=acme, by=ada, allow_outside_mentors=True)
    update_settings(organization=acme, by=ada, allow_outside_mentors=False)
    assert list(MentorshipSettings.objects.values_list("allow_outside_mentors", flat=True)) == [
        False
    ]

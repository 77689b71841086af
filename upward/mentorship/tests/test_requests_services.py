"""Asking a mentor, and the mentor's answer: who may be asked, accepting opens the room,
each side is told, and bad input writes nothing."""

from __future__ import annotations

import pytest

from upward.accounts.models import Organization, User
from upward.core.errors import Conflict, Invalid
from upward.mentorship.models import (
    MentorProfile,
    MentorshipRequest,
    RequestStatus,
    Room,
    RoomStatus,
)
from upward.mentorship.services import (
    accept_request,
    decline_request,
    send_request,
    withdraw_request,
)
from upward.mentorship.tests.factories import OfferFactory, ProfileFactory, RoomFactory
from upward.notifications.models import Notification


def ask(mentee: User, org: Organization, profile: MentorProfile, **kw: object) -> MentorshipRequest:
    return send_request(mentee=mentee, organization=org, profile=profile, **kw)  # type: ignore[arg-type]


def test_a_member_asks_a_mentor_who_is_told(
    alice: User, acme: Organization, maya_profile: MentorProfile, maya: User, placement
) -> None:
    made = ask(alice, acme, maya_profile, message="Help me ship", competencies=["shipping"])
    assert made.status == RequestStatus.PENDING
    assert made.competencies == ["shipping"]
    told = Notification.objects.get(recipient=maya)
    assert told.kind == "mentorship.request_received"
    assert told.title == "Alice asks you to mentor them"


def test_asking_her_own_manager_is_refused_on_mentor(
    alice: User, acme: Organization, bob: User
) -> None:
    profile = ProfileFactory.create(user=bob, organization=acme)
    with pytest.raises(Invalid) as raised:
        ask(alice, acme, profile)
    assert raised.value.field == "mentor"
    assert not MentorshipRequest.objects.exists()
    assert not Notification.objects.exists()


def test_asking_oneself_is_refused_on_mentor(maya: User, acme, maya_profile) -> None:
    with pytest.raises(Invalid) as raised:
        ask(maya, acme, maya_profile)
    assert raised.value.field == "mentor"
    assert not MentorshipRequest.objects.exists()


def test_a_full_or_paused_mentor_is_a_conflict(
    alice: User, sam: User, acme: Organization, maya: User, maya_profile: MentorProfile
) -> None:
    maya_profile.capacity = 1
    maya_profile.save()
    RoomFactory.create(mentor=maya, mentee=sam, organization=acme)
    with pytest.raises(Conflict, match="no place open"):
        ask(alice, acme, maya_profile)
    maya_profile.capacity = 2
    maya_profile.accepting = False
    maya_profile.save()
    with pytest.raises(Conflict, match="not taking new mentees"):
        ask(alice, acme, maya_profile)
    assert not MentorshipRequest.objects.exists()


def test_a_second_request_while_one_waits_is_a_conflict(
    alice: User, acme: Organization, maya_profile: MentorProfile
) -> None:
    ask(alice, acme, maya_profile)
    with pytest.raises(Conflict):
        ask(alice, acme, maya_profile)
    assert MentorshipRequest.objects.count() == 1


def test_unknown_competencies_are_refused_by_position(
    alice: User, acme: Organization, maya_profile: MentorProfile, placement
) -> None:
    with pytest.raises(Invalid) as raised:
        ask(alice, acme, maya_profile, competencies=["shipping", "juggling"])
    assert raised.value.field == "competencies[1]"
    assert not MentorshipRequest.objects.exists()


def test_accepting_opens_the_room_at_the_profiles_cadence_and_tells_the_mentee(
    alice: User, acme: Organization, maya: User, maya_profile: MentorProfile
) -> None:
    maya_profile.cadence = "weekly"
    maya_profile.save()
    made = ask(alice, acme, maya_profile)
    room = accept_request(request=made, by=maya)
    assert (room.mentor, room.mentee, room.organization) == (maya, alice, acme)
    assert (room.cadence, room.profile, room.status) == ("weekly", maya_profile, RoomStatus.ACTIVE)
    made.refresh_from_db()
    assert made.status == RequestStatus.ACCEPTED
    assert made.decided_at is not None
    told = Notification.objects.get(recipient=alice)
    assert told.kind == "mentorship.request_answered"
    assert told.url == f"/mentoring/rooms/{room.pk}/"
    with pytest.raises(Conflict):
        accept_request(request=made, by=maya)
    assert Room.objects.count() == 1


def test_accepting_when_full_is_a_conflict_and_opens_nothing(
    alice: User, sam: User, acme: Organization, maya: User, maya_profile: MentorProfile
) -> None:
    made = ask(alice, acme, maya_profile)
    maya_profile.capacity = 1
    maya_profile.save()
    RoomFactory.create(mentor=maya, mentee=sam, organization=acme)
    with pytest.raises(Conflict):
        accept_request(request=made, by=maya)
    made.refresh_from_db()
    assert made.status == RequestStatus.PENDING
    assert Room.objects.count() == 1


def test_declining_tells_the_mentee_the_reason(
    alice: User, acme: Organization, maya: User, maya_profile: MentorProfile
) -> None:
    made = ask(alice, acme, maya_profile)
    decline_request(request=made, by=maya, reason="Away until spring")
    made.refresh_from_db()
    assert (made.status, made.decline_reason) == (RequestStatus.DECLINED, "Away until spring")
    told = Notification.objects.get(recipient=alice)
    assert told.body == "Away until spring"
    assert not Room.objects.exists()


def test_a_withdrawn_request_can_be_sent_again(
    alice: User, acme: Organization, maya_profile: MentorProfile
) -> None:
    made = ask(alice, acme, maya_profile)
    withdraw_request(request=made, by=alice)
    with pytest.raises(Conflict):
        withdraw_request(request=made, by=alice)
    again = ask(alice, acme, maya_profile)
    assert again.pk != made.pk


def test_an_outside_mentor_is_asked_from_the_mentees_organization(
    alice: User, acme: Organization, eve: User, globex: Organization
) -> None:
    profile = ProfileFactory.create(user=eve, organization=globex, reach="anyone")
    OfferFactory.create(profile=profile)
    made = ask(alice, acme, profile)
    room = accept_request(request=made, by=eve)
    assert room.organization == acme

"""Who reaches profiles, offers to verify and requests, as matrices (404 for the rest)."""

from __future__ import annotations

from functools import partial

import pytest

from upward.accounts.models import Organization, User
from upward.mentorship.access import (
    access_mentorship_request,
    access_offer_to_verify,
    access_own_profile,
    access_profile,
    access_profile_to_verify,
)
from upward.mentorship.models import MentorProfile, MentorshipRequest
from upward.mentorship.services import send_request
from upward.testing import allowed


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", True), ("bob", True), ("maya", True), ("ada", True), ("eve", False)],
)
def test_who_reads_a_profile_from_acme(
    maya_profile: MentorProfile, acme: Organization, people, who: str, expected: bool
) -> None:
    assert allowed(lambda: access_profile(people[who], maya_profile.pk, acme)) is expected


def test_a_profile_is_not_read_through_an_organization_one_is_not_in(
    maya_profile: MentorProfile, eve: User, globex: Organization, alice: User
) -> None:
    assert not allowed(lambda: access_profile(alice, maya_profile.pk, globex))
    assert not allowed(lambda: access_profile(eve, maya_profile.pk, globex))


def test_only_its_owner_has_it_as_their_own(
    maya_profile: MentorProfile, acme: Organization, people
) -> None:
    owners = [
        name for name, user in people.items() if allowed(partial(access_own_profile, user, acme))
    ]
    assert owners == ["maya"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", False), ("bob", False), ("maya", False), ("ada", True), ("eve", False)],
)
def test_who_verifies(maya_profile: MentorProfile, people, who: str, expected: bool) -> None:
    assert allowed(lambda: access_profile_to_verify(people[who], maya_profile.pk)) is expected
    assert (
        allowed(lambda: access_offer_to_verify(people[who], maya_profile.pk, "shipping"))
        is expected
    )


@pytest.mark.parametrize(
    ("who", "read", "as_mentor", "as_mentee"),
    [
        ("alice", True, False, True),
        ("maya", True, True, False),
        ("bob", False, False, False),
        ("ada", False, False, False),
        ("eve", False, False, False),
    ],
)
def test_who_reads_and_answers_a_request(
    alice: User,
    acme: Organization,
    maya_profile: MentorProfile,
    people,
    who: str,
    read: bool,
    as_mentor: bool,
    as_mentee: bool,
) -> None:
    made: MentorshipRequest = send_request(mentee=alice, organization=acme, profile=maya_profile)
    user = people[who]
    assert allowed(lambda: access_mentorship_request(user, made.pk)) is read
    assert allowed(lambda: access_mentorship_request(user, made.pk, as_mentor=True)) is as_mentor
    assert allowed(lambda: access_mentorship_request(user, made.pk, as_mentee=True)) is as_mentee


def test_a_visitor_reaches_nothing(maya_profile: MentorProfile, acme: Organization, people) -> None:
    visitor = people["anonymous"]
    assert not allowed(lambda: access_profile(visitor, maya_profile.pk, acme))
    assert not allowed(lambda: access_profile_to_verify(visitor, maya_profile.pk))
    assert not allowed(lambda: access_own_profile(visitor, acme))

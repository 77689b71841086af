"""The directory of mentors, on the page and in the API: who is listed (their
organization, and outside mentors only where allowed), the filters, pages of 20, and
a query budget that does not grow with the number of mentors."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from upward.accounts.models import Membership, Organization, User
from upward.evidence.tests.factories import placed
from upward.mentorship.models import MentorProfile, MentorshipSettings, Reach
from upward.mentorship.selectors import DirectoryFilters, DirectoryPage, directory
from upward.mentorship.tests.factories import OfferFactory, ProfileFactory, RoomFactory
from upward.mentorship.tests.test_matching_selectors import member, mentor
from upward.testing import client_for, page

URL = reverse("mentorship:directory")


def names(found: DirectoryPage) -> list[str]:
    return [c.profile.user.display_name for c in found.cards]


def offering(user: User, org: Organization, **fields: object) -> MentorProfile:
    """A profile offering `shipping` to l2, unverified."""
    profile = ProfileFactory.create(user=user, organization=org, **fields)
    OfferFactory.create(profile=profile, competency="shipping", step="l2")
    return profile


@pytest.fixture
def outsider(globex: Organization, eve: User) -> MentorProfile:
    return offering(eve, globex, reach=Reach.ANYONE, visibility="public")


def test_a_member_finds_her_organizations_mentors(
    alice: User, acme: Organization, maya: User, sam: User, outsider: MentorProfile
) -> None:
    offering(maya, acme)
    offering(sam, acme, visibility="public")
    assert names(directory(alice, acme, DirectoryFilters())) == ["Maya", "Sam"]


@pytest.mark.parametrize(
    ("reach", "visibility", "allowed", "listed"),
    [
        (Reach.ANYONE, "public", True, True),
        (Reach.ANYONE, "public", False, False),
        (Reach.ANYONE, "organization", True, False),
        (Reach.ORGANIZATION, "public", True, False),
    ],
)
def test_outside_mentors_are_listed_only_when_both_sides_allow_it(
    alice: User,
    acme: Organization,
    eve: User,
    globex: Organization,
    ada: User,
    reach: str,
    visibility: str,
    allowed: bool,
    listed: bool,
) -> None:
    profile = offering(eve, globex, reach=reach, visibility=visibility)
    MentorshipSettings.objects.create(organization=acme, allow_outside_mentors=allowed)
    found = directory(alice, acme, DirectoryFilters())
    assert names(found) == (["Eve"] if listed else [])
    assert bool(found.cards) == listed
    if listed:
        assert found.cards[0].outside
    url = reverse("mentorship:mentor", args=[profile.pk])
    status = 200 if listed else 404
    assert Client().get(url).status_code == 302  # sign in first
    assert client_for(alice).get(url).status_code == status


def test_a_personal_space_finds_outside_mentors(alice: User, outsider: MentorProfile) -> None:
    personal = Organization.objects.get(memberships__user=alice, is_personal=True)
    assert names(directory(alice, personal, DirectoryFilters())) == ["Eve"]


def test_a_mentor_who_left_their_organization_is_not_listed(
    alice: User, acme: Organization, maya: User
) -> None:
    offering(maya, acme)
    Membership.objects.filter(user=maya, organization=acme).delete()
    assert names(directory(alice, acme, DirectoryFilters())) == []


def test_the_filters(
    alice: User, acme: Organization, ladder, maya: User, sam: User, bob: User
) -> None:
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    alice.time_zone = "Europe/Berlin"
    alice.save()
    verified = mentor(maya, acme, ladder, peers, shipping="l3")  # Europe/London, en
    far = offering(sam, acme, time_zone="Asia/Tokyo", languages=["ja", "en"], capacity=1)
    RoomFactory.create(mentor=sam, mentee=bob, organization=acme)  # Sam is full
    placed(bob, acme, ladder)
    reviews = ProfileFactory.create(user=bob, organization=acme)
    OfferFactory.create(profile=reviews, competency="reviews", step="l3")

    def listed(**given: object) -> list[str]:
        return names(directory(alice, acme, DirectoryFilters(**given)))  # type: ignore[arg-type]

    assert listed() == ["Bob", "Maya", "Sam"]
    assert listed(competency="shipping") == ["Maya", "Sam"]
    assert listed(competency="shipping", step="l3") == ["Maya"]
    assert listed(competency="reviews", step="l2") == ["Bob"]
    assert listed(verified=True) == ["Maya"]
    assert listed(competency="reviews", verified=True) == []
    assert listed(overlap=6) == ["Bob", "Maya"]
    assert listed(language="ja") == ["Sam"]
    assert listed(open_only=True) == ["Bob", "Maya"]
    assert verified.pk in [c.profile.pk for c in directory(alice, acme, DirectoryFilters()).cards]
    assert far.capacity == 1


def test_the_page_shows_badges_with_their_basis_and_filters_by_the_query(
    alice: User, as_alice: Client, acme: Organization, ladder, maya: User, sam: User
) -> None:
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    placed(alice, acme, ladder)
    mentor(maya, acme, ladder, peers, shipping="l3")
    offering(sam, acme, languages=["pt"])
    shown = page(as_alice, URL)
    assert "Demonstrated at L3: 2 independent signals" in shown.words
    assert "2 places open" in shown.words
    assert "Sam" in shown.words
    filtered = page(as_alice, URL + "?verified=on&competency=shipping")
    assert "Maya" in filtered.words
    assert "Sam" not in filtered.words


def test_pages_of_twenty_keep_the_filters(
    alice: User, as_alice: Client, acme: Organization
) -> None:
    for i in range(23):
        offering(member(acme, f"m{i:02}@acme.test", f"Mentor {i:02}"), acme)
    first = directory(alice, acme, DirectoryFilters())
    assert len(first.cards) == 20
    second = directory(alice, acme, DirectoryFilters(), page=2)
    assert names(second) == ["Mentor 20", "Mentor 21", "Mentor 22"]
    shown = page(as_alice, URL + "?language=en")
    assert 'href="?language=en&page=2"' in shown.html  # the page keeps the filters
    assert "Page 1 of 2" in shown.words


def many(acme: Organization, ladder, peers: list[User], start: int, count: int) -> None:
    """Mentors: every other one placed and demonstrating what they offer."""
    for i in range(start, start + count):
        user = member(acme, f"m{i}@acme.test", f"Mentor {i}")
        if i % 2:
            mentor(user, acme, ladder, peers, shipping="l3")
        else:
            offering(user, acme, capacity=3)


def test_the_page_costs_the_same_queries_for_any_number_of_mentors(
    alice: User, as_alice: Client, acme: Organization, ladder, django_assert_num_queries
) -> None:
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    placed(alice, acme, ladder)
    many(acme, ladder, peers, 0, 2)
    # session, user, membership (current organization), the viewer's placement; then
    # settings, profiles, offers, placements, signals, answers, rooms, ratings; the
    # base template's organizations and unread notifications
    with django_assert_num_queries(14):
        as_alice.get(URL)
    many(acme, ladder, peers, 2, 6)
    with django_assert_num_queries(14):
        shown = page(as_alice, URL)
    assert shown.words.count("Demonstrated at L3") == 4


def test_the_api_lists_the_same_mentors_in_the_same_queries(
    alice: User, as_alice: Client, acme: Organization, ladder, django_assert_num_queries
) -> None:
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    many(acme, ladder, peers, 0, 2)
    url = "/api/v1/orgs/acme/mentors"
    # session, user, membership; settings, profiles, offers, placements, signals,
    # answers, rooms, ratings
    with django_assert_num_queries(11):
        first = as_alice.get(url).json()
    many(acme, ladder, peers, 2, 6)
    with django_assert_num_queries(11):
        body = as_alice.get(url + "?verified=true").json()
    assert first["count"] == 2
    assert body["count"] == 4
    assert body["items"][0]["offers"][0]["basis"] == "demonstrated"
    assert body["items"][0]["rating"] == {"count": 0, "mean": None}


def test_the_api_validates_its_filters(as_alice: Client, alice: User) -> None:
    response = as_alice.get("/api/v1/orgs/acme/mentors?overlap=-1")
    assert response.status_code == 422


def test_another_organizations_directory_is_404(as_eve: Client, acme: Organization) -> None:
    assert as_eve.get("/api/v1/orgs/acme/mentors").status_code == 404
    assert as_eve.get("/api/v1/orgs/acme/mentor-matches").status_code == 404


def test_a_hidden_mentor_is_404_in_the_api(
    as_alice: Client, alice: User, eve: User, globex: Organization
) -> None:
    profile = offering(eve, globex)
    assert as_alice.get(f"/api/v1/orgs/acme/mentors/{profile.pk}").status_code == 404
    assert as_alice.get(f"/api/v1/orgs/globex/mentors/{profile.pk}").status_code == 404

"""One member's matches on the page and in the API: ranked with reasons, never her own
manager, filtered by language, in a query budget that does not grow with the mentors."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from upward.accounts.models import Organization, User
from upward.assessments.models import Placement
from upward.assessments.tests.factories import SignalFactory
from upward.mentorship.tests.test_matching_selectors import member, mentor
from upward.testing import page

URL = reverse("mentorship:matches")


def with_gaps(placement: Placement) -> None:
    SignalFactory.create(placement=placement, competency="shipping", step="l1")
    SignalFactory.create(placement=placement, competency="reviews", step="l1")


def test_the_page_ranks_mentors_with_the_reason_and_leaves_out_her_manager(
    as_alice: Client,
    placement: Placement,
    acme: Organization,
    ladder,
    maya: User,
    bob: User,
    sam: User,
) -> None:
    with_gaps(placement)
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    mentor(bob, acme, ladder, peers, shipping="l3", reviews="l3")
    mentor(maya, acme, ladder, peers, reviews="l3")
    mentor(sam, acme, ladder, peers, shipping="l3")
    shown = page(as_alice, URL)
    assert "Covers your top gap Shipping: demonstrated at L3" in shown.words
    assert "Covers your top gap Reviews: demonstrated at L3" in shown.words
    assert shown.words.index("Sam") < shown.words.index("Maya")
    assert "Bob" not in shown.words.split("Mentors for your gaps")[1]


def test_the_page_asks_an_unplaced_member_to_place_herself(as_alice: Client, alice) -> None:
    assert "Place yourself on a framework first" in page(as_alice, URL).words


def test_the_api_ranks_and_filters_by_language(
    as_alice: Client, placement: Placement, acme: Organization, ladder, maya: User, sam: User
) -> None:
    with_gaps(placement)
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    mentor(maya, acme, ladder, peers, shipping="l3", reviews="l3")
    french = mentor(sam, acme, ladder, peers, reviews="l3")
    french.languages = ["fr"]
    french.save()
    body = as_alice.get("/api/v1/orgs/acme/mentor-matches").json()
    assert [(m["mentor"]["mentor"]["name"], m["score"]) for m in body] == [
        ("Maya", 2.5),
        ("Sam", 1.0),
    ]
    assert body[0]["covers"] == ["shipping", "reviews"]
    assert body[0]["reason"] == "Covers your top gaps Shipping and Reviews: demonstrated at L3"
    only = as_alice.get("/api/v1/orgs/acme/mentor-matches?language=fr").json()
    assert [m["mentor"]["mentor"]["name"] for m in only] == ["Sam"]


def test_the_page_costs_the_same_queries_for_any_number_of_mentors(
    as_alice: Client,
    placement: Placement,
    acme: Organization,
    ladder,
    django_assert_num_queries,
) -> None:
    with_gaps(placement)
    peers = [member(acme, f"p{i}@acme.test", f"Peer {i}") for i in range(2)]
    for i in range(2):
        mentor(member(acme, f"m{i}@acme.test", f"Mentor {i}"), acme, ladder, peers, shipping="l3")
    # session, user, membership; the member's placement, signals, answers, managers;
    # settings, profiles, offers, the mentors' placements, signals, answers, rooms; the
    # base template's organizations and unread notifications
    with django_assert_num_queries(16):
        as_alice.get(URL)
    for i in range(2, 7):
        mentor(member(acme, f"m{i}@acme.test", f"Mentor {i}"), acme, ladder, peers, shipping="l3")
    with django_assert_num_queries(16):
        shown = page(as_alice, URL)
    assert shown.words.count("Covers your top gap Shipping") == 7

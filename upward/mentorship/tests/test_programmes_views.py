"""The programme pages: the whole cycle through the forms (open, join, propose, adjust,
publish), errors shown in place, who sees what, and the proposal page's query budget.

The cohort is the one in test_programmes_services (its docstring tells the scores).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.frameworks.models import FrameworkVersion
from upward.mentorship.models import Offer, Pair, Participant, Programme, ProgrammeStatus, Room
from upward.mentorship.services import programmes as services
from upward.mentorship.tests.test_programmes_services import (
    World,
    cohort_world,
    member,
    mentee,
    mentor,
    open_one,
)
from upward.testing import client_for, page


@pytest.fixture
def world(acme: Organization, ladder: FrameworkVersion, ada: User) -> World:
    return cohort_world(acme, ladder, ada)


def url(name: str, *args: int) -> str:
    return reverse(f"mentorship:{name}", args=args)


# --- The cycle through the pages --------------------------------------------------------


def test_the_whole_cycle_open_join_propose_adjust_publish(
    acme: Organization, ladder: FrameworkVersion, ada: User, as_ada: Client
) -> None:
    shaped = cohort_world(acme, ladder, ada)
    Programme.objects.all().delete()  # the same people, joining through the pages this time
    made = as_ada.post(
        url("programme_new"),
        {
            "name": "Spring cohort",
            "description": "For people moving to **l3**.",
            "starts_on": "2027-01-11",
            "ends_on": "2027-04-11",
            "cadence": "weekly",
        },
    )
    programme = Programme.objects.get()
    assert made.status_code == 302
    assert made["Location"] == url("programme", programme.pk)

    for who in (shaped.ana, shaped.ben):
        answer = client_for(who).post(url("programme_join", programme.pk), {"role": "mentee"})
        assert answer.status_code == 302
    for who in (shaped.mo, shaped.mia):
        answer = client_for(who).post(
            url("programme_join", programme.pk), {"role": "mentor", "capacity": "1"}
        )
        assert answer.status_code == 302
    assert Participant.objects.filter(programme=programme).count() == 4

    assert as_ada.post(url("programme_propose", programme.pk)).status_code == 302
    review = page(as_ada, url("programme_proposal", programme.pk)).words
    assert "Total score 5.00" in review
    assert "Covers Shipping: Mo is at L3" in review
    assert "Demonstrated at L3: 2 independent signals" in review
    assert "Covers Reviews: Mia is at L3" in review
    assert "Every mentee has a mentor" in review

    # Adjust: Ana goes to Mo instead, which leaves Ben without a mentor.
    as_ada.post(url("programme_pair_delete", Pair.objects.get(mentee=shaped.ben).pk))
    added = as_ada.post(
        url("programme_pair_add", programme.pk),
        {"pair-mentee": shaped.ana.pk, "pair-mentor": shaped.mo.pk},
    )
    assert added.status_code == 302
    review = page(as_ada, url("programme_proposal", programme.pk)).words
    assert "Total score 3.50" in review
    assert "Added by an admin" in review
    assert "Ben: The mentors who cover their gaps are full." in review

    assert as_ada.post(url("programme_publish", programme.pk)).status_code == 302
    room = Room.objects.get()
    assert (room.mentee, room.mentor, room.programme) == (shaped.ana, shaped.mo, programme)
    assert room.cadence == "weekly"
    again = as_ada.post(url("programme_publish", programme.pk))
    assert again.status_code == 409
    assert "already published" in again.content.decode()
    assert Room.objects.count() == 1


def test_members_see_only_their_own_match_once_published(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    before = page(world.ben, url("programme", world.programme.pk)).words
    assert "Your mentor" not in before
    services.publish_programme(programme=world.programme, by=ada)

    shown = page(world.ben, url("programme", world.programme.pk))
    assert "Mo mentors you in this programme" in shown.words
    room = Room.objects.get(mentee=world.ben)
    assert url("room", room.pk) in shown.html
    assert "Ana" not in shown.words
    assert "Mia" not in shown.words
    mentor_page = page(world.mo, url("programme", world.programme.pk)).words
    assert "Your mentee Ben" in mentor_page
    assert "Ana" not in mentor_page


def test_an_admin_sees_a_proposal_that_members_never_see(
    world: World, ada: User, alice: User, bob: User, eve: User
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    for who in (world.ana, world.mo, alice, bob, eve):
        page(who, url("programme_proposal", world.programme.pk), status=404)
    page(ada, url("programme_proposal", world.programme.pk))


# --- Errors in place ---------------------------------------------------------------------


def test_joining_twice_shows_the_conflict_on_the_page(world: World) -> None:
    answer = client_for(world.ana).post(
        url("programme_join", world.programme.pk), {"role": "mentee"}
    )
    assert answer.status_code == 409
    assert "already joined" in answer.content.decode()


def test_a_capacity_beyond_the_open_places_is_shown_on_its_field(
    acme: Organization, ladder: FrameworkVersion, ada: User
) -> None:
    peers = [member(acme, f"p{i}@acme.test", f"P {i}") for i in range(2)]
    kim = member(acme, "kim@acme.test", "Kim")
    mentor(kim, acme, ladder, peers, "shipping", capacity=2)
    programme = open_one(acme, ada)
    answer = client_for(kim).post(
        url("programme_join", programme.pk), {"role": "mentor", "capacity": "3"}
    )
    assert answer.status_code == 422
    assert "Take between 1 and 2 mentees" in answer.content.decode()
    assert not Participant.objects.exists()


def test_a_pair_with_no_cover_is_refused_on_the_page(
    world: World, ada: User, as_ada: Client
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    as_ada.post(url("programme_pair_delete", Pair.objects.get(mentee=world.ana).pk))
    answer = as_ada.post(
        url("programme_pair_add", world.programme.pk),
        {"pair-mentee": world.ben.pk, "pair-mentor": world.mia.pk},
    )
    assert answer.status_code == 422
    assert "covers none of Ben" in answer.content.decode()
    assert Pair.objects.count() == 1


def test_a_programme_that_ends_before_it_starts_is_refused(as_ada: Client) -> None:
    answer = as_ada.post(
        url("programme_new"),
        {
            "name": "Back to front",
            "starts_on": "2027-03-01",
            "ends_on": "2027-02-01",
            "cadence": "monthly",
        },
    )
    assert answer.status_code == 422
    assert "must end after it starts" in answer.content.decode()
    assert not Programme.objects.exists()


def test_a_member_without_a_placement_is_told_to_place_themselves(
    acme: Organization, ada: User, sam: User
) -> None:
    programme = open_one(acme, ada)
    answer = client_for(sam).post(url("programme_join", programme.pk), {"role": "mentee"})
    assert answer.status_code == 422
    assert "Place yourself on a framework first" in answer.content.decode()


def test_leaving_removes_the_place(world: World) -> None:
    answer = client_for(world.ben).post(url("programme_leave", world.programme.pk))
    assert answer.status_code == 302
    assert not Participant.objects.filter(user=world.ben).exists()


def test_the_list_shows_programmes_and_who_may_open_one(
    world: World, as_ada: Client, as_alice: Client
) -> None:
    admin_view = page(as_ada, url("programmes"))
    assert "Spring cohort" in admin_view.words
    assert "2 mentees, 2 mentors" in admin_view.words
    assert url("programme_new") in admin_view.html
    member_view = page(as_alice, url("programmes"))
    assert "Spring cohort" in member_view.words
    assert url("programme_new") not in member_view.html
    page(as_alice, url("programme_new"), status=404)


# --- Access on every route --------------------------------------------------------------


def routes(programme: Programme, pair: Pair) -> list[tuple[str, str]]:
    p = programme.pk
    return [
        ("get", url("programme", p)),
        ("post", url("programme_join", p)),
        ("post", url("programme_leave", p)),
        ("post", url("programme_close", p)),
        ("get", url("programme_proposal", p)),
        ("post", url("programme_propose", p)),
        ("post", url("programme_pair_add", p)),
        ("post", url("programme_publish", p)),
        ("post", url("programme_pair_delete", pair.pk)),
    ]


def test_every_route_answers_404_to_another_organization(
    world: World, ada: User, as_eve: Client
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    for method, path in routes(world.programme, Pair.objects.first()):  # type: ignore[arg-type]
        assert getattr(as_eve, method)(path).status_code == 404, path
    assert Pair.objects.count() == 2


@pytest.mark.parametrize("index", [3, 4, 5, 6, 7, 8])
def test_admin_routes_answer_404_to_members(world: World, ada: User, index: int) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    method, path = routes(world.programme, Pair.objects.first())[index]  # type: ignore[arg-type]
    assert getattr(client_for(world.ana), method)(path).status_code == 404
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.PROPOSED
    assert Pair.objects.count() == 2


# --- Query budgets ----------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_more_programmes(
    world: World, ada: User, acme: Organization, django_assert_num_queries
) -> None:
    client = client_for(world.ana)
    # session, user, the layout's current membership, the programmes with their counts,
    # my places, may I open one (admin membership), the layout's membership and unread count.
    with django_assert_num_queries(LIST_BUDGET):
        page(client, url("programmes"))
    for name in ("Summer", "Autumn", "Winter"):
        services.join_programme(programme=open_one(acme, ada, name), user=world.ana, role="mentee")
    with django_assert_num_queries(LIST_BUDGET):
        assert "Winter" in page(client, url("programmes")).words


def test_the_proposal_page_costs_the_same_queries_for_more_pairs(
    world: World,
    ada: User,
    acme: Organization,
    ladder: FrameworkVersion,
    django_assert_num_queries,
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    client = client_for(ada)
    # session, user, the programme (access), may run it (admin membership), participants,
    # the mentees' placements, their signals, their answers, their managers, the mentor
    # profiles, their offers with verifiers, the mentors' placements, their signals, their
    # answers, open places (rooms), the pairs; the layout's memberships (2) and unread count.
    with django_assert_num_queries(BUDGET):
        page(client, url("programme_proposal", world.programme.pk))
    assert Pair.objects.count() == 2

    Participant.objects.filter(user=world.mo).update(capacity=2)
    for i in range(3):
        more = member(acme, f"more{i}@acme.test", f"More {i}")
        mentee(more, acme, ladder, shipping="l1")
        Participant.objects.create(programme=world.programme, user=more, role="mentee")
    extra = member(acme, "extra@acme.test", "Extra")
    mentor(extra, acme, ladder, world.peers, "shipping", capacity=2)
    Participant.objects.create(programme=world.programme, user=extra, role="mentor", capacity=2)
    # A person's verification brings its verifier along, in the same query.
    Offer.objects.filter(profile__user=extra).update(
        verified_by=ada, verified_at=timezone.now(), verified_basis="Ran the release train"
    )
    Programme.objects.filter(pk=world.programme.pk).update(status="open")
    services.propose_matching(programme=world.programme, by=ada)
    assert Pair.objects.count() == 5
    with django_assert_num_queries(BUDGET):
        page(client, url("programme_proposal", world.programme.pk))


BUDGET = 19
LIST_BUDGET = 8

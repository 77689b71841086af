"""The delta as the pages and API get it: from stored signals, with anonymity kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from upward.accounts.models import Membership
from upward.assessments import selectors, services
from upward.assessments.models import Placement, Signal
from upward.assessments.services import Rating
from upward.core import anonymity
from upward.testing import make_user

TODAY = date(2026, 11, 25)


def _answer(placement, rater, ratings, anonymous=False, relationship="peer"):
    request = services.request_feedback(
        placement=placement,
        relationship=relationship,
        competencies=[],
        rater=rater,
        anonymous=anonymous,
    )
    return services.respond(
        feedback_request=request,
        ratings=ratings,
        by=rater,
        consistent_at=f"{rater.email} says reviews",
        biggest_gap="shipping",
    )


def _peers(acme, n):
    people = []
    for i in range(n):
        person = make_user(f"peer{i}@acme.test")
        Membership.objects.create(organization=acme, user=person)
        people.append(person)
    return people


def test_two_independent_signals_demonstrate_a_step(placement, bob):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    _answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
    view = selectors.delta_for(placement)
    shipping = view.competency("shipping")
    assert (shipping.expected, shipping.operating, shipping.demonstrated) == ("l2", "l2", "l2")
    assert shipping.status == "met"
    assert sorted(e.who for e in view.explained["shipping"]) == ["Bob", "you"]
    assert view.delta.needs_assessment == ["reviews"]
    assert view.delta.readiness == 0.5


def test_a_gap_is_ranked_and_explained(placement, bob):
    _answer(
        placement, bob, [Rating("shipping", "l1"), Rating("reviews", "l1")], relationship="manager"
    )
    view = selectors.delta_for(placement)
    assert view.delta.top_gaps == ["shipping", "reviews"]  # impact before skill
    assert view.competency("shipping").target_text.startswith("shipping at l2")


def test_anonymous_ratings_count_only_once_enough_people_gave_them(placement, acme):
    peers = _peers(acme, 3)  # the threshold is 5 by default; make it 3, the lowest allowed
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    for peer in peers[:2]:
        _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True)
    view = selectors.delta_for(placement, viewer=placement.user)
    assert view.competency("shipping").status == "unassessed"
    assert not view.anonymous_shown
    assert all(q["who"] != "anonymous" for q in view.quotes)

    _answer(placement, peers[2], [Rating("shipping", "l2")], anonymous=True)
    view = selectors.delta_for(placement, viewer=placement.user)
    assert view.competency("shipping").status == "met"
    # Only as an aggregate: never one signal per rater, with a source or a day.
    assert view.explained["shipping"] == []
    assert view.anonymous["shipping"] == anonymity.Aggregate(
        count=3, distribution=(("l1", 0), ("l2", 3), ("l3", 0)), median="l2"
    )
    assert "reviews" not in view.anonymous
    anonymous_quotes = [q for q in view.quotes if q["who"] == "anonymous"]
    assert len(anonymous_quotes) == 3
    assert anonymous_quotes == sorted(
        anonymous_quotes, key=lambda q: (q["consistent_at"], q["biggest_gap"])
    )


def test_a_competency_few_anonymous_raters_rated_stays_hidden(placement, acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    peers = _peers(acme, 3)
    for peer in peers:
        _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True)
    _answer(placement, make_user("solo@acme.test"), [Rating("reviews", "l3")], anonymous=True)
    view = selectors.delta_for(placement)
    # Four anonymous answers in all, but only one rated reviews: it must not show.
    assert view.competency("reviews").status == "unassessed"


def test_signals_older_than_the_window_do_not_count(placement):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    Signal.objects.update(observed_on=TODAY - timedelta(days=400))
    assert selectors.delta_for(placement, today=TODAY).competency("shipping").status == "unassessed"


def test_the_delta_costs_two_queries_however_many_signals_there_are(
    placement, bob, django_assert_num_queries
):
    for _ in range(50):
        services.rate_self(
            placement=placement, ratings=[Rating("shipping", "l2"), Rating("reviews", "l1")]
        )
    _answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
    # 1: signals with their raters; 2: open answers with their requests' raters
    with django_assert_num_queries(2):
        view = selectors.delta_for(placement)
    assert view.competency("shipping").status == "met"


def test_the_trend_has_a_point_per_month(placement):
    placed = datetime(2026, 1, 5, tzinfo=UTC)
    Placement.objects.filter(pk=placement.pk).update(created_at=placed)
    placement.refresh_from_db()
    view = selectors.delta_for(placement, today=TODAY)
    assert len(view.trend) == 6
    assert view.trend[-1][0] == TODAY


@pytest.mark.parametrize("threshold", [5, 3])
def test_request_lists_show_anonymous_requests_only_as_counts(placement, acme, threshold):
    acme.anonymity_threshold = threshold
    acme.save(update_fields=["anonymity_threshold"])
    peers = _peers(acme, 4)
    asked = [
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=p, anonymous=True
        )
        for p in peers
    ]
    for request, peer in zip(asked[:3], peers[:3], strict=True):
        services.respond(feedback_request=request, ratings=[Rating("shipping", "l1")], by=peer)
    services.decline(feedback_request=asked[3], by=peers[3])
    assert list(selectors.requests_sent(placement.user)) == []
    counts = selectors.anonymous_requests(placement.user, acme)
    assert (counts.asked, counts.declined) == (4, 1)
    assert counts.answered.label == ("fewer than 5" if threshold == 5 else "3+")


def test_deltas_for_several_people_match_their_own_deltas(placement, acme, ladder, bob):
    sam = _peers(acme, 1)[0]
    sams = services.place(
        user=sam, organization=acme, version=ladder, track="ic", current_level="l1"
    )
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    _answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
    services.rate_self(placement=sams, ratings=[Rating("reviews", "l1")])
    together = selectors.deltas_for([placement, sams], viewer=bob)
    for one in (placement, sams):
        alone = selectors.delta_for(one, viewer=bob)
        assert together[one.pk].delta == alone.delta
        assert together[one.pk].quotes == alone.quotes
    assert together[placement.pk].competency("shipping").status == "met"
    assert together[sams.pk].competency("shipping").status == "unassessed"


def test_a_new_anonymous_answer_changes_nothing_until_its_batch_is_full(placement, acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    peers = _peers(acme, 6)
    for peer in peers[:3]:
        _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True)
    released = selectors.delta_for(placement, viewer=placement.user)
    # A fourth and fifth rater answer differently: the delta and the quotes must not move,
    # or comparing before and after would show what they said.
    for peer in peers[3:5]:
        _answer(placement, peer, [Rating("shipping", "l1")], anonymous=True)
    later = selectors.delta_for(placement, viewer=placement.user)
    assert later.delta == released.delta
    assert later.quotes == released.quotes
    assert later.anonymous == released.anonymous
    assert later.anonymous_answers == released.anonymous_answers
    assert later.anonymous_answers.label == "3+"
    # The sixth completes the second batch: now all six count.
    _answer(placement, peers[5], [Rating("shipping", "l1")], anonymous=True)
    full = selectors.delta_for(placement, viewer=placement.user)
    assert full.anonymous["shipping"].count == 6
    assert full.anonymous["shipping"].distribution == (("l1", 3), ("l2", 3), ("l3", 0))
    assert full.anonymous_answers.label == "6+"
    assert len([q for q in full.quotes if q["who"] == "anonymous"]) == 6


def test_past_trend_points_leave_anonymous_ratings_out(placement, acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    for peer in _peers(acme, 3):
        _answer(
            placement, peer, [Rating("shipping", "l2"), Rating("reviews", "l2")], anonymous=True
        )
    Signal.objects.update(observed_on=TODAY - timedelta(days=45))
    view = selectors.delta_for(placement, today=TODAY)
    assert view.trend[-1][1] == 1.0  # today: both competencies met by the released batch
    assert all(readiness == 0.0 for _day, readiness in view.trend[:-1])


def test_the_view_says_how_many_anonymous_answers_are_released(placement, acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    for peer in _peers(acme, 4):
        _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True)
    view = selectors.delta_for(placement)
    assert view.anonymous_answers == anonymity.Stepped(released=3, threshold=3)
    assert view.anonymous_shown


def test_a_released_batch_leaves_the_window_as_one(placement, acme):
    # Each batch is dated by the day it filled: the window drops it whole, never one
    # answer at a time (which would date that answer).
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    for peer, days_ago in zip(_peers(acme, 3), (400, 200, 10), strict=True):
        response = _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True)
        Signal.objects.filter(response=response).update(observed_on=TODAY - timedelta(days_ago))
    assert selectors.delta_for(placement, today=TODAY).anonymous["shipping"].count == 3
    later = TODAY + timedelta(days=360)
    assert "shipping" not in selectors.delta_for(placement, today=later).anonymous


def test_old_anonymous_ratings_never_regroup_the_batches(placement, acme):
    # The oldest answer is older than anything the delta reads for attributed signals;
    # the batches must still be cut from every anonymous answer ever given, or the
    # next batch would take its place and show the newest rater alone.
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    peers = _peers(acme, 4)
    steps = ["l1", "l3", "l3", "l2"]
    for peer, step, days_ago in zip(peers, steps, (2000, 5, 5, 5), strict=True):
        response = _answer(placement, peer, [Rating("shipping", step)], anonymous=True)
        Signal.objects.filter(response=response).update(observed_on=TODAY - timedelta(days_ago))
    view = selectors.delta_for(placement, today=TODAY)
    # The first batch (l1, l3, l3) filled 5 days ago; the fourth answer waits for its batch.
    assert view.anonymous["shipping"].distribution == (("l1", 1), ("l2", 0), ("l3", 2))

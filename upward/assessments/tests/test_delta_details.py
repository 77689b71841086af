"""Details the delta shows: "sometimes reaches", a trend that starts with the member,
and the gap colour in the chart's legend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from upward.assessments import selectors, services
from upward.assessments.models import Placement
from upward.assessments.services import Rating
from upward.assessments.tests.pages import ask_and_answer, make_peers
from upward.core.tests.pages import text, words
from upward.testing import client_for


def _delta(client, placement):
    return client.get(f"/api/v1/placements/{placement.pk}/delta").json()


def _competency(delta, key):
    return next(c for c in delta["competencies"] if c["key"] == key)


def _signals(client, placement, key):
    url = f"/api/v1/placements/{placement.pk}/delta/signals?competency={key}"
    return client.get(url).json()["items"]


def _placed_on(placement, day):
    moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    Placement.objects.filter(pk=placement.pk).update(created_at=moment)
    placement.refresh_from_db()


# --- Sometimes reaches ----------------------------------------------------------------------


def test_the_api_says_which_higher_step_a_named_rater_sees_sometimes(alice, placement, bob):
    ask_and_answer(placement, bob, [Rating("shipping", "l1", "l2")], relationship="manager")
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    listed = _signals(client_for(alice), placement, "shipping")
    assert sorted((s["who"], s["sometimes"]) for s in listed) == [("Bob", "l2"), ("you", None)]


def test_the_signal_list_page_says_sometimes_reaches(alice, placement, bob):
    ask_and_answer(placement, bob, [Rating("shipping", "l1", "l2")], relationship="manager")
    response = client_for(alice).get(f"/growth/placement/{placement.pk}/signals/shipping/")
    assert response.status_code == 200
    assert "sometimes reaches" in words(response)


def _threshold_three(acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])


def test_anonymous_sometimes_shows_only_as_a_count_inside_the_aggregate(alice, acme, placement):
    _threshold_three(acme)
    peers = make_peers(acme, 3)
    ask_and_answer(placement, peers[0], [Rating("shipping", "l1", "l2")], anonymous=True)
    ask_and_answer(placement, peers[1], [Rating("shipping", "l1", "l3")], anonymous=True)
    ask_and_answer(placement, peers[2], [Rating("shipping", "l2")], anonymous=True)
    delta = _delta(client_for(alice), placement)
    shipping = _competency(delta, "shipping")
    assert shipping["anonymous"]["count"] == 3
    assert shipping["anonymous"]["sometimes"] == 2
    assert _signals(client_for(alice), placement, "shipping") == []  # never one by one
    page = client_for(alice).get(f"/growth/placement/{placement.pk}/")
    assert "2 sometimes reach higher" in words(page)
    # How many, never which higher step nor whose.
    assert set(shipping["anonymous"]) == {"count", "distribution", "median", "sometimes"}


def test_anonymous_sometimes_stays_hidden_below_the_threshold(alice, acme, placement):
    _threshold_three(acme)
    peers = make_peers(acme, 2)
    for peer in peers:
        ask_and_answer(placement, peer, [Rating("shipping", "l1", "l2")], anonymous=True)
    shipping = _competency(_delta(client_for(alice), placement), "shipping")
    assert shipping["anonymous"] is None
    page = client_for(alice).get(f"/growth/placement/{placement.pk}/")
    assert "sometimes reach" not in words(page)


# --- The trend starts with the member -------------------------------------------------------


def test_the_trend_starts_at_the_placement_not_months_before(placement):
    _placed_on(placement, date(2026, 10, 1))
    view = selectors.delta_for(placement, today=date(2026, 11, 25))
    days = [day for day, _ in view.trend]
    assert days[0] == date(2026, 10, 1)
    assert days[-1] == date(2026, 11, 25)
    assert all(day >= date(2026, 10, 1) for day in days)
    assert len(days) == 3  # the start, then a point each month to today


def test_the_trend_reaches_back_to_an_earlier_rating(placement):
    _placed_on(placement, date(2026, 11, 1))
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    from upward.assessments.models import Signal

    Signal.objects.update(observed_on=date(2026, 9, 15))
    view = selectors.delta_for(placement, today=date(2026, 11, 25))
    assert view.trend[0][0] == date(2026, 9, 15)


def test_a_placement_made_today_has_one_point(placement):
    view = selectors.delta_for(placement)
    assert len(view.trend) == 1


def test_an_old_placement_keeps_six_months(placement):
    _placed_on(placement, date(2025, 1, 1))
    view = selectors.delta_for(placement, today=date(2026, 11, 25))
    assert len(view.trend) == 6


def test_the_trend_chart_on_the_page_starts_at_the_placement(as_alice, placement):
    _placed_on(placement, date(2026, 10, 1))
    page = text(as_alice.get(f"/growth/placement/{placement.pk}/?today=2026-11-25"))
    assert "1 Oct" in page
    assert "27 Jun" not in page  # six months back would start here


# --- The gap colour is in the legend --------------------------------------------------------


def test_the_chart_legend_names_the_gap_colour(as_alice, placement):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    page = text(as_alice.get(f"/growth/placement/{placement.pk}/"))
    assert 'class="swatch swatch-gap"' in page
    assert "a gap" in page

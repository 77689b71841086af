"""The delta's signals in brief, the full list on demand (a page, an htmx fragment and
a paginated API), and the computed delta kept between requests without going stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.assessments import selectors, services
from upward.assessments.models import Signal
from upward.assessments.services import Rating
from upward.core.tests.pages import text, words
from upward.testing import client_for


def _peers_rate(placement, count: int, step: str = "l2") -> None:
    """`count` peers, each a source of their own, rate shipping."""
    today = timezone.localdate()
    Signal.objects.bulk_create(
        Signal(
            subject=placement.user,
            organization=placement.organization,
            version=placement.version,
            competency="shipping",
            step=step,
            source="peer",
            source_key=f"email:peer{n}@partner.example",
            observed_on=today - timedelta(days=n),
        )
        for n in range(count)
    )


def _signals_api(placement, **query) -> str:
    args = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/placements/{placement.pk}/delta/signals?{args}"


def _shipping(client, placement) -> dict:
    delta = client.get(f"/api/v1/placements/{placement.pk}/delta").json()
    return next(c for c in delta["competencies"] if c["key"] == "shipping")


# --- The API ---------------------------------------------------------------------------


def test_the_delta_api_sums_up_each_competencys_signals(alice, placement, bob):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    _peers_rate(placement, 3)
    shipping = _shipping(client_for(alice), placement)
    assert shipping["signals"] == {
        "count": 5,
        "sources": [
            {"source": "self", "count": 1},
            {"source": "manager", "count": 1},
            {"source": "peer", "count": 3},
        ],
        "steps": [
            {"step": "l1", "count": 1},
            {"step": "l2", "count": 4},
            {"step": "l3", "count": 0},
        ],
    }


def test_the_signals_api_lists_a_competencys_signals_50_a_page_oldest_first(alice, placement):
    _peers_rate(placement, 60)
    client = client_for(alice)
    first = client.get(_signals_api(placement, competency="shipping")).json()
    assert first["count"] == 60
    assert len(first["items"]) == 50
    assert first["items"][0]["who"] == "peer59@partner.example"  # the oldest
    days = [item["on"] for item in first["items"]]
    assert days == sorted(days)
    second = client.get(_signals_api(placement, competency="shipping", page=2)).json()
    assert len(second["items"]) == 10
    assert second["items"][-1]["who"] == "peer0@partner.example"
    beyond = client.get(_signals_api(placement, competency="shipping", page=3)).json()
    assert beyond == {"items": [], "count": 60}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "competency"),
        ({"competency": "nope"}, "competency"),
        ({"competency": "shipping", "page": 0}, "page"),
        ({"competency": "shipping", "page": "x"}, "page"),
    ],
)
def test_the_signals_api_names_what_is_wrong_with_the_query(alice, placement, query, field):
    response = client_for(alice).get(_signals_api(placement, **query))
    assert response.status_code == 422
    paths = [f["path"] for f in response.json()["error"]["fields"]]
    assert any(field in path for path in paths), paths


def test_a_manager_reads_a_reports_signals_and_others_get_404(
    placement, bob, maya, eve, django_assert_num_queries
):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    url = _signals_api(placement, competency="shipping")
    listed = client_for(bob).get(url).json()["items"]
    assert [(s["who"], s["source"]) for s in listed] == [("Bob", "manager")]
    assert client_for(maya).get(url).status_code == 404
    assert client_for(eve).get(url).status_code == 404


# --- The page --------------------------------------------------------------------------


def test_the_delta_page_sums_up_signals_and_links_to_the_list(as_alice, placement, bob):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    _peers_rate(placement, 2)
    page = text(as_alice.get("/growth/"))
    row = page.split('id="row-shipping"')[1].split("</tr>")[0]
    assert "3 attributed: 1 manager, 2 peer" in row
    assert "L1: 1, L2: 2" in row
    url = f"/growth/placement/{placement.pk}/signals/shipping/"
    assert f'href="{url}"' in row
    assert f'hx-get="{url}"' in row
    assert "peer0@partner.example" not in page


def test_the_signal_list_is_a_page_without_javascript_and_a_fragment_for_htmx(
    as_alice, placement, bob
):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    url = f"/growth/placement/{placement.pk}/signals/shipping/"
    page = as_alice.get(url)
    assert page.status_code == 200
    assert "<html" in text(page)
    assert "Shipping: who said so" in words(page)
    assert "Bob" in words(page)
    fragment = as_alice.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in text(fragment)
    assert text(fragment).lstrip().startswith('<ul class="said-list said-all">')
    assert "Bob" in text(fragment)


def test_the_signal_list_page_answers_404_to_others_and_for_unknown_competencies(
    as_alice, placement, maya, eve
):
    url = f"/growth/placement/{placement.pk}/signals/shipping/"
    assert client_for(maya).get(url).status_code == 404
    assert client_for(eve).get(url).status_code == 404
    assert as_alice.get(f"/growth/placement/{placement.pk}/signals/nope/").status_code == 404
    assert as_alice.get(f"/growth/placement/{placement.pk + 99}/signals/shipping/").status_code == (
        404
    )


# --- The kept delta --------------------------------------------------------------------


def test_a_kept_delta_costs_the_same_queries_as_a_computed_one(
    placement, bob, django_assert_num_queries
):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    # 1: signals with their raters; 2: open answers with their requests' raters
    with django_assert_num_queries(2):
        computed = selectors.delta_for(placement)
    with django_assert_num_queries(2):
        kept = selectors.delta_for(placement)
    assert kept.delta == computed.delta
    assert kept.summaries == computed.summaries


def test_a_new_signal_is_never_served_from_a_kept_delta(alice, placement, bob):
    client = client_for(alice)
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    assert _shipping(client, placement)["signals"]["count"] == 1
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    shipping = _shipping(client, placement)
    assert shipping["signals"]["count"] == 2
    assert shipping["status"] == "met"


def test_a_policy_change_is_never_served_from_a_kept_delta(alice, acme, placement, bob):
    client = client_for(alice)
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    assert _shipping(client, placement)["status"] == "unconfirmed"
    acme.delta_policy = {"independent_signals": 1}
    acme.save(update_fields=["delta_policy"])
    assert _shipping(client, placement)["status"] == "met"


def test_a_deleted_signal_is_never_served_from_a_kept_delta(alice, placement, bob):
    client = client_for(alice)
    _peers_rate(placement, 3)
    assert _shipping(client, placement)["signals"]["count"] == 3
    Signal.objects.filter(source_key="email:peer0@partner.example").delete()
    assert _shipping(client, placement)["signals"]["count"] == 2


def test_a_renamed_rater_shows_at_once_though_the_delta_is_kept(alice, placement, bob):
    client = client_for(alice)
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    url = _signals_api(placement, competency="shipping")
    page = f"/growth/placement/{placement.pk}/signals/shipping/"
    assert [s["who"] for s in client.get(url).json()["items"]] == ["Bob"]
    assert "Bob" in words(client.get(page))
    bob.name = "Robert"
    bob.save(update_fields=["name"])
    assert [s["who"] for s in client.get(url).json()["items"]] == ["Robert"]
    said = words(client.get(page))
    assert "Robert" in said
    assert "Bob" not in said


def test_a_kept_delta_names_its_raters_as_they_are_now(alice, placement, bob):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    selectors.delta_for(placement)
    bob.name = "Robert"
    bob.save(update_fields=["name"])
    kept = selectors.delta_for(placement)  # the first row only: names are read when asked
    assert sorted(e.who for e in kept.explained["shipping"]) == ["Robert", "you"]


def test_the_signal_list_costs_the_same_queries_when_the_delta_is_kept(
    placement, bob, django_assert_num_queries
):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    # 1: every signal with its rater's name; 2: open answers with their requests' raters
    with django_assert_num_queries(2):
        computed = selectors.delta_for(placement, names=True).explained
    with django_assert_num_queries(2):
        kept = selectors.delta_for(placement, names=True).explained
    assert kept == computed


def test_a_kept_page_shows_a_manager_their_reports_page_not_the_members(
    as_alice, as_bob, placement, bob
):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    url = f"/growth/placement/{placement.pk}/"
    own = words(as_alice.get(url))
    assert "Your top gaps" in own
    assert "Rate yourself" in own
    theirs = words(as_bob.get(url))  # the same kept delta, another viewer
    assert "Alice's top gaps" in theirs
    assert "Rate yourself" not in theirs
    assert "Rate Alice" in theirs
    assert words(as_alice.get(url)) == own


def test_a_new_day_is_never_served_from_a_kept_delta(alice, placement, bob):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    client = client_for(alice)
    url = f"/api/v1/placements/{placement.pk}/delta"
    today = timezone.localdate()
    assert _shipping(client, placement)["signals"]["count"] == 1
    # A year and more later the rating has left the window.
    later = client.get(f"{url}?today={today + timedelta(days=400)}").json()
    shipping = next(c for c in later["competencies"] if c["key"] == "shipping")
    assert shipping["signals"]["count"] == 0
    assert _shipping(client, placement)["signals"]["count"] == 1


def test_a_new_signal_shows_at_once_on_a_page_rendered_from_a_kept_delta(as_alice, placement, bob):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    url = f"/growth/placement/{placement.pk}/"

    def shipping_row() -> str:
        return text(as_alice.get(url)).split('id="row-shipping"')[1].split("</tr>")[0]

    assert "1 attributed: 1 manager" in shipping_row()
    assert "1 attributed: 1 manager" in shipping_row()  # kept
    _peers_rate(placement, 2)
    assert "3 attributed: 1 manager, 2 peer" in shipping_row()

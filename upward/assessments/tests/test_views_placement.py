"""Placement pages: placing myself on a framework, my self-assessment and a manager's
rating.

Who may open each page (everyone else gets 404), and that bad input comes back in
place with the reason and writes nothing.
"""

from __future__ import annotations

import re

import pytest

from upward.assessments import services
from upward.assessments.models import (
    Placement,
    RequestStatus,
    Signal,
)
from upward.assessments.services import Rating
from upward.assessments.tests.pages import leave_acme
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.testing import client_for

# --- Placement ----------------------------------------------------------------------


def test_placing_myself_takes_the_next_level_by_default(as_alice, alice, ladder):
    response = as_alice.post(
        "/growth/placement/",
        {"version": ladder.pk, "current_level": "ic:l1", "target_level": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == "/growth/"
    placement = Placement.objects.get(user=alice)
    assert (placement.current_level, placement.target_level) == ("l1", "l2")


def test_a_target_below_the_current_level_is_refused_in_place(as_alice, ladder):
    response = as_alice.post(
        "/growth/placement/",
        {"version": ladder.pk, "current_level": "ic:l2", "target_level": "ic:l1"},
    )
    assert response.status_code == 422
    assert "The target level must be above the current level." in words(response)
    assert not Placement.objects.exists()
    assert_no_inline_code(response)


def test_a_framework_of_another_organization_cannot_be_picked(as_alice, eve, globex, ladder):
    theirs = framework_services.create_version(
        document=validate_document(small_document(key="theirs")), organization=globex, by=eve
    )
    framework_services.publish_version(version=theirs, by=eve)
    response = as_alice.post("/growth/placement/", {"version": theirs.pk, "current_level": "ic:l1"})
    assert response.status_code == 422
    assert "Select a valid choice" in words(response)
    assert not Placement.objects.exists()
    assert "theirs" not in text(as_alice.get("/growth/placement/")).lower()


def test_placing_again_keeps_the_old_placement_as_history(as_alice, alice, placement, ladder):
    as_alice.post("/growth/placement/", {"version": ladder.pk, "current_level": "ic:l2"})
    assert Placement.objects.filter(user=alice).count() == 2
    page = as_alice.get("/growth/placement/")
    history = text(page).split('id="history-title"')[1]
    assert history.count("View delta") == 2
    assert "Current" in history
    old = as_alice.get(f"/growth/placement/{placement.pk}/")
    assert old.status_code == 200
    assert "This is an earlier placement, kept as history." in words(old)


def test_picking_a_framework_with_htmx_returns_only_its_levels(as_alice, ladder):
    response = as_alice.get(f"/growth/placement/?version={ladder.pk}", **HTMX)
    assert response.status_code == 200
    assert 'id="placement-levels"' in text(response)
    assert "<html" not in text(response)
    assert 'value="ic:l2"' in text(response)


# --- Self-assessment and a manager's rating ---------------------------------------------


def test_a_self_assessment_saves_every_competency_i_rated(as_alice, placement):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/",
        {"step-shipping": "l2", "step-reviews": "l1", "sometimes-reviews": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/growth/"
    saved = set(Signal.objects.values_list("competency", "step", "sometimes_step", "source"))
    assert saved == {("shipping", "l2", "", "self"), ("reviews", "l1", "l2", "self")}


def test_one_competency_saves_on_its_own_with_htmx(as_alice, placement):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/",
        {"step-shipping": "l2", "step-reviews": "l1", "only": "shipping"},
        **HTMX,
    )
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<fieldset id="competency-shipping"')
    assert "Saved" in html
    assert "<html" not in html
    assert list(Signal.objects.values_list("competency", "step")) == [("shipping", "l2")]


def test_the_assessment_form_shows_my_last_ratings(as_alice, placement):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2", sometimes="")])
    html = text(as_alice.get(f"/growth/placement/{placement.pk}/assess/"))
    assert re.search(r'name="step-shipping" value="l2" checked', html)
    assert "Last rated L2 on" in html
    # Each step shows what the framework expects at it, the target's marked.
    assert "shipping at l3: scope number 2" in html
    assert "Target" in html


def test_an_unknown_step_posted_by_hand_is_refused_and_nothing_is_written(as_alice, placement):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/", {"step-shipping": "l9", "step-reviews": "l1"}
    )
    assert response.status_code == 422
    assert "“l9” is not a step of Shipping; pick one of the steps listed." in words(response)
    assert not Signal.objects.exists()


def test_saving_without_choosing_a_step_says_so(as_alice, placement):
    response = as_alice.post(f"/growth/placement/{placement.pk}/assess/", {})
    assert response.status_code == 422
    assert "Choose a step for at least one competency first." in words(response)
    # The second competency, so the fragment can't be the first one by accident.
    one = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/",
        {"only": "reviews", "step-shipping": "l2"},
        **HTMX,
    )
    assert one.status_code == 422
    assert text(one).lstrip().startswith('<fieldset id="competency-reviews"')
    assert "Choose a step for this competency first." in words(one)
    assert not Signal.objects.exists()


def test_a_manager_rates_a_report_with_the_same_form(as_bob, bob, placement):
    page = as_bob.get(f"/growth/placement/{placement.pk}/rate/")
    assert page.status_code == 200
    assert "Where does Alice operate consistently?" in words(page)
    assert_no_inline_code(page)
    response = as_bob.post(f"/growth/placement/{placement.pk}/rate/", {"step-shipping": "l1"})
    assert response.status_code == 302
    assert response["Location"] == f"/growth/placement/{placement.pk}/"
    signal = Signal.objects.get()
    assert (signal.source, signal.rater, signal.step) == ("manager", bob, "l1")


@pytest.mark.parametrize(
    ("who", "route", "expected"),
    [
        ("alice", "assess", 200),
        ("bob", "assess", 404),  # a manager rates on the rating page, never as Alice
        ("maya", "assess", 404),
        ("eve", "assess", 404),
        ("bob", "rate", 200),
        ("alice", "rate", 404),  # nobody is their own manager
        ("maya", "rate", 404),  # a mentor is not a manager
        ("ada", "rate", 404),  # nor is an admin
        ("eve", "rate", 404),
        ("alice", "", 200),
        ("bob", "", 200),
        ("maya", "", 404),  # a peer or mentor doesn't see someone else's delta
        ("ada", "", 404),
        ("eve", "", 404),
        ("alice", "feedback/new", 200),
        ("bob", "feedback/new", 404),
        ("eve", "feedback/new", 404),
    ],
)
def test_placement_pages_answer_the_right_people(people, placement, who, route, expected):
    url = f"/growth/placement/{placement.pk}/" + (f"{route}/" if route else "")
    client = client_for(people[who])
    assert client.get(url).status_code == expected
    if expected == 404:
        # The delta page is read-only: POST is refused to everyone alike, before access.
        refused = 405 if route == "" else 404
        assert client.post(url, {"step-shipping": "l1"}).status_code == refused
        assert not Signal.objects.exists()


# --- Ratings that contradict themselves ----------------------------------------------------------


def test_rating_forms_posted_by_hand_store_one_step_per_competency_and_no_lower_sometimes(
    as_alice, as_bob, as_maya, placement, asked_maya
):
    # Repeated fields keep their last value; "sometimes" only ever means the target's step,
    # and only below it, so a form can't say "sometimes lower than consistently".
    hostile = [
        ("step-shipping", "l1"),
        ("step-shipping", "l3"),
        ("sometimes-shipping", "on"),
        ("step-reviews", "l2"),
        ("sometimes-reviews", "on"),
    ]
    body = "&".join(f"{k}={v}" for k, v in hostile)
    form = "application/x-www-form-urlencoded"
    for client, url in [
        (as_alice, f"/growth/placement/{placement.pk}/assess/"),
        (as_bob, f"/growth/placement/{placement.pk}/rate/"),
        (as_maya, f"/growth/feedback/{asked_maya.pk}/answer/"),
    ]:
        assert client.post(url, body, content_type=form).status_code == 302, url
    saved = list(Signal.objects.values_list("competency", "step", "sometimes_step"))
    assert sorted(saved) == [("reviews", "l2", "")] * 3 + [("shipping", "l3", "")] * 3


# --- Leaving an organization ---------------------------------------------------------------


def test_a_removed_manager_no_longer_sees_or_rates_a_report(as_bob, bob, ada, placement):
    assert "Alice" in words(as_bob.get("/growth/team/"))
    leave_acme(bob, by=ada)
    assert as_bob.get(f"/growth/placement/{placement.pk}/").status_code == 404
    rate = f"/growth/placement/{placement.pk}/rate/"
    assert as_bob.get(rate).status_code == 404
    assert as_bob.post(rate, {"step-shipping": "l1"}).status_code == 404
    assert not Signal.objects.exists()


def test_a_member_who_leaves_loses_their_placement_pages_and_requests_there(
    as_alice, alice, asked_maya, placement
):
    leave_acme(alice, by=alice)
    for tail in ("", "assess/", "feedback/new/"):
        assert as_alice.get(f"/growth/placement/{placement.pk}/{tail}").status_code == 404
    withdraw = f"/growth/feedback/{asked_maya.pk}/withdraw/"
    assert as_alice.post(withdraw).status_code == 404
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.PENDING

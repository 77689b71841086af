"""The delta pages: my delta, a report's delta for their manager, the team page, the
navigation and the demo's delta.

Who sees which delta (everyone else gets 404), that anonymous answers show only as
a group, and that the pages cost the same number of queries however much data
there is.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from upward.accounts.models import Membership, Role, TeamMembership
from upward.accounts.services import remove_team_member
from upward.assessments import services
from upward.assessments.models import Signal
from upward.assessments.services import Rating
from upward.assessments.tests.pages import ask_and_answer, make_peers
from upward.core.tests.pages import assert_no_inline_code, text, words
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.testing import client_for


@pytest.fixture
def wide_ladder(acme, ada):
    """Four competencies on three levels, so three of them can be gaps at once."""
    doc = small_document(key="wide", name="Wide Ladder")
    extra = [("testing", "skill", "craft"), ("mentoring", "behavior", "delivery")]
    doc["competencies"] += [
        {"key": c, "name": c.title(), "area": a, "kind": k} for c, k, a in extra
    ]
    doc["expectations"] += [
        {"competency": c, "level": lv, "summary": f"{c} at {lv}"}
        for c, _k, _a in extra
        for lv in ("l1", "l2", "l3")
    ]
    version = framework_services.create_version(
        document=validate_document(doc), organization=acme, by=ada
    )
    return framework_services.publish_version(version=version, by=ada)


def _numbers_in_anonymity_note(response) -> set[str]:
    note = re.search(r'class="small muted anonymity-note">(.*?)</p>', text(response), re.S)
    assert note is not None
    return set(re.findall(r"\d+", note.group(1)))


# --- My delta -----------------------------------------------------------------------


def test_without_a_placement_my_delta_invites_me_to_place_myself(as_alice):
    response = as_alice.get("/growth/")
    assert response.status_code == 200
    assert "Start by placing yourself" in words(response)
    assert 'href="/growth/placement/"' in text(response)
    assert_no_inline_code(response)


def test_my_delta_shows_readiness_gaps_every_competency_and_the_charts(as_alice, placement, bob):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    ask_and_answer(
        placement, bob, [Rating("shipping", "l1")], relationship="manager", words="ships"
    )
    response = as_alice.get("/growth/")
    assert response.status_code == 200
    said = words(response)
    assert "Towards L2 Level 2" in said
    assert "0 of 2 expectations demonstrated consistently" in said
    # Shipping is the one gap: a card with the target's expectation and who said it.
    card = text(response).split('class="gap-cards"')[1].split("</section>")[0]
    assert "Shipping" in card
    assert "shipping at l2: scope number 1" in card
    # Who said it: a summary, and the list itself one link away.
    assert "2 attributed: 1 self, 1 manager" in card
    signals = f"/growth/placement/{placement.pk}/signals/shipping/"
    assert f'href="{signals}"' in card
    assert "Bob" not in card
    listed = words(as_alice.get(signals))
    assert "Bob" in listed
    assert "You" in listed
    # Every competency in the table, with its status.
    assert 'id="row-shipping"' in text(response)
    assert 'id="row-reviews"' in text(response)
    assert "Unassessed" in said
    assert "Needs assessment" in said
    # The steps chart (wide and narrow) and the trend.
    assert text(response).count('<svg class="chart ') == 3
    assert "What changes from L1 to L2" in said
    assert "Operating consistently: ships" in said
    assert (
        "Anonymous answers so far: fewer than 5. They appear once 5 people have answered." in said
    )
    assert "counted in steps of 5" not in said  # that sentence is the status page's
    assert "We count anonymous answers in steps of 5, never one by one" in said
    assert f'href="/growth/placement/{placement.pk}/assess/"' in text(response)
    assert f'href="/growth/placement/{placement.pk}/feedback/new/"' in text(response)
    assert_no_inline_code(response)


def test_the_top_three_gaps_are_cards_in_ranking_order(as_alice, alice, acme, wide_ladder, bob):
    placement = services.place(
        user=alice, organization=acme, version=wide_ladder, track="ic", current_level="l1"
    )
    everything = [Rating(c, "l1") for c in ("shipping", "reviews", "testing", "mentoring")]
    ask_and_answer(placement, bob, everything, relationship="manager")
    html = text(as_alice.get("/growth/"))
    cards = re.findall(r'<h3 id="gap-([a-z]+)">', html)
    assert cards == ["shipping", "mentoring", "reviews"]  # impact, behavior, then skills


def test_a_competency_links_to_its_page_in_the_framework_when_that_page_exists(as_alice, placement):
    html = text(as_alice.get("/growth/"))
    version = placement.version
    link = f"/frameworks/{version.framework_id}/v/{version.number}/competencies/shipping/"
    try:
        reverse(
            "frameworks:framework_competency",
            args=[version.framework_id, version.number, "shipping"],
        )
    except NoReverseMatch:
        assert link not in html
    else:
        assert link in html


def test_my_delta_costs_the_same_queries_however_many_signals(
    as_alice, placement, bob, django_assert_num_queries
):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    ask_and_answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
    # 1 session, 2 user, 3 current membership, 4 the switcher's memberships,
    # 5 active placement with version and framework, 6 how I stand to the placement's
    # person (which written answers I may read), 7 signals, 8 answers,
    # 9 my objectives (each top gap's plan), 10 whether I manage anyone (for the link to
    # my team), 11 the unread count (the bell).
    with django_assert_num_queries(11):
        assert as_alice.get("/growth/").status_code == 200
    for _ in range(100):
        services.rate_self(
            placement=placement, ratings=[Rating("shipping", "l2"), Rating("reviews", "l1")]
        )
    assert Signal.objects.count() >= 200
    with django_assert_num_queries(11):
        assert as_alice.get("/growth/").status_code == 200


# --- A report's delta for their manager -----------------------------------------------------


def test_a_manager_reads_a_reports_delta_without_their_open_answers(as_bob, placement, maya):
    ask_and_answer(
        placement, maya, [Rating("shipping", "l2")], relationship="mentor", words="secret"
    )
    response = as_bob.get(f"/growth/placement/{placement.pk}/")
    assert response.status_code == 200
    said = words(response)
    assert "Alice: towards L2 Level 2" in said
    assert "Rate Alice" in said
    assert "secret" not in said
    assert "Open answers are for Alice to read" in said
    assert_no_inline_code(response)


# --- Anonymous answers below the threshold --------------------------------------------------


def test_anonymous_answers_below_the_threshold_are_only_counted(as_alice, placement, acme):
    for peer in make_peers(acme, 2):
        ask_and_answer(
            placement, peer, [Rating("shipping", "l2")], anonymous=True, words="quiet words"
        )
    said = words(as_alice.get("/growth/"))
    assert "quiet words" not in said
    assert (
        "Anonymous answers so far: fewer than 5. They appear once 5 people have answered." in said
    )
    assert _numbers_in_anonymity_note(as_alice.get("/growth/")) == {"5"}  # never the 2


# --- The team page --------------------------------------------------------------------------


def test_a_manager_sees_each_report_with_readiness_and_top_gaps(as_bob, placement, bob):
    ask_and_answer(placement, bob, [Rating("shipping", "l1")], relationship="manager")
    response = as_bob.get("/growth/team/")
    assert response.status_code == 200
    said = words(response)
    assert "Alice" in said
    assert "L2 Level 2" in said
    assert "0%" in said
    assert "Shipping" in said
    assert f'href="/growth/placement/{placement.pk}/rate/"' in text(response)
    assert_no_inline_code(response)


def test_someone_who_manages_nobody_sees_an_empty_team(as_maya, placement):
    response = as_maya.get("/growth/team/")
    assert response.status_code == 200
    assert "Nobody reports to you in Acme" in words(response)
    assert "Alice" not in words(response)


def test_the_team_page_costs_the_same_queries_however_many_report_to_me(
    as_bob, acme, bob, placement, platform, ladder, django_assert_num_queries
):
    # 1 session, 2 user, 3 current membership, 4 the switcher's memberships,
    # 5 the reports, 6 their active placements, 7-8 every delta (signals, answers),
    # 9 the unread count (the bell).
    with django_assert_num_queries(9):
        as_bob.get("/growth/team/")
    for person in make_peers(acme, 3, prefix="report"):
        TeamMembership.objects.create(team=platform, user=person, organization=acme)
        placed = services.place(
            user=person, organization=acme, version=ladder, track="ic", current_level="l1"
        )
        services.rate_self(
            placement=placed, ratings=[Rating("shipping", "l1"), Rating("reviews", "l1")]
        )
    make_peers(acme, 2, prefix="unplaced")
    with django_assert_num_queries(9):
        response = as_bob.get("/growth/team/")
    assert words(response).count("View delta") == 4


# --- Navigation and the dashboard -----------------------------------------------------------


def test_the_nav_offers_my_growth_to_everyone_and_team_to_managers(as_alice, as_bob):
    alice_nav = text(as_alice.get("/dashboard/"))
    assert 'href="/growth/"' in alice_nav
    assert 'href="/growth/team/"' not in alice_nav
    assert 'href="/growth/team/"' in text(as_bob.get("/dashboard/"))


def test_the_dashboard_links_to_asking_for_feedback(as_alice):
    assert 'href="/growth/feedback/"' in text(as_alice.get("/dashboard/"))


# --- Pages without inline code ----------------------------------------------------------------


def test_every_delta_page_renders_without_inline_code(
    as_alice, as_maya, placement, asked_maya, ladder
):
    for url in (
        "/growth/",
        "/growth/placement/",
        f"/growth/placement/{placement.pk}/",
        f"/growth/placement/{placement.pk}/assess/",
        f"/growth/placement/{placement.pk}/feedback/new/",
        "/growth/feedback/",
        "/growth/team/",
    ):
        response = as_alice.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response)
    assert_no_inline_code(as_maya.get(f"/growth/feedback/{asked_maya.pk}/answer/"))
    assert_no_inline_code(Client().get("/feedback/thanks/"))


# --- The demo ------------------------------------------------------------------------------------


def test_the_demo_gives_alice_a_rich_delta(db):
    from upward.demo import load_demo

    load_demo()
    alice = Membership.objects.get(user__email="alice@example.com", role=Role.MEMBER).user
    client = client_for(alice)
    response = client.get("/growth/")
    said = words(response)
    assert "Towards IC4 Senior Software Engineer" in said
    assert len(re.findall(r'<h3 id="gap-', text(response))) == 3
    assert "anonymous median" in said  # the aggregate of the five anonymous answers
    assert "Anonymous answers so far: 5+." in said
    status = words(client.get("/growth/feedback/"))
    assert "Maya Lindqvist" in status
    assert "jordan@partner.example" in status
    assert "6 anonymous requests : 0 declined, answered: 5+." in status


def test_my_delta_says_when_newer_anonymous_answers_wait_for_a_full_group(
    as_alice, placement, acme
):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    for peer in make_peers(acme, 4):
        ask_and_answer(placement, peer, [Rating("shipping", "l2")], anonymous=True, words="steady")
    said = words(as_alice.get("/growth/"))
    assert "Anonymous answers so far: 3+." in said
    assert "newer ones appear once they make a full group" in said
    assert _numbers_in_anonymity_note(as_alice.get("/growth/")) == {"3"}  # never the 4


# --- Leaving an organization ---------------------------------------------------------------


def test_a_former_managers_ratings_stay_a_managers_on_the_delta_page(
    as_alice, as_bob, bob, ada, alice, platform, placement
):
    as_bob.post(f"/growth/placement/{placement.pk}/rate/", {"step-shipping": "l1"})
    remove_team_member(team=platform, user=alice, by=ada)
    assert as_bob.get(f"/growth/placement/{placement.pk}/").status_code == 404
    assert (
        as_bob.post(f"/growth/placement/{placement.pk}/rate/", {"step-shipping": "l2"}).status_code
        == 404
    )
    assert list(Signal.objects.values_list("source", "rater", "step")) == [
        ("manager", bob.pk, "l1")
    ]
    row = text(as_alice.get("/growth/")).split('id="row-shipping"')[1].split("</tr>")[0]
    assert "1 manager" in row
    row = text(as_alice.get(f"/growth/placement/{placement.pk}/signals/shipping/"))
    assert "Bob" in row
    assert "manager" in row.lower()

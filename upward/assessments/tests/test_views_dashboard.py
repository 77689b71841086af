"""The dashboard page: what to do next, for members, raters and managers."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from upward.accounts.models import Membership, Role, User
from upward.assessments import services
from upward.assessments.services import Rating
from upward.assessments.tests.pages import ask_and_answer, make_peers
from upward.core.tests.pages import assert_no_inline_code, text
from upward.notifications.models import Notification
from upward.testing import client_for


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def test_someone_without_a_placement_is_shown_the_first_steps(as_alice):
    response = as_alice.get("/dashboard/")
    assert 'href="/growth/placement/"' in text(response)
    assert "Pick your framework and level" in words(response)
    assert "Your top gaps" not in words(response)
    assert_no_inline_code(response)


def test_a_rater_sees_the_request_to_answer_with_a_link_until_answered(asked_maya, maya, as_maya):
    response = as_maya.get("/dashboard/")
    assert "Alice asks for your feedback" in words(response)
    assert f'href="/growth/feedback/{asked_maya.pk}/answer/"' in text(response)
    services.respond(feedback_request=asked_maya, ratings=[Rating("shipping", "l1")], by=maya)
    response = as_maya.get("/dashboard/")
    assert "asks for your feedback" not in words(response)


def test_a_member_sees_the_answer_that_arrived_and_the_requests_still_open(
    placement, asked_maya, maya, bob, as_alice
):
    assert "Waiting for Maya" in words(as_alice.get("/dashboard/"))
    services.respond(feedback_request=asked_maya, ratings=[Rating("shipping", "l1")], by=maya)
    said = words(as_alice.get("/dashboard/"))
    assert "Maya answered" in said
    assert "Waiting for Maya" not in said


def test_a_gap_links_to_rating_yourself_then_to_asking_about_it(placement, bob, as_alice):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    response = as_alice.get("/dashboard/")
    assert "Shipping: rate yourself on it" in words(response)
    assert "Expected: L2; rated at L1, not yet confirmed." in words(response)
    assert f'href="/growth/placement/{placement.pk}/assess/#competency-shipping"' in text(response)
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    response = as_alice.get("/dashboard/")
    assert "Shipping: ask for feedback on it" in words(response)
    ask = f"/growth/placement/{placement.pk}/feedback/new/?competency=shipping"
    assert f'href="{ask}"' in text(response)


def test_the_ask_page_opens_on_the_competency_the_dashboard_named(placement, as_alice):
    html = text(as_alice.get(f"/growth/placement/{placement.pk}/feedback/new/?competency=shipping"))
    assert re.search(r'<input[^>]*value="custom"[^>]*checked', html)
    assert re.search(r'<input[^>]*value="shipping"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="reviews"[^>]*checked', html)


def test_the_ask_page_ignores_a_competency_it_does_not_know(placement, as_alice):
    response = as_alice.get(f"/growth/placement/{placement.pk}/feedback/new/?competency=nope")
    assert response.status_code == 200
    assert re.search(r'<input[^>]*value="all"[^>]*checked', text(response))


def test_anonymous_answers_show_only_as_a_stepped_count(placement, acme, as_alice):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    peers = make_peers(acme, 4)
    for peer in peers[:2]:
        ask_and_answer(placement, peer, [Rating("shipping", "l1")], anonymous=True)
    said = words(as_alice.get("/dashboard/"))
    assert "anonymous answers" not in said
    assert "Answers that arrived" not in said
    for peer in peers[2:]:
        ask_and_answer(placement, peer, [Rating("shipping", "l1")], anonymous=True)
    said = words(as_alice.get("/dashboard/"))
    assert "3+ anonymous answers" in said
    assert "Peer Number" not in said
    assert "4 " not in said.split("Answers that arrived")[1].split("Requests still open")[0]


def test_anonymous_requests_are_only_counted_on_the_dashboard(placement, acme, as_alice):
    [peer] = make_peers(acme, 1)
    services.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
    )
    said = words(as_alice.get("/dashboard/"))
    assert "1 asked, 0 declined, fewer than 5 answered." in said
    assert "Peer Number0" not in said


def test_a_manager_sees_reports_to_rate_and_their_requests(placement, bob, as_bob):
    asked = services.request_feedback(
        placement=placement, relationship="manager", competencies=[], rater=bob
    )
    response = as_bob.get("/dashboard/")
    said = words(response)
    assert "Your team" in said
    assert "Rate Alice" in said
    assert f'href="/growth/placement/{placement.pk}/rate/"' in text(response)
    assert f'href="/growth/feedback/{asked.pk}/answer/"' in text(response)
    services.respond(feedback_request=asked, ratings=[Rating("shipping", "l2")], by=bob)
    assert "Your team" not in words(as_bob.get("/dashboard/"))


def test_the_team_section_is_only_for_managers(placement, asked_maya, as_maya, as_alice):
    assert "Your team" not in words(as_maya.get("/dashboard/"))
    assert "Your team" not in words(as_alice.get("/dashboard/"))


def test_the_latest_unread_notifications_show_until_read(alice, as_alice):
    note = Notification.objects.create(
        recipient=alice, kind="feedback.answered", title="Maya answered you", url="/growth/"
    )
    response = as_alice.get("/dashboard/")
    assert "Maya answered you" in words(response)
    assert 'href="/growth/"' in text(response)
    as_alice.post(f"/notifications/{note.pk}/read/")
    assert "Maya answered you" not in words(as_alice.get("/dashboard/"))


def test_someone_elses_organization_shows_nothing_of_theirs(asked_maya, as_eve):
    said = words(as_eve.get("/dashboard/"))
    assert "Alice" not in said
    assert "Maya" not in said


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_as_the_data_grows(placement, acme, bob, as_bob):
    services.place(
        user=bob, organization=acme, version=placement.version, track="ic", current_level="l1"
    )
    before = _page_queries(as_bob)
    for peer in make_peers(acme, 3):
        ask_and_answer(placement, peer, [Rating("shipping", "l1")])
        Notification.objects.create(recipient=bob, kind="feedback.answered", title="x")
    services.request_feedback(
        placement=placement, relationship="manager", competencies=[], rater=bob
    )
    assert _page_queries(as_bob) == before


# --- The demo ------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    from upward.demo import load_demo

    load_demo()


def _demo_client(email: str):
    return client_for(User.objects.get(email=email))


def test_the_demo_gives_alice_bob_and_maya_real_things_to_do(demo):
    alice = words(_demo_client("alice@example.com").get("/dashboard/"))
    assert "Your top gaps to IC4" in alice
    assert "Waiting for Maya Lindqvist" in alice
    assert "5+ anonymous answers" in alice
    assert "New for you" in alice
    bob = words(_demo_client("bob@example.com").get("/dashboard/"))
    assert "Your team" in bob
    assert "asks for your feedback" in bob
    maya = words(_demo_client("maya@example.com").get("/dashboard/"))
    assert "Alice Moreau asks for your feedback" in maya
    assert Membership.objects.filter(user__email="bob@example.com", role=Role.MANAGER).exists()


def test_ratings_nobody_confirmed_lead_to_asking_for_feedback(placement, maya, as_alice):
    ratings = [Rating("shipping", "l2"), Rating("reviews", "l2")]
    services.rate_self(placement=placement, ratings=ratings)
    response = as_alice.get("/dashboard/")
    assert "2 competencies of L2 still need someone else to confirm them." in words(response)
    assert f'href="/growth/placement/{placement.pk}/feedback/new/"' in text(response)
    assert "Nothing is waiting for you." not in words(response)
    ask_and_answer(placement, maya, ratings, relationship="mentor")
    assert "Nothing is waiting for you." in words(as_alice.get("/dashboard/"))

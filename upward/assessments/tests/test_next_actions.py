"""The dashboard's next actions: each kind appears, and goes once it is done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Membership, TeamMembership
from upward.assessments import services
from upward.assessments.models import FeedbackResponse
from upward.assessments.next_actions import RATING_DUE_DAYS, next_actions
from upward.assessments.services import Rating
from upward.assessments.tests.pages import ask_and_answer, make_peers
from upward.testing import make_user

# --- Feedback to give ----------------------------------------------------------------------


def test_a_request_to_answer_shows_with_the_requesters_name_until_answered(asked_maya, maya, acme):
    [item] = next_actions(maya, acme).to_answer
    assert item.requester == "Alice"
    assert item.url == f"/growth/feedback/{asked_maya.pk}/answer/"
    services.respond(feedback_request=asked_maya, ratings=[Rating("shipping", "l1")], by=maya)
    assert next_actions(maya, acme).to_answer == []


def test_a_declined_request_leaves_the_raters_list(asked_maya, maya, acme):
    services.decline(feedback_request=asked_maya, by=maya)
    assert next_actions(maya, acme).to_answer == []


def test_an_expired_request_is_not_asked_of_anyone(asked_maya, maya, acme):
    asked_maya.expires_at = timezone.now() - timedelta(minutes=1)
    asked_maya.save(update_fields=["expires_at"])
    assert next_actions(maya, acme).to_answer == []


def test_requests_from_another_organization_stay_there(asked_maya, maya, globex):
    assert next_actions(maya, globex).to_answer == []


# --- Answers that arrived ------------------------------------------------------------------


def test_an_attributed_answer_arrives_with_its_raters_name(asked_maya, maya, alice, acme):
    assert next_actions(alice, acme).arrived == []
    services.respond(feedback_request=asked_maya, ratings=[Rating("shipping", "l1")], by=maya)
    [arrived] = next_actions(alice, acme).arrived
    assert (arrived.who, arrived.relationship) == ("Maya", "mentor")


def test_an_old_answer_is_no_longer_news(asked_maya, maya, alice, acme):
    services.respond(feedback_request=asked_maya, ratings=[Rating("shipping", "l1")], by=maya)
    FeedbackResponse.objects.update(answered_on=timezone.localdate() - timedelta(days=31))
    assert next_actions(alice, acme).arrived == []


def test_anonymous_answers_show_only_as_released_batches_never_one_by_one(placement, alice, acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    peers = make_peers(acme, 4)
    for count, peer in enumerate(peers, start=1):
        ask_and_answer(placement, peer, [Rating("shipping", "l1")], anonymous=True)
        actions = next_actions(alice, acme)
        assert actions.arrived == []  # never "a new anonymous answer arrived"
        expected = "3+" if count >= 3 else "fewer than 3"
        assert actions.anonymous_answers is not None
        assert actions.anonymous_answers.label == expected


# --- Top gaps and what to do about them ------------------------------------------------------


def test_a_gap_first_suggests_rating_yourself_then_asking_about_it(placement, alice, bob, acme):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    [gap] = next_actions(alice, acme).gaps
    assert (gap.key, gap.expected, gap.operating, gap.demonstrated) == ("shipping", "L2", "L1", "")
    assert gap.action == "Rate yourself on it"
    assert gap.url == f"/growth/placement/{placement.pk}/assess/#competency-shipping"
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    [gap] = next_actions(alice, acme).gaps
    assert gap.action == "Ask for feedback on it"
    assert gap.url == f"/growth/placement/{placement.pk}/feedback/new/?competency=shipping"
    assert gap.demonstrated == "L1"


def test_a_gap_closed_by_ratings_at_the_target_leaves(placement, alice, bob, maya, acme):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    ask_and_answer(placement, maya, [Rating("shipping", "l2")], relationship="mentor")
    assert next_actions(alice, acme).gaps == []


def test_without_gaps_unrated_competencies_are_counted(placement, alice, acme):
    actions = next_actions(alice, acme)
    assert actions.gaps == []
    assert actions.unassessed == 2
    assert actions.target == "L2"


# --- Requests still open ---------------------------------------------------------------------


def test_an_open_request_is_listed_until_withdrawn(asked_maya, alice, acme):
    [item] = next_actions(alice, acme).open_requests
    assert (item.who, item.relationship) == ("Maya", "mentor")
    services.withdraw(feedback_request=asked_maya, by=alice)
    assert next_actions(alice, acme).open_requests == []


def test_anonymous_requests_are_only_counted(placement, alice, acme):
    peers = make_peers(acme, 2)
    for peer in peers:
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
        )
    services.decline(feedback_request=placement.requests.first(), by=peers[1])
    actions = next_actions(alice, acme)
    assert actions.open_requests == []
    assert actions.anonymous_requests is not None
    assert (actions.anonymous_requests.asked, actions.anonymous_requests.declined) == (2, 1)
    assert actions.anonymous_requests.answered.label == "fewer than 5"


# --- Placement ----------------------------------------------------------------------------------


def test_someone_without_a_placement_gets_the_first_steps(alice, acme):
    actions = next_actions(alice, acme)
    assert actions.needs_placement
    assert (actions.gaps, actions.open_requests, actions.arrived) == ([], [], [])


def test_a_placement_elsewhere_does_not_count_here(placement, alice, globex):
    assert next_actions(alice, globex).needs_placement


# --- A manager's team ----------------------------------------------------------------------


def test_a_report_without_a_rating_from_their_manager_is_due_one(placement, bob, alice, acme):
    actions = next_actions(bob, acme)
    assert actions.is_manager
    [report] = actions.reports
    assert (report.name, report.placement_id, report.last_rated) == ("Alice", placement.pk, None)
    assert report.rating_due
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    assert next_actions(bob, acme).reports == []


def test_a_rating_older_than_the_limit_is_due_again(placement, bob, acme):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l1")])
    placement.user.signals.update(created_at=timezone.now() - timedelta(days=RATING_DUE_DAYS + 1))
    [report] = next_actions(bob, acme).reports
    assert report.rating_due
    assert report.top_gap == "Shipping"


def test_a_reports_request_to_their_manager_shows_in_the_team_section(placement, bob, alice, acme):
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("shipping", "l2")])
    asked = services.request_feedback(
        placement=placement, relationship="manager", competencies=[], rater=bob
    )
    actions = next_actions(bob, acme)
    assert actions.to_answer == []
    [report] = actions.reports
    assert not report.rating_due
    assert [w.request_id for w in report.waiting] == [asked.pk]
    services.respond(feedback_request=asked, ratings=[Rating("shipping", "l2")], by=bob)
    assert next_actions(bob, acme).reports == []


def test_a_report_without_a_placement_has_nothing_to_rate(alice, bob, acme):
    assert next_actions(bob, acme).reports == []


def test_someone_who_leads_nobody_has_no_team_section(asked_maya, maya, alice, acme):
    actions = next_actions(maya, acme)
    assert not actions.is_manager
    assert actions.reports == []
    assert not next_actions(alice, acme).is_manager


# --- Query budget ---------------------------------------------------------------------------------


def _grow(placement, bob, acme, n):
    """More of everything: answers, open requests, requests to Bob, reports."""
    for peer in make_peers(acme, n, prefix=f"grow{n}-"):
        ask_and_answer(placement, peer, [Rating("shipping", "l1")])
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer
        )
    for peer in make_peers(acme, n, prefix=f"anon{n}-"):
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
        )
    services.request_feedback(
        placement=placement, relationship="manager", competencies=[], rater=bob
    )


@pytest.mark.parametrize("n", [1, 4])
def test_the_query_budget_stays_the_same_as_the_data_grows(
    placement, alice, bob, acme, platform, ladder, django_assert_num_queries, n
):
    for i in range(n):
        report = make_user(f"report{n}-{i}@acme.test", f"Report {i}")
        Membership.objects.create(organization=acme, user=report)
        TeamMembership.objects.create(team=platform, user=report, organization=acme)
        services.place(
            user=report, organization=acme, version=ladder, track="ic", current_level="l1"
        )
    _grow(placement, bob, acme, n)
    services.place(user=bob, organization=acme, version=ladder, track="ic", current_level="l1")
    # 1 reports, 2 active placements (Bob's and his reports'), 3-4 their deltas (signals,
    # answers), 5 requests addressed to Bob, 6 answers Bob received lately, 7 Bob's open
    # requests, 8 Bob's anonymous request counts, 9 Bob's last rating of each report.
    with django_assert_num_queries(9):
        actions = next_actions(bob, acme)
    assert len(actions.reports) == n + 1


def test_nothing_to_do_is_said_only_when_placed_and_nothing_waits(
    placement, alice, bob, maya, acme
):
    assert not next_actions(alice, acme).up_to_date  # nothing rated yet
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("reviews", "l2")])
    actions = next_actions(alice, acme)
    assert (actions.unassessed, actions.unconfirmed) == (0, 2)
    assert not actions.up_to_date
    ratings = [Rating("shipping", "l2"), Rating("reviews", "l2")]
    ask_and_answer(placement, maya, ratings, relationship="mentor")
    assert next_actions(alice, acme).up_to_date
    services.request_feedback(
        placement=placement, relationship="manager", competencies=[], rater=bob
    )
    assert not next_actions(alice, acme).up_to_date


def test_a_plain_members_budget_has_no_team_queries(
    placement, asked_maya, maya, alice, acme, django_assert_num_queries
):
    services.respond(feedback_request=asked_maya, ratings=[Rating("shipping", "l1")], by=maya)
    # 1 reports (none), 2 active placements, 3-4 the delta (signals, answers), 5 requests
    # addressed to Alice, 6 answers she received lately, 7 her open requests, 8 her
    # anonymous request counts.
    with django_assert_num_queries(8):
        next_actions(alice, acme)


def test_without_a_placement_only_the_requests_to_answer_are_read(
    asked_maya, maya, acme, django_assert_num_queries
):
    # 1 reports (none), 2 active placements (none: no delta), 3 requests addressed to Maya.
    with django_assert_num_queries(3):
        assert len(next_actions(maya, acme).to_answer) == 1

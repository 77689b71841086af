"""The packet as a document: what goes in, as the member chose, as the anonymity rule
allows; and what proof is missing."""

# The shared fixtures are imported by name, so tests naming them look like redefinitions.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.accounts.models import Membership
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.evidence.access.packets import access_packet
from upward.evidence.selectors.packets import (
    link_status,
    packet_builder,
    packet_document,
    packets_of,
    share_links_of,
)
from upward.evidence.services.entries import confirm_entry
from upward.evidence.services.packets import create_share_link, open_share_link
from upward.evidence.tests.factories import placed
from upward.evidence.tests.test_packets_world import (  # noqa: F401 (fixtures)
    OBJECTIVE,
    PAT_GAP,
    PAT_SAYS,
    REVIEWED,
    SHIPPED,
    entry,
    packet,
    pat,
    world,
)
from upward.testing import make_user

ANONYMOUS_SAYS = "Quietly excellent at untangling the nightly jobs, number"


def section(doc, key):
    return next(s for s in doc.sections if s.key == key)


def everything_in(doc) -> str:
    """Every text of the document, to look for what must not be there."""
    return repr(doc)


def test_a_packet_has_a_section_per_competency_with_expectation_and_standing(packet):
    doc = packet_document(packet)

    assert [s.key for s in doc.sections] == ["shipping", "reviews"]
    shipping = section(doc, "shipping")
    assert shipping.name == "Shipping"
    assert shipping.expectation == "shipping at l2: scope number 1"
    assert (shipping.status, shipping.expected, shipping.demonstrated) == ("met", "L2", "L2")
    assert doc.person == "Alice"
    assert doc.target_level == "L2 Level 2"
    assert doc.current_level == "L1 Level 1"
    assert doc.framework == "Tiny Ladder"
    assert doc.readiness == pytest.approx(0.5)


def test_confirmed_evidence_names_its_confirmer_and_the_step_they_saw(packet):
    doc = packet_document(packet)

    [proof] = section(doc, "shipping").proof
    assert proof.title == SHIPPED
    assert proof.confirmed
    assert [(c.name, c.relation, c.step) for c in proof.confirmed_by] == [("Bob", "manager", "L2")]
    assert proof.links == (("Release notes", "https://example.com/release-notes"),)
    assert (proof.metric, proof.metric_before, proof.metric_after) == (
        "Export time",
        "40 min",
        "6 min",
    )
    [unconfirmed] = section(doc, "reviews").proof
    assert unconfirmed.title == REVIEWED
    assert not unconfirmed.confirmed


def test_attributed_answers_are_quoted_under_the_competency_they_rated(packet):
    doc = packet_document(packet)

    quotes = section(doc, "shipping").quotes
    assert [(q.text, q.who, q.relation, q.question) for q in quotes] == [
        (PAT_SAYS, "Pat Peer", "peer", "consistent_at"),
        (PAT_GAP, "Pat Peer", "peer", "biggest_gap"),
    ]
    assert section(doc, "reviews").quotes == []


def test_done_objectives_show_under_the_competencies_they_served(packet):
    doc = packet_document(packet)

    [done] = section(doc, "shipping").objectives
    assert done.title == OBJECTIVE
    assert done.completed_on == timezone.localdate()
    assert done.note == "Released to every customer."
    assert section(doc, "reviews").objectives == []


def test_missing_proof_names_a_competency_not_yet_demonstrated_consistently(packet):
    doc = packet_document(packet)

    assert [(m.key, m.reason) for m in doc.missing] == [
        (
            "reviews",
            "not demonstrated consistently: operating L2, demonstrated nothing yet, expects L2",
        )
    ]


def test_missing_proof_names_a_competency_met_without_confirmed_evidence(packet, placement, bob):
    assessments.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("reviews", "l2")])

    doc = packet_document(packet)

    assert section(doc, "reviews").status == "met"
    assert [(m.key, m.reason) for m in doc.missing] == [
        ("reviews", "met, but no confirmed evidence")
    ]


def test_missing_proof_names_a_competency_below_expectation(packet, placement, bob):
    assessments.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("reviews", "l1")])

    doc = packet_document(packet)

    assert [(m.key, m.reason) for m in doc.missing] == [
        ("reviews", "below expectation: operating L1, expects L2")
    ]


def test_leaving_out_the_confirmed_entry_puts_its_competency_in_missing_proof(packet, world):
    packet.choices = {"entries": [world["reviewed"].pk]}

    doc = packet_document(packet)

    assert section(doc, "shipping").proof == []
    assert ("shipping", "met, but no confirmed evidence") in [
        (m.key, m.reason) for m in doc.missing
    ]


def test_choices_keep_only_the_items_listed(packet, world):
    packet.choices = {"entries": [world["shipped"].pk], "quotes": [], "objectives": []}

    doc = packet_document(packet)

    assert [p.title for s in doc.sections for p in s.proof] == [SHIPPED]
    assert all(s.quotes == [] and s.objectives == [] for s in doc.sections)


def test_absent_choices_include_every_eligible_item(packet, world):
    packet.choices = {"quotes": [world["answer"].pk]}

    doc = packet_document(packet)

    assert len(section(doc, "shipping").quotes) == 2
    assert [p.title for s in doc.sections for p in s.proof] == [SHIPPED, REVIEWED]
    assert len(section(doc, "shipping").objectives) == 1


def test_someone_elses_evidence_and_other_organizations_evidence_stay_out(
    packet, bob, acme, ladder, eve, globex
):
    entry(placed(bob, acme, ladder), "Bob's own work", "shipping")
    Membership.objects.create(organization=globex, user=packet.owner)
    elsewhere = placed(packet.owner, globex, _globex_ladder(globex, eve))
    entry(elsewhere, "Alice's work at Globex", "shipping")

    doc = packet_document(packet)

    assert [p.title for s in doc.sections for p in s.proof] == [SHIPPED, REVIEWED]


def _globex_ladder(globex, eve):
    from upward.evidence.tests.factories import tiny_ladder

    return tiny_ladder(globex, eve)


# --- Anonymity ---------------------------------------------------------------------------


def _anonymous_answers(placement, acme, count: int) -> list[str]:
    """`count` people answer anonymously, rating shipping and writing a sentence each."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    names = []
    for i in range(count):
        person = make_user(f"anon{i}@acme.test", f"Hidden Rater {i}")
        Membership.objects.create(organization=acme, user=person)
        asked = assessments.request_feedback(
            placement=placement,
            relationship="peer",
            competencies=["shipping"],
            rater=person,
            anonymous=True,
        )
        assessments.respond(
            feedback_request=asked,
            ratings=[Rating("shipping", "l3" if i else "l2")],
            consistent_at=f"{ANONYMOUS_SAYS} {i}",
            by=person,
        )
        names.append(person.name)
    return names


def test_below_the_threshold_no_anonymous_aggregate_or_words_go_in(packet, placement, acme):
    names = _anonymous_answers(placement, acme, 2)

    doc = packet_document(packet)

    assert all(s.anonymous is None for s in doc.sections)
    text = everything_in(doc)
    assert ANONYMOUS_SAYS not in text
    assert not any(name in text for name in names)


def test_at_the_threshold_only_the_aggregate_goes_in_with_no_names_or_dates(
    packet, placement, acme
):
    names = _anonymous_answers(placement, acme, 3)

    doc = packet_document(packet)

    shown = section(doc, "shipping").anonymous
    assert shown is not None
    assert set(vars(shown)) == {"count_label", "median", "spread"}  # nothing dated or named
    assert shown.count_label == "3+"
    assert shown.median == "L3"
    assert shown.spread == (("L1", 0), ("L2", 1), ("L3", 2))
    assert section(doc, "reviews").anonymous is None
    text = everything_in(doc)
    assert ANONYMOUS_SAYS not in text
    assert not any(name in text for name in names)
    # Only Pat's attributed words are quoted: nothing anonymous becomes a quote.
    assert {q.who for s in doc.sections for q in s.quotes} == {"Pat Peer"}


def test_the_member_may_leave_the_anonymous_summary_out(packet, placement, acme):
    _anonymous_answers(placement, acme, 3)
    packet.choices = {"anonymous": False}

    doc = packet_document(packet)

    assert all(s.anonymous is None for s in doc.sections)


# --- The builder, lists, budgets ---------------------------------------------------------


def test_the_builder_lists_every_item_and_whether_it_is_in(packet, world):
    packet.choices = {"entries": [world["shipped"].pk], "anonymous": False}

    builder = packet_builder(packet)

    assert [(c.title, c.included) for c in builder.entries] == [(REVIEWED, False), (SHIPPED, True)]
    assert [(c.title, c.included) for c in builder.quotes] == [(PAT_SAYS, True)]
    assert "Pat Peer (peer)" in builder.quotes[0].detail
    assert [(c.title, c.included) for c in builder.objectives] == [(OBJECTIVE, True)]
    assert builder.anonymous is False
    assert builder.anonymous_released is False
    assert "confirmed by 1" in builder.entries[1].detail


def fresh(packet):
    """The packet as `access_packet` reads it."""
    return access_packet(packet.owner, packet.pk)


def test_a_packet_is_read_in_the_same_queries_however_much_it_holds(packet, placement, maya, bob):
    with CaptureQueriesContext(connection) as few:
        packet_document(fresh(packet))
    for i in range(4):
        more = entry(
            placement,
            f"More work {i}",
            "reviews",
            happened_on=timezone.localdate() - timedelta(days=i),
            visibility="organization",
        )
        confirm_entry(entry=more, by=maya, relation="peer", steps={"reviews": "l2"})
        confirm_entry(entry=more, by=bob, relation="manager", steps={"reviews": "l2"})

    with CaptureQueriesContext(connection) as many:
        doc = packet_document(fresh(packet))

    assert len(section(doc, "reviews").proof) == 5
    assert len(few) == len(many)


def test_a_packet_document_costs_eight_queries(packet, django_assert_num_queries):
    packet = fresh(packet)
    # signals, answers (the delta), how the owner stands to themselves, entries,
    # their confirmations with confirmers, attributed answers with their raters, the
    # competencies those answers rated, done objectives
    with django_assert_num_queries(8):
        packet_document(packet)


def test_packets_and_links_are_listed_in_fixed_queries(
    packet, alice, acme, django_assert_num_queries
):
    _link, secret = create_share_link(packet=packet, by=alice, days=7)
    open_share_link(secret=secret, viewer=None)
    # packets with their placement and live links counted
    with django_assert_num_queries(1):
        [listed] = packets_of(alice, acme)
    assert listed.live_links == 1  # type: ignore[attr-defined]
    # links, their opens with viewers
    with django_assert_num_queries(2):
        [link] = share_links_of(packet)
        assert len(link.opens.all()) == 1
    assert link_status(link) == "live"

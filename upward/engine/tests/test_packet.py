"""The promotion packet from a hand-built delta: sections, proof order, missing proof,
and the Markdown document."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from markdown_it import MarkdownIt

from upward.engine.delta import CompetencyDelta, Delta, Status
from upward.engine.packet import (
    AnonymousSummary,
    Confirmer,
    DoneObjective,
    EvidenceInput,
    Quote,
    build_packet,
    to_dict,
    to_markdown,
)

TODAY = date(2026, 11, 25)


def row(key, status, *, operating="ic4", demonstrated="ic4", expected="ic4", kind="skill"):
    return CompetencyDelta(
        key=key,
        name=key.title(),
        kind=kind,
        weight=1.0,
        expected=expected,
        operating=operating,
        demonstrated=demonstrated,
        gap=0,
        status=status,
        score=0.0,
        counted=[],
        target_text=f"Does {key} at the next level.",
    )


DELTA = Delta(
    competencies=[
        row("delivery", Status.MET, kind="impact"),
        row("design", Status.UNCONFIRMED, demonstrated="ic3"),
        row("influence", Status.GAP, operating="ic3", demonstrated=None, kind="impact"),
        row("mentoring", Status.MET, kind="behavior"),
        row("testing", Status.UNASSESSED, operating=None, demonstrated=None),
        row("hiring", Status.MET, expected=None),
    ],
    top_gaps=["influence"],
    needs_assessment=["testing"],
    readiness=0.375,
)

BOB = Confirmer("Bob", "manager", "ic4")
PAT = Confirmer("Pat", "peer", "ic4")

ENTRIES = [
    EvidenceInput(
        key="old-confirmed",
        title="Led the checkout rewrite",
        happened_on=date(2026, 3, 1),
        steps={"delivery": "ic4", "design": "ic4"},
        impact="Checkout **conversion** rose.",
        body="We rewrote it in *six* weeks.",
        scope="organization",
        metric="p95 latency",
        metric_before="800 ms",
        metric_after="200 ms",
        links=(("Pull request", "https://example.com/pr/1"),),
        confirmations=(("delivery", BOB), ("design", PAT)),
        objective="Rewrite checkout",
    ),
    EvidenceInput(
        key="new-claim",
        title="Cut search latency",
        happened_on=date(2026, 10, 1),
        steps={"delivery": "ic4"},
    ),
    EvidenceInput(
        key="newer-claim",
        title="Wrote the runbooks",
        happened_on=date(2026, 11, 1),
        steps={"delivery": "ic3", "mentoring": "ic4"},
    ),
]


def packet(**extra):
    args: dict[str, Any] = dict(
        title="Promotion to IC4",
        person="Alice",
        framework="Example Ladder",
        track="Engineering",
        current_level="IC3",
        target_level="IC4",
        today=TODAY,
        summary="I grew *a lot*.",
        entries=ENTRIES,
    )
    args.update(extra)
    return build_packet(DELTA, **args)


def test_there_is_a_section_per_competency_in_the_deltas_order():
    doc = packet()
    assert [s.key for s in doc.sections] == [
        "delivery",
        "design",
        "influence",
        "mentoring",
        "testing",
        "hiring",
    ]
    delivery = doc.sections[0]
    assert (delivery.expected, delivery.status, delivery.operating) == ("ic4", "met", "ic4")
    assert delivery.expectation == "Does delivery at the next level."
    assert (doc.readiness, doc.generated_on, doc.person) == (0.375, TODAY, "Alice")


def test_proof_lists_confirmed_entries_first_then_the_newest():
    delivery = packet().sections[0]
    assert [p.key for p in delivery.proof] == ["old-confirmed", "newer-claim", "new-claim"]
    assert [p.step for p in delivery.proof] == ["ic4", "ic3", "ic4"]


def test_a_proof_carries_only_the_confirmations_of_its_competency():
    doc = packet()
    delivery, design = doc.sections[0], doc.sections[1]
    assert delivery.proof[0].confirmed_by == (BOB,)
    assert design.proof[0].confirmed_by == (PAT,)
    assert delivery.proof[1].confirmed is False


def test_entries_appear_only_under_the_competencies_they_name():
    doc = packet()
    by_key = {s.key: [p.key for p in s.proof] for s in doc.sections}
    assert by_key["influence"] == []
    assert by_key["mentoring"] == ["newer-claim"]


def test_missing_proof_names_each_expected_competency_not_met_or_not_confirmed():
    doc = packet()
    assert [(m.key, m.reason) for m in doc.missing] == [
        (
            "design",
            "not demonstrated consistently: operating ic4, demonstrated ic3, expects ic4",
        ),
        ("influence", "below expectation: operating ic3, expects ic4"),
        ("mentoring", "met, but no confirmed evidence"),
        ("testing", "not assessed yet"),
    ]  # delivery is met with confirmed proof; hiring is not expected


def test_quotes_anonymous_ratings_and_objectives_go_to_their_competency():
    quote = Quote("Owns delivery end to end.", "Bob", "manager", date(2026, 10, 1), "consistent_at")
    shown = AnonymousSummary("5+", "ic4", (("ic3", 1), ("ic4", 4)))
    done = DoneObjective("Ship checkout", date(2026, 4, 1), "on time")
    doc = packet(
        quotes={"delivery": [quote]},
        anonymous={"influence": shown},
        objectives={"delivery": [done]},
    )
    delivery, influence = doc.sections[0], doc.sections[2]
    assert delivery.quotes == [quote]
    assert delivery.objectives == [done]
    assert influence.anonymous == shown
    assert delivery.anonymous is None
    assert influence.quotes == []


def test_step_names_turn_every_step_into_what_readers_see():
    shown = AnonymousSummary("5+", "ic4", (("ic3", 1), ("ic4", 4)))
    doc = packet(anonymous={"delivery": shown}, step_name=lambda _c, step: step.upper())
    delivery = doc.sections[0]
    assert (delivery.expected, delivery.operating, delivery.demonstrated) == ("IC4",) * 3
    assert delivery.proof[0].step == "IC4"
    assert delivery.proof[0].confirmed_by[0].step == "IC4"
    assert delivery.anonymous == AnonymousSummary("5+", "IC4", (("IC3", 1), ("IC4", 4)))
    assert doc.missing[1].reason == "below expectation: operating IC3, expects IC4"


def test_a_packet_without_entries_misses_proof_for_every_met_competency():
    doc = build_packet(
        DELTA,
        title="T",
        person="",
        framework="F",
        track="",
        current_level="IC3",
        target_level="IC4",
        today=TODAY,
    )
    assert all(s.proof == [] for s in doc.sections)
    assert ("delivery", "met, but no confirmed evidence") in [
        (m.key, m.reason) for m in doc.missing
    ]


# Markdown


def markdown(**extra) -> str:
    quote = Quote(
        "Owns delivery\nend to end.", "Bob", "manager", date(2026, 10, 1), "consistent_at"
    )
    return to_markdown(
        packet(
            quotes={"delivery": [quote]},
            anonymous={"influence": AnonymousSummary("5+", "ic3", (("ic3", 4), ("ic4", 1)))},
            objectives={"delivery": [DoneObjective("Ship checkout", date(2026, 4, 1))]},
            **extra,
        )
    )


def test_the_document_opens_with_title_person_framework_levels_and_readiness():
    text = markdown()
    assert text.startswith("# Promotion to IC4\n")
    for line in [
        "- **Person:** Alice",
        "- **Framework:** Example Ladder (Engineering)",
        "- **Levels:** IC3 → IC4",
        "- **Readiness:** 37.5% of the target level's required expectations demonstrated",
        "- **Prepared on:** 2026-11-25",
        "## Summary\n\nI grew *a lot*.",
    ]:
        assert line in text


def test_the_contents_link_every_section_and_the_missing_proof():
    text = markdown()
    contents = text.split("## Contents\n\n")[1].split("\n\n")[0].splitlines()
    assert contents == [
        "1. [Delivery](#delivery): met",
        "2. [Design](#design): reached, not yet demonstrated consistently",
        "3. [Influence](#influence): below expectation",
        "4. [Mentoring](#mentoring): met",
        "5. [Testing](#testing): not assessed yet",
        "6. [Hiring](#hiring): met",
        "7. [Missing proof](#missing-proof)",
    ]


def test_sections_come_in_order_each_with_expectation_and_status():
    text = markdown()
    positions = [text.index(f"\n## {name}\n") for name in ("Delivery", "Design", "Influence")]
    assert positions == sorted(positions)
    assert "*Impact* · expects ic4\n\n> Does delivery at the next level." in text
    assert "**Status:** met (operating ic4, demonstrated ic4)" in text
    assert "*Skill* · not expected at this level" in text
    assert "**Status:** not assessed yet\n" in text


def test_evidence_shows_impact_before_what_happened_then_metric_links_confirmations():
    text = markdown()
    entry = text.split("#### Led the checkout rewrite")[1].split("####")[0]
    assert "2026-03-01 · claims ic4 · scope: organization · ✓ confirmed" in entry
    order = [
        entry.index("**Impact**\n\nCheckout **conversion** rose."),
        entry.index("**What happened**\n\nWe rewrote it in *six* weeks."),
        entry.index("**Metric:** p95 latency: 800 ms → 200 ms"),
        entry.index("**Links:** [Pull request](https://example.com/pr/1)"),
        entry.index("**Confirmed by:** ✓ Bob (manager) at ic4"),
        entry.index("**Objective:** Rewrite checkout"),
    ]
    assert order == sorted(order)
    assert "2026-10-01 · claims ic4 · not confirmed yet" in text


def test_quotes_anonymous_ratings_and_objectives_are_written_under_their_section():
    text = markdown()
    assert (
        "### In others' words\n\n**Operating consistently**\n\n"
        "> Owns delivery\n> end to end.\n>\n> — Bob, manager, 2026-10-01"
    ) in text
    assert "### Anonymous ratings\n\n5+ answers; median ic3; spread ic3: 4, ic4: 1." in text
    assert "### Objectives done\n\n- **Ship checkout** (done 2026-04-01)" in text


def test_missing_proof_closes_the_document():
    text = markdown()
    tail = text.split("## Missing proof\n\n")[1]
    assert tail.splitlines() == [
        "- **Design**: not demonstrated consistently: operating ic4, demonstrated ic3, expects ic4",
        "- **Influence**: below expectation: operating ic3, expects ic4",
        "- **Mentoring**: met, but no confirmed evidence",
        "- **Testing**: not assessed yet",
    ]


def test_nothing_missing_is_said_in_words():
    delta = Delta(
        competencies=[row("delivery", Status.MET)], top_gaps=[], needs_assessment=[], readiness=1.0
    )
    doc = build_packet(
        delta,
        title="T",
        person="A",
        framework="F",
        track="",
        current_level="1",
        target_level="2",
        today=TODAY,
        entries=[ENTRIES[0]],
    )
    text = to_markdown(doc)
    assert "Nothing is missing" in text
    assert "- **Readiness:** 100% of" in text
    assert "## Summary" not in text


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("*bold* [link](http://x)", r"\*bold\* \[link\](http://x)"),
        ("1. Not a list", r"1\. Not a list"),
        ("<script>", r"\<script\>"),
        ("two\nlines", "two lines"),
    ],
)
def test_plain_texts_are_escaped_so_they_read_as_typed(title, shown):
    entry = EvidenceInput(key="x", title=title, happened_on=TODAY, steps={"delivery": "ic4"})
    text = to_markdown(packet(entries=[entry]))
    assert f"#### {shown}\n" in text
    html = MarkdownIt("commonmark").render(text)
    assert "<script>" not in html
    assert "<em>bold</em>" not in html


def test_headings_that_repeat_get_numbered_anchors():
    delta = Delta(
        competencies=[row("a", Status.MET), row("b", Status.MET)],
        top_gaps=[],
        needs_assessment=[],
        readiness=1.0,
    )
    same = [CompetencyDelta(**{**vars(c), "name": "Same name"}) for c in delta.competencies]
    delta.competencies = same
    doc = build_packet(
        delta,
        title="T",
        person="",
        framework="F",
        track="",
        current_level="1",
        target_level="2",
        today=TODAY,
    )
    text = to_markdown(doc)
    assert "1. [Same name](#same-name): met" in text
    assert "2. [Same name](#same-name-1): met" in text


def test_the_plain_data_form_is_json_with_iso_dates():
    quote = Quote("Q", "Bob", "manager", None, "biggest_gap")
    doc = packet(
        quotes={"delivery": [quote]},
        anonymous={"delivery": AnonymousSummary("5+", "ic4", (("ic4", 5),))},
        objectives={"delivery": [DoneObjective("Ship", date(2026, 4, 1))]},
    )
    data = json.loads(json.dumps(to_dict(doc)))
    assert data["generated_on"] == "2026-11-25"
    delivery = data["sections"][0]
    assert delivery["proof"][0]["happened_on"] == "2026-03-01"
    assert delivery["proof"][0]["confirmed"] is True
    assert delivery["proof"][0]["confirmed_by"] == [
        {"name": "Bob", "relation": "manager", "step": "ic4"}
    ]
    assert delivery["proof"][0]["links"] == [
        {"label": "Pull request", "url": "https://example.com/pr/1"}
    ]
    assert delivery["quotes"][0]["on"] is None
    assert delivery["anonymous"] == {
        "count_label": "5+",
        "median": "ic4",
        "spread": [{"step": "ic4", "count": 5}],
    }
    assert delivery["objectives"] == [{"title": "Ship", "completed_on": "2026-04-01", "note": ""}]
    assert data["missing"][0] == {
        "key": "design",
        "name": "Design",
        "reason": "not demonstrated consistently: operating ic4, demonstrated ic3, expects ic4",
    }

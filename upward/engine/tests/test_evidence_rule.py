"""The evidence rule on the hand-computed example of docs/delta-policy.md ("Evidence").

An entry is the member's claim; a confirmation is an independent voice from the
person who gave it; a person is one voice whatever sources they speak through.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from upward.engine.delta import Policy, Signal, Source, Status, Target, compute_delta

LEVELS = ["ic1", "ic2", "ic3", "ic4", "ic5"]
TODAY = date(2026, 11, 25)


def target(key: str, kind: str = "skill", weight: float = 1.0) -> Target:
    return Target(key=key, name=key.title(), kind=kind, weight=weight, steps=LEVELS, expected="ic4")


def rating(competency: str, step: str, source: str, rater: str, on: str) -> Signal:
    return Signal(competency, step, Source(source), rater, date.fromisoformat(on))


def claim(entry: str, competency: str, step: str, on: str) -> Signal:
    return Signal(competency, step, Source.EVIDENCE, f"evidence:{entry}", date.fromisoformat(on))


def confirmation(by: str, competency: str, step: str, on: str) -> Signal:
    return Signal(competency, step, Source.EVIDENCE, by, date.fromisoformat(on), confirmed=True)


TARGETS = [
    target("delivery", "impact"),
    target("design", "skill"),
    target("influence", "impact"),
    target("collaboration", "behavior", weight=2.0),
    target("mentoring", "behavior"),
    target("operations", "skill"),
    target("testing", "skill"),
]

SIGNALS = [
    # Ratings
    rating("design", "ic4", "self", "alice", "2026-10-01"),
    rating("influence", "ic3", "manager", "bob", "2026-09-01"),
    rating("collaboration", "ic4", "manager", "bob", "2026-09-01"),
    rating("mentoring", "ic4", "mentor", "maya", "2026-09-20"),
    # checkout, 2026-09-10: delivery IC4, design IC4; Pat confirms delivery IC4, Bob design IC3
    claim("checkout", "delivery", "ic4", "2026-09-10"),
    claim("checkout", "design", "ic4", "2026-09-10"),
    confirmation("pat", "delivery", "ic4", "2026-09-10"),
    confirmation("bob", "design", "ic3", "2026-09-10"),
    # search, 2026-07-15: delivery IC4; Bob confirms IC4
    claim("search", "delivery", "ic4", "2026-07-15"),
    confirmation("bob", "delivery", "ic4", "2026-07-15"),
    # runbooks, 2026-06-01: operations IC4; nobody confirmed it
    claim("runbooks", "operations", "ic4", "2026-06-01"),
    # onboarding, 2026-08-20: mentoring IC3; Maya confirms IC4
    claim("onboarding", "mentoring", "ic3", "2026-08-20"),
    confirmation("maya", "mentoring", "ic4", "2026-08-20"),
    # reviews, 2026-10-12: mentoring IC3, collaboration IC4; Maya confirms mentoring IC4,
    # Pat confirms collaboration IC4
    claim("reviews", "mentoring", "ic3", "2026-10-12"),
    claim("reviews", "collaboration", "ic4", "2026-10-12"),
    confirmation("maya", "mentoring", "ic4", "2026-10-12"),
    confirmation("pat", "collaboration", "ic4", "2026-10-12"),
]

# competency: (operating, demonstrated, gap, status, signals counted)
EXPECTED = {
    "delivery": ("ic4", "ic4", 0, Status.MET, 4),
    "design": ("ic4", "ic3", 0, Status.UNCONFIRMED, 3),
    "influence": ("ic3", None, 1, Status.GAP, 1),
    "collaboration": ("ic4", "ic4", 0, Status.MET, 3),
    "mentoring": ("ic3", "ic3", 1, Status.GAP, 4),
    "operations": ("ic4", None, 0, Status.UNCONFIRMED, 1),
    "testing": (None, None, 0, Status.UNASSESSED, 0),
}


def test_the_documented_evidence_example_matches_the_hand_computed_table():
    delta = compute_delta(TARGETS, SIGNALS, today=TODAY)
    got = {
        row.key: (row.operating, row.demonstrated, row.gap, row.status, len(row.counted))
        for row in delta.competencies
    }
    assert got == EXPECTED
    assert delta.readiness == pytest.approx(3 / 8)  # delivery (1) and collaboration (2)
    assert delta.top_gaps == ["influence", "mentoring"]  # 1.5, then 1.25
    assert delta.needs_assessment == ["testing"]


def test_a_confirmation_supersedes_the_same_persons_earlier_one():
    delta = compute_delta(TARGETS, SIGNALS, today=TODAY)
    mentoring = next(r for r in delta.competencies if r.key == "mentoring")
    mayas = [(s.source, s.on) for s in mentoring.counted if s.rater == "maya"]
    assert mayas == [(Source.MENTOR, date(2026, 9, 20)), (Source.EVIDENCE, date(2026, 10, 12))]


def test_an_entry_alone_is_a_claim_and_never_demonstrates_a_step():
    delta = compute_delta([target("x")], [claim("e1", "x", "ic4", "2026-11-01")], today=TODAY)
    row = delta.competencies[0]
    assert (row.operating, row.demonstrated, row.status) == ("ic4", None, Status.UNCONFIRMED)


def test_claims_count_as_one_self_signal_however_many_there_are():
    signals = [
        rating("x", "ic4", "self", "alice", "2026-10-01"),
        claim("e1", "x", "ic4", "2026-09-01"),
        claim("e2", "x", "ic4", "2026-10-01"),
        claim("e3", "x", "ic4", "2026-11-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY).competencies[0]
    assert (row.operating, row.demonstrated) == ("ic4", None)


def test_a_claim_and_one_confirmation_demonstrate_the_step_they_both_reach():
    signals = [
        claim("e1", "x", "ic4", "2026-09-01"),
        confirmation("bob", "x", "ic4", "2026-09-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY).competencies[0]
    assert (row.demonstrated, row.status) == ("ic4", Status.MET)


def test_two_confirmed_entries_from_different_people_demonstrate_a_step_without_claims():
    policy = Policy(max_self_in_consistency=0)
    signals = [
        claim("e1", "x", "ic4", "2026-09-01"),
        confirmation("bob", "x", "ic4", "2026-09-01"),
        claim("e2", "x", "ic4", "2026-10-01"),
        confirmation("pat", "x", "ic4", "2026-10-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY, policy=policy).competencies[0]
    assert row.demonstrated == "ic4"


def test_the_same_person_confirming_two_entries_is_one_voice():
    policy = Policy(max_self_in_consistency=0)
    signals = [
        claim("e1", "x", "ic4", "2026-09-01"),
        confirmation("bob", "x", "ic4", "2026-09-01"),
        claim("e2", "x", "ic4", "2026-10-01"),
        confirmation("bob", "x", "ic4", "2026-10-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY, policy=policy).competencies[0]
    assert row.demonstrated is None


def test_a_rating_and_a_confirmation_by_the_same_person_are_one_voice():
    policy = Policy(max_self_in_consistency=0)
    signals = [
        rating("x", "ic4", "manager", "user:7", "2026-09-01"),
        confirmation("user:7", "x", "ic4", "2026-10-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY, policy=policy).competencies[0]
    assert (row.operating, row.demonstrated) == ("ic4", None)
    assert len(row.counted) == 2  # both count toward the operating step


def test_a_person_who_also_claims_is_heard_as_a_claim():
    # The member "confirming" their own entry adds nothing to their self-rating.
    signals = [
        rating("x", "ic4", "self", "alice", "2026-09-01"),
        confirmation("alice", "x", "ic4", "2026-10-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY).competencies[0]
    assert row.demonstrated is None


def test_a_voice_reaches_the_highest_step_any_of_its_signals_reaches():
    signals = [
        rating("x", "ic3", "manager", "bob", "2026-11-01"),
        confirmation("bob", "x", "ic4", "2026-09-01"),
        rating("x", "ic4", "peer", "pat", "2026-10-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY).competencies[0]
    assert row.demonstrated == "ic4"


def test_a_confirmed_signal_of_another_source_is_not_special():
    # Only evidence is confirmed; a confirmed flag on a self-rating keeps it a claim.
    signal = replace(rating("x", "ic4", "self", "alice", "2026-10-01"), confirmed=True)
    assert signal.claim
    assert not confirmation("bob", "x", "ic4", "2026-10-01").claim
    assert claim("e1", "x", "ic4", "2026-10-01").claim


def test_many_voices_stay_fast():
    signals = [confirmation(f"p{i}", "x", LEVELS[i % 5], "2026-10-01") for i in range(20_000)] + [
        claim(f"e{i}", "x", "ic5", "2026-10-01") for i in range(20_000)
    ]
    row = compute_delta([target("x")], signals, today=TODAY).competencies[0]
    assert row.demonstrated == "ic5"

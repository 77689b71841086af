"""Evidence in files: the evidence file of `upward packet`, and confirmations in the
signals file of `upward delta`. Every bad entry is reported with its line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from upward.engine.delta import Signal, Source, Target, compute_delta, targets_from_framework
from upward.engine.evidence_file import read_evidence, signals_of
from upward.engine.formats import read_any
from upward.engine.issues import FrameworkError
from upward.engine.packet import Confirmer, EvidenceInput
from upward.engine.signals_file import read_signals

LEVELS = ["ic1", "ic2", "ic3", "ic4", "ic5"]
TODAY = date(2026, 11, 25)
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
TARGETS = [
    Target("delivery", "Delivery", "impact", 1.0, LEVELS, "ic4"),
    Target("design", "Design", "skill", 1.0, LEVELS, "ic4"),
    Target("craft", "Craft", "skill", 1.0, ["novice", "practising", "expert"], "practising"),
]

GOOD = """\
- key: checkout
  title: Led the checkout rewrite
  date: 2026-09-10
  competencies: {delivery: ic4, design: ic3}
  impact: Conversion rose.
  body: |
    We rewrote it.
  scope: organization
  metric: p95 latency
  before: 800
  after: 200 ms
  links:
    - {url: "https://example.com/pr/1", label: Pull request}
    - {url: "https://example.com/doc"}
  confirmations:
    - {by: Bob, relation: manager, steps: {delivery: ic4, design: ic3}}
    - {by: Pat, relation: peer, steps: {delivery: ic3}}
  objective: Rewrite checkout
- key: runbooks
  title: Wrote runbooks
  date: 2026-06-01
  competencies: {delivery: ic3}
"""


def read(text: str, **kw):
    return read_evidence(text, "evidence.yaml", targets=TARGETS, today=TODAY, **kw)


def problems(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        read(text)
    return [str(issue) for issue in caught.value.issues]


def test_a_good_file_gives_entries_with_every_field():
    entries, _signals = read(GOOD)
    assert entries[0] == EvidenceInput(
        key="checkout",
        title="Led the checkout rewrite",
        happened_on=date(2026, 9, 10),
        steps={"delivery": "ic4", "design": "ic3"},
        impact="Conversion rose.",
        body="We rewrote it.",
        scope="organization",
        metric="p95 latency",
        metric_before="800",
        metric_after="200 ms",
        links=(("Pull request", "https://example.com/pr/1"), ("", "https://example.com/doc")),
        confirmations=(
            ("delivery", Confirmer("Bob", "manager", "ic4")),
            ("design", Confirmer("Bob", "manager", "ic3")),
            ("delivery", Confirmer("Pat", "peer", "ic3")),
        ),
        objective="Rewrite checkout",
    )
    assert entries[1].confirmations == ()
    assert entries[1].links == ()


def test_each_entry_claims_its_competencies_and_each_confirmation_is_its_persons_signal():
    _entries, signals = read(GOOD)
    day = date(2026, 9, 10)
    assert signals == [
        Signal("delivery", "ic4", Source.EVIDENCE, "evidence:checkout", day),
        Signal("design", "ic3", Source.EVIDENCE, "evidence:checkout", day),
        Signal("delivery", "ic4", Source.EVIDENCE, "Bob", day, confirmed=True),
        Signal("design", "ic3", Source.EVIDENCE, "Bob", day, confirmed=True),
        Signal("delivery", "ic3", Source.EVIDENCE, "Pat", day, confirmed=True),
        Signal("delivery", "ic3", Source.EVIDENCE, "evidence:runbooks", date(2026, 6, 1)),
    ]


def test_a_json_file_reads_the_same():
    yaml_entries, _ = read(GOOD)
    data = [
        {"key": "a", "title": "T", "date": "2026-09-10", "competencies": {"delivery": "ic4"}},
    ]
    entries, signals = read(json.dumps(data))
    assert entries[0].steps == {"delivery": "ic4"}
    assert len(signals) == 1
    assert yaml_entries[0].key == "checkout"


def test_a_level_key_reads_as_the_step_that_level_expects_of_an_own_scale_competency(orbit):
    targets = targets_from_framework(orbit, current="ic1", target="ic2", target_track="ic")
    entries, signals = read_evidence(
        "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {calibration: ic3}\n"
        "  confirmations:\n    - {by: Bob, relation: peer, steps: {calibration: ic1}}\n",
        "evidence.yaml",
        targets=targets,
        today=TODAY,
        framework=orbit,
    )
    assert entries[0].steps == {"calibration": "leading"}
    assert [s.step for s in signals] == ["leading", "aware"]


def test_the_documented_example_gives_the_documented_table():
    fw = read_any((EXAMPLES / "delta-framework.yaml").read_bytes(), "f.yaml").framework
    targets = targets_from_framework(fw, current="ic3", target="ic4", target_track="ic")
    ratings, _ = read_signals((EXAMPLES / "packet-signals.yaml").read_text(), "s.yaml")
    entries, implied = read_evidence(
        (EXAMPLES / "packet-evidence.yaml").read_text(),
        "e.yaml",
        targets=targets,
        today=TODAY,
        framework=fw,
    )
    assert [e.key for e in entries] == ["checkout", "search", "runbooks", "onboarding", "reviews"]
    delta = compute_delta(targets, [*ratings, *implied], today=TODAY)
    from_signals, _ = read_signals((EXAMPLES / "evidence-signals.yaml").read_text(), "s.yaml")
    same = compute_delta(targets, from_signals, today=TODAY)
    got = {r.key: (r.operating, r.demonstrated, r.status.value) for r in delta.competencies}
    assert got == {r.key: (r.operating, r.demonstrated, r.status.value) for r in same.competencies}
    assert got == {
        "delivery": ("ic4", "ic4", "met"),
        "design": ("ic4", "ic3", "unconfirmed"),
        "influence": ("ic3", None, "gap"),
        "collaboration": ("ic4", "ic4", "met"),
        "mentoring": ("ic3", "ic3", "gap"),
        "operations": ("ic4", None, "unconfirmed"),
        "testing": (None, None, "unassessed"),
    }
    assert delta.readiness == 0.375


def test_signals_of_entries_built_elsewhere_follow_the_same_keys():
    entry = EvidenceInput(
        key="7",
        title="T",
        happened_on=TODAY,
        steps={"design": "ic4"},
        confirmations=(("design", Confirmer("user:3", "peer", "ic4")),),
    )
    assert [(s.rater, s.confirmed) for s in signals_of([entry])] == [
        ("evidence:7", False),
        ("user:3", True),
    ]


ENTRY = "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic4}}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key: a\n", "evidence.yaml:1: an evidence file is a list"),
        ("- just text\n", "evidence.yaml:1: evidence[0]: each entry is a mapping"),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic4}, size: 3}\n",
            "evidence.yaml:1: evidence[0].size: unknown field",
        ),
        (
            ENTRY + "- {key: b, date: 2026-09-10, competencies: {delivery: ic4}}\n",
            "evidence.yaml:2: evidence[1].title: is missing",
        ),
        (
            "- {key: a, title: '  ', date: 2026-09-10, competencies: {delivery: ic4}}\n",
            "evidence.yaml:1: evidence[0].title: is missing",
        ),
        (
            "- {title: T, date: 2026-09-10, competencies: {delivery: ic4}}\n",
            "evidence.yaml:1: evidence[0].key: is missing",
        ),
        (
            "- {key: a, title: T, competencies: {delivery: ic4}}\n",
            "evidence.yaml:1: evidence[0].date: is missing",
        ),
        (
            "- {key: a, title: T, date: 10/09/2026, competencies: {delivery: ic4}}\n",
            "evidence.yaml:1: evidence[0].date: '10/09/2026' is not a date",
        ),
        (
            "- {key: a, title: T, date: 2026-11-26, competencies: {delivery: ic4}}\n",
            "evidence.yaml:1: evidence[0].date: 2026-11-26 is after today (2026-11-25)",
        ),
        (
            "- {key: a, title: T, date: 2026-09-10}\n",
            "evidence.yaml:1: evidence[0].competencies: is missing",
        ),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: [delivery]}\n",
            "evidence.yaml:1: evidence[0].competencies: is a mapping of competency to step",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies:\n    delivery: ic4\n"
            "    nope: ic4\n",
            "evidence.yaml:6: evidence[0].competencies.nope: unknown competency 'nope'",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies:\n    delivery: ic9\n",
            "evidence.yaml:5: evidence[0].competencies.delivery: 'ic9' is not a step of "
            "'delivery' (steps: ic1, ic2, ic3, ic4, ic5)",
        ),
        (
            ENTRY + "- {key: a, title: U, date: 2026-09-10, competencies: {delivery: ic3}}\n",
            "evidence.yaml:2: evidence[1].key: 'a' is the key of an earlier entry",
        ),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic4}, body: [x]}\n",
            "evidence.yaml:1: evidence[0].body: is a text",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  links:\n    - {url: 'javascript:alert(1)'}\n",
            "evidence.yaml:6: evidence[0].links[0].url: 'javascript:alert(1)' is not a web address",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  links: https://example.com\n",
            "evidence.yaml:5: evidence[0].links: is a list of {url, label}",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  links:\n    - {url: 'https://example.com', kind: pr}\n",
            "evidence.yaml:6: evidence[0].links[0].kind: unknown field",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {by: Bob, relation: manager, steps: {delivery: ic4}}\n"
            "    - {by: bob, relation: peer, steps: {delivery: ic3}}\n",
            "evidence.yaml:7: evidence[0].confirmations[1].by: bob confirmed this entry already",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {relation: manager, steps: {delivery: ic4}}\n",
            "evidence.yaml:6: evidence[0].confirmations[0].by: is missing",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {by: Bob, relation: boss, steps: {delivery: ic4}}\n",
            "evidence.yaml:6: evidence[0].confirmations[0].relation: 'boss' is not a relation "
            "(use manager, peer, mentor, collaborator)",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {by: Bob, steps: {delivery: ic4}}\n",
            "evidence.yaml:6: evidence[0].confirmations[0].relation: is missing: a relation",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {by: Bob, relation: peer}\n",
            "evidence.yaml:6: evidence[0].confirmations[0].steps: is missing",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - by: Bob\n      relation: peer\n      steps:\n"
            "        design: ic4\n",
            "evidence.yaml:9: evidence[0].confirmations[0].steps.design: 'design' is not a "
            "competency of the entry (delivery)",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - by: Bob\n      relation: peer\n      steps:\n"
            "        delivery: ic7\n",
            "evidence.yaml:9: evidence[0].confirmations[0].steps.delivery: 'ic7' is not a step",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {by: Bob, relation: peer, steps: {delivery: ic4}, on: x}\n",
            "evidence.yaml:6: evidence[0].confirmations[0].on: unknown field",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations: Bob\n",
            "evidence.yaml:5: evidence[0].confirmations: is a list of {by, relation, steps}",
        ),
    ],
)
def test_bad_entries_are_reported_with_their_line(text, expected):
    found = problems(text)
    assert any(p.startswith(expected) for p in found), found


def test_every_bad_entry_is_reported_at_once():
    text = (
        "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic9}}\n"
        "- {key: b, title: T, date: 2030-01-01, competencies: {delivery: ic4}}\n"
        "- {key: c, title: T, date: 2026-09-10, competencies: {delivery: ic4}}\n"
    )
    found = problems(text)
    assert [p.split(":")[1] for p in found] == ["1", "2"]


# Confirmations in a signals file


def signals(text: str) -> list[Signal]:
    return read_signals(text, "signals.yaml")[0]


def signal_problems(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        read_signals(text, "signals.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_confirmed_by_makes_an_evidence_signal_that_persons_confirmation():
    found = signals(
        "- {competency: design, step: ic4, source: evidence, rater: e1, date: 2026-09-01}\n"
        "- {competency: design, step: ic4, source: evidence, confirmed_by: Bob, date: 2026-09-01}\n"
    )
    assert [(s.rater, s.confirmed, s.claim) for s in found] == [
        ("e1", False, True),
        ("Bob", True, False),
    ]
    row = compute_delta(TARGETS, found, today=TODAY).competencies[1]
    assert row.demonstrated == "ic4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- {competency: design, step: ic4, source: evidence, rater: e1, date: 2026-09-01}\n"
            "- {competency: design, step: ic4, source: peer, confirmed_by: Bob, "
            "date: 2026-09-01}\n",
            "signals.yaml:2: signals[1].confirmed_by: only an evidence signal is confirmed "
            "(this one is 'peer')",
        ),
        (
            "- {competency: design, step: ic4, source: evidence, confirmed_by: '', "
            "date: 2026-09-01}\n",
            "signals.yaml:1: signals[0].confirmed_by: names who confirmed the entry",
        ),
        (
            "- {competency: design, step: ic4, source: evidence, confirmed_by: [Bob], "
            "date: 2026-09-01}\n",
            "signals.yaml:1: signals[0].confirmed_by: names who confirmed the entry",
        ),
        (
            "- {competency: design, step: ic4, source: evidence, rater: e1, confirmed_by: Bob, "
            "date: 2026-09-01}\n",
            "signals.yaml:1: signals[0].rater: a confirmation's rater is the person in "
            "confirmed_by",
        ),
    ],
)
def test_bad_confirmations_in_a_signals_file_are_reported_with_their_line(text, expected):
    found = signal_problems(text)
    assert any(p.startswith(expected) for p in found), found

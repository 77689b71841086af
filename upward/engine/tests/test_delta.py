"""The delta policy on hand-computed scenarios (docs/delta-policy.md has the tables)."""

from __future__ import annotations

from datetime import date

import pytest

from upward.engine.delta import (
    DeltaInputError,
    PointsRule,
    Policy,
    Signal,
    Source,
    Status,
    Target,
    compute_delta,
)

LEVELS = ["ic1", "ic2", "ic3", "ic4", "ic5"]
TODAY = date(2026, 11, 25)


def target(key, kind="skill", weight=1.0, expected="ic4", **kw):
    return Target(
        key=key, name=key.title(), kind=kind, weight=weight, steps=LEVELS, expected=expected, **kw
    )


def sig(competency, step, source, rater, on, sometimes=None):
    return Signal(
        competency=competency,
        step=step,
        source=Source(source),
        rater=rater,
        on=date.fromisoformat(on),
        sometimes=sometimes,
    )


SCENARIO_TARGETS = [
    target("delivery", "impact"),
    target("design", "skill"),
    target("influence", "impact"),
    target("collaboration", "behavior", weight=2.0),
    target("mentoring", "behavior"),
    target("operations", "skill"),
    target("testing", "skill"),
]

SCENARIO_SIGNALS = [
    sig("delivery", "ic4", "self", "alice", "2026-10-01"),
    sig("delivery", "ic3", "manager", "bob", "2026-09-01"),
    sig("delivery", "ic2", "peer", "pat", "2026-01-01"),  # superseded by Pat's later rating
    sig("delivery", "ic4", "peer", "pat", "2026-08-01"),
    sig("design", "ic4", "self", "alice", "2026-10-01"),
    sig("design", "ic3", "manager", "bob", "2026-09-01"),
    sig("influence", "ic2", "manager", "bob", "2026-09-01"),
    sig("influence", "ic3", "peer", "pat", "2026-08-01"),
    sig("influence", "ic2", "mentor", "maya", "2026-07-01"),
    sig("collaboration", "ic3", "self", "alice", "2026-10-01"),
    sig("collaboration", "ic3", "peer", "pat", "2026-08-01"),
    sig("mentoring", "ic5", "self", "alice", "2026-10-01"),
    sig("operations", "ic3", "manager", "bob", "2025-06-01"),  # older than 12 months
    sig("testing", "ic3", "manager", "bob", "2026-09-01"),
]

# competency: (operating, demonstrated, gap, status, score)
SCENARIO_EXPECTED = {
    "delivery": ("ic4", "ic4", 0, Status.MET, 0.0),
    "design": ("ic3", "ic3", 1, Status.GAP, 1.0),
    "influence": ("ic2", "ic2", 2, Status.GAP, 3.0),
    "collaboration": ("ic3", "ic3", 1, Status.GAP, 2.5),
    "mentoring": ("ic5", None, 0, Status.UNCONFIRMED, 0.0),
    "operations": (None, None, 0, Status.UNASSESSED, 0.0),
    "testing": ("ic3", None, 1, Status.GAP, 1.0),
}


def test_the_documented_scenario_matches_the_hand_computed_table():
    delta = compute_delta(SCENARIO_TARGETS, SCENARIO_SIGNALS, today=TODAY)
    got = {
        row.key: (row.operating, row.demonstrated, row.gap, row.status, row.score)
        for row in delta.competencies
    }
    assert got == SCENARIO_EXPECTED


def test_top_gaps_rank_by_weighted_gap_and_break_ties_on_fewer_signals():
    delta = compute_delta(SCENARIO_TARGETS, SCENARIO_SIGNALS, today=TODAY)
    # influence 3.0, collaboration 2.5, then testing (1 signal) before design (2 signals)
    assert delta.top_gaps == ["influence", "collaboration", "testing"]


def test_unassessed_competencies_are_listed_not_ranked():
    delta = compute_delta(SCENARIO_TARGETS, SCENARIO_SIGNALS, today=TODAY)
    assert delta.needs_assessment == ["operations"]
    assert "operations" not in delta.top_gaps


def test_readiness_is_the_weighted_share_demonstrated():
    delta = compute_delta(SCENARIO_TARGETS, SCENARIO_SIGNALS, today=TODAY)
    assert delta.readiness == pytest.approx(1 / 8)  # only delivery (weight 1 of 8)


def test_only_the_latest_signal_of_each_source_counts():
    delta = compute_delta(SCENARIO_TARGETS, SCENARIO_SIGNALS, today=TODAY)
    delivery = delta.competencies[0]
    assert [(s.rater, s.step) for s in delivery.counted] == [
        ("pat", "ic4"),
        ("bob", "ic3"),
        ("alice", "ic4"),
    ]


def test_one_self_rating_alone_never_demonstrates_a_step():
    delta = compute_delta(
        [target("x")], [sig("x", "ic5", "self", "alice", "2026-11-01")], today=TODAY
    )
    row = delta.competencies[0]
    assert (row.operating, row.demonstrated, row.status) == ("ic5", None, Status.UNCONFIRMED)


def test_two_independent_raters_demonstrate_the_step_both_reach():
    signals = [
        sig("x", "ic4", "manager", "bob", "2026-11-01"),
        sig("x", "ic5", "peer", "pat", "2026-11-01"),
    ]
    row = compute_delta([target("x")], signals, today=TODAY).competencies[0]
    assert row.demonstrated == "ic4"
    assert row.status == Status.MET
    assert row.operating == "ic4"  # lower middle of two


def test_ties_on_score_and_signal_count_go_to_framework_order():
    targets = [target("b"), target("a")]
    signals = [
        sig("a", "ic3", "manager", "bob", "2026-11-01"),
        sig("b", "ic3", "manager", "bob", "2026-11-01"),
    ]
    assert compute_delta(targets, signals, today=TODAY).top_gaps == ["b", "a"]


def test_impact_outranks_a_task_skill_with_the_same_gap():
    targets = [target("tooling", "skill"), target("outcomes", "impact")]
    signals = [
        sig("tooling", "ic3", "manager", "bob", "2026-11-01"),
        sig("outcomes", "ic3", "manager", "bob", "2026-11-01"),
    ]
    assert compute_delta(targets, signals, today=TODAY).top_gaps == ["outcomes", "tooling"]


def test_signals_after_today_are_ignored():
    row = compute_delta(
        [target("x")], [sig("x", "ic4", "manager", "bob", "2027-01-01")], today=TODAY
    ).competencies[0]
    assert row.status == Status.UNASSESSED


def test_the_window_is_configurable():
    old = [sig("x", "ic4", "manager", "bob", "2025-06-01")]
    assert compute_delta([target("x")], old, today=TODAY).competencies[0].operating is None
    wide = Policy(window_days=730)
    assert (
        compute_delta([target("x")], old, today=TODAY, policy=wide).competencies[0].operating
        == "ic4"
    )


def test_own_scale_competencies_use_their_own_steps():
    scale = ["0", "1", "2", "3", "4", "5"]
    own = Target(key="mobile", name="Mobile", kind="skill", weight=1, steps=scale, expected="3")
    signals = [
        sig("mobile", "2", "manager", "bob", "2026-11-01"),
        sig("mobile", "3", "peer", "pat", "2026-11-01"),
        sig("mobile", "2", "self", "alice", "2026-11-01"),
    ]
    row = compute_delta([own], signals, today=TODAY).competencies[0]
    assert (row.operating, row.demonstrated, row.gap, row.status) == ("2", "2", 1, Status.GAP)


def test_a_points_based_framework_reports_points_and_the_level_they_reach():
    scale = ["0", "1", "2", "3"]
    targets = [
        Target(key=k, name=k, kind="skill", weight=1, steps=scale, expected="2") for k in ("a", "b")
    ]
    rule = PointsRule(
        step_points={k: {"0": 0, "1": 1, "2": 3, "3": 6} for k in ("a", "b")},
        thresholds=[(0, "eng1"), (5, "eng2"), (9, "eng3")],
    )
    signals = [
        sig("a", "3", "manager", "bob", "2026-11-01"),
        sig("a", "3", "peer", "pat", "2026-11-01"),
        sig("b", "1", "manager", "bob", "2026-11-01"),
        sig("b", "2", "peer", "pat", "2026-11-01"),
    ]
    delta = compute_delta(targets, signals, today=TODAY, points=rule)
    # a demonstrated 3 (6 points), b demonstrated 1 (1 point): 7 points -> eng2
    assert (delta.points, delta.points_level) == (7, "eng2")


def test_competencies_not_expected_at_the_target_do_not_count_towards_readiness():
    targets = [target("x"), target("y", expected=None), target("z", optional=True)]
    signals = [
        sig("x", "ic4", "manager", "bob", "2026-11-01"),
        sig("x", "ic4", "peer", "pat", "2026-11-01"),
    ]
    assert compute_delta(targets, signals, today=TODAY).readiness == 1.0


@pytest.mark.parametrize(
    ("signal", "message"),
    [
        (
            sig("nope", "ic3", "self", "alice", "2026-11-01"),
            "signals[0].competency: unknown competency 'nope'",
        ),
        (
            sig("x", "ic9", "self", "alice", "2026-11-01"),
            "signals[0].step: 'ic9' is not a step of 'x'",
        ),
        (
            sig("x", "ic3", "self", "alice", "2026-11-01", sometimes="zz"),
            "signals[0].sometimes: 'zz'",
        ),
    ],
)
def test_signals_naming_unknown_competencies_or_steps_are_refused(signal, message):
    with pytest.raises(DeltaInputError) as raised:
        compute_delta([target("x")], [signal], today=TODAY)
    assert str(raised.value).startswith(message)


def _framework(**changes):
    from upward.engine.framework.models import FrameworkDocument

    doc = {
        "key": "mini",
        "name": "Mini",
        "areas": [{"key": "a", "name": "A"}],
        "competencies": [
            {"key": "ship", "name": "Ship", "area": "a", "kind": "impact", "weight": 2.0},
            {
                "key": "ops",
                "name": "Ops",
                "area": "a",
                "kind": "skill",
                "scale": [{"key": f"s{i}", "name": f"Step {i}"} for i in range(4)],
            },
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "IC",
                "levels": [{"key": f"l{i}", "title": f"Level {i}"} for i in range(1, 4)],
            }
        ],
        "expectations": [
            {"competency": "ship", "level": "l2", "summary": "ships features"},
            {"competency": "ship", "level": "l3", "summary": "ships projects"},
            {"competency": "ops", "level": "l3", "summary": "runs services", "step": "s2"},
        ],
    }
    doc.update(changes)
    return FrameworkDocument.model_validate(doc)


def test_targets_come_from_the_framework_document():
    from upward.engine.delta import targets_from_framework

    targets = targets_from_framework(_framework(), current="l2", target="l3", target_track="ic")
    ship, ops = targets
    assert (ship.steps, ship.expected, ship.weight, ship.kind) == (
        ["l1", "l2", "l3"],
        "l3",
        2.0,
        "impact",
    )
    assert (ship.current_text, ship.target_text) == ("ships features", "ships projects")
    assert (ops.steps, ops.expected) == (["s0", "s1", "s2", "s3"], "s2")
    assert ops.current_text == ""  # nothing stated for ops at l2


def test_a_points_rule_gives_every_competency_the_step_points():
    from upward.engine.delta import points_rule_from_framework

    base = _framework()
    ops = base.competency("ops").model_dump(exclude_defaults=True)
    fw = _framework(
        competencies=[ops],
        expectations=[e.model_dump(exclude_defaults=True) for e in base.expectations[2:]],
        level_rule={
            "kind": "points",
            "step_points": {"s0": 0, "s1": 1, "s2": 3, "s3": 6},
            "thresholds": [{"min_points": 0, "level": "l1"}, {"min_points": 3, "level": "l2"}],
        },
    )
    rule = points_rule_from_framework(fw)
    assert rule is not None
    assert rule.step_points == {"ops": {"s0": 0, "s1": 1, "s2": 3, "s3": 6}}
    assert points_rule_from_framework(_framework()) is None

"""The competency delta: from signals to operating and demonstrated steps, gaps,
top gaps and readiness.

Plain data in, plain data out. The policy is documented in docs/delta-policy.md;
every number it uses lives in `Policy`, so an organization can tune it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upward.engine.framework.models import FrameworkDocument


class Source(StrEnum):
    SELF = "self"
    MANAGER = "manager"
    PEER = "peer"
    MENTOR = "mentor"
    EVIDENCE = "evidence"


class Status(StrEnum):
    MET = "met"
    UNCONFIRMED = "unconfirmed"
    GAP = "gap"
    UNASSESSED = "unassessed"


KIND_FACTORS = {"impact": 1.5, "behavior": 1.25, "skill": 1.0}


@dataclass(frozen=True)
class Policy:
    """The rules of the delta; the defaults are Upward's documented policy."""

    window_days: int = 365
    independent_signals: int = 2
    max_self_in_consistency: int = 1
    kind_factors: dict[str, float] = field(default_factory=lambda: dict(KIND_FACTORS))
    top_n: int = 3


@dataclass(frozen=True)
class Target:
    """One competency as the delta needs it: its steps and what the target level expects."""

    key: str
    name: str
    kind: str
    weight: float
    steps: Sequence[str]  # ordered, lowest first
    expected: str | None  # the step the target level requires; None: not expected
    optional: bool = False
    current_text: str = ""
    target_text: str = ""


@dataclass(frozen=True)
class Signal:
    """One rating or evidence entry about one competency.

    An `evidence` signal is the member's claim unless `confirmed`: then it is another
    person's confirmation of the entry, and `rater` is that person."""

    competency: str
    step: str
    source: Source
    rater: str  # who gave it (or the evidence entry's id): one independent voice each
    on: date
    sometimes: str | None = None
    confirmed: bool = False

    @property
    def claim(self) -> bool:
        """The member's own word: a self-rating, or evidence nobody has confirmed."""
        return self.source == Source.SELF or (self.source == Source.EVIDENCE and not self.confirmed)


@dataclass(frozen=True)
class PointsRule:
    """Points-based levels (snowflake style): each step is worth points; totals map to levels."""

    step_points: dict[str, dict[str, int]]  # competency -> step -> points
    thresholds: Sequence[tuple[int, str]]  # (minimum points, level key), any order


@dataclass
class CompetencyDelta:
    """The delta for one competency, with the signals that explain it."""

    key: str
    name: str
    kind: str
    weight: float
    expected: str | None
    operating: str | None
    demonstrated: str | None
    gap: int
    status: Status
    score: float
    counted: list[Signal]
    current_text: str = ""
    target_text: str = ""


@dataclass
class Delta:
    """The whole picture for one person against one target level."""

    competencies: list[CompetencyDelta]
    top_gaps: list[str]
    needs_assessment: list[str]
    readiness: float
    points: int | None = None
    points_level: str | None = None


class DeltaInputError(ValueError):
    """A signal names a competency or step the framework doesn't have."""

    def __init__(self, message: str, *, index: int, field: str) -> None:
        super().__init__(message)
        self.index = index
        self.field = field


def compute_delta(
    targets: Sequence[Target],
    signals: Sequence[Signal],
    *,
    today: date,
    policy: Policy | None = None,
    points: PointsRule | None = None,
) -> Delta:
    """Compute the delta of `signals` against the target level described by `targets`."""
    policy = policy or Policy()
    by_key = {t.key: t for t in targets}
    _check_signals(signals, by_key)
    counted = _latest_per_source(signals, today=today, window_days=policy.window_days)
    rows = [_competency_delta(t, counted.get(t.key, []), policy) for t in targets]
    return Delta(
        competencies=rows,
        top_gaps=_rank_top_gaps(rows, policy.top_n),
        needs_assessment=[r.key for r in rows if r.status == Status.UNASSESSED],
        readiness=_readiness(rows, by_key),
        points=_points(rows, points),
        points_level=_points_level(_points(rows, points), points),
    )


def _check_signals(signals: Sequence[Signal], targets: dict[str, Target]) -> None:
    steps = {key: set(target.steps) for key, target in targets.items()}
    for index, signal in enumerate(signals):
        known = steps.get(signal.competency)
        if known is None:
            raise DeltaInputError(
                f"signals[{index}].competency: unknown competency '{signal.competency}'",
                index=index,
                field="competency",
            )
        if signal.step in known and (signal.sometimes is None or signal.sometimes in known):
            continue
        target = targets[signal.competency]
        attr, step = (
            ("step", signal.step) if signal.step not in known else ("sometimes", signal.sometimes)
        )
        raise DeltaInputError(
            f"signals[{index}].{attr}: '{step}' is not a step of "
            f"'{target.key}' (steps: {', '.join(target.steps)})",
            index=index,
            field=attr,
        )


def _latest_per_source(
    signals: Sequence[Signal], *, today: date, window_days: int
) -> dict[str, list[Signal]]:
    """Signals inside the window, keeping only each source's latest per competency."""
    since = today - timedelta(days=window_days)
    latest: dict[tuple[str, str, str], Signal] = {}
    for signal in signals:
        on = signal.on
        if on < since or on > today:
            continue
        # A Source is a str: the same key as its value, and it sorts like it.
        key = (signal.competency, signal.source, signal.rater)
        kept = latest.get(key)
        if kept is None or on >= kept.on:
            latest[key] = signal
    grouped: dict[str, list[Signal]] = {}
    for signal in latest.values():
        grouped.setdefault(signal.competency, []).append(signal)
    for items in grouped.values():
        items.sort(key=_in_order)
    return grouped


_in_order = attrgetter("on", "source", "rater")


def _competency_delta(target: Target, counted: list[Signal], policy: Policy) -> CompetencyDelta:
    order = {step: i for i, step in enumerate(target.steps)}
    indices = sorted(order[s.step] for s in counted)
    operating = indices[(len(indices) - 1) // 2] if indices else None
    demonstrated = _demonstrated(counted, order, policy)
    expected = order[target.expected] if target.expected is not None else None
    gap = max(0, expected - operating) if expected is not None and operating is not None else 0
    status = _status(expected, operating, demonstrated)
    factor = policy.kind_factors.get(target.kind, 1.0)
    return CompetencyDelta(
        key=target.key,
        name=target.name,
        kind=target.kind,
        weight=target.weight,
        expected=target.expected,
        operating=target.steps[operating] if operating is not None else None,
        demonstrated=target.steps[demonstrated] if demonstrated is not None else None,
        gap=gap,
        status=status,
        score=gap * target.weight * factor,
        counted=counted,
        current_text=target.current_text,
        target_text=target.target_text,
    )


def _demonstrated(counted: list[Signal], order: dict[str, int], policy: Policy) -> int | None:
    """The highest step reached by enough independent voices, few of them claims.

    A voice is a rater: one person heard through two sources (a manager rating and a
    confirmation of an entry) is one voice, reaching the highest step any of their
    signals reaches. A voice that made any claim counts as a claim."""
    voices: dict[str, tuple[int, bool]] = {}
    for s in counted:
        step, claim = order[s.step], s.claim
        found = voices.get(s.rater)
        if found is not None:
            step, claim = max(step, found[0]), claim or found[1]
        voices[s.rater] = (step, claim)
    others = claims = 0
    ranked = sorted(voices.values(), key=lambda voice: -voice[0])
    for i, (step, claim) in enumerate(ranked):
        if claim:
            claims += 1
        else:
            others += 1
        # Decide once every voice reaching this step is in.
        if i + 1 < len(ranked) and ranked[i + 1][0] == step:
            continue
        if others + min(claims, policy.max_self_in_consistency) >= policy.independent_signals:
            return step
    return None


def _status(expected: int | None, operating: int | None, demonstrated: int | None) -> Status:
    if operating is None:
        return Status.UNASSESSED
    if expected is None:
        return Status.MET
    if demonstrated is not None and demonstrated >= expected:
        return Status.MET
    if operating >= expected:
        return Status.UNCONFIRMED
    return Status.GAP


def _rank_top_gaps(rows: list[CompetencyDelta], top_n: int) -> list[str]:
    """Biggest weighted gaps first; ties: fewer counted signals, then framework order."""
    ranked = sorted(
        (r for r in enumerate(rows) if r[1].status == Status.GAP and r[1].gap > 0),
        key=lambda pair: (-pair[1].score, len(pair[1].counted), pair[0]),
    )
    return [row.key for _index, row in ranked[:top_n]]


def _readiness(rows: list[CompetencyDelta], targets: dict[str, Target]) -> float:
    """Weighted share of required expectations demonstrated consistently."""
    required = [r for r in rows if r.expected is not None and not targets[r.key].optional]
    total = sum(r.weight for r in required)
    if total == 0:
        return 0.0
    met = sum(r.weight for r in required if r.status == Status.MET)
    return round(met / total, 4)


def _points(rows: list[CompetencyDelta], rule: PointsRule | None) -> int | None:
    if rule is None:
        return None
    total = 0
    for row in rows:
        if row.demonstrated is not None:
            total += rule.step_points.get(row.key, {}).get(row.demonstrated, 0)
    return total


def _points_level(total: int | None, rule: PointsRule | None) -> str | None:
    if total is None or rule is None:
        return None
    reached = [(minimum, level) for minimum, level in rule.thresholds if total >= minimum]
    return max(reached)[1] if reached else None


def targets_from_framework(
    fw: FrameworkDocument, *, current: str, target: str, target_track: str
) -> list[Target]:
    """What the delta needs from a framework: each competency's steps on the target
    track (or its own scale) and the step the target level requires."""
    targets = []
    for competency in fw.competencies:
        wanted = fw.expectation(competency.key, target)
        now = fw.expectation(competency.key, current)
        targets.append(
            Target(
                key=competency.key,
                name=competency.name,
                kind=competency.kind,
                weight=competency.weight,
                steps=[s.key for s in fw.steps(competency.key, target_track)],
                expected=fw.required_step(competency.key, target),
                optional=wanted.optional if wanted else False,
                current_text=now.summary if now else "",
                target_text=wanted.summary if wanted else "",
            )
        )
    return targets


def points_rule_from_framework(fw: FrameworkDocument) -> PointsRule | None:
    """The framework's points-based level rule in the delta's terms, if it has one."""
    rule = fw.level_rule
    if rule is None:
        return None
    per_step = dict(rule.step_points)
    return PointsRule(
        # Points frameworks give every competency its own scale, with the same step keys.
        step_points={c.key: per_step for c in fw.competencies},
        thresholds=[(t.min_points, t.level) for t in rule.thresholds],
    )

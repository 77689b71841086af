"""Mentor matching: how well a mentor covers a mentee's gaps, and the best cohort assignment.

A mentor covers a competency for a mentee when the mentee has a gap in it and the
step the mentor has demonstrated reaches the step the mentee's target expects. The
pair score is the sum of the mentee's gap scores over the covered competencies.

For a cohort, `solve` finds an assignment with the highest total pair score that
respects every mentor's capacity and every mentee's exclusions, exactly, as a
min-cost flow (OR-tools): first over each mentee's best arcs, then proven optimal over
all arcs with node prices (adding arcs until it is). Steps are given as ranks:
integers, higher is further along. docs/matching.md explains the model, the flow
network and the tie rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = [
    "EXCLUDED",
    "FULL",
    "NO_COVER",
    "NO_GAPS",
    "TAKEN",
    "Assignment",
    "MatchingInputError",
    "Mentee",
    "Mentor",
    "PairScore",
    "Unmatched",
    "pair_score",
    "rank_mentors",
    "solve",
]

# Why a mentee was left without a mentor.
NO_GAPS = "they have no gaps to cover"
NO_COVER = "no mentor covers any of their gaps"
EXCLUDED = "the mentors who cover their gaps are excluded"
FULL = "the mentors who cover their gaps are full"
TAKEN = "the places of the mentors who cover their gaps went to other mentees"

# Gap scores count to this many decimal places in the cohort solve (integer costs).
DECIMALS = 4
# OR-tools multiplies costs by the number of nodes, and node prices add up costs along
# paths of up to that many arcs: both stay well inside 64 bits.
_COST_LIMIT = 2**60
# Mentees per block when building the arcs (bounds memory to block x mentors).
_BLOCK = 2048
# The flow is first solved over each mentee's best arcs, then proven optimal for all
# arcs with node prices, adding any arc that could still improve it.
_FIRST_ARCS = 20
# Rounds of adding arcs before solving over all of them.
_ROUNDS = 8


class MatchingInputError(ValueError):
    """Input the matcher cannot use; `field` names it, e.g. `mentors[3].capacity`."""

    def __init__(self, message: str, *, loc: tuple[str | int, ...], line: int | None = None):
        super().__init__(message)
        self.loc = loc
        self.field = _format_loc(loc)
        self.line = line

    def __str__(self) -> str:
        return f"{self.field}: {self.args[0]}"


@dataclass(frozen=True)
class Mentee:
    """Someone looking for a mentor: their gaps, the steps their target expects, exclusions."""

    key: str
    gaps: Mapping[str, float]  # competency -> gap score (gap x weight x kind factor)
    needs: Mapping[str, int]  # competency -> rank of the step the target expects
    avoid: frozenset[str] = frozenset()  # mentor keys never to pair with


@dataclass(frozen=True)
class Mentor:
    """Someone offering to mentor: open places and the steps they have demonstrated."""

    key: str
    capacity: int
    demonstrated: Mapping[str, int] = field(default_factory=dict)  # competency -> rank


@dataclass(frozen=True)
class PairScore:
    """How much of a mentee's gaps a mentor covers, and which competencies."""

    mentee: str
    mentor: str
    score: float
    covers: tuple[str, ...]  # highest gap score first, then key


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a mentor, and why."""

    mentee: str
    reason: str


@dataclass(frozen=True)
class Assignment:
    """A cohort's pairs and unmatched mentees (each sorted by mentee key) and the total score."""

    pairs: list[PairScore]
    unmatched: list[Unmatched]
    total: float


def pair_score(mentee: Mentee, mentor: Mentor) -> PairScore:
    """The mentee's gap scores summed over the competencies the mentor covers."""
    covers = sorted(
        (c for c, gap in mentee.gaps.items() if gap > 0 and _reaches(mentee, mentor, c)),
        key=lambda c: (-mentee.gaps[c], c),
    )
    score = math.fsum(mentee.gaps[c] for c in covers)
    return PairScore(mentee.key, mentor.key, score, tuple(covers))


def _reaches(mentee: Mentee, mentor: Mentor, competency: str) -> bool:
    need = mentee.needs.get(competency)
    shown = mentor.demonstrated.get(competency)
    return need is not None and shown is not None and shown >= need


def rank_mentors(
    mentee: Mentee, mentors: Sequence[Mentor], *, limit: int | None = None
) -> list[PairScore]:
    """Mentors with open places who cover some gap and are not excluded: best score
    first, then by mentor key."""
    check_input([mentee], mentors)
    scored = [
        pair_score(mentee, m)
        for m in mentors
        if m.capacity > 0 and m.key not in mentee.avoid and m.key != mentee.key
    ]
    ranked = sorted((p for p in scored if p.score > 0), key=lambda p: (-p.score, p.mentor))
    return ranked if limit is None else ranked[:limit]


def check_input(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> None:
    """Raise MatchingInputError for the first unusable value: empty or repeated keys,
    negative or non-finite gap scores, negative ranks or capacities."""
    _check_keys("mentees", [m.key for m in mentees])
    _check_keys("mentors", [m.key for m in mentors])
    for i, mentee in enumerate(mentees):
        for competency, gap in mentee.gaps.items():
            if not isinstance(gap, int | float) or not math.isfinite(gap) or gap < 0:
                message = "a gap score is a number, 0 or more"
                raise MatchingInputError(message, loc=("mentees", i, "gaps", competency))
        _check_ranks(("mentees", i, "needs"), mentee.needs)
    for i, mentor in enumerate(mentors):
        if not _is_int(mentor.capacity) or mentor.capacity < 0:
            message = "the capacity is a whole number, 0 or more"
            raise MatchingInputError(message, loc=("mentors", i, "capacity"))
        _check_ranks(("mentors", i, "demonstrated"), mentor.demonstrated)


def _check_keys(side: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if not isinstance(key, str) or not key:
            raise MatchingInputError("a key is a non-empty text", loc=(side, i, "key"))
        if key in seen:
            message = f"'{key}' is the key of an earlier {side[:-1]}"
            raise MatchingInputError(message, loc=(side, i, "key"))
        seen.add(key)


def _check_ranks(loc: tuple[str | int, ...], ranks: Mapping[str, int]) -> None:
    for competency, rank in ranks.items():
        if not _is_int(rank) or rank < 0:
            raise MatchingInputError("a rank is a whole number, 0 or more", loc=(*loc, competency))


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _format_loc(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# The cohort solve ------------------------------------------------------------------


def solve(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> Assignment:
    """The assignment with the highest total pair score under capacities and exclusions.

    Never pairs a mentee with a mentor who covers none of their gaps. Among equally
    good assignments it matches the most mentees; what remains tied is settled by the
    order of the keys, so the same people always give the same pairs.
    """
    check_input(mentees, mentors)
    mentees = sorted(mentees, key=lambda m: m.key)
    mentors = sorted(mentors, key=lambda m: m.key)
    arcs, status = _candidate_arcs(mentees, mentors)
    chosen = _max_score_flow(arcs, len(mentees), mentors)
    pairs = [pair_score(mentees[i], mentors[j]) for i, j in chosen]
    matched = {i for i, _ in chosen}
    unmatched = [
        Unmatched(m.key, _REASONS[status[i]]) for i, m in enumerate(mentees) if i not in matched
    ]
    return Assignment(pairs, unmatched, math.fsum(p.score for p in pairs))


_REASONS = (NO_GAPS, NO_COVER, EXCLUDED, FULL, TAKEN)


@dataclass
class _Arcs:
    """Mentee -> mentor candidate arcs (sorted by mentee, then mentor) with integer scores."""

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray  # gap scores x 10**decimals, summed over the covered competencies
    first: np.ndarray  # among the mentee's _FIRST_ARCS best


def _candidate_arcs(mentees: list[Mentee], mentors: list[Mentor]) -> tuple[_Arcs, np.ndarray]:
    """Every allowed pair with a positive score, and for each mentee the best status it
    could reach (an index into _REASONS, TAKEN when it has an allowed, open mentor)."""
    scale = _scale(mentees, len(mentors))
    comps = sorted({c for m in mentees for c, g in m.gaps.items() if g > 0 and c in m.needs})
    column = {c: k for k, c in enumerate(comps)}
    shown = np.full((len(mentors), len(comps)), -1, dtype=np.int64)
    for j, mentor in enumerate(mentors):
        for c, rank in mentor.demonstrated.items():
            if c in column:
                shown[j, column[c]] = rank
    mentor_index = {m.key: j for j, m in enumerate(mentors)}
    is_open = np.array([m.capacity > 0 for m in mentors], dtype=bool)
    parts: list[tuple[np.ndarray, ...]] = []
    status = np.zeros(len(mentees), dtype=np.int8)
    for start in range(0, len(mentees), _BLOCK):
        block = mentees[start : start + _BLOCK]
        scores = _block_scores(block, column, shown, scale)
        allowed = _allowed(block, mentor_index, scores)
        status[start : start + len(block)] = _block_status(block, scores, allowed, is_open)
        usable = (scores > 0) & allowed & is_open[None, :]
        best = _best_of_rows(np.where(usable, scores, 0))
        rows, cols = np.nonzero(usable)
        parts.append((rows + start, cols, scores[rows, cols], best[rows, cols]))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Arcs(empty, empty, empty, empty.astype(bool)), status
    return _Arcs(*(np.concatenate(p) for p in zip(*parts, strict=True))), status


def _best_of_rows(scores: np.ndarray) -> np.ndarray:
    """True for each row's _FIRST_ARCS highest positive scores; of equal scores at the
    cut, the first mentors by key."""
    if scores.shape[1] <= _FIRST_ARCS:
        return scores > 0
    kth = np.sort(scores, axis=1)[:, -_FIRST_ARCS][:, None]  # sorting beats partitioning
    above = scores > kth
    at = scores == kth
    room = _FIRST_ARCS - above.sum(axis=1, keepdims=True)
    return (above | (at & (np.cumsum(at, axis=1) <= room))) & (scores > 0)


def _scale(mentees: list[Mentee], n_mentors: int) -> int:
    """10**DECIMALS, or fewer decimals when the costs would not fit OR-tools' range."""
    most = max((math.fsum(g for g in m.gaps.values() if g > 0) for m in mentees), default=0.0)
    rounding = max((len(m.gaps) for m in mentees), default=0)  # each gap rounds up by < 1
    nodes = len(mentees) + n_mentors + 2
    for decimals in range(DECIMALS, -1, -1):
        top = (most * 10**decimals + rounding) * (len(mentees) + 1) + 1
        if top * (nodes + 1) < _COST_LIMIT:
            return 10**decimals
    raise MatchingInputError("gap scores are too large to compare", loc=("mentees",))


def _block_scores(
    block: list[Mentee], column: dict[str, int], shown: np.ndarray, scale: int
) -> np.ndarray:
    """Integer pair scores of a block of mentees against every mentor."""
    scores = np.zeros((len(block), shown.shape[0]), dtype=np.int64)
    by_comp: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for r, mentee in enumerate(block):
        for c, gap in mentee.gaps.items():
            if gap > 0 and c in mentee.needs:
                rows, gaps, needs = by_comp.setdefault(column[c], ([], [], []))
                rows.append(r)
                gaps.append(max(1, round(gap * scale)))
                needs.append(mentee.needs[c])
    for k, (rows, gaps, needs) in by_comp.items():
        reach = shown[None, :, k] >= np.array(needs)[:, None]
        scores[rows] += np.array(gaps, dtype=np.int64)[:, None] * reach
    return scores


def _allowed(block: list[Mentee], mentor_index: dict[str, int], scores: np.ndarray) -> np.ndarray:
    """False where a mentee excludes a mentor. Someone who is both a mentee and a
    mentor covers nothing for themself: their own score is set to 0."""
    allowed = np.ones(scores.shape, dtype=bool)
    for r, mentee in enumerate(block):
        own = mentor_index.get(mentee.key)
        if own is not None:
            scores[r, own] = 0
        for key in mentee.avoid:
            j = mentor_index.get(key)
            if j is not None:
                allowed[r, j] = False
    return allowed


def _block_status(
    block: list[Mentee], scores: np.ndarray, allowed: np.ndarray, is_open: np.ndarray
) -> np.ndarray:
    covered = scores > 0
    status = np.full(len(block), _REASONS.index(NO_COVER), dtype=np.int8)
    has_gaps = np.array([any(g > 0 for g in m.gaps.values()) for m in block], dtype=bool)
    status[~has_gaps] = _REASONS.index(NO_GAPS)
    some_cover = covered.any(axis=1)
    some_allowed = (covered & allowed).any(axis=1)
    some_open = (covered & allowed & is_open[None, :]).any(axis=1)
    status[some_cover & ~some_allowed] = _REASONS.index(EXCLUDED)
    status[some_allowed & ~some_open] = _REASONS.index(FULL)
    status[some_open] = _REASONS.index(TAKEN)
    return status


def _max_score_flow(arcs: _Arcs, n_mentees: int, mentors: list[Mentor]) -> list[tuple[int, int]]:
    """The chosen (mentee, mentor) indices of a min-cost flow that maximises the total
    score first and the number of pairs second."""
    if len(arcs.score) == 0:
        return []
    # A pair is worth its score x (n + 1) plus 1: the most pairs break ties in the total,
    # and no number of pairs (at most n) can outweigh one unit of score.
    costs = -(arcs.score * (n_mentees + 1) + 1)
    capacity = np.array([mentor.capacity for mentor in mentors], dtype=np.int64)
    chosen = arcs.first.copy()
    for attempt in range(_ROUNDS + 1):
        if attempt == _ROUNDS:
            chosen[:] = True
        pick = np.flatnonzero(chosen)
        net = _Network(arcs.mentee[pick], arcs.mentor[pick], costs[pick], n_mentees, capacity)
        if chosen.all() or _optimal_for_all(net, arcs, costs, chosen):
            break
    used = pick[net.pair_flows() > 0]
    return list(zip(arcs.mentee[used].tolist(), arcs.mentor[used].tolist(), strict=True))


class _Network:
    """The flow network over some mentee -> mentor arcs, solved by OR-tools.

    Nodes: mentees 0..n-1, mentors n..n+m-1, the source n+m and the sink n+m+1. Arcs,
    in order: source -> each mentee, the pairs, each mentor -> sink, source -> sink."""

    def __init__(
        self,
        mentee: np.ndarray,
        mentor: np.ndarray,
        costs: np.ndarray,
        n: int,
        capacity: np.ndarray,
    ) -> None:
        m, pairs = len(capacity), len(costs)
        source, sink = n + m, n + m + 1
        self.n, self.pairs, self.nodes = n, pairs, n + m + 2
        self.tails = np.concatenate([np.full(n, source), mentee, n + np.arange(m), [source]])
        self.heads = np.concatenate([np.arange(n), n + mentor, np.full(m, sink), [sink]])
        self.caps = np.concatenate([np.ones(n + pairs, dtype=np.int64), capacity, [n]])
        zeros = np.zeros(n + m + 1, dtype=np.int64)
        self.costs = np.concatenate([zeros[:n], costs, zeros[n:]])
        solver = min_cost_flow.SimpleMinCostFlow()
        ids = solver.add_arcs_with_capacity_and_unit_cost(
            self.tails.astype(np.int32), self.heads.astype(np.int32), self.caps, self.costs
        )
        solver.set_nodes_supplies(np.array([source, sink]), np.array([n, -n]))
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"the min-cost flow solver stopped with status {status}")
        self.flows = solver.flows(ids)

    def pair_flows(self) -> np.ndarray:
        """The flow on each mentee -> mentor arc, in the order given."""
        return self.flows[self.n : self.n + self.pairs]

    def prices(self) -> np.ndarray | None:
        """Node prices under which no arc left with room has a negative reduced cost:
        shortest distances in the residual network (Bellman-Ford from a virtual root).
        None if they do not settle, which an optimal flow rules out."""
        room, used = self.flows < self.caps, self.flows > 0
        tails = np.concatenate([self.tails[room], self.heads[used]])
        heads = np.concatenate([self.heads[room], self.tails[used]])
        costs = np.concatenate([self.costs[room], -self.costs[used]])
        order = np.argsort(heads, kind="stable")
        tails, heads, costs = tails[order], heads[order], costs[order]
        starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
        targets = heads[starts]
        prices = np.zeros(self.nodes, dtype=np.int64)
        for _ in range(len(prices) + 1):
            best = np.minimum.reduceat(prices[tails] + costs, starts)
            lower = best < prices[targets]
            if not lower.any():
                return prices
            prices[targets[lower]] = best[lower]
        return None


def _optimal_for_all(net: _Network, arcs: _Arcs, costs: np.ndarray, chosen: np.ndarray) -> bool:
    """True when the flow over the chosen arcs is also optimal over all arcs: every arc
    left out has a non-negative reduced cost under the residual network's prices.
    Otherwise adds the arcs that could improve it to `chosen`."""
    prices = net.prices()
    if prices is None:
        chosen[:] = True
        return False
    reduced = costs + prices[arcs.mentee] - prices[net.n + arcs.mentor]
    missing = ~chosen & (reduced < 0)
    chosen |= missing
    return not missing.any()

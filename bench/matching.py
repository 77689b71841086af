"""Cohort matching at scale: 10,000 mentees and 1,000 mentors, solved exactly.

    uv run python bench/matching.py [--mentees 10000] [--mentors 1000] [--competencies 50]

A seeded synthetic cohort: each mentee has about three gaps (gap x weight x kind
factor, as the delta scores them) with the step their target expects; each mentor has
demonstrated about eight competencies and has 1-12 open places. Times `solve` (arc
building and the min-cost flows) and checks the result respects every capacity. The
issue asks for under 10 s. With --full, also solves one flow over every candidate arc
and checks it reaches the same total and number of pairs.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from _setup import table

from upward.engine import matching
from upward.engine.matching import Mentee, Mentor, solve

KIND_FACTORS = (1.0, 1.0, 0.8)  # impact, skill, behavior (as a ladder might weigh them)
WEIGHTS = (1.0, 1.0, 1.5, 2.0)


def cohort(
    rng: random.Random, n_mentees: int, n_mentors: int, n_comps: int
) -> tuple[list[Mentee], list[Mentor]]:
    """Mentees with 1-5 gaps (about 3) and mentors with 4-12 demonstrated competencies."""
    comps = [f"c{k:02d}" for k in range(n_comps)]
    factor = {c: rng.choice(WEIGHTS) * rng.choice(KIND_FACTORS) for c in comps}
    mentors = []
    for j in range(n_mentors):
        shown = rng.sample(comps, rng.randint(4, 12))
        mentors.append(
            Mentor(f"t{j:05d}", rng.randint(1, 12), {c: rng.randint(2, 8) for c in shown})
        )
    mentor_keys = [m.key for m in mentors]
    mentees = []
    for i in range(n_mentees):
        gaps = rng.sample(comps, min(5, max(1, round(rng.gauss(3, 1)))))
        mentees.append(
            Mentee(
                f"s{i:05d}",
                {c: rng.randint(1, 3) * factor[c] for c in gaps},
                {c: rng.randint(1, 7) for c in gaps},
                frozenset(rng.sample(mentor_keys, rng.randint(0, 2))),  # a manager or two
            )
        )
    return mentees, mentors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=1_000)
    parser.add_argument("--competencies", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--full", action="store_true", help="compare with one flow over all arcs")
    args = parser.parse_args()

    mentees, mentors = cohort(
        random.Random(args.seed), args.mentees, args.mentors, args.competencies
    )
    started, cpu = time.perf_counter(), time.process_time()
    result = solve(mentees, mentors)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu

    used = Counter(p.mentor for p in result.pairs)
    assert all(used[m.key] <= m.capacity for m in mentors)
    reasons = Counter(u.reason for u in result.unmatched)
    checks = []
    if args.full:
        matching._FIRST_ARCS = args.mentors  # every arc in the first (and only) flow
        started = time.perf_counter()
        whole = solve(mentees, mentors)
        checks.append(
            ("one flow over every arc, elapsed", f"{time.perf_counter() - started:.2f} s")
        )
        assert (round(whole.total, 6), len(whole.pairs)) == (
            round(result.total, 6),
            len(result.pairs),
        )
        checks.append(("same total and pairs", "yes"))
    print(
        table(
            [
                ("measure", "value"),
                ("mentees x mentors", f"{len(mentees):,} x {len(mentors):,}"),
                ("competencies", str(args.competencies)),
                ("open places", f"{sum(m.capacity for m in mentors):,}"),
                ("solve: arcs + min-cost flows, elapsed", f"{seconds:.2f} s"),
                ("solve: processor time", f"{cpu:.2f} s"),
                ("pairs", f"{len(result.pairs):,}"),
                ("total score", f"{result.total:,.2f}"),
                *((f"unmatched: {why}", f"{n:,}") for why, n in reasons.most_common()),
                *checks,
            ]
        )
    )


if __name__ == "__main__":
    main()

"""The delta at scale: a member with 30 competencies and 2,000 signals.

    uv run python bench/delta.py [--signals 2000] [--competencies 30]

Measures the engine alone (pure Python) and the delta as pages and the API get it
(`selectors.delta_for`: queries + engine, and queries alone when the computed delta is
kept), and its query count, which must not change with the number of signals.
"""

from __future__ import annotations

import argparse
import random

from _setup import (
    best_of,
    counting_queries,
    django_on_a_fresh_database,
    member,
    seed_signals,
    table,
    world,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=2000)
    parser.add_argument("--competencies", type=int, default=30)
    args = parser.parse_args()
    django_on_a_fresh_database()

    from django.utils import timezone

    from upward.assessments import selectors
    from upward.assessments.models import Signal
    from upward.engine import delta as engine
    from upward.frameworks.selectors import document_of

    rng = random.Random(7)
    bench = world(competencies=args.competencies, raters=40)
    placement = member(bench, "member@bench.test")

    def seed(count: int) -> None:
        kinds = ("self", "manager", "peer", "mentor")
        seed_signals(bench, placement, count=count, rng=rng, days=500, kinds=kinds)

    seed(20)
    with counting_queries() as few:
        selectors.delta_for(placement)
    seed(args.signals - 20)

    doc = document_of(placement.version)
    targets = engine.targets_from_framework(doc, current="l5", target="l6", target_track="ic")
    rows = list(Signal.objects.filter(subject=placement.user))
    signals = [
        engine.Signal(
            competency=r.competency,
            step=r.step,
            source=engine.Source(r.source),
            rater=r.source_key,
            on=r.observed_on,
        )
        for r in rows
    ]
    engine_ms, result = best_of(
        20, lambda: engine.compute_delta(targets, signals, today=timezone.localdate())
    )

    def computed() -> selectors.DeltaReport:
        selectors.forget_computed()
        return selectors.delta_for(placement)

    full_ms, _view = best_of(10, computed)
    kept_ms, _view = best_of(10, lambda: selectors.delta_for(placement))
    with counting_queries() as many:
        selectors.delta_for(placement)

    print(
        table(
            [
                ("measure", "value"),
                ("competencies", str(args.competencies)),
                ("signals stored", str(len(rows))),
                ("engine: compute_delta (best of 20)", f"{engine_ms:.2f} ms"),
                ("delta_for, computed: queries + engine + trend (best of 10)", f"{full_ms:.2f} ms"),
                ("delta_for, kept: queries only (best of 10)", f"{kept_ms:.2f} ms"),
                ("queries with 20 signals", str(few[0])),
                (f"queries with {len(rows)} signals", str(many[0])),
                ("top gaps", ", ".join(result.top_gaps)),
                ("readiness", f"{result.readiness:.0%}"),
            ]
        )
    )


if __name__ == "__main__":
    main()

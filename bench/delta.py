"""The delta at scale: a member with 30 competencies and 2,000 signals.

    uv run python bench/delta.py [--signals 2000] [--competencies 30]

Measures the engine alone (pure Python) and the delta as pages and the API get it
(`selectors.delta_for`: queries + engine), and its query count, which must not
change with the number of signals.
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta

from _setup import best_of, counting_queries, django_on_a_fresh_database, table

LEVELS = 8


def framework_document(competencies: int) -> dict:
    kinds = ["impact", "behavior", "skill"]
    return {
        "key": "bench-ladder",
        "name": "Benchmark Ladder",
        "areas": [{"key": f"area{i}", "name": f"Area {i}"} for i in range(5)],
        "competencies": [
            {
                "key": f"c{i}",
                "name": f"Competency {i}",
                "area": f"area{i % 5}",
                "kind": kinds[i % 3],
                "weight": 1.0 + (i % 4) / 4,
            }
            for i in range(competencies)
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "IC",
                "levels": [
                    {"key": f"l{j}", "code": f"L{j}", "title": f"Level {j}", "rank": j}
                    for j in range(1, LEVELS + 1)
                ],
            }
        ],
        "expectations": [
            {"competency": f"c{i}", "level": f"l{j}", "summary": f"c{i} at l{j}"}
            for i in range(competencies)
            for j in range(1, LEVELS + 1)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=2000)
    parser.add_argument("--competencies", type=int, default=30)
    args = parser.parse_args()
    django_on_a_fresh_database()

    from django.db import transaction
    from django.utils import timezone

    from upward.accounts.models import Membership, Organization, User
    from upward.assessments import selectors, services
    from upward.assessments.models import Signal
    from upward.engine import delta as engine
    from upward.frameworks import services as framework_services
    from upward.frameworks.documents import validate_document
    from upward.frameworks.selectors import document_of

    rng = random.Random(7)
    org = Organization.objects.create(name="Bench Co", slug="bench")
    member = User.objects.create_user(email="member@bench.test", password=None)
    raters = [User.objects.create_user(email=f"r{i}@bench.test", password=None) for i in range(40)]
    Membership.objects.create(organization=org, user=member)
    version = framework_services.create_version(
        document=validate_document(framework_document(args.competencies)), organization=org, by=None
    )
    framework_services.publish_version(version=version, by=None)
    placement = services.place(
        user=member, organization=org, version=version, track="ic", current_level="l5"
    )

    def seed(count: int) -> None:
        today = timezone.localdate()
        with transaction.atomic():
            Signal.objects.bulk_create(
                Signal(
                    subject=member,
                    organization=org,
                    version=version,
                    competency=f"c{rng.randrange(args.competencies)}",
                    step=rng.choice(["l3", "l4", "l4", "l5", "l5", "l6"]),
                    source=rng.choice(["self", "manager", "peer", "mentor"]),
                    rater=rng.choice(raters),
                    source_key=f"user:{rng.randrange(4)}",
                    observed_on=today - timedelta(days=rng.randrange(500)),
                )
                for _ in range(count)
            )

    seed(20)
    with counting_queries() as few:
        selectors.delta_for(placement)
    seed(args.signals - 20)

    doc = document_of(placement.version)
    targets = engine.targets_from_framework(doc, current="l5", target="l6", target_track="ic")
    rows = list(Signal.objects.filter(subject=member))
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
    full_ms, _view = best_of(10, lambda: selectors.delta_for(placement))
    with counting_queries() as many:
        selectors.delta_for(placement)

    print(
        table(
            [
                ("measure", "value"),
                ("competencies", str(args.competencies)),
                ("signals stored", str(len(rows))),
                ("engine: compute_delta (best of 20)", f"{engine_ms:.2f} ms"),
                ("delta_for: queries + engine + 6-month trend (best of 10)", f"{full_ms:.2f} ms"),
                ("queries with 20 signals", str(few[0])),
                (f"queries with {len(rows)} signals", str(many[0])),
                ("top gaps", ", ".join(result.top_gaps)),
                ("readiness", f"{result.readiness:.0%}"),
            ]
        )
    )


if __name__ == "__main__":
    main()

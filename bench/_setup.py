"""Shared set-up for the Python benchmarks: a throwaway SQLite database, migrated, and
the people and signals the delta benchmarks seed into it."""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "frameworks"
LEVELS = 8
STEPS = ["l3", "l4", "l4", "l5", "l5", "l6"]  # around the current level, l5


def django_on_a_fresh_database() -> Path:
    """Point Upward at a new temporary SQLite file (or UPWARD_DATABASE_URL), migrate it."""
    work = Path(tempfile.mkdtemp(prefix="upward-bench-"))
    os.environ.setdefault("UPWARD_DATA_DIR", str(work))
    os.environ.setdefault("UPWARD_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("UPWARD_TASKS", "immediate")
    # Pages render without collected static files (the manifest storage would need them).
    os.environ.setdefault("UPWARD_DEBUG", "1")
    os.environ.setdefault("UPWARD_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--no-input", "-v", "0")
    call_command("createcachetable")
    return work


def best_of(runs: int, call: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `runs` timings in milliseconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best, result


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """Count the SQL queries run inside the block: `with counting_queries() as n: ...; n[0]`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    box = [0]
    with CaptureQueriesContext(connection) as ctx:
        yield box
    box[0] = len(ctx)


def table(rows: list[tuple[str, ...]]) -> str:
    """A plain text table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


# --- Seeding for the delta benchmarks (call after `django_on_a_fresh_database`) ---------


def framework_document(competencies: int) -> dict[str, Any]:
    """A ladder of `competencies` over five areas and one track of `LEVELS` levels."""
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


@dataclass
class World:
    """An organization with a published ladder and people who can rate its members."""

    organization: Any
    version: Any
    raters: list[Any]
    competencies: int


def world(*, competencies: int, raters: int) -> World:
    """Create the organization, its ladder of `competencies` and `raters` people."""
    from upward.accounts.models import Organization, User
    from upward.frameworks import services
    from upward.frameworks.documents import validate_document

    org = Organization.objects.create(name="Bench Co", slug="bench")
    version = services.create_version(
        document=validate_document(framework_document(competencies)), organization=org, by=None
    )
    services.publish_version(version=version, by=None)
    people = [
        User.objects.create_user(email=f"r{i}@bench.test", password=None) for i in range(raters)
    ]
    return World(org, version, people, competencies)


def member(world: World, email: str) -> Any:
    """A member of the world's organization placed at l5, heading for l6."""
    from upward.accounts.models import Membership, User
    from upward.assessments import services

    person = User.objects.create_user(email=email, password=None)
    Membership.objects.create(organization=world.organization, user=person)
    return services.place(
        user=person,
        organization=world.organization,
        version=world.version,
        track="ic",
        current_level="l5",
    )


def seed_signals(
    world: World,
    placement: Any,
    *,
    count: int,
    rng: random.Random,
    sources: int | None = None,
    days: int = 360,
    kinds: Sequence[str] = ("manager", "peer", "mentor"),
) -> None:
    """`count` ratings of the placement's member, each by one of the first `sources`
    raters (all of them by default) on a random competency, step and day."""
    from django.db import transaction
    from django.utils import timezone

    from upward.assessments.models import Signal

    today = timezone.localdate()
    raters = world.raters[: sources or len(world.raters)]
    with transaction.atomic():
        Signal.objects.bulk_create(
            Signal(
                subject=placement.user,
                organization=world.organization,
                version=world.version,
                competency=f"c{rng.randrange(world.competencies)}",
                step=rng.choice(STEPS),
                source=rng.choice(kinds),
                rater=rater,
                source_key=f"user:{rater.pk}",
                observed_on=today - timedelta(days=rng.randrange(days)),
            )
            for rater in (rng.choice(raters) for _ in range(count))
        )

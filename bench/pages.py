"""The delta page and API for a member with years of feedback, against /healthz.

    uv run python bench/pages.py [--signals 2080] [--runs 30]

Seeds two members with the same number of signals over 30 competencies, one rated by
20 sources and one by 400, and requests in-process (Django's test client, no network)
their delta page, the delta API and /healthz. Prints the median time, the response
size and the query count of each, and each one's time as a multiple of /healthz.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from _setup import counting_queries, django_on_a_fresh_database, table
from delta import framework_document

COMPETENCIES = 30


def p50(runs: int, call: Callable[[], bytes]) -> tuple[float, int]:
    """The median of `runs` timings in milliseconds (after one warm-up), and the body size."""
    body = call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        body = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=2080)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    django_on_a_fresh_database()

    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from upward.accounts.models import Membership, Organization, User
    from upward.assessments import services
    from upward.assessments.models import Signal
    from upward.frameworks import services as framework_services
    from upward.frameworks.documents import validate_document

    rng = random.Random(7)
    org = Organization.objects.create(name="Bench Co", slug="bench")
    version = framework_services.create_version(
        document=validate_document(framework_document(COMPETENCIES)), organization=org, by=None
    )
    framework_services.publish_version(version=version, by=None)
    raters = [User.objects.create_user(email=f"r{i}@bench.test", password=None) for i in range(400)]

    def member_with(sources: int) -> tuple[Client, int]:
        member = User.objects.create_user(email=f"m{sources}@bench.test", password=None)
        Membership.objects.create(organization=org, user=member)
        placement = services.place(
            user=member, organization=org, version=version, track="ic", current_level="l5"
        )
        today = timezone.localdate()
        with transaction.atomic():
            Signal.objects.bulk_create(
                Signal(
                    subject=member,
                    organization=org,
                    version=version,
                    competency=f"c{rng.randrange(COMPETENCIES)}",
                    step=rng.choice(["l3", "l4", "l4", "l5", "l5", "l6"]),
                    source=rng.choice(["manager", "peer", "mentor"]),
                    rater=raters[n],
                    source_key=f"user:{raters[n].pk}",
                    observed_on=today - timedelta(days=rng.randrange(360)),
                )
                for n in (rng.randrange(sources) for _ in range(args.signals))
            )
        client = Client()
        client.force_login(member)
        return client, placement.pk

    def get(client: Client, url: str) -> Callable[[], bytes]:
        def call() -> bytes:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        return call

    anonymous = Client()
    health_ms, _ = p50(args.runs, get(anonymous, "/healthz"))
    rows = [("request", "p50 ms", "bytes", "queries", "x /healthz")]
    rows.append(("GET /healthz", f"{health_ms:.2f}", "-", "-", "1.0"))
    for sources in (20, 400):
        client, placement_id = member_with(sources)
        for name, url in (
            ("page", f"/growth/placement/{placement_id}/"),
            ("API", f"/api/v1/placements/{placement_id}/delta"),
        ):
            ms, size = p50(args.runs, get(client, url))
            with counting_queries() as queries:
                get(client, url)()
            label = f"{name}, {args.signals} signals from {sources} sources"
            rows.append((label, f"{ms:.2f}", f"{size:,}", str(queries[0]), f"{ms / health_ms:.0f}"))
    print(table(rows))


if __name__ == "__main__":
    main()

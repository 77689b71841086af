"""The delta page and API for a member with years of feedback, against /healthz.

    uv run python bench/pages.py [--signals 2080] [--runs 30]

Seeds two members with the same number of signals over 30 competencies, one rated by
20 sources and one by 400, and requests in-process (Django's test client, no network)
their delta page, the delta API and /healthz. Prints the median time (wall clock, and
the process's CPU time, which other work on a busy machine disturbs less), the response
size and the query count of each, and each one's time as a multiple of /healthz.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from _setup import counting_queries, django_on_a_fresh_database, member, seed_signals, table, world

COMPETENCIES = 30


def p50(runs: int, call: Callable[[], bytes]) -> tuple[float, float, int]:
    """The median wall and CPU times of `runs` calls in milliseconds (after one warm-up),
    and the body size."""
    body = call()
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        body = call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu), len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=2080)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    django_on_a_fresh_database()

    from django.test import Client

    rng = random.Random(7)
    bench = world(competencies=COMPETENCIES, raters=400)

    def member_with(sources: int) -> tuple[Client, int]:
        placement = member(bench, f"m{sources}@bench.test")
        seed_signals(bench, placement, count=args.signals, sources=sources, rng=rng)
        client = Client()
        client.force_login(placement.user)
        return client, placement.pk

    def get(client: Client, url: str) -> Callable[[], bytes]:
        def call() -> bytes:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        return call

    anonymous = Client()
    health_ms, health_cpu, _ = p50(args.runs, get(anonymous, "/healthz"))
    rows = [("request", "p50 ms", "cpu ms", "bytes", "queries", "x /healthz")]
    rows.append(("GET /healthz", f"{health_ms:.2f}", f"{health_cpu:.2f}", "-", "-", "1.0"))
    for sources in (20, 400):
        client, placement_id = member_with(sources)
        for name, url in (
            ("page", f"/growth/placement/{placement_id}/"),
            ("API", f"/api/v1/placements/{placement_id}/delta"),
        ):
            ms, cpu, size = p50(args.runs, get(client, url))
            with counting_queries() as queries:
                get(client, url)()
            label = f"{name}, {args.signals} signals from {sources} sources"
            rows.append(
                (
                    label,
                    f"{ms:.2f}",
                    f"{cpu:.2f}",
                    f"{size:,}",
                    str(queries[0]),
                    f"{ms / health_ms:.0f}",
                )
            )
    print(table(rows))


if __name__ == "__main__":
    main()

"""Org insights at scale: `upward seed`, then the heatmap, the pipeline and calibration.

    uv run python bench/insights.py [--people 1000] [--competencies 50]
        [--signals-per-person 12] [--runs 10] [--organization SLUG]

Seeds a synthetic organization into a new database (a temporary SQLite file, or the
empty PostgreSQL database UPWARD_DATABASE_URL names), or with `--organization` takes
one seeded before in that database (`upward seed`), then measures, as an admin of it,
each insight three ways:

- the selector cold: the arrays dropped, so the standings are read again;
- the selector warm: best of `--runs`, with its query count;
- the page and the API in-process (Django's test client, middleware and templates
  included): median of `--runs`, with their query counts and the server time they
  report (`took_ms`).

Also the seed's time per stage and the standings rebuild alone (when it seeds), and
the process's peak memory. The query counts must not change with `--people`.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _setup import best_of, counting_queries, django_on_a_fresh_database, table


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--competencies", type=int, default=50)
    parser.add_argument("--signals-per-person", type=int, default=12)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--organization", help="measure this seeded organization; seed none")
    args = parser.parse_args()
    django_on_a_fresh_database()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from upward.accounts.current import SESSION_KEY
    from upward.accounts.models import Membership, Organization, Role, Team
    from upward.assessments.models import Signal
    from upward.insights import selectors
    from upward.insights.access import access_insights
    from upward.insights.models import Standing
    from upward.insights.seed import seed
    from upward.insights.services.standings import rebuild

    stages: dict[str, float] = {}
    last = [time.perf_counter()]  # when progress was last reported

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages[stage] = stages.get(stage, 0.0) + now - last[0]
        last[0] = now
        if done == total:
            print(f"  {stage}: {total:,} in {stages[stage]:.1f} s", file=sys.stderr, flush=True)

    about: list[tuple[str, str]] = [("database", connection.vendor)]
    if args.organization:
        org = Organization.objects.get(slug=args.organization)
        about += [
            ("people", f"{Membership.objects.filter(organization=org).count():,}"),
            ("teams", f"{Team.objects.filter(organization=org).count():,}"),
            ("signals", f"{Signal.objects.filter(organization=org).count():,}"),
            ("standings", f"{Standing.objects.filter(organization=org).count():,}"),
        ]
    else:
        print(f"seeding {args.people:,} on {connection.vendor}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        seeded = seed(
            people=args.people,
            competencies=args.competencies,
            signals_per_person=args.signals_per_person,
            progress=progress,
        )
        org = seeded.organization
        about += [
            ("people", f"{seeded.people:,}"),
            ("teams", f"{seeded.teams:,}"),
            ("competencies", str(args.competencies)),
            ("ratings and evidence signals", f"{seeded.signals:,}"),
            ("standings", f"{seeded.standings:,}"),
            ("seed, all stages", f"{time.perf_counter() - started:.1f} s"),
            *((f"  of which {stage}", f"{secs:.1f} s") for stage, secs in stages.items()),
            ("peak memory after the seed", f"{peak_mb():.0f} MB"),
        ]
        started = time.perf_counter()
        rebuild(org)
        about.append(("standings rebuild alone", f"{time.perf_counter() - started:.1f} s"))

    admin = (
        Membership.objects.filter(organization=org, role=Role.ADMIN).select_related("user").first()
    )
    assert admin is not None, "the seed makes admins"
    scope = access_insights(admin.user, org)
    client = Client()
    client.force_login(admin.user)
    session = client.session
    session[SESSION_KEY] = org.pk  # the seeded organization is the admin's only one anyway
    session.save()

    def selector(call: Callable[..., Any], query: dict[str, str]) -> Callable[[], Any]:
        return lambda: call(scope, selectors.parse_filters(scope, query))

    measured: list[tuple[str, ...]] = [
        ("insight", "cold ms", "warm ms", "queries", "page ms", "page q", "api ms", "api q")
    ]
    insights = [
        ("heatmap by team", selectors.heatmap, "heatmap", "heatmap", {"by": "team"}),
        ("heatmap by level", selectors.heatmap, "heatmap", "heatmap", {"by": "level"}),
        ("pipeline", selectors.pipeline, "pipeline", "pipeline", {}),
        ("calibration", selectors.calibration, "calibration", "calibration", {}),
    ]
    for _label, call, _page, _api, query in insights:
        selector(call, query)()  # imports and parses the framework once: not what "cold" means
    for label, call, page, api, query in insights:
        run = selector(call, query)
        gc.collect()
        selectors.forget_cubes()
        cold_ms, _ = best_of(1, run)
        warm_ms, view = best_of(args.runs, run)
        with counting_queries() as queries:
            run()
        url = reverse(f"insights:{page}")
        api_url = f"/api/v1/orgs/{org.slug}/insights/{api}"
        page_ms, page_q = _median_get(client, url, query, args.runs)
        api_ms, api_q = _median_get(client, api_url, query, args.runs)
        took = client.get(api_url, query).json()["took_ms"]
        measured.append(
            (
                label,
                f"{cold_ms:.0f}",
                f"{warm_ms:.1f}",
                str(queries[0]),
                f"{page_ms:.1f}",
                str(page_q),
                f"{api_ms:.1f} (took_ms {took:.1f})",
                str(api_q),
            )
        )
        _check(label, view)

    print(
        table(
            [
                ("measure", "value"),
                *about,
                ("peak memory after the insights", f"{peak_mb():.0f} MB"),
            ]
        )
    )
    print()
    print(table(measured))


def _median_get(client: Any, url: str, query: dict[str, str], runs: int) -> tuple[float, int]:
    """The median time of a GET (after one that warms), and its query count."""
    first = client.get(url, query)
    assert first.status_code == 200, (url, first.status_code, first.content[:300])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, query)
        times.append((time.perf_counter() - started) * 1000)
    with counting_queries() as queries:
        client.get(url, query)
    return statistics.median(times), queries[0]


def _check(label: str, view: Any) -> None:
    """The view holds what the seed made: rows, levels or competencies."""
    found = getattr(view, "rows", None) or getattr(view, "levels", None)
    found = found or getattr(view, "competencies", None)
    assert found, f"{label}: nothing to show"


if __name__ == "__main__":
    main()

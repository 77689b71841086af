"""Shared set-up for the Python benchmarks: a throwaway SQLite database, migrated."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "frameworks"


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

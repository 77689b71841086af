"""`upward seed`: a synthetic organization in the configured database."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

Step = Callable[[], None]


def add_commands(sub: argparse._SubParsersAction, setup: Step, prepare: Step) -> None:
    """Register `seed` on the top-level parser."""
    p = sub.add_parser(
        "seed",
        help="create a synthetic organization of many people (for insights and benchmarks)",
        description="Create one new organization with a generated framework, teams, managers,"
        " placements across levels, a year of ratings, some evidence, mentors and roadmap"
        " objectives, then its standings. Sizes and free disk space are checked before"
        " anything is written.",
    )
    p.add_argument("--people", type=int, required=True, help="how many people (1 to 1,000,000)")
    p.add_argument(
        "--competencies",
        type=int,
        default=50,
        help="competencies of the generated framework (1 to 200, default 50)",
    )
    p.add_argument(
        "--signals-per-person",
        type=int,
        default=12,
        help="ratings each person receives over the year (0 to 500, default 12)",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.set_defaults(func=lambda a: cmd_seed(a, setup, prepare))


def cmd_seed(args: argparse.Namespace, setup: Step, prepare: Step) -> int:
    """Exit 0 with a summary; 2 when a flag is out of range or the disk is too small."""
    started = time.monotonic()
    setup()
    from upward.insights.seed import SeedRefused, check_disk, check_sizes, seed

    sizes = {
        "people": args.people,
        "competencies": args.competencies,
        "signals_per_person": args.signals_per_person,
    }
    try:
        check_sizes(**sizes)
        note = check_disk(**sizes)
    except SeedRefused as exc:
        print(f"error: {exc} Nothing was written.", file=sys.stderr)
        return 2
    print(f"upward seed: {note}", file=sys.stderr, flush=True)
    prepare()
    with _bar() as progress:
        done = seed(**sizes, seed=args.seed, progress=progress)
    took = time.monotonic() - started
    print(
        f"Created {done.organization.name} (slug {done.organization.slug}) in {took:.1f}s:"
        f" {done.people:,} people, {done.teams:,} teams, {done.signals:,} signals,"
        f" {done.evidence:,} evidence entries, {done.rooms:,} mentorship rooms,"
        f" {done.objectives:,} objectives, {done.standings:,} standings."
    )
    return 0


class _bar:
    """A progress bar per stage on standard error."""

    def __enter__(self) -> Callable[[str, int, int], None]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self.progress.start()
        tasks: dict[str, object] = {}

        def report(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = self.progress.add_task(stage, total=total)
            self.progress.update(task, completed=done, total=total)  # type: ignore[arg-type]

        return report

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

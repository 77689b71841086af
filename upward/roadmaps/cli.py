"""`upward roadmap check`: the objective specificity check from the command line.

No database needed: it runs the same engine as the roadmap pages and the API
(`upward/engine/specificity.py`). docs/specificity.md describes the rule, the
output and the exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from upward.engine.specificity import MISSING_LABELS, Check, check_objective

EXIT_CHECKED = 0
EXIT_SOME_VAGUE = 1  # only with --strict
EXIT_USAGE = 2
MAX_FILE_BYTES = 10 * 1024 * 1024  # far above any real list of objectives


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `roadmap` and its actions on the top-level parser."""
    roadmap = sub.add_parser("roadmap", help="work with roadmaps from the command line")
    actions = roadmap.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser(
        "check",
        help="check objectives for specificity",
        description=(
            "Check each objective: an action you own, a deliverable or observable outcome, and "
            "who it is for, a measure or a timebox. Objectives come from the TEXT arguments, "
            "then from --file (one per line, blank lines skipped); with neither, from standard "
            "input. Exit status: 0 once every objective is checked (with --strict: only when "
            "every one is specific, else 1), 2 on a usage or file error."
        ),
    )
    p.add_argument("texts", nargs="*", metavar="TEXT", help="an objective (quote each one)")
    p.add_argument(
        "--file", type=Path, help="a UTF-8 file with one objective per line ('-': standard input)"
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when any objective is vague (for CI gates)"
    )
    p.set_defaults(func=cmd_check)


class _InputError(Exception):
    pass


def cmd_check(args: argparse.Namespace) -> int:
    """Print one verdict per objective, in input order."""
    texts = [text.strip() for text in args.texts if text.strip()]
    try:
        if args.file:
            texts += _file_lines(args.file)
        elif not args.texts:
            texts = _stdin_lines()
    except _InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not texts:
        print("error: no objectives to check (the input holds only blank lines)", file=sys.stderr)
        return EXIT_USAGE
    checks = [check_objective(text) for text in texts]
    if args.format == "json":
        print(json.dumps([as_json(check) for check in checks], indent=2, ensure_ascii=False))
    else:
        print_table(checks)
    if args.strict and not all(c.specific for c in checks):
        return EXIT_SOME_VAGUE
    return EXIT_CHECKED


def _file_lines(path: Path) -> list[str]:
    if str(path) == "-":
        return _stdin_text_lines()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _InputError(f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise _InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise _InputError(f"{path}: cannot read it ({exc.strerror})") from None
    return _lines(data.splitlines(), str(path))


def _lines(raw: list[bytes], name: str) -> list[str]:
    """The non-blank lines, stripped; a line that is not UTF-8 is named by its number."""
    lines: list[str] = []
    for number, line in enumerate(raw, 1):
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            raise _InputError(f"{name}:{number}: not UTF-8 text") from None
        if text:
            lines.append(text)
    return lines


def _stdin_lines() -> list[str]:
    if sys.stdin is None or sys.stdin.isatty():
        raise _InputError(
            "give objectives as TEXT arguments, with --file FILE, or on standard input "
            "(see `upward roadmap check --help`)"
        )
    return _stdin_text_lines()


def _stdin_text_lines() -> list[str]:
    try:
        return [line.strip() for line in sys.stdin if line.strip()]
    except UnicodeDecodeError:
        raise _InputError("standard input: not UTF-8 text") from None


def as_json(check: Check) -> dict[str, object]:
    """The CLI's JSON for one objective: exactly these five keys."""
    return {
        "text": check.text,
        "score": check.score,
        "specific": check.specific,
        "missing": list(check.missing),
        "suggestions": list(check.suggestions),
    }


def print_table(checks: list[Check]) -> None:
    """A table for people: the verdict, the score, what is missing and the first suggestion."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Objective specificity", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("objective", ratio=3)
    table.add_column("score", justify="right")
    table.add_column("specific")
    table.add_column("missing / next step", ratio=3)
    for number, check in enumerate(checks, 1):
        labels = "; ".join(MISSING_LABELS[code] for code in check.missing)
        missing = f"needs {labels}" if labels else ""
        advice = "\n".join(part for part in (missing, *check.suggestions[:1]) if part)
        verdict = Text("yes", style="green") if check.specific else Text("no", style="red")
        # Text(), not markup: an objective may contain brackets.
        table.add_row(str(number), Text(check.text), str(check.score), verdict, Text(advice or "-"))
    console = Console(file=sys.stdout)
    console.print(table)
    specific = sum(c.specific for c in checks)
    console.print(f"{specific} of {len(checks)} objective(s) specific.", markup=False)

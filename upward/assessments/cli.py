"""`upward delta`: the delta for a framework file and a signals file, no database needed.

It runs the same engine as the web pages, so the numbers are the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from upward.engine import delta as engine
from upward.engine.cli_input import UsageError, check_levels, read_file, resolve_tracks
from upward.engine.formats import read_any
from upward.engine.framework.models import FrameworkDocument
from upward.engine.issues import FrameworkError
from upward.engine.level_steps import signals_by_step
from upward.engine.signals_file import read_signals


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `delta` on the top-level parser."""
    p = sub.add_parser(
        "delta",
        help="compute the delta from a framework file and a signals file",
        description="Compute the competency delta: docs/delta-cli.md describes the files.",
    )
    p.add_argument("--framework", type=Path, required=True, help="framework file (any format)")
    p.add_argument("--track", help="track key (may be left out when there is one track)")
    p.add_argument("--current", required=True, help="current level key")
    p.add_argument("--target", required=True, help="target level key")
    p.add_argument("--target-track", help="target's track, when switching tracks")
    p.add_argument("--signals", type=Path, required=True, help="signals file (YAML or JSON)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--today", type=date.fromisoformat, help="date the 12-month window ends")
    p.set_defaults(func=cmd_delta)


def cmd_delta(args: argparse.Namespace) -> int:
    """Print the delta as a table or JSON; exit 1 with located errors on bad input."""
    try:
        fw = read_any(read_file(args.framework), str(args.framework)).framework
        track, target_track = resolve_tracks(fw, args.track, args.target_track)
        check_levels(fw, track, args.current, target_track, args.target)
        text = read_file(args.signals).decode("utf-8")
        signals, smap = read_signals(text, str(args.signals))
        signals = signals_by_step(fw, signals)
    except FrameworkError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    targets = engine.targets_from_framework(
        fw, current=args.current, target=args.target, target_track=target_track
    )
    try:
        result = engine.compute_delta(
            targets,
            signals,
            today=args.today or date.today(),  # noqa: DTZ011 (a calendar date, not a time)
            points=engine.points_rule_from_framework(fw),
        )
    except engine.DeltaInputError as exc:
        line = smap.line_for((exc.index, exc.field))
        print(
            f"{args.signals}:{line}: {exc}" if line else f"{args.signals}: {exc}", file=sys.stderr
        )
        return 1
    out = _as_json(result) if args.format == "json" else _as_table(result, fw, args)
    print(out)
    return 0


def _as_json(result: engine.Delta) -> str:
    data: dict[str, Any] = {
        "competencies": {
            c.key: {
                "expected": c.expected,
                "operating": c.operating,
                "demonstrated": c.demonstrated,
                "gap": c.gap,
                "status": c.status.value,
                "signals": len(c.counted),
            }
            for c in result.competencies
        },
        "top_gaps": result.top_gaps,
        "needs_assessment": result.needs_assessment,
        "readiness": result.readiness,
    }
    if result.points is not None:
        data["points"] = result.points
        data["points_level"] = result.points_level
    return json.dumps(data, indent=2)


def _as_table(result: engine.Delta, fw: FrameworkDocument, args: argparse.Namespace) -> str:
    head = ("competency", "expected", "operating", "demonstrated", "gap", "status")
    rows = [head] + [
        (
            c.key,
            c.expected or "-",
            c.operating or "-",
            c.demonstrated or "-",
            str(c.gap),
            c.status.value,
        )
        for c in result.competencies
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [f"{fw.name}: {args.current} -> {args.target}", ""]
    lines += [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines += ["", f"top gaps: {', '.join(result.top_gaps) or 'none'}"]
    if result.needs_assessment:
        lines.append(f"needs assessment: {', '.join(result.needs_assessment)}")
    lines.append(f"readiness: {result.readiness * 100:.1f}%")
    if result.points is not None:
        lines.append(f"points: {result.points} (level {result.points_level or '-'})")
    return "\n".join(lines)

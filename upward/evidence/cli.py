"""`upward packet`: a promotion packet from a framework file, a signals file and an
evidence file, with no database (docs/packet-cli.md).

It runs the same engine as the web pages: the delta, the evidence rule and the
packet are computed the same way.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from upward.engine import delta as engine
from upward.engine.cli_input import UsageError, check_levels, read_file, resolve_tracks
from upward.engine.evidence_file import read_evidence
from upward.engine.formats import read_any
from upward.engine.issues import FrameworkError
from upward.engine.level_steps import signals_by_step
from upward.engine.packet import PacketDoc, build_packet, framework_step_name, to_dict, to_markdown
from upward.engine.signals_file import read_signals

FORMATS = ("markdown", "json", "html", "pdf")


def add_commands(sub: argparse._SubParsersAction, setup: Callable[[], None] | None = None) -> None:
    """Register `packet` on the top-level parser; `setup` readies Django for the
    HTML and PDF formats (they render through the web app's templates)."""
    p = sub.add_parser(
        "packet",
        help="write a promotion packet from framework, signals and evidence files",
        description="Write a promotion packet: docs/packet-cli.md describes the files.",
    )
    p.add_argument("--framework", type=Path, required=True, help="framework file (any format)")
    p.add_argument("--track", help="track key (may be left out when there is one track)")
    p.add_argument("--current", required=True, help="current level key")
    p.add_argument("--target", required=True, help="target level key")
    p.add_argument("--target-track", help="target's track, when switching tracks")
    p.add_argument("--signals", type=Path, required=True, help="signals file (YAML or JSON)")
    p.add_argument("--evidence", type=Path, required=True, help="evidence file (YAML or JSON)")
    p.add_argument("--format", choices=FORMATS, default="markdown", help="default: markdown")
    p.add_argument("--output", type=Path, help="file to write (default: standard output)")
    p.add_argument("--today", type=date.fromisoformat, help="the packet's date (YYYY-MM-DD)")
    p.add_argument("--title", help="the packet's title")
    p.add_argument("--person", default="", help="whose packet it is")
    p.set_defaults(func=lambda args: cmd_packet(args, setup))


def cmd_packet(args: argparse.Namespace, setup: Callable[[], None] | None = None) -> int:
    """Write the packet; exit 1 with located errors on bad input, 2 on bad usage."""
    if args.format == "pdf" and args.output is None:
        print("error: --format pdf writes a binary file: pass --output FILE", file=sys.stderr)
        return 2
    today = args.today or date.today()  # noqa: DTZ011 (a calendar date, not a time)
    try:
        doc = _packet(args, today)
    except FrameworkError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = _render(doc, args.format, setup)
    if args.output is None:
        assert isinstance(out, str)  # pdf needs --output, checked above
        sys.stdout.write(out)
        return 0
    try:
        if isinstance(out, bytes):
            args.output.write_bytes(out)
        else:
            args.output.write_text(out, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


def _packet(args: argparse.Namespace, today: date) -> PacketDoc:
    fw = read_any(read_file(args.framework), str(args.framework)).framework
    track, target_track = resolve_tracks(fw, args.track, args.target_track)
    check_levels(fw, track, args.current, target_track, args.target)
    text = _text(args.signals)
    signals, smap = read_signals(text, str(args.signals))
    signals = signals_by_step(fw, signals)
    targets = engine.targets_from_framework(
        fw, current=args.current, target=args.target, target_track=target_track
    )
    entries, implied = read_evidence(
        _text(args.evidence), str(args.evidence), targets=targets, today=today, framework=fw
    )
    try:
        # The evidence's signals come last and are checked already: an index is the file's.
        result = engine.compute_delta(
            targets,
            [*signals, *implied],
            today=today,
            points=engine.points_rule_from_framework(fw),
        )
    except engine.DeltaInputError as exc:
        line = smap.line_for((exc.index, exc.field))
        raise FrameworkError.single(str(exc), line=line, file=str(args.signals)) from None
    current, target = fw.level(args.current), fw.level(args.target)
    current_name, target_name = current.code or current.title, target.code or target.title
    return build_packet(
        result,
        title=args.title or f"Promotion packet: {current_name} to {target_name}",
        person=args.person,
        framework=fw.name,
        track=next(t.name for t in fw.tracks if t.key == target_track),
        current_level=current_name,
        target_level=target_name,
        today=today,
        entries=entries,
        step_name=framework_step_name(fw),
    )


def _render(doc: PacketDoc, fmt: str, setup: Callable[[], None] | None) -> str | bytes:
    if fmt == "markdown":
        return to_markdown(doc)
    if fmt == "json":
        return json.dumps(to_dict(doc), indent=2, ensure_ascii=False) + "\n"
    # The HTML and PDF documents render the member's Markdown through the web app's
    # templates. Rendering a file signs nothing and stores nothing, so a site that
    # has no secret key configured gets a throwaway one rather than an error.
    os.environ.setdefault("UPWARD_SECRET_KEY", secrets.token_urlsafe(50))
    if setup is not None:
        setup()
    from upward.evidence.rendering import packet_html, packet_pdf

    if fmt == "html":
        return packet_html(doc)
    # WeasyPrint reports each layout step and each CSS rule it skips; the file is what counts.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return packet_pdf(doc)


def _text(path: Path) -> str:
    try:
        return read_file(path).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None

"""`upward mentor match`: the best cohort assignment of mentees to mentors, from files.

No database needed: it runs the same engine as programmes (`upward/engine/matching.py`).
docs/matching.md describes the people file, the output and the exit status.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from upward.engine.cli_input import UsageError, read_file
from upward.engine.formats import read_any
from upward.engine.framework.models import FrameworkDocument
from upward.engine.issues import FrameworkError, Issue, Loc, error, format_loc
from upward.engine.level_steps import step_for
from upward.engine.matching import (
    Assignment,
    MatchingInputError,
    Mentee,
    Mentor,
    check_input,
    solve,
)
from upward.engine.sourcemap import SourceMap, load_json, load_yaml

__all__ = ["add_commands", "as_json", "as_table", "cmd_match", "read_people"]

EXIT_MATCHED = 0
EXIT_BAD_INPUT = 2
PEOPLE_FIELDS = ("mentees", "mentors")
MENTEE_FIELDS = ("key", "gaps", "needs", "avoid")
MENTOR_FIELDS = ("key", "capacity", "demonstrated")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `mentor` and its `match` action on the top-level parser."""
    mentor = sub.add_parser("mentor", help="mentor matching from files")
    actions = mentor.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser(
        "match",
        help="assign mentees to mentors for the highest total score",
        description=(
            "Assign mentees to mentors for the highest total pair score under capacities and "
            "exclusions (docs/matching.md). Exit status: 0 once matched, 2 on a usage or file "
            "error, reported as FILE:LINE: message."
        ),
    )
    p.add_argument("--framework", type=Path, required=True, help="framework file (any format)")
    p.add_argument("--people", type=Path, required=True, help="people file (YAML or JSON)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_match)


def cmd_match(args: argparse.Namespace) -> int:
    """Print the assignment as a table or JSON; exit 2 with located errors on bad input."""
    try:
        fw = read_any(read_file(args.framework), str(args.framework)).framework
        mentees, mentors = read_people(_text(args.people), str(args.people), fw)
    except FrameworkError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = solve(mentees, mentors)
    print(as_json(result) if args.format == "json" else as_table(result))
    return EXIT_MATCHED


def _text(path: Path) -> str:
    try:
        return read_file(path).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


def read_people(
    text: str, filename: str, fw: FrameworkDocument
) -> tuple[list[Mentee], list[Mentor]]:
    """Mentees and mentors from a people file, steps read as ranks of `fw`; raise
    FrameworkError listing every problem with its line."""
    loader = load_json if filename.lower().endswith(".json") else load_yaml
    try:
        data, smap, _warnings = loader(text)
    except FrameworkError as exc:
        raise exc.located(filename) from None
    reader = _Reader(smap, fw)
    mentees, mentors = reader.people(data)
    if not reader.issues:
        try:
            check_input(mentees, mentors)  # the engine's own rules, should the reader miss one
        except MatchingInputError as exc:
            reader.bad(exc.loc, str(exc.args[0]))
    if reader.issues:
        issues = sorted(reader.issues, key=lambda i: i.line or 0)
        raise FrameworkError([i.located(file=filename) for i in issues])
    return mentees, mentors


class _Reader:
    """Reads the people file entry by entry, collecting every problem with its line."""

    def __init__(self, smap: SourceMap, fw: FrameworkDocument) -> None:
        self.smap = smap
        self.fw = fw
        self.issues: list[Issue] = []
        self.seen: dict[str, set[str]] = {"mentees": set(), "mentors": set()}
        levels = [lv for t in fw.tracks for lv in fw.levels_of(t.key)]
        # Ranks compare levels across tracks when every level has one; else a level's place.
        self.ranked = all(lv.rank is not None for lv in levels)
        self.level_keys = list(dict.fromkeys(lv.key for lv in levels))

    def bad(self, loc: Loc, message: str) -> None:
        self.issues.append(error(format_loc(loc), message, self.smap.line_for(loc)))

    def people(self, data: Any) -> tuple[list[Mentee], list[Mentor]]:
        if not isinstance(data, dict):
            self.bad((), "a people file is a mapping with `mentees` and `mentors` lists")
            return [], []
        self._unknown(data, (), PEOPLE_FIELDS)
        mentor_items = self._list(data, "mentors")
        mentors = [self.mentor(item, i) for i, item in enumerate(mentor_items)]
        mentee_items = self._list(data, "mentees")
        known = self.seen["mentors"]
        mentees = [self.mentee(item, i, known) for i, item in enumerate(mentee_items)]
        return [m for m in mentees if m is not None], [m for m in mentors if m is not None]

    def mentee(self, item: Any, i: int, mentor_keys: set[str]) -> Mentee | None:
        loc: Loc = ("mentees", i)
        if not isinstance(item, dict):
            self.bad(loc, "each mentee is a mapping {key, gaps, needs, avoid}")
            return None
        before = len(self.issues)
        self._unknown(item, loc, MENTEE_FIELDS)
        key = self._key(item, loc)
        gaps = self._gaps(item.get("gaps"), (*loc, "gaps"))
        needs = self._steps(item.get("needs"), (*loc, "needs"))
        given = item.get("needs")
        named = {str(c) for c in given} if isinstance(given, dict) else set()
        for competency in gaps:
            if competency not in named:
                self.bad((*loc, "gaps", competency), "has no step in `needs` to reach")
        avoid = self._avoid(item.get("avoid"), (*loc, "avoid"), mentor_keys)
        if len(self.issues) > before:
            return None
        return Mentee(key, gaps, needs, avoid)

    def mentor(self, item: Any, i: int) -> Mentor | None:
        loc: Loc = ("mentors", i)
        if not isinstance(item, dict):
            self.bad(loc, "each mentor is a mapping {key, capacity, demonstrated}")
            return None
        before = len(self.issues)
        self._unknown(item, loc, MENTOR_FIELDS)
        key = self._key(item, loc)
        capacity = item.get("capacity")
        if capacity is None:
            self.bad((*loc, "capacity"), "is missing (how many mentees at once)")
        elif isinstance(capacity, bool) or not isinstance(capacity, int):
            self.bad((*loc, "capacity"), f"'{capacity}' is not a whole number")
        elif capacity < 0:
            self.bad((*loc, "capacity"), f"{capacity} is negative (a capacity is 0 or more)")
        demonstrated = self._steps(item.get("demonstrated"), (*loc, "demonstrated"))
        if len(self.issues) > before:
            return None
        return Mentor(key, int(capacity or 0), demonstrated)

    def _list(self, data: dict[str, Any], name: str) -> list[Any]:
        value = data.get(name)
        if not isinstance(value, list):
            self.bad((name,), "is missing (a list)" if value is None else "is a list")
            return []
        return value

    def _unknown(self, item: dict[str, Any], loc: Loc, fields: tuple[str, ...]) -> None:
        for extra in sorted(set(item) - set(fields), key=str):
            self.bad((*loc, extra), f"unknown field (use {', '.join(fields)})")

    def _key(self, item: dict[str, Any], loc: Loc) -> str:
        value = item.get("key")
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
            self.bad((*loc, "key"), "is missing (a text)" if value in (None, "") else "is a text")
            return ""
        key, side = str(value).strip(), str(loc[0])
        if key in self.seen[side]:
            self.bad((*loc, "key"), f"'{key}' is the key of an earlier {side[:-1]}")
        self.seen[side].add(key)
        return key

    def _mapping(self, value: Any, loc: Loc, what: str) -> dict[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(loc, f"is a mapping of competency to {what}")
            return {}
        return value

    def _gaps(self, value: Any, loc: Loc) -> dict[str, float]:
        out: dict[str, float] = {}
        for competency, score in self._mapping(value, loc, "gap score").items():
            where = (*loc, str(competency))
            if self._competency(str(competency), where):
                number = not isinstance(score, bool) and isinstance(score, int | float)
                if not number or not math.isfinite(score) or score <= 0:
                    self.bad(where, f"'{score}' is not a gap score (a number above 0)")
                else:
                    out[str(competency)] = float(score)
        return out

    def _steps(self, value: Any, loc: Loc) -> dict[str, int]:
        out: dict[str, int] = {}
        for competency, step in self._mapping(value, loc, "step").items():
            where = (*loc, str(competency))
            if not self._competency(str(competency), where):
                continue
            rank = self._rank(str(competency), step, where)
            if rank is not None:
                out[str(competency)] = rank
        return out

    def _competency(self, key: str, loc: Loc) -> bool:
        try:
            self.fw.competency(key)
        except KeyError:
            self.bad(loc, f"unknown competency '{key}'")
            return False
        return True

    def _rank(self, competency: str, step: Any, loc: Loc) -> int | None:
        """The step's rank: its place on the competency's own scale, or the level's rank."""
        scale = [s.key for s in self.fw.competency(competency).scale]
        given = "" if isinstance(step, dict | list | None) else str(step)
        if scale:
            found = step_for(self.fw, competency, given)
            if found in scale:
                return scale.index(found)
            self.bad(loc, f"'{given}' is not a step of '{competency}' (steps: {', '.join(scale)})")
            return None
        if given not in self.level_keys:
            steps = ", ".join(self.level_keys)
            self.bad(loc, f"'{given}' is not a level of the framework (levels: {steps})")
            return None
        level = self.fw.level(given)
        if self.ranked and level.rank is not None:
            return level.rank
        track = self.fw.tracks_of(given)[0].key
        return [lv.key for lv in self.fw.levels_of(track)].index(given)

    def _avoid(self, value: Any, loc: Loc, mentor_keys: set[str]) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            self.bad(loc, "is a list of mentor keys")
            return frozenset()
        out = set()
        for n, key in enumerate(value):
            text = str(key).strip()
            if isinstance(key, dict | list | bool) or text not in mentor_keys:
                self.bad((*loc, n), f"'{text}' is not the key of a mentor in the file")
            else:
                out.add(text)
        return frozenset(out)


def as_json(result: Assignment) -> str:
    """The assignment as JSON: pairs, unmatched, total (scores to 6 decimal places)."""
    data = {
        "pairs": [
            {"mentee": p.mentee, "mentor": p.mentor, "score": round(p.score, 6), "covers": p.covers}
            for p in result.pairs
        ],
        "unmatched": [{"mentee": u.mentee, "reason": u.reason} for u in result.unmatched],
        "total": round(result.total, 6),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def as_table(result: Assignment) -> str:
    """The assignment as aligned columns: pairs, then the unmatched with why."""
    lines = [f"{len(result.pairs)} pairs, total score {result.total:.2f}", ""]
    if result.pairs:
        pair_rows: list[tuple[str, ...]] = [("mentee", "mentor", "score", "covers")]
        pair_rows += [
            (p.mentee, p.mentor, f"{p.score:.2f}", ", ".join(p.covers)) for p in result.pairs
        ]
        lines += [*_columns(pair_rows), ""]
    lines.append(f"{len(result.unmatched)} unmatched")
    if result.unmatched:
        rows: list[tuple[str, ...]] = [("mentee", "reason")]
        rows += [(u.mentee, u.reason) for u in result.unmatched]
        lines += ["", *_columns(rows)]
    return "\n".join(lines)


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]

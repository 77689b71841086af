"""Signals from a YAML or JSON file, for `upward delta` (frameworks as code).

The file is a list of `{competency, step, source, rater, date}` mappings, with an
optional `sometimes` step. An `evidence` signal with `confirmed_by` (and no `rater`)
is that person's confirmation of an entry; without it, it is the member's claim.
Every problem is reported with its line.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from upward.engine.delta import Signal, Source
from upward.engine.issues import FrameworkError, Issue, error
from upward.engine.sourcemap import SourceMap, load_json, load_yaml

FIELDS = {"competency", "step", "source", "rater", "date", "sometimes", "confirmed_by"}
SOURCES = ", ".join(s.value for s in Source)


def read_signals(text: str, filename: str) -> tuple[list[Signal], SourceMap]:
    """Parse a signals file; raise FrameworkError listing every bad entry with its line."""
    loader = load_json if text.lstrip().startswith("[") else load_yaml
    data, smap, _warnings = loader(text)
    if not isinstance(data, list):
        raise FrameworkError.single(
            "a signals file is a list of {competency, step, source, rater, date}",
            line=smap.line_for(()),
            file=filename,
        )
    signals, issues = [], []
    for index, entry in enumerate(data):
        found = _signal(entry, index, smap)
        if isinstance(found, Signal):
            signals.append(found)
        else:
            issues.extend(found)
    if issues:
        raise FrameworkError([i.located(file=filename) for i in issues])
    return signals, smap


def _signal(entry: Any, index: int, smap: SourceMap) -> Signal | list[Issue]:
    where = f"signals[{index}]"
    if not isinstance(entry, dict):
        return [error(where, "each signal is a mapping", smap.line_for((index,)))]
    issues = []

    def bad(field: str, message: str) -> None:
        issues.append(error(f"{where}.{field}", message, smap.line_for((index, field))))

    for extra in sorted(set(entry) - FIELDS):
        bad(extra, f"unknown field (use {', '.join(sorted(FIELDS))})")
    for field in ("competency", "step", "source", "date"):
        if entry.get(field) in (None, ""):
            bad(field, "is missing")
    source = str(entry.get("source", ""))
    if source and source not in {s.value for s in Source}:
        bad("source", f"'{source}' is not a source (use {SOURCES})")
    confirmed_by = entry.get("confirmed_by")
    confirmed = confirmed_by is not None
    if confirmed:
        if source and source != Source.EVIDENCE.value:
            bad("confirmed_by", f"only an evidence signal is confirmed (this one is '{source}')")
        elif not isinstance(confirmed_by, str) or not confirmed_by.strip():
            bad("confirmed_by", "names who confirmed the entry: a non-empty text")
        elif entry.get("rater") not in (None, ""):
            bad("rater", "a confirmation's rater is the person in confirmed_by: leave rater out")
        rater = str(confirmed_by).strip()
    else:
        rater = str(entry.get("rater") or ("self" if source == "self" else ""))
        if not rater:
            bad("rater", "is missing (who gave the signal; one voice per rater)")
    day = _date(entry.get("date"))
    if entry.get("date") not in (None, "") and day is None:
        bad("date", f"'{entry.get('date')}' is not a date (use YYYY-MM-DD)")
    if issues or day is None:
        return issues
    return Signal(
        competency=str(entry["competency"]),
        step=str(entry["step"]),
        source=Source(source),
        rater=rater,
        on=day,
        sometimes=str(entry["sometimes"]) if entry.get("sometimes") else None,
        confirmed=confirmed,
    )


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None

"""Content checks for the built-in framework library (`upward/frameworks/library/*.yaml`).

Plain pytest and PyYAML: no Django, no database. Every check collects all of its
problems before failing, and names the file, competency and level of each one, so a
writer fixing a framework sees the whole list at once.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

LIBRARY = Path(__file__).resolve().parents[1] / "library"
FILES = sorted(LIBRARY.glob("*.yaml"))

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
KINDS = {"impact", "behavior", "skill"}

TOP_REQUIRED = {
    "key",
    "name",
    "description",
    "attribution",
    "areas",
    "competencies",
    "tracks",
    "expectations",
}
TOP_ALLOWED = TOP_REQUIRED | {"format_version", "level_rule"}
ATTRIBUTION_KEYS = {"source", "url", "licence"}
AREA_REQUIRED = {"key", "name", "description"}
COMPETENCY_REQUIRED = {"key", "name", "description", "area", "kind", "weight"}
COMPETENCY_ALLOWED = COMPETENCY_REQUIRED | {"scale"}
TRACK_REQUIRED = {"key", "name", "levels"}
TRACK_ALLOWED = TRACK_REQUIRED | {"description"}
LEVEL_REQUIRED = {"key", "code", "title", "summary", "rank"}
EXPECTATION_REQUIRED = {"competency", "level", "summary", "signals", "examples"}
EXPECTATION_ALLOWED = EXPECTATION_REQUIRED | {"step", "optional"}

MIN_AREAS = 4
MIN_COMPETENCIES = 10
MIN_IMPACT_COMPETENCIES = 3
WEIGHT_RANGE = (0.5, 2.0)
SIGNALS_RANGE = (2, 4)
MIN_EXAMPLES = 1

# Adjacent levels of one competency must read as different levels, not a reworded copy.
MAX_SIMILARITY = 0.6
MIN_CHANGED_WORDS = 5


@cache
def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path.name}: the document must be a mapping"
    return data


def items(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """A list field of the document, keeping only mappings (the shape test reports the rest)."""
    value = data.get(field)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def levels_of(track: dict[str, Any], levels_by_key: dict[str, dict[str, Any]]) -> list[dict]:
    """A track's levels in order; a `{ref: key}` entry stands for a level defined elsewhere."""
    found = []
    for level in track.get("levels") or []:
        if isinstance(level, dict) and "ref" in level:
            level = levels_by_key.get(level["ref"])
        if isinstance(level, dict):
            found.append(level)
    return found


def defined_levels(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        level["key"]: level
        for track in items(data, "tracks")
        for level in track.get("levels") or []
        if isinstance(level, dict) and "key" in level
    }


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def changed_words(a: list[str], b: list[str]) -> int:
    """How many words an edit from `a` to `b` touches (replacements count once)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def too_similar(a: str, b: str) -> str | None:
    """Why two texts are too close to stand for different levels, or None."""
    wa, wb = words(a), words(b)
    ratio = difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    changed = changed_words(wa, wb)
    if ratio > MAX_SIMILARITY:
        return f"word similarity {ratio:.2f} > {MAX_SIMILARITY}"
    if changed < MIN_CHANGED_WORDS:
        return f"only {changed} word(s) differ (need {MIN_CHANGED_WORDS})"
    return None


def as_text(value: Any) -> str | None:
    """A summary as is, or a list of signals joined into one text; None when empty."""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return value if is_text(value) else None


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def fail_if(problems: list[str], path: Path) -> None:
    if problems:
        listing = "\n  ".join(problems)
        pytest.fail(f"{path.name}: {len(problems)} problem(s)\n  {listing}", pytrace=False)


per_file = pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])


def test_library_holds_the_software_engineering_framework() -> None:
    assert (LIBRARY / "software-engineering.yaml") in FILES, f"no framework files in {LIBRARY}"


@per_file
def test_document_shape(path: Path) -> None:
    data = load(path)
    problems = []
    missing = TOP_REQUIRED - data.keys()
    unknown = data.keys() - TOP_ALLOWED
    if missing:
        problems.append(f"missing top-level keys: {sorted(missing)}")
    if unknown:
        problems.append(f"unknown top-level keys: {sorted(unknown)}")
    if data.get("key") != path.stem:
        problems.append(f"key {data.get('key')!r} should match the file name {path.stem!r}")
    for field in ("name", "description"):
        if not is_text(data.get(field)):
            problems.append(f"{field} must be non-empty text")
    attribution = data.get("attribution")
    if not isinstance(attribution, dict) or set(attribution) != ATTRIBUTION_KEYS:
        problems.append(f"attribution must be a mapping with exactly {sorted(ATTRIBUTION_KEYS)}")
    elif not is_text(attribution["source"]):
        problems.append("attribution.source must be non-empty text")
    for field in ("areas", "competencies", "tracks", "expectations"):
        value = data.get(field)
        if not isinstance(value, list) or not value:
            problems.append(f"{field} must be a non-empty list")
        elif not all(isinstance(item, dict) for item in value):
            problems.append(f"every entry of {field} must be a mapping")
    fail_if(problems, path)


def check_fields(
    problems: list[str],
    where: str,
    item: dict[str, Any],
    required: set[str],
    allowed: set[str],
    text_fields: tuple[str, ...],
) -> None:
    missing, unknown = required - item.keys(), item.keys() - allowed
    if missing:
        problems.append(f"{where}: missing {sorted(missing)}")
    if unknown:
        problems.append(f"{where}: unknown fields {sorted(unknown)}")
    for field in text_fields:
        if field in item and not is_text(item[field]):
            problems.append(f"{where}: {field} must be non-empty text")


def check_keys(problems: list[str], kind: str, keys: list[Any]) -> None:
    seen: set[str] = set()
    for key in keys:
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(f"{kind} key {key!r} is not a lowercase slug")
        elif key in seen:
            problems.append(f"duplicate {kind} key {key!r}")
        else:
            seen.add(key)


@per_file
def test_areas_and_competencies(path: Path) -> None:
    data = load(path)
    problems: list[str] = []
    areas = items(data, "areas")
    competencies = items(data, "competencies")
    if len(areas) < MIN_AREAS:
        problems.append(f"{len(areas)} areas, need at least {MIN_AREAS}")
    if len(competencies) < MIN_COMPETENCIES:
        problems.append(f"{len(competencies)} competencies, need at least {MIN_COMPETENCIES}")
    for area in areas:
        where = f"area {area.get('key')!r}"
        check_fields(problems, where, area, AREA_REQUIRED, AREA_REQUIRED, ("name", "description"))
    check_keys(problems, "area", [a.get("key") for a in areas])
    check_keys(problems, "competency", [c.get("key") for c in competencies])

    area_keys = {a.get("key") for a in areas}
    low, high = WEIGHT_RANGE
    for comp in competencies:
        where = f"competency {comp.get('key')!r}"
        fields = ("name", "description")
        check_fields(problems, where, comp, COMPETENCY_REQUIRED, COMPETENCY_ALLOWED, fields)
        if comp.get("area") not in area_keys:
            problems.append(f"{where}: area {comp.get('area')!r} is not a defined area")
        if comp.get("kind") not in KINDS:
            problems.append(f"{where}: kind {comp.get('kind')!r} is not one of {sorted(KINDS)}")
        weight = comp.get("weight")
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            problems.append(f"{where}: weight {weight!r} is not a number")
        elif not low <= weight <= high:
            problems.append(f"{where}: weight {weight} is outside {low}-{high}")

    impact = [c for c in competencies if c.get("kind") == "impact"]
    if len(impact) < MIN_IMPACT_COMPETENCIES:
        problems.append(
            f"{len(impact)} impact competencies, need at least {MIN_IMPACT_COMPETENCIES}"
        )
    used = {c.get("area") for c in competencies}
    for unused in sorted(str(k) for k in area_keys - used):
        problems.append(f"area {unused!r} has no competencies")
    fail_if(problems, path)


@per_file
def test_tracks_and_levels(path: Path) -> None:
    data = load(path)
    problems: list[str] = []
    tracks = items(data, "tracks")
    check_keys(problems, "track", [t.get("key") for t in tracks])
    defined = [
        level
        for track in tracks
        for level in track.get("levels") or []
        if isinstance(level, dict) and "ref" not in level
    ]
    check_keys(problems, "level", [level.get("key") for level in defined])
    levels_by_key = defined_levels(data)

    for track in tracks:
        where = f"track {track.get('key')!r}"
        check_fields(problems, where, track, TRACK_REQUIRED, TRACK_ALLOWED, ("name",))
        raw = track.get("levels")
        if not isinstance(raw, list) or not raw:
            problems.append(f"{where}: levels must be a non-empty list")
            continue
        for entry in raw:
            if isinstance(entry, dict) and "ref" in entry:
                if entry["ref"] not in levels_by_key:
                    problems.append(f"{where}: level ref {entry['ref']!r} is not defined")
                continue
            if not isinstance(entry, dict):
                problems.append(f"{where}: level {entry!r} is not a mapping")
                continue
            level_where = f"{where} level {entry.get('key')!r}"
            fields = ("code", "title", "summary")
            check_fields(problems, level_where, entry, LEVEL_REQUIRED, LEVEL_REQUIRED, fields)
            rank = entry.get("rank")
            if not isinstance(rank, int) or isinstance(rank, bool):
                problems.append(f"{level_where}: rank {rank!r} is not an integer")
        ranks = [lv.get("rank") for lv in levels_of(track, levels_by_key)]
        numeric = [r for r in ranks if isinstance(r, int)]
        for before, after in pairwise(numeric):
            if after <= before:
                problems.append(f"{where}: ranks must increase along the track, got {ranks}")
                break
    fail_if(problems, path)


@per_file
def test_expectation_references_resolve(path: Path) -> None:
    data = load(path)
    problems: list[str] = []
    competencies = {c.get("key") for c in items(data, "competencies")}
    levels = set(defined_levels(data))
    seen: set[tuple[Any, Any]] = set()
    for index, exp in enumerate(items(data, "expectations")):
        comp, level = exp.get("competency"), exp.get("level")
        where = f"expectations[{index}] ({comp} @ {level})"
        missing, unknown = EXPECTATION_REQUIRED - exp.keys(), exp.keys() - EXPECTATION_ALLOWED
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
        if unknown:
            problems.append(f"{where}: unknown fields {sorted(unknown)}")
        if comp not in competencies:
            problems.append(f"{where}: competency {comp!r} is not defined")
        if level not in levels:
            problems.append(f"{where}: level {level!r} is not defined")
        if (comp, level) in seen:
            problems.append(f"{where}: a second expectation for the same competency and level")
        seen.add((comp, level))
    fail_if(problems, path)


def expectation_table(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for exp in items(data, "expectations"):
        table.setdefault((str(exp.get("competency")), str(exp.get("level"))), exp)
    return table


@per_file
def test_every_competency_has_an_expectation_at_every_level(path: Path) -> None:
    data = load(path)
    table = expectation_table(data)
    levels_by_key = defined_levels(data)
    problems = [
        f"no expectation for competency {comp['key']!r} at level {level['key']!r} "
        f"(track {track['key']!r})"
        for track in items(data, "tracks")
        for level in levels_of(track, levels_by_key)
        for comp in items(data, "competencies")
        if (comp.get("key"), level.get("key")) not in table
    ]
    fail_if(problems, path)


@per_file
def test_every_cell_has_content(path: Path) -> None:
    data = load(path)
    problems: list[str] = []
    low, high = SIGNALS_RANGE
    for exp in items(data, "expectations"):
        where = f"competency {exp.get('competency')!r} level {exp.get('level')!r}"
        if not is_text(exp.get("summary")):
            problems.append(f"{where}: empty summary")
        signals = exp.get("signals")
        if not isinstance(signals, list) or not low <= len(signals) <= high:
            count = len(signals) if isinstance(signals, list) else signals
            problems.append(f"{where}: needs {low}-{high} signals, has {count!r}")
        elif not all(is_text(s) for s in signals):
            problems.append(f"{where}: every signal must be non-empty text")
        examples = exp.get("examples")
        if not isinstance(examples, list) or len(examples) < MIN_EXAMPLES:
            problems.append(f"{where}: needs at least {MIN_EXAMPLES} example(s)")
        elif not all(is_text(e) for e in examples):
            problems.append(f"{where}: every example must be non-empty text")
    fail_if(problems, path)


@per_file
def test_adjacent_levels_differ(path: Path) -> None:
    data = load(path)
    table = expectation_table(data)
    levels_by_key = defined_levels(data)
    problems: list[str] = []
    for track in items(data, "tracks"):
        keys = [level["key"] for level in levels_of(track, levels_by_key) if "key" in level]
        for comp in items(data, "competencies"):
            for lower, upper in pairwise(keys):
                a, b = table.get((comp["key"], lower)), table.get((comp["key"], upper))
                if a is None or b is None:
                    continue  # reported by the coverage test
                where = f"track {track['key']!r} competency {comp['key']!r} {lower} -> {upper}"
                for part in ("summary", "signals"):
                    before, after = as_text(a.get(part)), as_text(b.get(part))
                    if before is None or after is None:
                        continue  # reported by the content test
                    reason = too_similar(before, after)
                    if reason:
                        problems.append(f"{where}: {part} too similar ({reason})")
    fail_if(problems, path)


def test_the_distinctness_rule_itself() -> None:
    """Guards the helper: a two-word swap is caught, a rewritten level is not."""
    base = "Ships small, well-scoped tasks with close guidance and asks for review early."
    swapped = "Ships small, well-scoped features with close guidance and asks for review early."
    rewritten = (
        "Owns a feature from design to release, breaking it into reviewable steps "
        "and flagging slips before they become surprises."
    )
    assert too_similar(base, swapped)
    assert too_similar(base, rewritten) is None

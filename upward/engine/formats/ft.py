"""Financial Times job-family YAML (engineering-progression; read only).

Mapping: the job family is the framework and its one area; each theme is a
competency whose own scale is FT's five proficiencies; each FT "competency" entry
is the expectation for its theme at its level, requiring its proficiency. Levels
ending in `-ic` / `-pm` are parallel branches: they become two tracks that share
the levels without a suffix.
"""

from __future__ import annotations

import re
from typing import Any

from upward.engine.formats._common import (
    SourceReader,
    guess_kind,
    kinds_guessed_warning,
    located_errors,
    slugify,
)
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import Loc
from upward.engine.sourcemap import load_yaml

PROFICIENCIES = ["Awareness", "Foundational", "Working knowledge", "Practitioner", "Expert"]
_BRANCH = re.compile(r"^(?P<stem>.+)-(?P<branch>ic|pm)$")
_KNOWN_FIELDS = {"name", "summary", "googleSheetId", "isLegacy", "levels", "themes", "competencies"}


def detect(text: str, filename: str = "") -> bool:
    """True for YAML with top-level `levels`, `themes` and `competencies`."""
    found = set(re.findall(r"^(levels|themes|competencies)\s*:", text, re.MULTILINE))
    return found == {"levels", "themes", "competencies"}


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read an FT job family into a framework."""
    data, source, warnings = load_yaml(text)
    src = SourceReader(source, filename)
    src.warnings += warnings
    doc = _Builder(src).document(data)
    return parse_framework(doc, source=src.out, file=filename, warnings=src.warnings, fmt="ft")


class _Builder:
    def __init__(self, src: SourceReader) -> None:
        self.src = src

    def document(self, data: Any) -> dict[str, Any]:
        src = self.src
        data = src.check(data, (), dict)
        for key in data:
            if key not in _KNOWN_FIELDS:
                src.warn((key,), f"unknown field '{key}' ignored")
        name = src.get(data, (), "name", str).strip()
        area = slugify(name, "job-family")
        themes = self.themes(data, area)
        levels = self.levels(data)
        return {
            "key": area,
            "name": name,
            "description": (src.get(data, (), "summary", str, required=False) or "").strip(),
            "areas": [{"key": area, "name": name}],
            "competencies": themes,
            "tracks": self.tracks(levels, name),
            "expectations": self.expectations(data, themes, levels),
        }

    def themes(self, data: dict[str, Any], area: str) -> list[dict[str, Any]]:
        src = self.src
        themes: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        for i, theme in enumerate(src.items(data, (), "themes")):
            loc: Loc = ("themes", i)
            theme = src.check(theme, loc, dict)
            key = src.get(theme, loc, "id", str).strip()
            if key in seen:
                raise src.fail(
                    (*loc, "id"), f"duplicate theme id '{key}' (also themes[{seen[key]}])"
                )
            seen[key] = i
            name = src.get(theme, loc, "name", str).strip()
            src.mark(("competencies", len(themes)), loc)
            themes.append(
                {
                    "key": key,
                    "name": name,
                    "description": (
                        src.get(theme, loc, "summary", str, required=False) or ""
                    ).strip(),
                    "area": area,
                    "kind": guess_kind(name),
                    "scale": [{"key": slugify(p), "name": p} for p in PROFICIENCIES],
                }
            )
        src.warnings.append(kinds_guessed_warning(t["kind"] for t in themes))
        return themes

    def levels(self, data: dict[str, Any]) -> list[tuple[str, str, Loc]]:
        src = self.src
        levels: list[tuple[str, str, Loc]] = []
        seen: set[str] = set()
        for i, level in enumerate(src.items(data, (), "levels")):
            loc: Loc = ("levels", i)
            level = src.check(level, loc, dict)
            key = src.get(level, loc, "id", str).strip()
            if key in seen:
                raise src.fail((*loc, "id"), f"duplicate level id '{key}'")
            seen.add(key)
            levels.append((key, src.get(level, loc, "name", str).strip(), loc))
        return levels

    def tracks(self, levels: list[tuple[str, str, Loc]], family: str) -> list[dict[str, Any]]:
        branches = list(dict.fromkeys(m["branch"] for k, _, _ in levels if (m := _BRANCH.match(k))))
        ranks = _ranks([k for k, _, _ in levels])
        if not branches:
            return [self.track(slugify(family), family, levels, ranks, defined=set())]
        tracks: list[dict[str, Any]] = []
        defined: set[str] = set()
        for branch in branches:
            mine = [lv for lv in levels if _branch(lv[0]) in (None, branch)]
            tracks.append(
                self.track(branch, _branch_name(levels, branch), mine, ranks, defined, len(tracks))
            )
        return tracks

    def track(
        self,
        key: str,
        name: str,
        levels: list[tuple[str, str, Loc]],
        ranks: dict[str, int],
        defined: set[str],
        index: int = 0,
    ) -> dict[str, Any]:
        items: list[dict[str, Any]] = []
        for level_key, title, loc in levels:
            self.src.mark(("tracks", index, "levels", len(items)), loc)
            if level_key in defined:
                items.append({"ref": level_key})
            else:
                defined.add(level_key)
                items.append({"key": level_key, "title": title, "rank": ranks[level_key]})
        return {"key": key, "name": name, "levels": items}

    def expectations(
        self,
        data: dict[str, Any],
        themes: list[dict[str, Any]],
        levels: list[tuple[str, str, Loc]],
    ) -> list[dict[str, Any]]:
        src = self.src
        theme_keys = {t["key"] for t in themes}
        level_keys = {k for k, _, _ in levels}
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for i, entry in enumerate(src.items(data, (), "competencies")):
            loc: Loc = ("competencies", i)
            entry = src.check(entry, loc, dict)
            theme = src.get(entry, loc, "theme", str).strip()
            level = src.get(entry, loc, "level", str).strip()
            if theme not in theme_keys:
                raise src.fail(
                    (*loc, "theme"), f"unknown theme '{theme}' ({', '.join(sorted(theme_keys))})"
                )
            if level not in level_keys:
                raise src.fail(
                    (*loc, "level"), f"unknown level '{level}' ({', '.join(sorted(level_keys))})"
                )
            self.add(merged, (theme, level), entry, loc)
        out = []
        for n, ((theme, level), e) in enumerate(merged.items()):
            src.mark(("expectations", n), e.pop("_loc"))
            out.append({"competency": theme, "level": level, **e})
        return out

    def add(
        self,
        merged: dict[tuple[str, str], dict[str, Any]],
        pair: tuple[str, str],
        entry: dict[str, Any],
        loc: Loc,
    ) -> None:
        src = self.src
        summary = src.get(entry, loc, "summary", str).strip()
        step = self.proficiency(entry, loc)
        examples = [
            src.check(x, (*loc, "examples", j), str).strip()
            for j, x in enumerate(src.items(entry, loc, "examples", required=False))
        ]
        for j, link in enumerate(src.items(entry, loc, "supportingUrls", required=False)):
            link = src.check(link, (*loc, "supportingUrls", j), dict)
            label = src.get(link, (*loc, "supportingUrls", j), "label", str)
            examples.append(f"{label}: {src.get(link, (*loc, 'supportingUrls', j), 'url', str)}")
        if pair not in merged:
            merged[pair] = {"summary": summary, "step": step, "examples": examples, "_loc": loc}
            return
        # Several statements for one theme at one level: one expectation holds them all.
        e = merged[pair]
        e["summary"] = f"{e['summary']}\n\n{summary}"
        e["examples"] += examples
        order = [slugify(p) for p in PROFICIENCIES]
        e["step"] = max(e["step"], step, key=order.index)
        src.warn(loc, f"a second statement for theme '{pair[0]}' at level '{pair[1]}': merged")

    def proficiency(self, entry: dict[str, Any], loc: Loc) -> str:
        value = self.src.get(entry, loc, "proficiency", str).strip()
        for known in PROFICIENCIES:
            if value == known:
                return slugify(known)
            if value.lower() == known.lower():
                self.src.warn((*loc, "proficiency"), f"proficiency '{value}' read as '{known}'")
                return slugify(known)
        raise self.src.fail(
            (*loc, "proficiency"), f"unknown proficiency '{value}' ({', '.join(PROFICIENCIES)})"
        )


def _branch(key: str) -> str | None:
    match = _BRANCH.match(key)
    return match["branch"] if match else None


def _branch_name(levels: list[tuple[str, str, Loc]], branch: str) -> str:
    # "Senior Engineer 2 (Individual Contributor)" names the branch.
    for key, title, _ in levels:
        found = _last_parenthesis(title)
        if _branch(key) == branch and found:
            return found
    return branch.upper()


def _last_parenthesis(title: str) -> str:
    # String methods, not a search for `\(([^)]+)\)\s*$`, which rescans from every `(`.
    text = title.rstrip()
    if not text.endswith(")"):
        return ""
    inside = text[text.rfind(")", 0, len(text) - 1) + 1 : -1]
    start = inside.find("(")
    return inside[start + 1 :].strip() if start >= 0 else ""


def _ranks(keys: list[str]) -> dict[str, int]:
    """Cross-track ranks: parallel branches of one stem share a rank."""
    ranks: dict[str, int] = {}
    rank, previous = 0, None
    for key in keys:
        match = _BRANCH.match(key)
        stem = match["stem"] if match else key
        if stem != previous:
            rank += 1
        ranks[key], previous = rank, stem
    return ranks

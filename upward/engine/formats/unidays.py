"""UNiDAYS competency-framework JSON (read only; several files at once).

Competency files (`topics` -> `levels` -> `criteria`) become areas (one per file)
and competencies (one per topic) whose own scale is the topic's levels, criteria
as signals. Role files (a recursive `departments` tree of `roles` with `levels`)
become tracks (one per role) of levels; each level's `competencies.required` and
`.optional` references (`<file path>/<topic path>/<level path>`, resolved by the
files' `path` fields, not their names) become expectations requiring that step.
"""

from __future__ import annotations

import re
from typing import Any

from upward.engine.formats._common import (
    SourceReader,
    clean_name,
    guess_kind,
    kinds_guessed_warning,
    slugify,
)
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import FrameworkError, Issue, Loc
from upward.engine.sourcemap import SourceMap, load_json

Step = tuple[str, str]  # (competency key, step key)


def detect(text: str, filename: str = "") -> bool:
    """True for a UNiDAYS competency file (topics) or role file (departments/roles)."""
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith("{") or '"path"' not in text:
        return False
    has_topics = re.search(r'"topics"\s*:\s*\[', text) is not None and '"criteria"' in text
    has_roles = re.search(r'"(departments|roles)"\s*:\s*\[', text) is not None and (
        '"competencies"' in text
    )
    return has_topics or has_roles


def read_files(files: dict[str, str]) -> ImportResult:
    """Read competency and role files (told apart by content) into one framework."""
    loaded: list[tuple[str, dict[str, Any], SourceMap]] = []
    warnings: list[Issue] = []
    for name, text in files.items():
        try:
            data, source, found = load_json(text)
        except FrameworkError as exc:
            raise exc.located(name) from None
        warnings += [w.located(file=name) for w in found]
        for loc in list(source.lines):
            source.files[loc] = name
        if not isinstance(data, dict):
            raise FrameworkError.single("expected a JSON object at the top level", file=name)
        loaded.append((name, data, source))
    builder = _Builder(warnings)
    doc = builder.document(loaded)
    return parse_framework(
        doc,
        source=builder.out,
        warnings=builder.warnings,
        fmt="unidays",
        file=next(iter(files)),
    )


class _Builder:
    def __init__(self, warnings: list[Issue]) -> None:
        self.warnings = warnings
        self.out = SourceMap()
        self.steps: dict[str, Step] = {}  # "file/topic/level" -> (competency, step)

    def reader(self, source: SourceMap, file: str) -> SourceReader:
        src = SourceReader(source, file)
        src.warnings = self.warnings
        src.out = self.out
        return src

    def document(self, loaded: list[tuple[str, dict[str, Any], SourceMap]]) -> dict[str, Any]:
        competency_files = [x for x in loaded if "topics" in x[1]]
        role_files = [x for x in loaded if "topics" not in x[1]]
        if not competency_files or not role_files:
            missing = "competency files (with topics)" if not competency_files else "role files"
            raise FrameworkError.single(
                f"no {missing}: give the competency and role files together"
            )
        areas: list[dict[str, Any]] = []
        competencies: list[dict[str, Any]] = []
        for name, data, source in competency_files:
            area, found = self.competency_file(self.reader(source, name), data, len(competencies))
            areas.append(area)
            competencies += found
        self.warnings.append(kinds_guessed_warning(c["kind"] for c in competencies))
        tracks: list[dict[str, Any]] = []
        expectations: list[dict[str, Any]] = []
        for name, data, source in role_files:
            self.role_file(self.reader(source, name), data, tracks, expectations)
        first = role_files[0][1]
        return {
            "key": slugify(str(first.get("path") or first.get("title") or "unidays")),
            "name": clean_name(str(first.get("title") or "")) or "Roles",
            "areas": areas,
            "competencies": competencies,
            "tracks": tracks,
            "expectations": expectations,
        }

    def competency_file(
        self, src: SourceReader, data: dict[str, Any], first: int
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        area = src.get(data, (), "path", str).strip()
        taken = {key for key, _ in self.steps.values()}
        competencies: list[dict[str, Any]] = []
        for i, topic in enumerate(src.items(data, (), "topics")):
            loc: Loc = ("topics", i)
            topic = src.check(topic, loc, dict)
            path = src.get(topic, loc, "path", str).strip()
            # Topic paths are unique per file only; prefix the file's path on a clash.
            key = path if path not in taken else f"{area}.{path}"
            taken.add(key)
            name = clean_name(src.get(topic, loc, "title", str))
            src.mark(("competencies", first + len(competencies)), loc)
            scale = self.scale(src, topic, loc, area, path, key)
            competencies.append(
                {
                    "key": key,
                    "name": name,
                    "area": area,
                    "kind": guess_kind(name),
                    "description": (topic.get("summary") or "").strip(),
                    "scale": scale,
                }
            )
        title = clean_name(src.get(data, (), "title", str))
        return {
            "key": area,
            "name": title,
            "description": str(data.get("summary") or ""),
        }, competencies

    def scale(
        self, src: SourceReader, topic: dict[str, Any], loc: Loc, area: str, path: str, key: str
    ) -> list[dict[str, Any]]:
        steps = []
        for j, level in enumerate(src.items(topic, loc, "levels")):
            lloc: Loc = (*loc, "levels", j)
            level = src.check(level, lloc, dict)
            step = src.get(level, lloc, "path", str).strip()
            criteria = [
                src.check(c, (*lloc, "criteria", k), str).strip()
                for k, c in enumerate(src.items(level, lloc, "criteria"))
            ]
            steps.append(
                {
                    "key": step,
                    "name": clean_name(src.get(level, lloc, "title", str)),
                    "description": (level.get("summary") or "").strip(),
                    "signals": [c for c in criteria if c],
                }
            )
            self.steps[f"{area}/{path}/{step}"] = (key, step)
        return steps

    def role_file(
        self,
        src: SourceReader,
        data: dict[str, Any],
        tracks: list[dict[str, Any]],
        expectations: list[dict[str, Any]],
    ) -> None:
        top = clean_name(src.get(data, (), "title", str))
        self.roles(src, data, (), [top], tracks, expectations)

    def roles(
        self,
        src: SourceReader,
        node: dict[str, Any],
        loc: Loc,
        trail: list[str],
        tracks: list[dict[str, Any]],
        expectations: list[dict[str, Any]],
    ) -> None:
        for i, role in enumerate(src.items(node, loc, "roles", required=False)):
            rloc: Loc = (*loc, "roles", i)
            role = src.check(role, rloc, dict)
            src.mark(("tracks", len(tracks)), rloc)
            levels = [
                self.level(src, level, (*rloc, "levels", j), len(tracks), j, expectations)
                for j, level in enumerate(src.items(role, rloc, "levels"))
            ]
            tracks.append(
                {
                    "key": src.get(role, rloc, "path", str).strip(),
                    "name": clean_name(src.get(role, rloc, "title", str)),
                    "description": " / ".join(trail),
                    "levels": levels,
                }
            )
        for i, department in enumerate(src.items(node, loc, "departments", required=False)):
            dloc: Loc = (*loc, "departments", i)
            department = src.check(department, dloc, dict)
            name = clean_name(src.get(department, dloc, "title", str))
            self.roles(src, department, dloc, [*trail, name], tracks, expectations)

    def level(
        self,
        src: SourceReader,
        level: Any,
        loc: Loc,
        track: int,
        index: int,
        expectations: list[dict[str, Any]],
    ) -> dict[str, Any]:
        level = src.check(level, loc, dict)
        key = src.get(level, loc, "path", str).strip()
        src.mark(("tracks", track, "levels", index), loc)
        refs = src.get(level, loc, "competencies", dict, required=False) or {}
        seen: set[str] = set()
        for kind in ("required", "optional"):
            for k, ref in enumerate(src.items(refs, (*loc, "competencies"), kind, required=False)):
                rloc: Loc = (*loc, "competencies", kind, k)
                self.expect(
                    src, ref, rloc, key, kind == "optional", seen, expectations, strict=True
                )
        if "optional" in level:  # a reference list outside `competencies`
            for k, ref in enumerate(src.items(level, loc, "optional")):
                rloc = (*loc, "optional", k)
                self.expect(src, ref, rloc, key, True, seen, expectations, strict=False)
        return {
            "key": key,
            "title": clean_name(src.get(level, loc, "title", str)),
            "summary": (level.get("summary") or "").strip(),
        }

    def expect(
        self,
        src: SourceReader,
        ref: Any,
        loc: Loc,
        level: str,
        optional: bool,
        seen: set[str],
        expectations: list[dict[str, Any]],
        *,
        strict: bool,
    ) -> None:
        ref = src.check(ref, loc, str).strip()
        step = self.steps.get(ref)
        if step is None and strict:
            raise src.fail(
                loc,
                f"unknown competency reference '{ref}' (expected"
                " '<competency file path>/<topic path>/<level path>')",
            )
        if not strict:
            note = "ignored: it does not resolve" if step is None else "read as optional"
            src.warn(loc, f"'optional' belongs inside 'competencies'; '{ref}' {note}")
            if step is None:
                return
        assert step is not None
        competency, step_key = step
        if competency in seen:
            src.warn(loc, f"a second reference to '{competency}' at level '{level}': ignored")
            return
        seen.add(competency)
        src.mark(("expectations", len(expectations)), loc)
        expectation: dict[str, Any] = {"competency": competency, "level": level, "step": step_key}
        if optional:
            expectation["optional"] = True
        expectations.append(expectation)

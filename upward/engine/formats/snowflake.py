"""Medium's snowflake `constants.js` (read only).

Mapping: each snowflake track becomes a competency, its category an area; the
milestones become the competency's own scale (with the implicit milestone 0);
`pointsToLevels` and `titles` become a points level rule over one track whose
levels are the point thresholds. The file is parsed, never executed.
"""

from __future__ import annotations

import re
from typing import Any

from upward.engine.formats._common import located_errors
from upward.engine.formats.jsparse import Parser, Token, tokenize
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import FrameworkError, Issue, Loc, error, format_loc, warning
from upward.engine.sourcemap import SourceMap

DEFAULT_POINTS = [0, 1, 3, 6, 12, 20]
TRACK_KEY = "engineering"


def detect(text: str, filename: str = "") -> bool:
    """True for a JS module that declares `tracks` with milestones and a points table."""
    return (
        re.search(r"\b(const|let|var)\s+tracks\b", text) is not None
        and "milestones" in text
        and ("pointsToLevels" in text or "milestoneToPoints" in text)
    )


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read the snowflake constants into a framework with a points level rule."""
    reader = _Reader(tokenize(text))
    doc = reader.document()
    return parse_framework(
        doc, source=reader.smap, file=filename, warnings=reader.warnings, fmt="snowflake"
    )


class _Reader:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.parser = Parser(tokens)
        self.smap = SourceMap()
        self.warnings: list[Issue] = []

    def const(self, name: str, *, required: bool) -> Any:
        start = self.parser.find_const(name)
        if start is None:
            if required:
                raise FrameworkError([error(name, f"no `const {name} = ...` in the file")])
            return None
        return self.parser.literal_at(start, (name,))

    def line(self, loc: Loc) -> int | None:
        for end in range(len(loc), 0, -1):  # the nearest enclosing value with a line
            if loc[:end] in self.parser.lines:
                return self.parser.lines[loc[:end]]
        return None

    def fail(self, loc: Loc, message: str) -> FrameworkError:
        return FrameworkError([error(format_loc(loc), message, self.line(loc))], self.warnings)

    def typed(self, value: Any, loc: Loc, kind: type, what: str) -> Any:
        if value is None:
            raise self.fail(loc, "is required")
        if not isinstance(value, kind):
            names: dict[type, str] = {str: "a text", list: "a list", dict: "an object"}
            found = names.get(type(value), "a number")
            raise self.fail(loc, f"expected {what}, found {found}")
        return value

    def document(self) -> dict[str, Any]:
        tracks = self.typed(self.const("tracks", required=True), ("tracks",), dict, "an object")
        points = self.milestone_points()
        competencies, areas = self.competencies(tracks, points)
        levels, thresholds = self.levels()
        titles = self.titles()
        for level in levels:
            level["title"] = _band_title(level["min_points"], titles) or f"Level {level['key']}"
        return {
            "key": "snowflake",
            "name": "Snowflake",
            "areas": areas,
            "competencies": competencies,
            "tracks": [
                {
                    "key": TRACK_KEY,
                    "name": "Engineering",
                    "levels": [{k: v for k, v in lv.items() if k != "min_points"} for lv in levels],
                }
            ],
            "level_rule": {
                "kind": "points",
                "step_points": {str(n): p for n, p in enumerate(points)},
                "thresholds": thresholds,
                "titles": titles,
            },
        }

    def milestone_points(self) -> list[int]:
        # The points live in a `switch` (code, not data): read its cases.
        found = _switch_cases(self.tokens)
        if found is None:
            self.warnings.append(
                warning(
                    "milestoneToPoints",
                    "no `switch` mapping milestones to points: using snowflake's"
                    f" {', '.join(map(str, DEFAULT_POINTS))}",
                )
            )
            return list(DEFAULT_POINTS)
        cases, line = found
        if sorted(cases) != list(range(len(cases))):
            raise FrameworkError(
                [error("milestoneToPoints", "the switch must list milestones 0, 1, 2, ...", line)]
            )
        return [cases[n] for n in range(len(cases))]

    def competencies(
        self, tracks: dict[str, Any], points: list[int]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        declared = self.const("milestones", required=False)
        competencies: list[dict[str, Any]] = []
        areas: dict[str, dict[str, Any]] = {}
        for track_id, track in tracks.items():
            loc: Loc = ("tracks", track_id)
            self.typed(track, loc, dict, "an object")
            category = str(self.typed(track.get("category"), (*loc, "category"), str, "a text"))
            name = self.typed(track.get("displayName"), (*loc, "displayName"), str, "a text")
            milestones = self.typed(track.get("milestones"), (*loc, "milestones"), list, "a list")
            if len(milestones) + 1 > len(points):
                last = len(points) - 1
                msg = f"{len(milestones)} milestones but points only for milestones 0 to {last}"
                raise self.fail((*loc, "milestones"), msg)
            self.check_declared(declared, milestones, loc)
            area = re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-") or "other"
            areas.setdefault(area, {"key": area, "name": f"Category {category}"})
            self.smap.add(("competencies", len(competencies)), self.line(loc))
            competencies.append(
                {
                    "key": track_id.lower().replace("_", "-"),
                    "name": name,
                    "description": str(track.get("description") or ""),
                    "area": area,
                    # Category A holds the technical tracks; the rest are ways of working.
                    "kind": "skill" if area == next(iter(areas)) else "behavior",
                    "scale": self.steps(milestones, loc, len(competencies)),
                }
            )
        self.warnings.append(
            warning(
                "competencies",
                "the source does not say which kind each competency is: the first"
                " category's tracks read as skill, the others as behavior",
            )
        )
        return competencies, list(areas.values())

    def check_declared(self, declared: Any, milestones: list[Any], loc: Loc) -> None:
        if isinstance(declared, list) and len(declared) != len(milestones) + 1:
            msg = (
                f"`milestones` declares {len(declared)} milestones (with 0) but this track"
                f" has {len(milestones) + 1}"
            )
            self.warnings.append(warning(format_loc(loc), msg, self.line(loc)))

    def steps(self, milestones: list[Any], loc: Loc, index: int) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = [{"key": "0", "name": "Milestone 0"}]
        for n, milestone in enumerate(milestones, start=1):
            mloc = (*loc, "milestones", n - 1)
            self.typed(milestone, mloc, dict, "an object")
            self.smap.add(("competencies", index, "scale", n), self.line(mloc))
            steps.append(
                {
                    "key": str(n),
                    "name": f"Milestone {n}",
                    "description": self.typed(
                        milestone.get("summary", ""), (*mloc, "summary"), str, "a text"
                    ),
                    "signals": self.texts(milestone.get("signals"), (*mloc, "signals")),
                    "examples": self.texts(milestone.get("examples"), (*mloc, "examples")),
                }
            )
        return steps

    def texts(self, value: Any, loc: Loc) -> list[str]:
        items = self.typed(value if value is not None else [], loc, list, "a list")
        return [self.typed(item, (*loc, i), str, "a text") for i, item in enumerate(items)]

    def levels(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        table = self.typed(
            self.const("pointsToLevels", required=True), ("pointsToLevels",), dict, "an object"
        )
        rows: list[tuple[int, str, Loc]] = []
        for raw_points, level in table.items():
            loc: Loc = ("pointsToLevels", raw_points)
            if not re.fullmatch(r"\d+", raw_points.strip()):
                raise self.fail(loc, f"expected points as a whole number, found {raw_points!r}")
            rows.append((int(raw_points), str(level), loc))
        rows.sort()
        levels, thresholds = [], []
        for rank, (points, level, loc) in enumerate(rows, start=1):
            self.smap.add(("tracks", 0, "levels", rank - 1), self.line(loc))
            self.smap.add(("level_rule", "thresholds", rank - 1), self.line(loc))
            key = re.sub(r"[^a-z0-9.]+", "-", level.lower()).strip("-.")
            levels.append({"key": key, "code": level, "rank": rank, "min_points": points})
            thresholds.append({"min_points": points, "level": key})
        return levels, thresholds

    def titles(self) -> list[dict[str, Any]]:
        raw = self.const("titles", required=False)
        if raw is None:
            return []
        self.typed(raw, ("titles",), list, "a list")
        titles = []
        for i, item in enumerate(raw):
            loc: Loc = ("titles", i)
            self.typed(item, loc, dict, "an object")
            self.smap.add(("level_rule", "titles", i), self.line(loc))
            title: dict[str, Any] = {
                "title": self.typed(item.get("label"), (*loc, "label"), str, "a text"),
                "min_points": item.get("minPoints", 0),
            }
            if item.get("maxPoints") is not None:
                title["max_points"] = item["maxPoints"]
            titles.append(title)
        return titles


def _band_title(points: int, titles: list[dict[str, Any]]) -> str:
    names = [
        t["title"]
        for t in titles
        if isinstance(t.get("min_points"), int)
        and points >= t["min_points"]
        and (not isinstance(t.get("max_points"), int) or points <= t["max_points"])
    ]
    return " / ".join(names)


def _switch_cases(tokens: list[Token]) -> tuple[dict[int, int], int] | None:
    """`case N: return M` pairs from the switch in `milestoneToPoints`, with its line."""
    texts = [t.text for t in tokens]
    try:
        start = texts.index("milestoneToPoints")
        switch = texts.index("switch", start)
        body = texts.index("{", switch)
    except ValueError:
        return None
    cases: dict[int, int] = {}
    i, depth = body + 1, 1
    while i < len(tokens) and depth:
        if texts[i] == "{":
            depth += 1
        elif texts[i] == "}":
            depth -= 1
        elif texts[i] == "case" and texts[i + 2 : i + 4] == [":", "return"] and i + 4 < len(texts):
            case, result = tokens[i + 1], tokens[i + 4]
            if case.kind == "number" and result.kind == "number":
                cases[int(float(case.text))] = int(float(result.text))
        i += 1
    return (cases, tokens[switch].line) if cases and depth == 0 else None

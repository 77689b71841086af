"""jorgef engineering-ladders Markdown (read only; several files at once).

The README defines the axes: `## Axis` sections under `# Levels`, each a numbered
list of five cumulative steps named by a bold keyword. Each ladder file (one per
role) has `## D1 - Developer 1` sections with one `* **Keyword**: text` bullet per
axis. Axes become competencies with their steps as own scale; each ladder file
becomes a track; each bullet becomes the expectation for its axis, matched by the
bold keyword, requiring that step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from upward.engine.formats._common import guess_kind, kinds_guessed_warning, slugify
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import FrameworkError, Issue
from upward.engine.sourcemap import SourceMap

# `* **Keyword**: text`: a ladder bullet, or an axis in the README's "# Axes".
_BULLET = re.compile(r"^[*-]\s+\*\*(?P<name>[^*]+)\*\*\s*:\s*(?P<text>.*)$")
# `1. **Adopts**: text`: a step of an axis in the README's "# Levels".
_STEP = re.compile(r"^\d+\.\s+\*\*(?P<name>[^*]+)\*\*\s*:\s*(?P<text>.*)$")
# `## D1 - Developer 1`
# The title is stripped in code: `(.+?)\s*$` would retry every split of a long line.
_POSITION = re.compile(r"^##\s+(?P<code>[A-Za-z]+(?P<number>\d+))\s+-\s+(?P<title>\S.*)$")


def detect(text: str, filename: str = "") -> bool:
    """True for the README (axes with numbered bold steps) or a ladder file."""
    return _is_readme(text) or _is_ladder(text)


def _is_readme(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n")]
    return "# Levels" in lines and any(_STEP.match(line) for line in lines)


def _is_ladder(text: str) -> bool:
    lines = text.split("\n")
    has_position = any(_POSITION.match(line) for line in lines)
    return has_position and any(_BULLET.match(line.strip()) for line in lines)


@dataclass
class _Axis:
    key: str
    name: str
    description: str
    line: int
    file: str
    steps: list[dict[str, Any]] = field(default_factory=list)


def read_files(files: dict[str, str]) -> ImportResult:
    """Read the README and ladder files (by content, not name) into one framework."""
    readmes = [name for name, text in files.items() if _is_readme(text)]
    ladders = [name for name, text in files.items() if name not in readmes and _is_ladder(text)]
    others = [name for name in files if name not in readmes and name not in ladders]
    if others:
        raise FrameworkError([Issue("", "not a README or ladder file", file=n) for n in others])
    if len(readmes) != 1:
        what = "no README defining the axes" if not readmes else "more than one README"
        raise FrameworkError.single(f"{what}: give the README.md and the ladder files together")
    if not ladders:
        raise FrameworkError.single(
            "no ladder files (e.g. Developer.md): give them with the README", file=readmes[0]
        )
    reader = _Reader()
    axes = reader.axes(files[readmes[0]], readmes[0])
    doc = reader.document(axes, [(name, files[name]) for name in ladders])
    return parse_framework(
        doc, source=reader.smap, warnings=reader.warnings, fmt="ladders", file=readmes[0]
    )


class _Reader:
    def __init__(self) -> None:
        self.smap = SourceMap()
        self.warnings: list[Issue] = []

    def fail(self, file: str, line: int | None, message: str) -> FrameworkError:
        return FrameworkError([Issue("", message, line, "error", file)], self.warnings)

    def axes(self, text: str, file: str) -> list[_Axis]:
        lines = text.split("\n")
        descriptions = self._axis_descriptions(lines)
        axes: list[_Axis] = []
        in_levels = False
        for n, line in enumerate(lines, start=1):
            if line.startswith("# "):
                in_levels = line[2:].strip().lower() == "levels"
            elif in_levels and line.startswith("## "):
                name = line[3:].strip()
                axes.append(_Axis(slugify(name), name, descriptions.get(name.lower(), ""), n, file))
            elif in_levels and axes and (match := _STEP.match(line.strip())):
                step = match["name"].strip()
                axes[-1].steps.append(
                    {
                        "key": slugify(step),
                        "name": step,
                        "description": match["text"].strip(),
                        "_line": n,
                    }
                )
        if not axes:
            raise self.fail(file, None, "no axes: expected '# Levels' with '## Axis' sections")
        for axis in axes:
            if not axis.steps:
                raise self.fail(file, axis.line, f"axis '{axis.name}' lists no steps")
        return axes

    @staticmethod
    def _axis_descriptions(lines: list[str]) -> dict[str, str]:
        # The "# Axes" section: `* **Technology**: knowledge of the tech stack`.
        out: dict[str, str] = {}
        in_axes = False
        for line in lines:
            if line.startswith("# "):
                in_axes = line[2:].strip().lower() == "axes"
            elif in_axes and (match := _BULLET.match(line.strip())):
                out[match["name"].strip().lower()] = match["text"].strip()
        return out

    def _keywords(self, axes: list[_Axis]) -> dict[str, tuple[_Axis, dict[str, Any]]]:
        # Bullets name their axis only through the step keyword: it must be unique.
        found: dict[str, tuple[_Axis, dict[str, Any]]] = {}
        for axis in axes:
            for step in axis.steps:
                keyword = step["name"].lower()
                if keyword in found:
                    other = found[keyword][0].name
                    msg = f"'{step['name']}' names a step of both '{other}' and '{axis.name}'"
                    raise self.fail(axis.file, step["_line"], msg)
                found[keyword] = (axis, step)
        return found

    def document(self, axes: list[_Axis], ladders: list[tuple[str, str]]) -> dict[str, Any]:
        by_keyword = self._keywords(axes)
        competencies: list[dict[str, Any]] = []
        for i, axis in enumerate(axes):
            self.smap.add(("competencies", i), axis.line, axis.file)
            scale = []
            for j, step in enumerate(axis.steps):
                self.smap.add(("competencies", i, "scale", j), step["_line"], axis.file)
                scale.append({k: v for k, v in step.items() if k != "_line"})
            competencies.append(
                {
                    "key": axis.key,
                    "name": axis.name,
                    "description": axis.description,
                    "area": "axes",
                    "kind": guess_kind(axis.name),
                    "scale": scale,
                }
            )
        self.warnings.append(kinds_guessed_warning(c["kind"] for c in competencies))
        tracks: list[dict[str, Any]] = []
        expectations: list[dict[str, Any]] = []
        for name, text in ladders:
            track, found = self.ladder(name, text, by_keyword, len(tracks), len(expectations))
            tracks.append(track)
            expectations += found
        return {
            "key": "engineering-ladders",
            "name": "Engineering ladders",
            "areas": [{"key": "axes", "name": "Axes"}],
            "competencies": competencies,
            "tracks": tracks,
            "expectations": expectations,
        }

    def ladder(
        self,
        file: str,
        text: str,
        by_keyword: dict[str, tuple[_Axis, dict[str, Any]]],
        index: int,
        first: int,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        lines = text.split("\n")
        title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), file)
        intro = next(
            (ln.strip() for ln in lines[1:] if ln.strip() and not ln.startswith(("#", "|"))), ""
        )
        levels: list[dict[str, Any]] = []
        expectations: list[dict[str, Any]] = []
        seen: set[str] = set()
        for n, line in enumerate(lines, start=1):
            if match := _POSITION.match(line):
                seen = set()
                self.smap.add(("tracks", index, "levels", len(levels)), n, file)
                levels.append(
                    {
                        "key": slugify(match["code"]),
                        "code": match["code"],
                        "title": match["title"].strip(),
                        "rank": int(match["number"]),
                    }
                )
            elif levels and (match := _BULLET.match(line.strip())):
                keyword = match["name"].strip()
                if keyword.lower() not in by_keyword:
                    raise self.fail(file, n, f"'{keyword}' is not a step of any axis in the README")
                axis, step = by_keyword[keyword.lower()]
                if axis.key in seen:
                    raise self.fail(
                        file, n, f"a second bullet for axis '{axis.name}' in {levels[-1]['code']}"
                    )
                seen.add(axis.key)
                self.smap.add(("expectations", first + len(expectations)), n, file)
                expectations.append(
                    {
                        "competency": axis.key,
                        "level": levels[-1]["key"],
                        "summary": match["text"].strip(),
                        "step": step["key"],
                    }
                )
        if not levels:
            raise self.fail(file, None, "no '## D1 - Developer 1' style sections")
        self.smap.add(("tracks", index), 1, file)
        return {
            "key": slugify(title),
            "name": title,
            "description": intro,
            "levels": levels,
        }, expectations

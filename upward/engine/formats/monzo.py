"""Monzo progression-framework Markdown (read only).

Two variants share the front matter. With `yaml: true` the front matter lists
`topics`, each with sparse per-level `content` (criteria and example criteria):
topics become competencies, criteria become signals. With `yaml: false` the body
has `## Level N` sections whose `### Heading` paragraphs are the expectations:
headings become competencies, paragraphs the summaries. Either way there is one
track of levels 1..N and one area.
"""

from __future__ import annotations

import re
from typing import Any

from upward.engine.formats._common import (
    SourceReader,
    clean_name,
    guess_kind,
    humanize,
    kinds_guessed_warning,
    located_errors,
    slugify,
)
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import FrameworkError, Loc, error
from upward.engine.sourcemap import load_yaml

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_LEVEL = re.compile(r"^##\s+Level\s+(\d+)\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^###\s+(\S.*)$")  # stripped by clean_name; no lazy `.+?\s*$`


def detect(text: str, filename: str = "") -> bool:
    """True for Markdown with front matter that has `topics` or `## Level N` sections."""
    if not _FRONT.match(text):
        return False
    head = text[:4000]
    has_topics = re.search(r"^topics\s*:", head, re.MULTILINE) is not None
    has_levels = re.search(r"^##\s+Level\s+\d+", text, re.MULTILINE | re.IGNORECASE) is not None
    return has_topics or has_levels


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read either Monzo variant into a framework."""
    front, body, body_line = _split(text)
    data, source, warnings = load_yaml(front, first_line=2)
    src = SourceReader(source, filename)
    src.warnings += warnings
    meta = src.check(data if data is not None else {}, (), dict)
    doc = _frame(src, meta)
    has_topics = bool(meta.get("topics"))
    topics = _topics(src, meta) if has_topics else _prose(src, body, body_line, filename)
    levels = _levels(src, meta, topics)
    doc["tracks"] = [{"key": doc["key"], "name": doc["name"], "levels": levels}]
    doc["competencies"] = [
        {"key": t["key"], "name": t["name"], "area": doc["areas"][0]["key"], "kind": t["kind"]}
        for t in topics
    ]
    doc["expectations"] = [e for t in topics for e in t["expectations"]]
    src.warnings.append(kinds_guessed_warning(t["kind"] for t in topics))
    return parse_framework(doc, source=src.out, file=filename, warnings=src.warnings, fmt="monzo")


def _split(text: str) -> tuple[str, str, int]:
    match = _FRONT.match(text)
    if match is None:
        raise FrameworkError([error("", "no front matter: the file must start with '---'", 1)])
    rest = text[match.end() :]
    closing = re.search(r"^---[ \t]*$", rest, re.MULTILINE)
    if closing is None:
        line = text.count("\n") + 1
        msg = "the front matter never ends (no closing '---'): is the file truncated?"
        raise FrameworkError([error("", msg, line)])
    front = rest[: closing.start()]
    body_line = 2 + front.count("\n") + 1
    return front, rest[closing.end() :], body_line


def _frame(src: SourceReader, meta: dict[str, Any]) -> dict[str, Any]:
    path = src.get(meta, (), "path", str, required=False) or ""
    title = clean_name(src.get(meta, (), "title", str, required=False)) or "Framework"
    group = src.get(meta, (), "sidebarGroup", str, required=False) or ""
    key = slugify(path, "") or slugify(title, "framework")
    area = slugify(group, "") or key
    return {
        "key": key,
        "name": title,
        "areas": [{"key": area, "name": humanize(clean_name(group)) if group else title}],
    }


def _topics(src: SourceReader, meta: dict[str, Any]) -> list[dict[str, Any]]:
    topics: list[dict[str, Any]] = []
    for i, topic in enumerate(src.items(meta, (), "topics")):
        loc: Loc = ("topics", i)
        topic = src.check(topic, loc, dict)
        name = src.get(topic, loc, "name", str).strip()
        title = clean_name(src.get(topic, loc, "title", str, required=False)) or humanize(name)
        src.mark(("competencies", len(topics)), loc)
        key = slugify(name)
        topics.append(
            {
                "key": key,
                "name": title,
                "kind": guess_kind(f"{name} {title}"),
                "expectations": [
                    _content(src, entry, (*loc, "content", j), key)
                    for j, entry in enumerate(src.items(topic, loc, "content"))
                ],
            }
        )
    return topics


def _content(src: SourceReader, entry: Any, loc: Loc, topic: str) -> dict[str, Any]:
    entry = src.check(entry, loc, dict)
    level = _level_number(src, entry.get("level"), (*loc, "level"))
    signals = [
        src.check(c, (*loc, "criteria", k), str).strip()
        for k, c in enumerate(src.items(entry, loc, "criteria", required=False))
    ]
    examples: list[str] = []
    for k, item in enumerate(src.items(entry, loc, "exampleCriteria", required=False)):
        iloc = (*loc, "exampleCriteria", k)
        item = src.check(item, iloc, dict)
        signals.append(src.get(item, iloc, "criteria", str).strip())
        examples += [
            src.check(x, (*iloc, "examples", m), str).strip()
            for m, x in enumerate(src.items(item, iloc, "examples", required=False))
        ]
    if not signals:
        src.warn(loc, f"level {level} of '{topic}' has no criteria")
    return {
        "competency": topic,
        "level": f"level-{level}",
        "signals": signals,
        "examples": examples,
        "_loc": loc,
    }


def _level_number(src: SourceReader, value: Any, loc: Loc) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        src.warn(loc, f"expected a level number, found the text {value!r}; read as {int(value)}")
        return int(value)
    raise src.fail(loc, f"must be a level number (1, 2, ...), found {value!r}")


def _prose(src: SourceReader, body: str, first_line: int, filename: str) -> list[dict[str, Any]]:
    topics: dict[str, dict[str, Any]] = {}
    level: int | None = None
    heading: str | None = None
    for n, line in enumerate(body.split("\n"), start=first_line):
        if match := _LEVEL.match(line):
            level, heading = int(match.group(1)), None
        elif (match := _HEADING.match(line)) and level is not None:
            heading = clean_name(match.group(1))
            key = slugify(heading)
            topic = topics.setdefault(
                key, {"key": key, "name": heading, "kind": guess_kind(heading), "expectations": []}
            )
            topic["expectations"].append(
                {"competency": key, "level": f"level-{level}", "summary": "", "_line": n}
            )
        elif heading is not None and line.strip() and line.strip() != "---":
            current = topics[slugify(heading)]["expectations"][-1]
            current["summary"] = f"{current['summary']}\n\n{line.strip()}".strip()
    if not topics:
        msg = "no topics in the front matter and no '## Level N' sections with '### Heading'"
        raise FrameworkError.single(msg, file=filename)
    return list(topics.values())


def _levels(
    src: SourceReader, meta: dict[str, Any], topics: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    numbers = [int(e["level"].split("-")[1]) for t in topics for e in t["expectations"]]
    highest = max(numbers, default=0)
    declared = meta.get("levels")
    if declared is not None:
        count = _level_number(src, declared, ("levels",))
        if count != highest:
            src.warn(
                ("levels",),
                f"declares {count} levels but the content goes up to level"
                f" {highest}: using {max(count, highest)}",
            )
        highest = max(count, highest)
    # Pin each expectation's line now that the document order is fixed.
    n = 0
    for t in topics:
        for e in t["expectations"]:
            if "_loc" in e:
                src.mark(("expectations", n), e.pop("_loc"))
            if "_line" in e:
                src.out.add(("expectations", n), e.pop("_line"))
            n += 1
    return [
        {"key": f"level-{k}", "code": f"L{k}", "title": f"Level {k}", "rank": k}
        for k in range(1, highest + 1)
    ]

"""1EdTech CASE 1.0 / 1.1 CFPackage JSON (read; writing is in case_write.py).

Packages Upward wrote (item types Area, Competency, Track, Level, ...) are read
back exactly. Any other package is mapped: top-level items that have children
become areas, the items under them competencies, education levels the levels of
one track, and each competency is expected at its education levels with its full
statement. docs/framework-format.md lists the mapping and the quirks tolerated.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from upward.engine.formats import case_write as cw
from upward.engine.formats._common import (
    SourceReader,
    guess_kind,
    located_errors,
    slugify,
    unique_key,
)
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import Loc
from upward.engine.sourcemap import load_json


def detect(text: str, filename: str = "") -> bool:
    """True for a JSON object with a top-level `CFDocument`."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return False
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        # Broken JSON that mentions CASE: let the reader say where it breaks.
        return re.search(r'"CFDocument"\s*:', text) is not None
    return isinstance(data, dict) and "CFDocument" in data


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read a CASE package into a framework."""
    data, source, warnings = load_json(text)
    src = SourceReader(source, filename)
    src.warnings += warnings
    package = _Package(src, src.check(data, (), dict))
    doc = package.upward() if package.is_upward() else package.generic()
    return parse_framework(doc, source=src.out, file=filename, warnings=src.warnings, fmt="case")


def write(framework: Any) -> str:
    """CASE 1.1 export (see case_write)."""
    return cw.write(framework)


class _Package:
    """The package's items and associations, with the sample's quirks repaired."""

    def __init__(self, src: SourceReader, data: dict[str, Any]) -> None:
        self.src = src
        self.document = src.get(data, (), "CFDocument", dict)
        self.items: dict[str, dict[str, Any]] = {}
        self.item_locs: dict[str, Loc] = {}
        for i, item in enumerate(src.items(data, (), "CFItems", required=False)):
            self.add_item(src.check(item, ("CFItems", i), dict), ("CFItems", i))
        self.links: list[tuple[str, str, str, int | None, Loc]] = []
        for i, assoc in enumerate(src.items(data, (), "CFAssociations", required=False)):
            self.add_association(
                src.check(assoc, ("CFAssociations", i), dict), ("CFAssociations", i)
            )
        self.check_definitions(data.get("CFDefinitions"))
        if data.get("CFRubrics"):
            src.warn(("CFRubrics",), "rubrics are not imported")

    def add_item(self, item: dict[str, Any], loc: Loc) -> None:
        src = self.src
        identifier = src.get(item, loc, "identifier", str)
        if "educationalLevel" in item and "educationLevel" not in item:
            src.warn((*loc, "educationalLevel"), "'educationalLevel' read as 'educationLevel'")
            item["educationLevel"] = item.pop("educationalLevel")
        if item.get("fullStatement") is None:
            fallback = item.get("abbreviatedStatement") or item.get("humanCodingScheme") or ""
            src.warn((*loc, "fullStatement"), f"no fullStatement: using {fallback!r}")
            item["fullStatement"] = fallback
        src.check(item["fullStatement"], (*loc, "fullStatement"), str)
        if identifier in self.items:
            raise src.fail((*loc, "identifier"), f"duplicate item identifier '{identifier}'")
        self.items[identifier] = item
        self.item_locs[identifier] = loc

    def add_association(self, assoc: dict[str, Any], loc: Loc) -> None:
        src = self.src
        kind = src.get(assoc, loc, "associationType", str)
        origin = src.get(
            src.get(assoc, loc, "originNodeURI", dict), (*loc, "originNodeURI"), "identifier", str
        )
        target = src.get(
            src.get(assoc, loc, "destinationNodeURI", dict),
            (*loc, "destinationNodeURI"),
            "identifier",
            str,
        )
        sequence = assoc.get("sequenceNumber")
        if isinstance(sequence, str):
            if not sequence.strip().lstrip("-").isdigit():
                raise src.fail(
                    (*loc, "sequenceNumber"), f"must be a whole number, found {sequence!r}"
                )
            src.warn(
                (*loc, "sequenceNumber"),
                f"sequenceNumber is the text {sequence!r}; read as {int(sequence)}",
            )
            sequence = int(sequence)
        elif sequence is not None and not isinstance(sequence, int):
            raise src.fail((*loc, "sequenceNumber"), f"must be a whole number, found {sequence!r}")
        self.links.append((origin, kind, target, sequence, loc))

    def check_definitions(self, definitions: Any) -> None:
        if not isinstance(definitions, dict):
            return
        for group, entries in definitions.items():
            for i, entry in enumerate(entries if isinstance(entries, list) else []):
                if (
                    isinstance(entry, dict)
                    and "description" in entry
                    and entry["description"] is None
                ):
                    self.src.warn(
                        ("CFDefinitions", group, i, "description"), "null description read as empty"
                    )

    # Shared lookups --------------------------------------------------------------

    def kind(self, identifier: str) -> str:
        item = self.items.get(identifier, {})
        kind = item.get("CFItemType") or (item.get("CFItemTypeURI") or {}).get("title") or ""
        return str(kind)

    def children(self, parent: str, kind: str = "isChildOf") -> list[str]:
        """Items linked to `parent` by `kind` (origin -> parent), in sequence order."""
        found = [
            (seq if seq is not None else 10**9, n, o)
            for n, (o, k, t, seq, _) in enumerate(self.links)
            if k == kind and t == parent and o in self.items
        ]
        return [o for _, _, o in sorted(found)]

    def targets(self, origin: str, kind: str) -> list[str]:
        return [t for o, k, t, _, _ in self.links if o == origin and k == kind]

    def sequence(self, origin: str, target: str) -> int:
        for o, k, t, seq, _ in self.links:
            if o == origin and t == target and k == "isChildOf" and seq is not None:
                return seq
        return 10**9

    def keywords(self, identifier: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for word in self.items[identifier].get("conceptKeywords") or []:
            if isinstance(word, str) and word.startswith("upward:"):
                name, _, value = word[len("upward:") :].partition("=")
                out[name] = value
        return out

    def of_kind(self, kind: str) -> list[str]:
        return [i for i in self.items if self.kind(i) == kind]

    def doc_notes(self) -> dict[str, Any]:
        try:
            notes = json.loads(self.document.get("notes") or "")
        except (json.JSONDecodeError, TypeError):
            return {}
        return notes.get("upward", {}) if isinstance(notes, dict) else {}

    def frame(self, key: str) -> dict[str, Any]:
        src, document = self.src, self.document
        title = src.get(document, ("CFDocument",), "title", str).strip()
        licence = _link(document.get("licenseURI"), "title")
        url = document.get("officialSourceURL") or _link(document.get("CFPackageURI"), "uri")
        return {
            "key": key or slugify(title, "case"),
            "name": title,
            "description": document.get("description") or "",
            "attribution": {
                "source": document.get("creator") or document.get("publisher") or title,
                "url": str(url),
                "licence": str(licence),
            },
        }

    def key_of(self, identifier: str) -> str:
        return str(self.items[identifier].get("humanCodingScheme") or "")

    def mark(self, doc_loc: Loc, identifier: str) -> None:
        self.src.mark(doc_loc, self.item_locs[identifier])

    # Upward's own packages ------------------------------------------------------

    def is_upward(self) -> bool:
        return bool(self.doc_notes()) or bool(
            self.of_kind(cw.COMPETENCY) and self.of_kind(cw.LEVEL)
        )

    def upward(self) -> dict[str, Any]:
        notes = self.doc_notes()
        doc = self.frame(str(notes.get("key") or ""))
        if notes.get("attribution") is False:
            del doc["attribution"]
        doc_id = self.document.get("identifier", "")
        areas = sorted(self.of_kind(cw.AREA), key=lambda i: self.sequence(i, doc_id))
        doc["areas"] = [self.named(i, ("areas", n)) for n, i in enumerate(areas)]
        competencies = sorted(
            self.of_kind(cw.COMPETENCY), key=lambda i: self.sequence(i, self.parent(i))
        )
        doc["competencies"] = [
            self.competency(i, ("competencies", n)) for n, i in enumerate(competencies)
        ]
        tracks = sorted(self.of_kind(cw.TRACK), key=lambda i: self.sequence(i, doc_id))
        doc["tracks"] = [self.track(i, ("tracks", n)) for n, i in enumerate(tracks)]
        expectations = sorted(
            self.of_kind(cw.EXPECTATION), key=lambda i: self.sequence(i, self.parent(i))
        )
        doc["expectations"] = [
            self.expectation(i, ("expectations", n)) for n, i in enumerate(expectations)
        ]
        if "level_rule" in notes:
            doc["level_rule"] = notes["level_rule"]
        return doc

    def parent(self, identifier: str) -> str:
        parents = self.targets(identifier, "isChildOf")
        return parents[0] if parents else ""

    def named(self, identifier: str, loc: Loc) -> dict[str, Any]:
        self.mark(loc, identifier)
        item = self.items[identifier]
        out = {"key": self.key_of(identifier), "name": item["fullStatement"]}
        if item.get("notes"):
            out["description"] = item["notes"]
        return out

    def texts(self, identifier: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for kind, name in ((cw.SIGNAL, "signals"), (cw.EXAMPLE, "examples")):
            found = [
                self.items[c]["fullStatement"]
                for c in self.children(identifier)
                if self.kind(c) == kind
            ]
            if found:
                out[name] = found
        return out

    def competency(self, identifier: str, loc: Loc) -> dict[str, Any]:
        out = self.named(identifier, loc)
        words = self.keywords(identifier)
        out["area"] = (
            self.key_of(self.parent(identifier)) if self.parent(identifier) in self.items else ""
        )
        out["kind"] = words.get("kind", "skill")
        if "weight" in words:
            out["weight"] = _number(words["weight"])
        steps = [s for s in self.children(identifier) if self.kind(s) == cw.STEP]
        if steps:
            out["scale"] = [
                {**self.named(s, (*loc, "scale", n)), **self.texts(s)} for n, s in enumerate(steps)
            ]
        return out

    def track(self, identifier: str, loc: Loc) -> dict[str, Any]:
        out = self.named(identifier, loc)
        levels = []
        for n, level in enumerate(self.children(identifier)):
            if self.kind(level) != cw.LEVEL:
                continue
            words = self.keywords(level)
            if words.get("track", out["key"]) != out["key"]:
                levels.append({"ref": self.key_of(level)})
                continue
            item = self.items[level]
            entry: dict[str, Any] = {"key": self.key_of(level), "title": item["fullStatement"]}
            for field, value in (
                ("code", item.get("alternativeLabel")),
                ("summary", item.get("notes")),
            ):
                if value:
                    entry[field] = value
            if "rank" in words:
                entry["rank"] = _number(words["rank"])
            self.mark((*loc, "levels", n), level)
            levels.append(entry)
        out["levels"] = levels
        return out

    def expectation(self, identifier: str, loc: Loc) -> dict[str, Any]:
        self.mark(loc, identifier)
        related = [t for t in self.targets(identifier, "isRelatedTo") if self.kind(t) == cw.LEVEL]
        steps = self.targets(identifier, "hasSkillLevel")
        out: dict[str, Any] = {
            "competency": self.key_of(self.parent(identifier))
            if self.parent(identifier) in self.items
            else "",
            "level": self.key_of(related[0]) if related else "",
            "summary": self.items[identifier]["fullStatement"],
            **self.texts(identifier),
        }
        if steps and steps[0] in self.items:
            out["step"] = self.key_of(steps[0])
        if "optional" in self.keywords(identifier):
            out["optional"] = True
        return out

    # Any other package --------------------------------------------------------------

    def generic(self) -> dict[str, Any]:
        doc = self.frame("")
        doc_id = self.document.get("identifier", "")
        roots = [i for i in self.items if self.parent(i) not in self.items]
        roots.sort(
            key=lambda i: self.sequence(i, self.parent(i)) if self.parent(i) == doc_id else 10**9
        )
        areas: list[dict[str, Any]] = []
        competencies: list[dict[str, Any]] = []
        taken: set[str] = set()
        general = None
        for root in roots:
            below = self.descendants(root)
            if below:
                area = self.area(root, len(areas), taken)
                areas.append(area)
                competencies += [
                    self.generic_competency(i, area["key"], len(competencies) + n, taken)
                    for n, i in enumerate(below)
                ]
            else:
                if general is None:
                    general = {"key": unique_key("general", taken), "name": "General"}
                    areas.append(general)
                competencies.append(
                    self.generic_competency(root, general["key"], len(competencies), taken)
                )
        self.ignored_associations()
        doc.update(areas=areas, competencies=competencies, **self.education_levels(competencies))
        return doc

    def descendants(self, identifier: str) -> list[str]:
        out: list[str] = []
        for child in self.children(identifier):
            if child not in out:
                out += [child, *self.descendants(child)]
        return out

    def area(self, identifier: str, index: int, taken: set[str]) -> dict[str, Any]:
        self.mark(("areas", index), identifier)
        item = self.items[identifier]
        name = self.label(item)
        return {
            "key": unique_key(slugify(self.key_of(identifier) or name, "area"), taken),
            "name": name,
            "description": item["fullStatement"],
        }

    @staticmethod
    def label(item: dict[str, Any]) -> str:
        text = (
            item.get("abbreviatedStatement")
            or item.get("humanCodingScheme")
            or item["fullStatement"]
        )
        text = str(text).strip()
        return text if len(text) <= 80 else text[:77].rstrip() + "..."

    def generic_competency(
        self, identifier: str, area: str, index: int, taken: set[str]
    ) -> dict[str, Any]:
        self.mark(("competencies", index), identifier)
        item = self.items[identifier]
        name = self.label(item)
        return {
            "key": unique_key(slugify(self.key_of(identifier) or name, "item"), taken),
            "name": name,
            "description": item["fullStatement"],
            "area": area,
            "kind": guess_kind(name, default="skill"),
            "_id": identifier,
        }

    def ignored_associations(self) -> None:
        ignored = Counter(k for _, k, _, _, _ in self.links if k != "isChildOf")
        for kind, count in sorted(ignored.items()):
            self.src.warn(
                ("CFAssociations",),
                f"{count} '{kind}' association(s) have no Upward equivalent and were not imported",
            )

    def education_levels(self, competencies: list[dict[str, Any]]) -> dict[str, Any]:
        by_item: dict[str, list[str]] = {}
        for c in competencies:
            value = self.items[c["_id"]].get("educationLevel") or []
            by_item[c["_id"]] = [value] if isinstance(value, str) else [str(v) for v in value]
        values = sorted({v for vs in by_item.values() for v in vs}, key=_natural)
        if not values:
            self.src.warn(
                ("CFItems",), "no education levels: one level 'all' holds every expectation"
            )
            values = ["all"]
            by_item = {key: ["all"] for key in by_item}
        levels = [
            {"key": slugify(v, "level"), "code": v, "title": f"Level {v}", "rank": n}
            for n, v in enumerate(values, start=1)
        ]
        expectations = []
        for c in competencies:
            item = self.items[c.pop("_id")]
            for value in by_item[item["identifier"]]:
                expectation: dict[str, Any] = {
                    "competency": c["key"],
                    "level": slugify(value, "level"),
                    "summary": item["fullStatement"],
                }
                if item.get("notes"):
                    expectation["examples"] = [item["notes"]]
                expectations.append(expectation)
        track = {"key": "levels", "name": "Education levels", "levels": levels}
        return {"tracks": [track], "expectations": expectations}


def _natural(value: str) -> tuple[int, int | str]:
    return (0, int(value)) if value.isdigit() else (1, value)


def _link(value: Any, field: str) -> str:
    # LinkURI objects by the schema; a bare URI string in some real packages.
    if isinstance(value, dict):
        return str(value.get(field) or "")
    return value if isinstance(value, str) else ""


def _number(text: str) -> int | float | str:
    """A keyword value as a number; other text is left for validation to report."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value

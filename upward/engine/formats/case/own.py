"""Read back a CASE package that Upward wrote: the same document, exactly."""

from __future__ import annotations

from typing import Any

from upward.engine.formats.case import export as cw
from upward.engine.formats.case.package import Package
from upward.engine.issues import Loc


def is_own(p: Package) -> bool:
    """True for a package Upward exported (its notes, or its item types, say so)."""
    return bool(p.doc_notes()) or bool(p.of_kind(cw.COMPETENCY) and p.of_kind(cw.LEVEL))


def read_own(p: Package) -> dict[str, Any]:
    """The framework document the package was written from."""
    notes = p.doc_notes()
    doc = p.frame(str(notes.get("key") or ""))
    if notes.get("attribution") is False:
        del doc["attribution"]
    doc_id = p.document.get("identifier", "")
    areas = sorted(p.of_kind(cw.AREA), key=lambda i: p.sequence(i, doc_id))
    doc["areas"] = [_named(p, i, ("areas", n)) for n, i in enumerate(areas)]
    competencies = sorted(p.of_kind(cw.COMPETENCY), key=lambda i: p.sequence(i, p.parent(i)))
    doc["competencies"] = [
        _competency(p, i, ("competencies", n)) for n, i in enumerate(competencies)
    ]
    tracks = sorted(p.of_kind(cw.TRACK), key=lambda i: p.sequence(i, doc_id))
    doc["tracks"] = [_track(p, i, ("tracks", n)) for n, i in enumerate(tracks)]
    expectations = sorted(p.of_kind(cw.EXPECTATION), key=lambda i: p.sequence(i, p.parent(i)))
    doc["expectations"] = [
        _expectation(p, i, ("expectations", n)) for n, i in enumerate(expectations)
    ]
    if "level_rule" in notes:
        doc["level_rule"] = notes["level_rule"]
    return doc


def _named(p: Package, identifier: str, loc: Loc) -> dict[str, Any]:
    p.mark(loc, identifier)
    item = p.items[identifier]
    out = {"key": p.key_of(identifier), "name": item["fullStatement"]}
    if item.get("notes"):
        out["description"] = item["notes"]
    return out


def _texts(p: Package, identifier: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, name in ((cw.SIGNAL, "signals"), (cw.EXAMPLE, "examples")):
        found = [p.items[c]["fullStatement"] for c in p.children(identifier) if p.kind(c) == kind]
        if found:
            out[name] = found
    return out


def _competency(p: Package, identifier: str, loc: Loc) -> dict[str, Any]:
    out = _named(p, identifier, loc)
    words = p.keywords(identifier)
    out["area"] = p.key_of(p.parent(identifier)) if p.parent(identifier) in p.items else ""
    out["kind"] = words.get("kind", "skill")
    if "weight" in words:
        out["weight"] = _number(words["weight"])
    steps = [s for s in p.children(identifier) if p.kind(s) == cw.STEP]
    if steps:
        out["scale"] = [
            {**_named(p, s, (*loc, "scale", n)), **_texts(p, s)} for n, s in enumerate(steps)
        ]
    return out


def _track(p: Package, identifier: str, loc: Loc) -> dict[str, Any]:
    out = _named(p, identifier, loc)
    levels = []
    for n, level in enumerate(p.children(identifier)):
        if p.kind(level) != cw.LEVEL:
            continue
        words = p.keywords(level)
        if words.get("track", out["key"]) != out["key"]:
            levels.append({"ref": p.key_of(level)})
            continue
        item = p.items[level]
        entry: dict[str, Any] = {"key": p.key_of(level), "title": item["fullStatement"]}
        for field, value in (
            ("code", item.get("alternativeLabel")),
            ("summary", item.get("notes")),
        ):
            if value:
                entry[field] = value
        if "rank" in words:
            entry["rank"] = _number(words["rank"])
        p.mark((*loc, "levels", n), level)
        levels.append(entry)
    out["levels"] = levels
    return out


def _expectation(p: Package, identifier: str, loc: Loc) -> dict[str, Any]:
    p.mark(loc, identifier)
    related = [t for t in p.targets(identifier, "isRelatedTo") if p.kind(t) == cw.LEVEL]
    steps = p.targets(identifier, "hasSkillLevel")
    out: dict[str, Any] = {
        "competency": p.key_of(p.parent(identifier)) if p.parent(identifier) in p.items else "",
        "level": p.key_of(related[0]) if related else "",
        "summary": p.items[identifier]["fullStatement"],
        **_texts(p, identifier),
    }
    if steps and steps[0] in p.items:
        out["step"] = p.key_of(steps[0])
    if "optional" in p.keywords(identifier):
        out["optional"] = True
    return out


def _number(text: str) -> int | float | str:
    """A keyword value as a number; other text is left for validation to report."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value

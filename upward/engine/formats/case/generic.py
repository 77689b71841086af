"""Map any other CASE package: item tree to areas and competencies, education
levels to the levels of one track."""

from __future__ import annotations

from collections import Counter
from typing import Any

from upward.engine.formats._common import guess_kind, slugify, unique_key
from upward.engine.formats.case.package import NOT_IN_SEQUENCE, Package


def read_generic(p: Package) -> dict[str, Any]:
    """The framework document for a package Upward did not write."""
    doc = p.frame("")
    doc_id = p.document.get("identifier", "")
    roots = [i for i in p.items if p.parent(i) not in p.items]
    roots.sort(
        key=lambda i: p.sequence(i, p.parent(i)) if p.parent(i) == doc_id else NOT_IN_SEQUENCE
    )
    areas: list[dict[str, Any]] = []
    competencies: list[dict[str, Any]] = []
    taken: set[str] = set()
    general = None
    for root in roots:
        below = _descendants(p, root)
        if below:
            area = _area(p, root, len(areas), taken)
            areas.append(area)
            competencies += [
                _competency(p, i, area["key"], len(competencies) + n, taken)
                for n, i in enumerate(below)
            ]
        else:
            if general is None:
                general = {"key": unique_key("general", taken), "name": "General"}
                areas.append(general)
            competencies.append(_competency(p, root, general["key"], len(competencies), taken))
    _ignored_associations(p)
    doc.update(areas=areas, competencies=competencies, **_education_levels(p, competencies))
    return doc


def _descendants(p: Package, identifier: str, seen: set[str] | None = None) -> list[str]:
    # `seen` stops a package whose isChildOf links go round in a circle.
    seen = seen if seen is not None else {identifier}
    out: list[str] = []
    for child in p.children(identifier):
        if child not in seen:
            seen.add(child)
            out += [child, *_descendants(p, child, seen)]
    return out


def _area(p: Package, identifier: str, index: int, taken: set[str]) -> dict[str, Any]:
    p.mark(("areas", index), identifier)
    item = p.items[identifier]
    name = _label(item)
    return {
        "key": unique_key(slugify(p.key_of(identifier) or name, "area"), taken),
        "name": name,
        "description": item["fullStatement"],
    }


def _label(item: dict[str, Any]) -> str:
    text = (
        item.get("abbreviatedStatement") or item.get("humanCodingScheme") or item["fullStatement"]
    )
    text = str(text).strip()
    return text if len(text) <= 80 else text[:77].rstrip() + "..."


def _competency(
    p: Package, identifier: str, area: str, index: int, taken: set[str]
) -> dict[str, Any]:
    p.mark(("competencies", index), identifier)
    item = p.items[identifier]
    name = _label(item)
    return {
        "key": unique_key(slugify(p.key_of(identifier) or name, "item"), taken),
        "name": name,
        "description": item["fullStatement"],
        "area": area,
        "kind": guess_kind(name, default="skill"),
        "_id": identifier,
    }


def _ignored_associations(p: Package) -> None:
    ignored = Counter(k for _, k, _, _, _ in p.links if k != "isChildOf")
    for kind, count in sorted(ignored.items()):
        p.src.warn(
            ("CFAssociations",),
            f"{count} '{kind}' association(s) have no Upward equivalent and were not imported",
        )


def _education_levels(p: Package, competencies: list[dict[str, Any]]) -> dict[str, Any]:
    by_item: dict[str, list[str]] = {}
    for c in competencies:
        value = p.items[c["_id"]].get("educationLevel") or []
        by_item[c["_id"]] = [value] if isinstance(value, str) else [str(v) for v in value]
    values = sorted({v for vs in by_item.values() for v in vs}, key=_natural)
    if not values:
        p.src.warn(("CFItems",), "no education levels: one level 'all' holds every expectation")
        values = ["all"]
        by_item = {key: ["all"] for key in by_item}
    levels = [
        {"key": slugify(v, "level"), "code": v, "title": f"Level {v}", "rank": n}
        for n, v in enumerate(values, start=1)
    ]
    expectations = []
    for c in competencies:
        item = p.items[c.pop("_id")]
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

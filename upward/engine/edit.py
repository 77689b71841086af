"""Small edits to a framework document (plain data), as the draft editor makes them.

Each function returns a new document; validation happens when it is stored.
"""

from __future__ import annotations

import copy
from typing import Any

Doc = dict[str, Any]


class EditError(ValueError):
    """The edit names something the document doesn't have; `field` names which input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _find(items: list[dict[str, Any]], key: str, kind: str) -> int:
    for i, item in enumerate(items):
        if item.get("key") == key:
            return i
    raise EditError(f"unknown {kind} '{key}'", field=kind)


def set_cell(
    doc: Doc,
    *,
    competency: str,
    level: str,
    summary: str,
    signals: list[str],
    examples: list[str],
    step: str | None = None,
) -> Doc:
    """Write one expectation (competency x level), creating it if the cell was empty."""
    out = copy.deepcopy(doc)
    competencies = out.get("competencies", [])
    scale = competencies[_find(competencies, competency, "competency")].get("scale") or []
    if level not in _level_keys(out):
        raise EditError(f"unknown level '{level}'", field="level")
    if step and step not in {s.get("key") for s in scale}:
        raise EditError(f"competency '{competency}' has no step '{step}'", field="step")
    cell: dict[str, Any] = {"competency": competency, "level": level, "summary": summary.strip()}
    cell["signals"] = [s.strip() for s in signals if s.strip()]
    cell["examples"] = [e.strip() for e in examples if e.strip()]
    if step:
        cell["step"] = step
    expectations = out.setdefault("expectations", [])
    for i, existing in enumerate(expectations):
        if existing["competency"] == competency and existing["level"] == level:
            if "optional" in existing:
                cell["optional"] = existing["optional"]
            expectations[i] = cell
            return out
    expectations.append(cell)
    return out


def set_step(
    doc: Doc,
    *,
    competency: str,
    step: str,
    name: str,
    description: str,
    signals: list[str],
    examples: list[str],
) -> Doc:
    """Rewrite one step of a competency's own scale; its key (and so its points) stays."""
    out = copy.deepcopy(doc)
    competencies = out.get("competencies", [])
    scale = competencies[_find(competencies, competency, "competency")].get("scale") or []
    if not scale:
        raise EditError(f"competency '{competency}' has no scale of its own", field="competency")
    index = next((i for i, s in enumerate(scale) if s.get("key") == step), None)
    if index is None:
        raise EditError(f"competency '{competency}' has no step '{step}'", field="step")
    scale[index] = {
        **scale[index],
        "name": name.strip(),
        "description": description.strip(),
        "signals": [s.strip() for s in signals if s.strip()],
        "examples": [e.strip() for e in examples if e.strip()],
    }
    return out


def add_competency(doc: Doc, competency: dict[str, Any]) -> Doc:
    """Append a competency (its cells start empty)."""
    out = copy.deepcopy(doc)
    out.setdefault("competencies", []).append(dict(competency))
    return out


def remove_competency(doc: Doc, key: str) -> Doc:
    """Remove a competency and every expectation about it."""
    out = copy.deepcopy(doc)
    del out["competencies"][_find(out.get("competencies", []), key, "competency")]
    out["expectations"] = [e for e in out.get("expectations", []) if e["competency"] != key]
    return out


def move_competency(doc: Doc, key: str, offset: int) -> Doc:
    """Move a competency up (negative offset) or down in the framework's order."""
    out = copy.deepcopy(doc)
    _move(
        out.get("competencies", []), _find(out.get("competencies", []), key, "competency"), offset
    )
    return out


def add_level(doc: Doc, track: str, level: dict[str, Any]) -> Doc:
    """Append a level to the top of a track."""
    out = copy.deepcopy(doc)
    tracks = out.get("tracks", [])
    tracks[_find(tracks, track, "track")].setdefault("levels", []).append(dict(level))
    return out


def remove_level(doc: Doc, track: str, key: str) -> Doc:
    """Remove a level from a track, with its expectations when no other track shares it."""
    out = copy.deepcopy(doc)
    tracks = out.get("tracks", [])
    levels = tracks[_find(tracks, track, "track")].get("levels", [])
    index = next((i for i, lv in enumerate(levels) if _level_key(lv) == key), None)
    if index is None:
        raise EditError(f"track '{track}' has no level '{key}'", field="level")
    del levels[index]
    if key not in _level_keys(out):
        out["expectations"] = [e for e in out.get("expectations", []) if e["level"] != key]
    return out


def move_level(doc: Doc, track: str, key: str, offset: int) -> Doc:
    """Move a level up or down its track."""
    out = copy.deepcopy(doc)
    tracks = out.get("tracks", [])
    levels = tracks[_find(tracks, track, "track")].get("levels", [])
    index = next((i for i, lv in enumerate(levels) if _level_key(lv) == key), None)
    if index is None:
        raise EditError(f"track '{track}' has no level '{key}'", field="level")
    _move(levels, index, offset)
    return out


def _move(items: list[Any], index: int, offset: int) -> None:
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))


def _level_key(level: dict[str, Any]) -> str:
    return str(level.get("key") or level.get("ref"))


def _level_keys(doc: Doc) -> set[str]:
    return {_level_key(lv) for t in doc.get("tracks", []) for lv in t.get("levels", [])}

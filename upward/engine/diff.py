"""What changed between two versions of a framework document.

Parts are matched by key: a key only in the new version is added, only in the old
one removed; the same key with a new name is renamed; other field changes are
listed by field name. Expectations are matched by (competency, level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import BaseModel

from upward.engine.framework import FrameworkDocument, LevelRef

_FRAMEWORK_FIELDS = ("key", "name", "description", "attribution")


@dataclass(frozen=True)
class Rename:
    """Same key, new name (or title, for levels)."""

    key: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """Same key, other fields changed."""

    key: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class PartDiff:
    """Differences in one kind of part (areas, competencies, tracks or levels)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (self.added or self.removed or self.renamed or self.changed)


@dataclass(frozen=True)
class ExpectationChange:
    """One expectation (competency x level) whose fields changed."""

    competency: str
    level: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ExpectationDiff:
    """Expectations added, removed and changed, by (competency, level)."""

    added: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[ExpectationChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class FrameworkDiff:
    """Every difference between two framework documents, as plain data."""

    framework: tuple[str, ...]
    areas: PartDiff
    competencies: PartDiff
    tracks: PartDiff
    levels: PartDiff
    expectations: ExpectationDiff
    level_rule: bool

    @property
    def empty(self) -> bool:
        """True when the two documents are the same."""
        parts = (self.areas, self.competencies, self.tracks, self.levels, self.expectations)
        return not self.framework and not self.level_rule and all(p.empty for p in parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON responses and templates."""
        return asdict(self)

    def summary(self) -> str:
        """One line per change, for people."""
        if self.empty:
            return "No changes."
        lines = [f"Framework {name} changed." for name in self.framework]
        for label, part in (
            ("area", self.areas),
            ("competency", self.competencies),
            ("track", self.tracks),
            ("level", self.levels),
        ):
            lines += _part_lines(label, part)
        lines += _expectation_lines(self.expectations)
        if self.level_rule:
            lines.append("The points level rule changed.")
        return "\n".join(lines)


def diff(old: FrameworkDocument, new: FrameworkDocument) -> FrameworkDiff:
    """The differences from `old` to `new`."""
    return FrameworkDiff(
        framework=tuple(f for f in _FRAMEWORK_FIELDS if getattr(old, f) != getattr(new, f)),
        areas=_parts(_by_key(old.areas), _by_key(new.areas), "name"),
        competencies=_parts(_by_key(old.competencies), _by_key(new.competencies), "name"),
        tracks=_parts(_tracks(old), _tracks(new), "name"),
        levels=_parts(_levels(old), _levels(new), "title"),
        expectations=_expectations(old, new),
        level_rule=old.level_rule != new.level_rule,
    )


def _by_key(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {item.key: item.model_dump() for item in items}


def _tracks(fw: FrameworkDocument) -> dict[str, dict[str, Any]]:
    # A track's levels compare as the ordered keys, shared or defined.
    out = {}
    for track in fw.tracks:
        data = track.model_dump(exclude={"levels"})
        data["levels"] = [i.ref if isinstance(i, LevelRef) else i.key for i in track.levels]
        out[track.key] = data
    return out


def _levels(fw: FrameworkDocument) -> dict[str, dict[str, Any]]:
    return {lv.key: lv.model_dump() for t in fw.tracks for lv in fw.levels_of(t.key)}


def _parts(
    old: Mapping[str, dict[str, Any]], new: Mapping[str, dict[str, Any]], name: str
) -> PartDiff:
    result = PartDiff(
        added=[k for k in new if k not in old],
        removed=[k for k in old if k not in new],
    )
    for key in (k for k in new if k in old):
        before, after = old[key], new[key]
        if before[name] != after[name]:
            result.renamed.append(Rename(key, before[name], after[name]))
        fields = tuple(f for f in after if f not in ("key", name) and before.get(f) != after[f])
        if fields:
            result.changed.append(Change(key, fields))
    return result


def _expectations(old: FrameworkDocument, new: FrameworkDocument) -> ExpectationDiff:
    before = {(e.competency, e.level): e for e in old.expectations}
    after = {(e.competency, e.level): e for e in new.expectations}
    result = ExpectationDiff(
        added=[k for k in after if k not in before],
        removed=[k for k in before if k not in after],
    )
    for key in (k for k in after if k in before):
        fields = _changed_fields(before[key], after[key])
        if fields:
            result.changed.append(ExpectationChange(key[0], key[1], fields))
    return result


def _changed_fields(before: BaseModel, after: BaseModel) -> tuple[str, ...]:
    return tuple(f for f in type(after).model_fields if getattr(before, f) != getattr(after, f))


def _part_lines(label: str, part: PartDiff) -> list[str]:
    plural = "competencies" if label == "competency" else f"{label}s"
    lines = []
    if part.added:
        lines.append(f"{plural.capitalize()} added: {', '.join(part.added)}.")
    if part.removed:
        lines.append(f"{plural.capitalize()} removed: {', '.join(part.removed)}.")
    lines += [
        f"{label.capitalize()} '{r.key}' renamed: '{r.old}' -> '{r.new}'." for r in part.renamed
    ]
    lines += [
        f"{label.capitalize()} '{c.key}' changed: {', '.join(c.fields)}." for c in part.changed
    ]
    return lines


def _expectation_lines(part: ExpectationDiff) -> list[str]:
    lines = [f"Expectation added: '{c}' at '{lv}'." for c, lv in part.added]
    lines += [f"Expectation removed: '{c}' at '{lv}'." for c, lv in part.removed]
    lines += [
        f"Expectation '{c.competency}' at '{c.level}' changed: {', '.join(c.fields)}."
        for c in part.changed
    ]
    return lines

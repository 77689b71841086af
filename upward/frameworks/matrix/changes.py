"""What changed between two versions, with names and both texts of each cell."""

from __future__ import annotations

from dataclasses import dataclass

from upward.engine.diff import FrameworkDiff, PartDiff, Rename, diff
from upward.engine.framework.models import Area, Competency, Expectation, FrameworkDocument, Track

# --- What changed between two versions ----------------------------------------------------


@dataclass(frozen=True)
class PartChanges:
    """Areas, competencies, tracks or levels added, removed, renamed or otherwise changed."""

    label: str
    added: list[str]
    removed: list[str]
    renamed: list[Rename]
    changed: list[tuple[str, tuple[str, ...]]]

    @property
    def empty(self) -> bool:
        """True when nothing of this kind changed."""
        return not (self.added or self.removed or self.renamed or self.changed)


@dataclass(frozen=True)
class CellChange:
    """One expectation, before and after (either may be missing)."""

    competency: str
    level: str
    competency_name: str
    level_label: str
    before: Expectation | None
    after: Expectation | None
    fields: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """added, removed or changed."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class DiffReport:
    """A version diff with names and texts filled in, ready to read."""

    raw: FrameworkDiff
    framework_fields: tuple[str, ...]
    parts: list[PartChanges]
    cells: list[CellChange]
    level_rule: bool

    @property
    def empty(self) -> bool:
        """True when the two versions say the same thing."""
        return self.raw.empty


def diff_view(old: FrameworkDocument, new: FrameworkDocument) -> DiffReport:
    """What changed from `old` to `new`, with names instead of keys and both texts of each cell."""
    raw = diff(old, new)
    parts = [
        _part_changes("Areas", raw.areas, _names(old.areas), _names(new.areas)),
        _part_changes(
            "Competencies", raw.competencies, _names(old.competencies), _names(new.competencies)
        ),
        _part_changes("Tracks", raw.tracks, _names(old.tracks), _names(new.tracks)),
        _part_changes("Levels", raw.levels, _level_names(old), _level_names(new)),
    ]
    e = raw.expectations
    cells = [_cell_change(old, new, c, lv) for c, lv in e.added]
    cells += [_cell_change(old, new, c, lv) for c, lv in e.removed]
    cells += [_cell_change(old, new, ch.competency, ch.level, ch.fields) for ch in e.changed]
    order = _cell_order(old, new)
    cells.sort(key=lambda ch: order.get((ch.competency, ch.level), (len(order), 0)))
    return DiffReport(raw, raw.framework, [p for p in parts if not p.empty], cells, raw.level_rule)


def _names(items: list[Area] | list[Competency] | list[Track]) -> dict[str, str]:
    return {i.key: i.name for i in items}


def _level_names(doc: FrameworkDocument) -> dict[str, str]:
    return {lv.key: lv.label for t in doc.tracks for lv in doc.levels_of(t.key)}


def _part_changes(
    label: str, part: PartDiff, old: dict[str, str], new: dict[str, str]
) -> PartChanges:
    return PartChanges(
        label=label,
        added=[new.get(k, k) for k in part.added],
        removed=[old.get(k, k) for k in part.removed],
        renamed=list(part.renamed),
        changed=[(new.get(c.key, c.key), c.fields) for c in part.changed],
    )


def _cell_order(
    old: FrameworkDocument, new: FrameworkDocument
) -> dict[tuple[str, str], tuple[int, int]]:
    """Competency order, then level order, as the new version has them (the old one's after)."""
    competencies = [c.key for c in new.competencies]
    competencies += [c.key for c in old.competencies if c.key not in competencies]
    new_levels = list(_level_names(new))
    levels = new_levels + [k for k in _level_names(old) if k not in new_levels]
    return {(c, lv): (i, j) for i, c in enumerate(competencies) for j, lv in enumerate(levels)}


def _cell_change(
    old: FrameworkDocument,
    new: FrameworkDocument,
    competency: str,
    level: str,
    fields: tuple[str, ...] = (),
) -> CellChange:
    return CellChange(
        competency=competency,
        level=level,
        competency_name=_label(new, old, "competency", competency),
        level_label=_label(new, old, "level", level),
        before=old.expectation(competency, level),
        after=new.expectation(competency, level),
        fields=fields,
    )


def _label(new: FrameworkDocument, old: FrameworkDocument, kind: str, key: str) -> str:
    """A competency's name or a level's label from either version (the key if neither has it)."""
    for doc in (new, old):
        try:
            return doc.competency(key).name if kind == "competency" else doc.level(key).label
        except KeyError:
            continue
    return key

"""Cross-reference checks on a structurally valid framework document.

Each problem becomes an Issue whose path points into the document, so readers can
attach the line it came from. Errors make the document unusable; warnings don't.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from upward.engine.issues import Issue, error, warning

if TYPE_CHECKING:
    from upward.engine.framework.models import Competency, FrameworkDocument


class _Keyed(Protocol):
    key: str


def find_issues(fw: FrameworkDocument) -> list[Issue]:
    """Every reference, uniqueness and emptiness problem in the document."""
    return [
        *_check_not_empty(fw),
        *_check_unique(fw.areas, "areas", "area"),
        *_check_unique(fw.competencies, "competencies", "competency"),
        *_check_unique(fw.tracks, "tracks", "track"),
        *_check_competencies(fw),
        *_check_levels(fw),
        *_check_expectations(fw),
        *_check_level_rule(fw),
        *_check_unused(fw),
    ]


def known(keys: Iterable[str], limit: int = 8) -> str:
    """A short list of valid keys to put in an error message."""
    keys = list(keys)
    if not keys:
        return "there are none"
    shown = ", ".join(keys[:limit])
    return f"known: {shown}" + (", ..." if len(keys) > limit else "")


def _check_not_empty(fw: FrameworkDocument) -> list[Issue]:
    issues = []
    if not fw.competencies:
        issues.append(error("competencies", "the framework has no competencies"))
    if not fw.tracks:
        issues.append(error("tracks", "the framework has no tracks"))
    for i, track in enumerate(fw.tracks):
        if not track.levels:
            issues.append(error(f"tracks[{i}].levels", f"track '{track.key}' has no levels"))
    return issues


def _check_unique(items: Sequence[_Keyed], path: str, kind: str) -> list[Issue]:
    issues = []
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.key in first:
            issues.append(
                error(
                    f"{path}[{i}].key",
                    f"duplicate {kind} key '{item.key}' (first used at {path}[{first[item.key]}])",
                )
            )
        first.setdefault(item.key, i)
    return issues


def _check_competencies(fw: FrameworkDocument) -> list[Issue]:
    issues = []
    areas = [a.key for a in fw.areas]
    for i, c in enumerate(fw.competencies):
        if c.area not in areas:
            issues.append(
                error(f"competencies[{i}].area", f"unknown area '{c.area}' ({known(areas)})")
            )
        issues += _check_unique(c.scale, f"competencies[{i}].scale", "step")
    return issues


def _check_levels(fw: FrameworkDocument) -> list[Issue]:
    issues: list[Issue] = []
    defined: dict[str, str] = {}
    for i, track in enumerate(fw.tracks):
        for j, item in enumerate(track.levels):
            key = getattr(item, "key", None)
            if key is None:
                continue
            where = f"tracks[{i}].levels[{j}]"
            if key in defined:
                msg = f"duplicate level key '{key}' (first defined at {defined[key]})"
                issues.append(error(f"{where}.key", msg))
            defined.setdefault(key, where)
    for i, track in enumerate(fw.tracks):
        issues += _check_track_levels(i, track.key, track.levels, defined)
    return issues


def _check_track_levels(
    i: int, track: str, items: Sequence[object], defined: dict[str, str]
) -> list[Issue]:
    issues = []
    seen: set[str] = set()
    last_rank: int | None = None
    for j, item in enumerate(items):
        ref = getattr(item, "ref", None)
        key = ref if ref is not None else getattr(item, "key", "")
        where = f"tracks[{i}].levels[{j}]"
        if ref is not None and ref not in defined:
            msg = f"unknown level '{ref}': a shared level must be defined in another track"
            issues.append(error(f"{where}.ref", msg))
        elif key in seen:
            issues.append(error(where, f"level '{key}' appears twice in track '{track}'"))
        seen.add(key)
        rank = getattr(item, "rank", None)
        if rank is not None and last_rank is not None and rank < last_rank:
            msg = f"rank {rank} is lower than the rank of the level before it ({last_rank})"
            issues.append(warning(f"{where}.rank", msg))
        last_rank = rank if rank is not None else last_rank
    return issues


def _check_expectations(fw: FrameworkDocument) -> list[Issue]:
    issues = []
    competencies = {c.key: c for c in fw.competencies}
    levels = _level_keys(fw)
    first: dict[tuple[str, str], int] = {}
    for i, e in enumerate(fw.expectations):
        where = f"expectations[{i}]"
        competency = competencies.get(e.competency)
        if competency is None:
            msg = f"unknown competency '{e.competency}' ({known(competencies)})"
            issues.append(error(f"{where}.competency", msg))
        if e.level not in levels:
            issues.append(error(f"{where}.level", f"unknown level '{e.level}' ({known(levels)})"))
        pair = (e.competency, e.level)
        if pair in first:
            msg = (
                f"a second expectation for '{e.competency}' at '{e.level}'"
                f" (the first is expectations[{first[pair]}])"
            )
            issues.append(error(where, msg))
        first.setdefault(pair, i)
        if competency is not None:
            issues += _check_step(where, competency, e.step)
    return issues


def _check_step(where: str, competency: Competency, step: str | None) -> list[Issue]:
    steps = [s.key for s in competency.scale]
    if not steps and step is not None:
        msg = f"competency '{competency.key}' has no scale of its own; leave the step out"
        return [error(f"{where}.step", msg)]
    if steps and step is None:
        msg = f"competency '{competency.key}' has its own scale: name a step ({known(steps)})"
        return [error(f"{where}.step", msg)]
    if steps and step not in steps:
        msg = f"competency '{competency.key}' has no step '{step}' ({known(steps)})"
        return [error(f"{where}.step", msg)]
    return []


def _check_level_rule(fw: FrameworkDocument) -> list[Issue]:
    rule = fw.level_rule
    if rule is None:
        return []
    issues: list[Issue] = []
    levels = _level_keys(fw)
    used_levels: set[str] = set()
    previous: int | None = None
    for i, t in enumerate(rule.thresholds):
        where = f"level_rule.thresholds[{i}]"
        if t.level not in levels:
            issues.append(error(f"{where}.level", f"unknown level '{t.level}' ({known(levels)})"))
        elif t.level in used_levels:
            issues.append(error(f"{where}.level", f"level '{t.level}' has two thresholds"))
        used_levels.add(t.level)
        if previous is not None and t.min_points <= previous:
            msg = f"thresholds must rise: {t.min_points} follows {previous}"
            issues.append(error(f"{where}.min_points", msg))
        previous = t.min_points
    if not rule.thresholds:
        issues.append(error("level_rule.thresholds", "a points rule needs thresholds"))
    elif rule.thresholds[0].min_points > 0:
        msg = "the first threshold is above 0: low totals map to no level"
        issues.append(warning("level_rule.thresholds[0].min_points", msg))
    return issues + _check_step_points(fw) + _check_titles(fw)


def _check_step_points(fw: FrameworkDocument) -> list[Issue]:
    assert fw.level_rule is not None
    issues = []
    points = fw.level_rule.step_points
    missing: dict[str, list[str]] = {}
    for i, c in enumerate(fw.competencies):
        if not c.scale:
            msg = f"a points rule needs every competency to have its own scale ('{c.key}' has none)"
            issues.append(error(f"competencies[{i}].scale", msg))
        for step in c.scale:
            if step.key not in points:
                missing.setdefault(step.key, []).append(c.key)
    for key, users in missing.items():
        msg = f"no points for step '{key}' (used by {', '.join(users)})"
        issues.append(error("level_rule.step_points", msg))
    steps_in_use = {s.key for c in fw.competencies for s in c.scale}
    for key in points:
        if key not in steps_in_use:
            msg = f"no competency has a step '{key}'"
            issues.append(warning(f"level_rule.step_points.{key}", msg))
    return issues


def _check_titles(fw: FrameworkDocument) -> list[Issue]:
    assert fw.level_rule is not None
    issues = []
    tracks = [t.key for t in fw.tracks]
    for i, title in enumerate(fw.level_rule.titles):
        where = f"level_rule.titles[{i}]"
        if title.max_points is not None and title.max_points < title.min_points:
            msg = f"max_points {title.max_points} is below min_points {title.min_points}"
            issues.append(error(f"{where}.max_points", msg))
        for j, track in enumerate(title.tracks):
            if track not in tracks:
                msg = f"unknown track '{track}' ({known(tracks)})"
                issues.append(error(f"{where}.tracks[{j}]", msg))
    return issues


def _check_unused(fw: FrameworkDocument) -> list[Issue]:
    issues = []
    used_areas = {c.area for c in fw.competencies}
    for i, area in enumerate(fw.areas):
        if area.key not in used_areas:
            issues.append(warning(f"areas[{i}]", f"area '{area.key}' has no competencies"))
    if fw.level_rule is None:
        expected = {e.competency for e in fw.expectations}
        for i, c in enumerate(fw.competencies):
            if c.key not in expected:
                msg = f"competency '{c.key}' has no expectation at any level"
                issues.append(warning(f"competencies[{i}]", msg))
    return issues


def _level_keys(fw: FrameworkDocument) -> list[str]:
    # Shared levels (LevelRef) have no `key`: only definitions count.
    keys: list[str] = []
    for track in fw.tracks:
        for item in track.levels:
            key = getattr(item, "key", None)
            if key is not None and key not in keys:
                keys.append(key)
    return keys

"""Shared by the delta pages: the steps of a competency with the expectation texts
that describe them, and the rating form filled from them."""

from __future__ import annotations

from upward.assessments.forms import Pick, StepOption, StepsForm
from upward.assessments.models import Placement, Signal
from upward.assessments.selectors import step_code
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.selectors import document_of

# --- Steps and the texts that describe them -----------------------------------------


def _level_code(doc: FrameworkDocument, key: str) -> str:
    level = doc.level(key)
    return level.code or level.title


def _options(doc: FrameworkDocument, competency: str, track: str) -> list[StepOption]:
    """Each step of a competency with the expectation text it stands for."""
    found = doc.competency(competency)
    if found.scale:
        return [StepOption(s.key, s.name, "", s.description) for s in found.scale]
    options = []
    for level in doc.levels_of(track):
        expectation = doc.expectation(competency, level.key)
        text = expectation.summary if expectation else ""
        title = level.title if level.code else ""
        options.append(StepOption(level.key, level.code or level.title, title, text))
    return options


def picks_for(
    placement: Placement,
    *,
    keys: list[str] | None = None,
    previous: dict[str, Signal] | None = None,
) -> list[Pick]:
    """The competencies to rate (all, or `keys`), in framework order, prefilled from `previous`."""
    doc = document_of(placement.version)
    previous = previous or {}
    picks = []
    for competency in doc.competencies:
        if keys is not None and competency.key not in keys:
            continue
        picks.append(_pick(doc, placement, competency.key, previous.get(competency.key)))
    return picks


def _pick(doc: FrameworkDocument, placement: Placement, key: str, previous: Signal | None) -> Pick:
    competency = doc.competency(key)
    options = _options(doc, key, placement.target_track)
    keys = [o.key for o in options]
    now = doc.required_step(key, placement.current_level) or placement.current_level
    expected = doc.required_step(key, placement.target_level)
    for option in options:
        option.is_current = option.key == now
        option.is_target = option.key == expected
    marked = [keys.index(k) for k in (now, expected) if k in keys]
    lo, hi = (max(0, min(marked) - 1), max(marked) + 1) if marked else (0, len(keys))
    current = doc.expectation(key, placement.current_level)
    target = doc.expectation(key, placement.target_level)
    pick = Pick(
        key=key,
        name=competency.name,
        kind=competency.kind,
        area=doc.area(competency.area).name,
        options=options,
        near=options[lo : hi + 1],
        far=options[:lo] + options[hi + 1 :],
        current_text=current.summary if current else "",
        target_text=target.summary if target else "",
        current_code=_level_code(doc, placement.current_level),
        target_code=_level_code(doc, placement.target_level),
        expected=expected if expected in keys else None,
        expected_code=step_code(doc, key, expected) if expected in keys else "",
    )
    if previous is not None and previous.step in keys:
        pick.chosen = previous.step
        pick.sometimes = bool(previous.sometimes_step)
        pick.previous = f"{step_code(doc, key, previous.step)} on {previous.observed_on:%-d %b %Y}"
    return pick


def apply_form(picks: list[Pick], form: StepsForm) -> None:
    """Show what was posted (and its errors) instead of the earlier ratings."""
    if not form.is_bound:
        return
    for pick in picks:
        pick.chosen = form.data.get(f"step-{pick.key}", "")
        pick.sometimes = bool(form.data.get(f"sometimes-{pick.key}"))
        pick.errors = [str(e) for e in form.errors.get(f"step-{pick.key}") or []]

"""A level key given where a step is asked for, read for a competency with its own scale.

A competency measured on its own scale (Novice, Practitioner, ...) has steps that
are not levels. People still think in levels ("she works at L3 here"), so a level
key is accepted as the step that level expects of that competency. A key that is
also one of the scale's own steps keeps its own meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from upward.engine.framework.models import FrameworkDocument

if TYPE_CHECKING:
    from upward.engine.delta import Signal


def step_for(fw: FrameworkDocument, competency: str, step: str) -> str:
    """The step of `competency` that `step` names: a level key becomes the step that
    level expects of a competency with its own scale; anything else is returned as given."""
    try:
        scale = fw.competency(competency).scale
        fw.level(step)
    except KeyError:
        return step
    if not scale or step in {s.key for s in scale}:
        return step
    return fw.required_step(competency, step) or step


def signals_by_step(fw: FrameworkDocument, signals: Sequence[Signal]) -> list[Signal]:
    """The signals with level keys read as steps (see `step_for`), other fields unchanged."""
    return [
        replace(
            s,
            step=step_for(fw, s.competency, s.step),
            sometimes=step_for(fw, s.competency, s.sometimes) if s.sometimes else s.sometimes,
        )
        for s in signals
    ]

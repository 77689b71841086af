"""The objective specificity check: is this objective concrete enough to act on?

An objective is specific when it names an action the member owns, a deliverable
or observable outcome, and at least one piece of context: who it is for or with
(an audience, stakeholders), a measure, or a timebox. A date alone never makes a
wish concrete, and reading, courses and talks watched are inputs, not outcomes,
unless the objective ties them to something delivered.

How the text is read: `specificity_reading.py` marks time expressions, measures
and audiences ("may" in "by May" is a month, "Product" in "with Product" a
team); `specificity_clauses.py` splits the text into clauses, each opened by a
verb, and judges what each shows. Every pass is a single walk over the words: the
cost is linear in the text, which is read up to `MAX_CHARS` characters.

The words and messages of each language live in one module
(`specificity_en.py`); docs/specificity.md describes the rule and the score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from upward.engine.specificity_clauses import judge_clauses, parse_clauses
from upward.engine.specificity_en import ENGLISH
from upward.engine.specificity_reading import ELEMENTS, MAX_CHARS, Reading, read
from upward.engine.specificity_rules import LanguageRules

__all__ = [
    "ELEMENTS",
    "LANGUAGES",
    "MAX_CHARS",
    "MISSING_CODES",
    "MISSING_LABELS",
    "Check",
    "check_objective",
    "rules_for",
]

MAX_FIELD_ITEMS = 50  # stakeholders or success criteria read
MISSING_CODES = ("action", "outcome", "context")
WEIGHTS = {"action": 30, "outcome": 30, "audience": 15, "measure": 15, "timebox": 10}
VAGUE_PENALTY = 10
SPECIFIC_FLOOR = 60  # a specific objective scores at least this
VAGUE_CEILING = 50  # and one that is not, at most this

LANGUAGES: dict[str, LanguageRules] = {"en": ENGLISH}
MISSING_LABELS: dict[str, str] = dict(ENGLISH.messages.missing_labels)


@dataclass(frozen=True)
class Check:
    """The verdict on one objective."""

    text: str
    score: int  # 0..100
    specific: bool
    missing: tuple[str, ...]  # codes from MISSING_CODES
    suggestions: tuple[str, ...]  # most useful first
    found: Mapping[str, tuple[str, ...]]  # what was recognised, by element (ELEMENTS)


def check_objective(
    text: str,
    *,
    stakeholders: Sequence[str] = (),
    timebox: str = "",
    success_criteria: Sequence[str] = (),
    expectation: str = "",
    competency: str = "",
    language: str = "en",
) -> Check:
    """Score one objective; the structured fields count towards its context."""
    rules = rules_for(language)
    reading = read(text, rules)
    clauses = parse_clauses(reading)
    judge_clauses(reading, clauses)
    add_fields(reading, stakeholders, timebox, success_criteria)
    return verdict(reading, text, expectation=expectation, competency=competency)


def rules_for(language: str) -> LanguageRules:
    """The rules of a language code, or a ValueError naming the known ones."""
    if language not in LANGUAGES:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"no specificity rules for language '{language}' (known: {known})")
    return LANGUAGES[language]


def add_fields(
    r: Reading, stakeholders: Sequence[str], timebox: str, criteria: Sequence[str]
) -> None:
    """Count the structured fields of an objective towards its context."""
    for name in stakeholders[:MAX_FIELD_ITEMS]:
        if name.strip() and name.strip() not in r.found["audience"]:
            r.found["audience"].append(name.strip()[:200])
    if timebox.strip():
        r.found["timebox"].append(timebox.strip()[:200])
    for criterion in criteria[:MAX_FIELD_ITEMS]:
        for measure in read(criterion, r.rules).found["measure"]:
            if measure not in r.found["measure"]:
                r.found["measure"].append(measure)


def verdict(r: Reading, text: str, *, expectation: str, competency: str) -> Check:
    has = {element: bool(r.found[element]) for element in ELEMENTS}
    context = has["audience"] or has["measure"] or has["timebox"]
    missing = tuple(
        code
        for code, ok in (
            ("action", has["action"]),
            ("outcome", has["outcome"]),
            ("context", context),
        )
        if not ok
    )
    specific = not missing
    return Check(
        text=text,
        score=score(has, specific=specific),
        specific=specific,
        missing=missing,
        suggestions=suggest(r, has, missing, expectation=expectation, competency=competency),
        found=MappingProxyType({e: tuple(r.found[e]) for e in ELEMENTS}),
    )


def score(has: Mapping[str, bool], *, specific: bool) -> int:
    """Points for each element found, less a penalty for a vague opening.

    A specific objective never scores below SPECIFIC_FLOOR, one that is not never
    above VAGUE_CEILING, so the number and the verdict agree.
    """
    points = sum(weight for element, weight in WEIGHTS.items() if has[element])
    points -= VAGUE_PENALTY if has["vague"] else 0
    if specific:
        return min(100, max(points, SPECIFIC_FLOOR))
    return max(0, min(points, VAGUE_CEILING))


def suggest(
    r: Reading,
    has: Mapping[str, bool],
    missing: tuple[str, ...],
    *,
    expectation: str,
    competency: str,
) -> tuple[str, ...]:
    """What would make the objective specific, most useful first."""
    m = r.rules.messages
    found: list[str] = []
    if has["vague"]:
        found.append(rewrite(r, expectation=expectation, competency=competency))
    if has["input"] and not has["outcome"]:
        found.append(m.input_only.format(inputs=r.found["input"][0]))
    if "action" in missing and not has["vague"] and not has["input"]:
        found.append(m.no_action)
    if "outcome" in missing:
        bare = r.bare_result
        found.append(m.no_measure_for_result.format(verb=bare) if bare else m.no_outcome)
    if "context" in missing:
        found.append(m.no_context)
    elif not ((has["action"] and has["outcome"]) or has["audience"] or has["measure"]):
        found.append(m.date_alone)
    if not missing:
        found += improvements(has, r)
    return tuple(found)


def improvements(has: Mapping[str, bool], r: Reading) -> list[str]:
    """For a specific objective: the context it could still add."""
    m = r.rules.messages
    hints = [(has["measure"], m.add_measure), (has["audience"], m.add_audience)]
    hints.append((has["timebox"], m.add_timebox))
    return [message for present, message in hints if not present]


def rewrite(r: Reading, *, expectation: str, competency: str) -> str:
    """A rewrite of a vague opening, aimed at the target expectation when known."""
    m = r.rules.messages
    phrase = r.found["vague"][0]
    subject = r.vague_topic or m.default_topic
    if expectation.strip():
        return m.rewrite_with_expectation.format(
            phrase=phrase,
            topic=subject,
            competency=competency.strip() or m.default_competency,
            expectation=shorten(expectation),
        )
    return m.rewrite_plain.format(phrase=phrase, topic=subject)


def shorten(text: str, limit: int = 160) -> str:
    """The text on one line, cut at a word boundary near `limit` characters."""
    flat = " ".join(text.split()).rstrip(".")
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"

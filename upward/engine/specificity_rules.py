"""The shape of one language's rules for the objective specificity check.

`specificity.py` holds the method; a language supplies its words and its messages
in one `LanguageRules` (English: `specificity_en.py`). Adding a language means
writing one such module and registering it in `specificity.LANGUAGES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class VerbKind(StrEnum):
    """How a verb at the start of a clause bears on the objective."""

    CREATE = "create"  # its object is a deliverable unless abstract: write, ship, build
    RECORD = "record"  # writes its object down, even an abstraction: document, codify, map
    RESULT = "result"  # moves a quantity, an outcome only with a measure: cut, increase
    PEOPLE = "people"  # acts on people, an outcome when it names them: mentor, coach
    STEER = "steer"  # owned, but needs a named deliverable: lead, own, drive
    INPUT = "input"  # takes something in: read, watch, attend
    INPUT_IF_OBJECT = "input_if_object"  # input when its object is one: take, complete


@dataclass(frozen=True)
class Messages:
    """Suggestions and labels, as format strings (named fields)."""

    missing_labels: Mapping[str, str]
    rewrite_with_expectation: str  # {phrase} {topic} {competency} {expectation}
    rewrite_plain: str  # {phrase} {topic}
    input_only: str  # {inputs}
    no_action: str
    no_outcome: str
    no_measure_for_result: str  # {verb}
    date_alone: str
    no_context: str
    add_timebox: str
    add_measure: str
    add_audience: str
    default_topic: str
    default_competency: str


@dataclass(frozen=True)
class LanguageRules:
    """Everything the check needs to know about one language."""

    code: str
    verbs: Mapping[str, VerbKind]  # every inflected form
    past_forms: frozenset[str]  # "written", "updated": describe a noun, open no clause
    particles: frozenset[str]  # "up", "over" right after a verb: set up, hand over
    prepositions: frozenset[str]  # where the object of a verb ends
    means_preps: frozenset[str]  # "with", "through": a deliverable that reaches an aim
    compounds: frozenset[str]  # hyphenated words kept whole: on-call, all-hands, write-up
    vague_phrases: tuple[tuple[str, ...], ...]  # longest first
    boundaries: frozenset[str]  # words after which a new clause may start
    fillers: frozenset[str]  # skipped at a clause start: I, will, really
    adverb_suffix: str  # an adverb skipped at a clause start: "-ly"
    gerund_suffix: str  # "-ing": after its head, a verb in -ing ends the object of a verb
    intents: frozenset[str]  # "want", "plan": skipped with the link after them
    intent_link: str  # "to"
    clause_joiners: frozenset[str]  # where a clause's summary stops: and, then
    list_joiners: frozenset[str]  # between members of an audience: and, &
    determiners: frozenset[str]  # "the", "our": the word before them is likely a verb
    articles: frozenset[str]  # "a", "an": one of a time unit, after a duration word
    stopwords: frozenset[str]
    deliverables: frozenset[str]
    abstract_nouns: frozenset[str]  # objects that are no deliverable: skills, confidence
    qualifiers: frozenset[str]  # adjectives that leave an abstraction abstract: clear, mutual
    input_nouns: frozenset[str]
    people: frozenset[str]  # always an audience: team, stakeholders, engineers
    roles: frozenset[str]  # an audience at the end of a phrase after "with", "for": tech lead
    groups: frozenset[str]  # an audience after a preposition or before a people word
    forums: frozenset[str]  # an audience after "at", "to": review, all-hands
    audience_preps: frozenset[str]
    name_preps: frozenset[str]  # after these, a capitalised word is a person or a team
    forum_preps: frozenset[str]
    months: frozenset[str]
    guarded_months: frozenset[str]  # "may": a month only after a time preposition
    time_preps: frozenset[str]
    duration_preps: frozenset[str]  # "within" a month
    date_pattern: re.Pattern[str]  # one word that is a date: Q3, 2027-05-31, 31st
    day_pattern: re.Pattern[str]  # a day of the month: 31, 31st
    possessive: re.Pattern[str]  # dropped from the end of a word: 's
    weekdays: frozenset[str]
    seasons: frozenset[str]
    time_units: frozenset[str]
    relative_time: frozenset[str]  # this, next, coming
    relative_nouns: frozenset[str]  # quarter, sprint, cycle, review
    end_words: frozenset[str]  # end, start, middle (of the quarter)
    end_link: str  # "of"
    mid_words: frozenset[str]  # "mid" year
    time_abbreviations: frozenset[str]  # eoy, eoq
    number_words: Mapping[str, int]
    weak_numbers: frozenset[str]  # "one": a measure only before a content word
    comparators: frozenset[str]  # "under" 1 hour
    measure_words: frozenset[str]  # half, zero, every, weekly
    absolute_results: frozenset[str]  # verbs that carry their own measure: halve, eliminate
    range_words: tuple[str, str]  # from ... to
    singular: Callable[[str], str]
    messages: Messages

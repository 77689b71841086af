"""Reading an objective for the specificity check: words, dates, measures, audiences.

`read` splits the text into words and marks, in three passes, the time
expressions ("by May", "within eight weeks", "Q3"), the measures ("in half",
"from 40 to 10 minutes", "forty services") and the audiences ("with Product",
"for the backend team", "with the tech lead", "at the July leadership review").
Each pass walks the words once; only the first MAX_CHARS characters are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from upward.engine.specificity_rules import LanguageRules

MAX_CHARS = 2_000  # characters of an objective read; longer text is cut there
ELEMENTS = ("action", "outcome", "audience", "measure", "timebox", "vague", "input")

# One word (letters and digits, joined by ' . / : -, with an optional %) or one
# punctuation mark. No part can match the same text two ways, so it runs in linear time.
TOKEN = re.compile(r"[^\W_]+(?:['\u2019./:-][^\W_]+)*%?|[,;:!?()\[\]\u2013\u2014.&]")
PUNCT = frozenset(",;:!?()[].\u2013\u2014")


@dataclass
class Reading:
    """The words of one text and what each pass recognised in them."""

    rules: LanguageRules
    words: list[str]  # lower case, possessive 's dropped
    original: list[str]
    timebox: set[int] = field(default_factory=set)
    measure: set[int] = field(default_factory=set)
    audience: set[int] = field(default_factory=set)
    found: dict[str, list[str]] = field(default_factory=lambda: {e: [] for e in ELEMENTS})
    vague_topic: str = ""
    bare_result: str = ""  # a result verb without a measure

    def is_punct(self, i: int) -> bool:
        return self.words[i] in PUNCT

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""

    def span(self, start: int, end: int) -> str:
        return " ".join(self.original[start:end])

    def note(self, element: str, start: int, end: int) -> None:
        text = self.span(start, end)
        if text and text not in self.found[element]:
            self.found[element].append(text)


def tokens(text: str, rules: LanguageRules) -> list[str]:
    """The words and punctuation of the text's first MAX_CHARS characters.

    Words joined by "-" or "/" are split ("six-week", "A/B"); dates, numbers
    ("twenty-five") and the compounds of the word lists ("on-call") are not.
    """
    found: list[str] = []
    for match in TOKEN.finditer(text[:MAX_CHARS]):
        token = match.group()
        lower = token.lower()
        if (
            rules.date_pattern.fullmatch(lower)
            or lower in rules.compounds
            or is_number_word(lower, rules)
        ):
            found.append(token)
            continue
        found.extend(part for part in re.split(r"[-/]", token) if part)
    return found


def is_number_word(w: str, rules: LanguageRules) -> bool:
    """A number in words, compound ones included: "sixteen", "twenty-five"."""
    return w in rules.number_words or (
        "-" in w and all(part in rules.number_words for part in w.split("-"))
    )


def read(text: str, rules: LanguageRules) -> Reading:
    """Tokenise, then mark time expressions, measures and audiences."""
    original = tokens(text, rules)
    words = [rules.possessive.sub("", t.lower()) for t in original]
    reading = Reading(rules=rules, words=words, original=original)
    mark_timeboxes(reading)
    mark_measures(reading)
    mark_audiences(reading)
    return reading


def mark_timeboxes(r: Reading) -> None:
    """Mark time expressions, with the day and year around a month: "31 May 2027"."""
    i = 0
    while i < len(r.words):
        end = timebox_at(r, i)
        if end:
            start = i - 1 if is_day(r, i - 1) and r.word(i) in r.rules.months else i
            end = end + 1 if is_year(r.word(end)) or is_day(r, end) else end
            r.timebox.update(range(start, end))
            r.note("timebox", start, end)
            i = end
        else:
            i += 1


def timebox_at(r: Reading, i: int) -> int:
    """The end of a time expression starting at word i, or 0."""
    w, rules = r.words[i], r.rules
    if rules.date_pattern.fullmatch(w) or w in rules.weekdays or w in rules.time_abbreviations:
        return i + 1
    if w in rules.months and (w not in rules.guarded_months or month_context(r, i)):
        return i + 1
    if w in rules.seasons and r.word(i - 1) in rules.time_preps:
        return i + 1
    if r.word(i + 1) in rules.time_units and counts_time(r, i):
        return i + 2
    if is_number(r, i) and (end := number_end(r, i)) > i + 1 and r.word(end) in rules.time_units:
        return end + 1  # "two hundred days"
    if w in rules.relative_time:
        return relative_end(r, i + 1)
    if w in rules.end_words and r.word(i + 1) == rules.end_link:
        return relative_end(r, i + 2, end_of=True)
    if w in rules.time_units and r.word(i + 1) in rules.end_words:
        return i + 2
    return 0


def counts_time(r: Reading, i: int) -> bool:
    """Whether word i counts the time unit after it: "eight weeks", "within a month"."""
    w, rules = r.words[i], r.rules
    if w in rules.articles:
        return r.word(i - 1) in rules.duration_preps
    return is_number(r, i) or w in rules.mid_words


def relative_end(r: Reading, j: int, *, end_of: bool = False) -> int:
    """After "next" or "end of": the end of "[the] [next] [performance] quarter", or 0."""
    for k in range(j, min(j + 3, len(r.words))):
        w = r.words[k]
        if w in r.rules.relative_nouns or w in r.rules.time_units:
            return k + 1
        if end_of and (r.rules.date_pattern.fullmatch(w) or w in r.rules.months):
            return k + 1
        if r.is_punct(k) or w in r.rules.boundaries:
            return 0
    return 0


def month_context(r: Reading, i: int) -> bool:
    """Whether a month name that is also a common word ("may") is the month here."""
    return r.word(i - 1) in r.rules.time_preps or is_day(r, i + 1)


def is_day(r: Reading, i: int) -> bool:
    return bool(r.rules.day_pattern.fullmatch(r.word(i)))


def is_year(w: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", w))


def is_number(r: Reading, i: int) -> bool:
    w = r.word(i)
    return w[:1].isdigit() or is_number_word(w, r.rules)


def number_end(r: Reading, i: int) -> int:
    """The end of the run of numbers in words starting at i: "two hundred"."""
    end = i + 1
    while end < len(r.words) and is_number_word(r.words[end], r.rules):
        end += 1
    return end


def mark_measures(r: Reading) -> None:
    """Mark numbers, percentages, "in half", "every", ranges "from X to Y"."""
    rules = r.rules
    for i, w in enumerate(r.words):
        if i in r.timebox or i in r.measure:
            continue
        if w == rules.range_words[0] and (end := range_end(r, i)):
            r.measure.update(range(i, end))
            r.note("measure", i, end)
        elif is_measure(r, i):
            end = number_end(r, i) if is_number_word(w, rules) else i + 1
            r.measure.update(range(i, end))
            r.note("measure", i, end)


def is_measure(r: Reading, i: int) -> bool:
    """A number, a percentage, "half", "every", "zero" or a verb like "halve"."""
    w, rules = r.words[i], r.rules
    if (w[:1].isdigit() and ":" not in w) or w.endswith("%"):
        return True
    if w in rules.measure_words or w in rules.absolute_results:
        return True
    return is_number_word(w, rules) and (w not in rules.weak_numbers or content_follows(r, i))


def content_follows(r: Reading, i: int) -> bool:
    nxt = r.word(i + 1)
    return bool(nxt) and nxt not in r.rules.stopwords and nxt not in PUNCT


def range_end(r: Reading, i: int) -> int:
    """The end of "from X to Y" starting at i (Y with its number and unit), or 0."""
    for k in range(i + 2, min(i + 6, len(r.words))):
        if r.is_punct(k):
            return 0
        if r.words[k] == r.rules.range_words[1] and k + 1 < len(r.words):
            return value_end(r, k + 1)
    return 0


def value_end(r: Reading, j: int) -> int:
    """The end of "under 1 hour", "10 minutes" or "Y" starting at j."""
    end = j + 1
    for k in range(j, min(j + 4, len(r.words))):
        if is_number(r, k) or r.words[k].endswith("%"):
            unit = r.word(k + 1)
            has_unit = unit.isalpha() and unit not in r.rules.stopwords
            return k + 2 if has_unit and k + 1 not in r.timebox else k + 1
        if r.is_punct(k) or not (
            r.words[k] in r.rules.stopwords or r.words[k] in r.rules.comparators
        ):
            break
    return end


def mark_audiences(r: Reading) -> None:
    """Mark people, teams and forums: alone, after a preposition, or before a people word."""
    rules = r.rules
    for i, w in enumerate(r.words):
        if i in r.timebox or i in r.audience or commands(r, i):
            continue
        if w in rules.audience_preps:
            audience_run(r, i)
        elif w in rules.people or rules.singular(w) in rules.people:
            r.audience.add(i)
            r.note("audience", i, i + 1)
        elif w in rules.groups and is_people(r, i + 1):
            r.audience.update((i, i + 1))
            r.note("audience", i, i + 2)
        elif w in rules.forums and any(r.word(k) in rules.forum_preps for k in range(i - 4, i)):
            r.audience.add(i)
            r.note("audience", max(0, i - 2), i + 1)


def commands(r: Reading, i: int) -> bool:
    """Whether a word that is both a verb and people opens a command here: "Staff the squad"."""
    rules, prev = r.rules, r.word(i - 1)
    if r.words[i] not in rules.verbs:
        return False
    after_filler = prev in rules.fillers and prev not in rules.audience_preps
    at_start = i == 0 or prev in PUNCT or after_filler
    nxt = r.word(i + 1)
    return at_start and (nxt in rules.determiners or nxt in rules.audience_preps)


def is_people(r: Reading, i: int) -> bool:
    w = r.word(i)
    return bool(w) and (w in r.rules.people or r.rules.singular(w) in r.rules.people)


def is_role(r: Reading, i: int) -> bool:
    w = r.word(i)
    return bool(w) and (w in r.rules.roles or r.rules.singular(w) in r.rules.roles)


def role_end(r: Reading, k: int) -> int:
    """The end of a phrase of up to four words ending in a role, or 0.

    "with the tech lead", "for the on-call rotation", "with named people" are
    audiences; "for the lead time metric" is not: there the phrase ends in a thing.
    """
    rules, end = r.rules, k
    while end < min(k + 4, len(r.words)):
        w = r.words[end]
        if r.is_punct(end) or w in rules.stopwords or w in rules.boundaries or end in r.timebox:
            break
        end += 1
    return end if end > k and is_role(r, end - 1) else 0


def audience_run(r: Reading, prep: int) -> None:
    """After "with", "for", "to": teams, roles, forums and names, joined by "and" or commas."""
    rules = r.rules
    names_allowed = r.words[prep] in rules.name_preps
    members: list[int] = []
    k = prep + 1
    while k < len(r.words):
        w = r.words[k]
        if w in rules.determiners or w in rules.list_joiners or w == "," or k in r.timebox:
            k += 1
        elif is_people(r, k) and not is_role(r, k + 1):
            members.append(k)
            k += 1
        elif (end := role_end(r, k)) or (end := group_end(r, k, names_allowed=names_allowed)):
            members.extend(range(k, end))
            k = end
        else:
            break
    if members:
        r.audience.update(members)
        r.note("audience", members[0], members[-1] + 1)


def is_group_word(r: Reading, k: int, *, names_allowed: bool) -> bool:
    w = r.word(k)
    if not w or w in r.rules.stopwords:
        return False
    token = r.original[k]
    is_name = names_allowed and token[:1].isupper() and token.isalpha()
    return w in r.rules.groups or w in r.rules.forums or is_name


def group_end(r: Reading, k: int, *, names_allowed: bool) -> int:
    """The end of a team, forum or name starting at k, or 0 when it names a thing.

    "for the backend team" and "with Product" are audiences; "for the search
    service" is not: there "search" names the service.
    """
    end = k
    while is_group_word(r, end, names_allowed=names_allowed):
        end += 1
    if end == k:
        return 0
    w = r.word(end)
    if is_people(r, end):
        return end + 1
    ends = not w or w in PUNCT or end in r.timebox or w in r.rules.stopwords
    return end if ends or w in r.rules.boundaries else 0

"""Clauses of an objective for the specificity check, and what each one shows.

A clause opens with a verb (or a vague opening such as "get better at") at a
clause start: the text's start, after punctuation, or after a boundary word such
as "and", "to" or "by". The verb's kind (`VerbKind`) says what its words must
hold for the clause to show an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.engine.specificity_reading import PUNCT, Reading, is_role
from upward.engine.specificity_rules import LanguageRules, VerbKind


@dataclass
class Clause:
    kind: VerbKind | None  # None: a vague opening
    start: int  # the verb (or the vague phrase)
    body: int  # first word after it
    end: int


def parse_clauses(r: Reading) -> list[Clause]:
    """Split the words into clauses, each opened by a verb or a vague phrase."""
    clauses: list[Clause] = []
    at_start, i = True, 0
    while i < len(r.words):
        if r.is_punct(i):
            at_start, i = True, i + 1
            continue
        if at_start and (opened := open_clause(r, i)):
            if isinstance(opened, int):
                i = opened  # a filler skipped
                continue
            clauses.append(opened)
            at_start, i = False, opened.body
            continue
        at_start = r.words[i] in r.rules.boundaries
        i += 1
    for n, clause in enumerate(clauses):
        clause.end = clauses[n + 1].start if n + 1 < len(clauses) else len(r.words)
    return clauses


def open_clause(r: Reading, i: int) -> Clause | int | None:
    """A clause opened at word i, the index past a filler there, or None."""
    w, rules = r.words[i], r.rules
    if w in rules.intents and r.word(i + 1) == rules.intent_link:
        return i + 2
    if i not in r.timebox and (w in rules.fillers or is_adverb(w, rules)):
        return i + 1
    for phrase in rules.vague_phrases:
        if tuple(r.words[i : i + len(phrase)]) == phrase:
            return Clause(None, i, i + len(phrase), 0)
    if i in r.audience or i in r.timebox or w in rules.past_forms:
        return None  # "written with the team": a past form describes, it commands nothing
    if w in rules.verbs:
        return Clause(rules.verbs[w], i, i + 1, 0)
    if unknown_verb(r, i):
        return Clause(VerbKind.STEER, i, i + 1, 0)
    return None


def unknown_verb(r: Reading, i: int) -> bool:
    """A word the lists do not know, read as a verb because a determiner follows it.

    Objectives are written as commands ("Sunset the legacy page"), so a word at a
    clause start followed by "the", "a" or "our" is most likely the verb.
    """
    w, rules = r.words[i], r.rules
    known = (
        rules.deliverables,
        rules.abstract_nouns,
        rules.input_nouns,
        rules.people,
        rules.groups,
    )
    if not w.isalpha() or w in rules.stopwords or any(w in words for words in known):
        return False
    return r.word(i + 1) in rules.determiners


def judge_clauses(r: Reading, clauses: list[Clause]) -> None:
    """Record actions, outcomes, inputs and vague openings, clause by clause."""
    first = clauses[0].start if clauses else len(r.words)
    for i in range(first):  # a deliverable named before any verb: "A design doc for ..."
        if is_deliverable(r, i):
            r.note("outcome", i, i + 1)
    for clause in clauses:
        judge(r, clause)


def judge(r: Reading, c: Clause) -> None:
    body = range(c.body, c.end)
    kind = c.kind
    if kind is None:
        r.note("vague", c.start, c.body)
        r.vague_topic = r.vague_topic or topic(r, body)
        return
    if kind is VerbKind.INPUT_IF_OBJECT:
        kind = VerbKind.INPUT if any(is_input(r, k) for k in body) else VerbKind.STEER
    if kind is VerbKind.INPUT:
        r.note("input", c.start, end_of_phrase(r, c))
        return
    r.note("action", c.start, c.body)
    if shows_outcome(r, kind, c, body):
        r.note("outcome", c.start, end_of_phrase(r, c))
    elif kind is VerbKind.RESULT:
        r.bare_result = r.bare_result or r.words[c.start]


def shows_outcome(r: Reading, kind: VerbKind, c: Clause, body: range) -> bool:
    measured = c.start in r.measure or any(k in r.measure for k in body)
    if kind is VerbKind.RESULT:
        return measured
    if kind is VerbKind.RECORD:
        return any(is_content(r, k, abstract=True) for k in body)
    if kind is VerbKind.CREATE:
        return makes_something(r, c)
    if kind is VerbKind.PEOPLE:
        return measured or any(names_people(r, k) or is_deliverable(r, k) for k in body)
    return measured or any(is_deliverable(r, k) for k in body)


def is_deliverable(r: Reading, k: int) -> bool:
    """A deliverable named at k; not in a date nor in the people ("with the design team")."""
    w = r.words[k]
    if k in r.timebox or k in r.audience:
        return False
    return w in r.rules.deliverables or r.rules.singular(w) in r.rules.deliverables


def names_people(r: Reading, k: int) -> bool:
    """People at k: an audience, or a role a people verb acts on ("hire a data manager")."""
    return k in r.audience or is_role(r, k)


def is_input(r: Reading, k: int) -> bool:
    return r.words[k] in r.rules.input_nouns


def is_content(r: Reading, k: int, *, abstract: bool = False) -> bool:
    """A word that can name what is made: no stopword, date, number, audience or abstraction."""
    w, rules = r.words[k], r.rules
    if k in r.timebox or k in r.measure or k in r.audience or w in PUNCT or w in rules.stopwords:
        return False
    return abstract or not is_abstract(r, k)


def is_qualifier(r: Reading, k: int) -> bool:
    return r.words[k] in r.rules.qualifiers


def is_abstract(r: Reading, k: int) -> bool:
    w, rules = r.words[k], r.rules
    return w in rules.abstract_nouns or rules.singular(w) in rules.abstract_nouns


def makes_something(r: Reading, c: Clause) -> bool:
    """Whether the object of a create verb is concrete.

    The head of the object decides: "the on-call handbook" is concrete, "more
    autonomy" is not, unless a word before the head names a thing ("cron jobs",
    but not "psychological safety") or a deliverable reaches the aim ("visibility of
    deploys with a weekly dashboard"). An object without a content word ("write it
    up") takes any concrete word of the clause.
    """
    start, head = object_head(r, c)
    if head is None:
        return any(is_content(r, k) for k in range(c.body, c.end))
    named = any(is_content(r, k) and not is_qualifier(r, k) for k in range(start, head + 1))
    return named or reached_by_deliverable(r, head, c.end)


def object_head(r: Reading, c: Clause) -> tuple[int, int | None]:
    """Where the verb's object starts, and its last content word before a preposition.

    Particles right after the verb are skipped ("set up", "hand over"); a verb's
    -ing form after the head ends the object ("confidence presenting to ...").
    """
    rules, start, head = r.rules, c.body, None
    while start < c.end and r.words[start] in rules.particles:
        start += 1
    for k in range(start, c.end):
        w = r.words[k]
        stop = w in rules.prepositions or w in rules.boundaries or w in rules.clause_joiners
        if r.is_punct(k) or stop or (head is not None and is_gerund(w, rules)):
            break
        if is_content(r, k, abstract=True):
            head = k
    return start, head


def reached_by_deliverable(r: Reading, head: int, end: int) -> bool:
    """A deliverable after "with", "through", "by"... following the head."""
    means = False
    for k in range(head + 1, end):
        means = means or r.words[k] in r.rules.means_preps
        if means and is_deliverable(r, k):
            return True
    return False


def is_gerund(w: str, rules: LanguageRules) -> bool:
    return w in rules.verbs and w.endswith(rules.gerund_suffix)


def topic(r: Reading, body: range) -> str:
    """What a vague opening is about: its first few words, up to a preposition or a date."""
    words: list[str] = []
    for k in body:
        w = r.words[k]
        stop = w in r.rules.stopwords or w in r.rules.boundaries
        if r.is_punct(k) or k in r.timebox or (words and stop) or len(words) == 4:
            break
        if not stop:
            words.append(r.original[k])
    return " ".join(words)


def end_of_phrase(r: Reading, c: Clause) -> int:
    """The clause cut at punctuation or "and", at most eight words, without trailing stopwords."""
    end = min(c.end, c.start + 8)
    for k in range(c.body, end):
        if r.is_punct(k) or r.words[k] in r.rules.clause_joiners:
            end = k
            break
    while end > c.body and r.words[end - 1] in r.rules.stopwords:
        end -= 1
    return end


def is_adverb(w: str, rules: LanguageRules) -> bool:
    """An adverb that may stand before the verb: "personally", "publicly"."""
    suffix = rules.adverb_suffix
    return bool(suffix) and w.endswith(suffix) and len(w) > len(suffix) + 2 and w not in rules.verbs

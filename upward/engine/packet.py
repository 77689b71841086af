"""The promotion packet as plain data: per competency of the target level, what it
expects, where the delta stands, the proof, the words of others, the work done;
readiness; and the proof still missing.

The web pages, the exports (Markdown, HTML, PDF) and `upward packet` all build the
packet with `build_packet` and write Markdown with `to_markdown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from upward.engine.delta import Delta, Status

if TYPE_CHECKING:
    from upward.engine.framework.models import FrameworkDocument


@dataclass(frozen=True)
class Confirmer:
    """Someone who confirmed an entry, and the step they said it shows."""

    name: str
    relation: str  # manager, peer, mentor, collaborator
    step: str


@dataclass(frozen=True)
class EvidenceInput:
    """One evidence entry as the packet needs it, whatever it was read from."""

    key: str  # the entry's id (web) or its key in an evidence file
    title: str
    happened_on: date
    steps: dict[str, str]  # competency key -> the step the member claims
    impact: str = ""  # Markdown
    body: str = ""  # Markdown
    scope: str = ""
    metric: str = ""
    metric_before: str = ""
    metric_after: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (label, url)
    # (competency key, who confirmed it there and at which step)
    confirmations: tuple[tuple[str, Confirmer], ...] = ()
    objective: str = ""  # the title of the objective it completes


@dataclass(frozen=True)
class Quote:
    """Attributed written feedback the member chose to include."""

    text: str
    who: str
    relation: str
    on: date | None
    question: str  # "consistent_at" or "biggest_gap"


@dataclass(frozen=True)
class AnonymousSummary:
    """Anonymous ratings of one competency, only as the anonymity rule releases them."""

    count_label: str  # stepped: "5+", "10+"
    median: str
    spread: tuple[tuple[str, int], ...]  # (step, how many), in scale order


@dataclass(frozen=True)
class DoneObjective:
    title: str
    completed_on: date | None
    note: str = ""


@dataclass(frozen=True)
class Proof:
    """An entry as shown under one competency: the step it claims there, who confirmed it."""

    key: str
    title: str
    happened_on: date
    step: str
    impact: str
    body: str
    scope: str
    metric: str
    metric_before: str
    metric_after: str
    links: tuple[tuple[str, str], ...]
    confirmed_by: tuple[Confirmer, ...]
    objective: str

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_by)


@dataclass
class Section:
    """One competency of the target level."""

    key: str
    name: str
    kind: str
    expected: str | None  # the step the target expects (None: not expected)
    expectation: str  # the target level's text for it
    status: str  # the delta's status
    operating: str | None
    demonstrated: str | None
    proof: list[Proof] = field(default_factory=list)  # confirmed first, then the newest
    quotes: list[Quote] = field(default_factory=list)
    anonymous: AnonymousSummary | None = None
    objectives: list[DoneObjective] = field(default_factory=list)


@dataclass(frozen=True)
class Missing:
    """A competency whose proof is missing, and why."""

    key: str
    name: str
    reason: str  # a sentence: "below expectation: operating IC3, expects IC4", ...


@dataclass
class PacketDoc:
    title: str
    person: str
    framework: str
    track: str
    current_level: str
    target_level: str
    generated_on: date
    readiness: float  # 0..1, the delta's
    summary: str  # Markdown, the member's own words
    sections: list[Section]
    missing: list[Missing]


StepName = Callable[[str, str], str]  # (competency key, step key) -> what a reader sees


def build_packet(
    delta: Delta,
    *,
    title: str,
    person: str,
    framework: str,
    track: str,
    current_level: str,
    target_level: str,
    today: date,
    summary: str = "",
    entries: list[EvidenceInput] | None = None,
    quotes: dict[str, list[Quote]] | None = None,
    anonymous: dict[str, AnonymousSummary] | None = None,
    objectives: dict[str, list[DoneObjective]] | None = None,
    step_name: StepName | None = None,
) -> PacketDoc:
    """Assemble the packet from a computed delta and what the member chose to include.

    One section per competency of the delta, in its (framework) order. Under each,
    the entries that name the competency: confirmed ones first, then the newest.
    `step_name` turns step keys into what readers see (a level code such as IC4);
    every step in the packet (sections, proof, confirmations, anonymous spreads,
    missing reasons) goes through it. Without it steps stay keys."""
    name = step_name or _key_only
    entries = entries or []
    quotes = quotes or {}
    anonymous = anonymous or {}
    objectives = objectives or {}
    sections, missing = [], []
    for row in delta.competencies:
        proof = sorted(
            (_proof(entry, row.key, name) for entry in entries if row.key in entry.steps),
            key=lambda p: (not p.confirmed, -p.happened_on.toordinal(), p.key),
        )
        shown = anonymous.get(row.key)
        section = Section(
            key=row.key,
            name=row.name,
            kind=row.kind,
            expected=_named(name, row.key, row.expected),
            expectation=row.target_text,
            status=row.status.value,
            operating=_named(name, row.key, row.operating),
            demonstrated=_named(name, row.key, row.demonstrated),
            proof=proof,
            quotes=list(quotes.get(row.key, [])),
            anonymous=_anonymous_named(shown, row.key, name) if shown else None,
            objectives=list(objectives.get(row.key, [])),
        )
        sections.append(section)
        reason = _missing_reason(section)
        if reason:
            missing.append(Missing(key=row.key, name=row.name, reason=reason))
    return PacketDoc(
        title=title,
        person=person,
        framework=framework,
        track=track,
        current_level=current_level,
        target_level=target_level,
        generated_on=today,
        readiness=delta.readiness,
        summary=summary,
        sections=sections,
        missing=missing,
    )


def _key_only(_competency: str, step: str) -> str:
    return step


def framework_step_name(fw: FrameworkDocument) -> StepName:
    """Step names as a framework shows them: a level's code (IC4), or the name of a
    step of the competency's own scale; unknown keys as they are."""

    def name(competency: str, step: str) -> str:
        try:
            scale = fw.competency(competency).scale
        except KeyError:
            return step
        if scale:
            return next((s.name for s in scale if s.key == step), step)
        try:
            level = fw.level(step)
        except KeyError:
            return step
        return level.code or level.title

    return name


def _named(name: StepName, competency: str, step: str | None) -> str | None:
    return name(competency, step) if step is not None else None


def _proof(entry: EvidenceInput, competency: str, name: StepName) -> Proof:
    confirmed = tuple(
        replace(c, step=name(competency, c.step))
        for key, c in entry.confirmations
        if key == competency
    )
    return Proof(
        key=entry.key,
        title=entry.title,
        happened_on=entry.happened_on,
        step=name(competency, entry.steps[competency]),
        impact=entry.impact,
        body=entry.body,
        scope=entry.scope,
        metric=entry.metric,
        metric_before=entry.metric_before,
        metric_after=entry.metric_after,
        links=entry.links,
        confirmed_by=confirmed,
        objective=entry.objective,
    )


def _anonymous_named(shown: AnonymousSummary, competency: str, name: StepName) -> AnonymousSummary:
    return AnonymousSummary(
        count_label=shown.count_label,
        median=name(competency, shown.median),
        spread=tuple((name(competency, step), n) for step, n in shown.spread),
    )


def _missing_reason(section: Section) -> str:
    """Why an expected competency's proof is missing; "" when nothing is."""
    if section.expected is None:
        return ""
    status = section.status
    if status == Status.UNASSESSED:
        return "not assessed yet"
    if status == Status.GAP:
        return f"below expectation: operating {section.operating}, expects {section.expected}"
    if status == Status.UNCONFIRMED:
        shown = section.demonstrated or "nothing yet"
        return (
            f"not demonstrated consistently: operating {section.operating}, "
            f"demonstrated {shown}, expects {section.expected}"
        )
    if not any(p.confirmed for p in section.proof):
        return "met, but no confirmed evidence"
    return ""


# Markdown ------------------------------------------------------------------------

STATUS_WORDS = {
    Status.MET.value: "met",
    Status.UNCONFIRMED.value: "reached, not yet demonstrated consistently",
    Status.GAP.value: "below expectation",
    Status.UNASSESSED.value: "not assessed yet",
}
QUESTIONS = {"consistent_at": "Operating consistently", "biggest_gap": "Biggest gap"}


def to_markdown(doc: PacketDoc) -> str:
    """The packet as a Markdown document.

    Plain texts (titles, names, quotes) are escaped so they read as typed; the
    member's Markdown (summary, impact, what happened) is kept as written."""
    slugs = _Slugs()
    head = [f"# {_text(doc.title)}", ""]
    slugs.add(doc.title)
    facts = []
    if doc.person:
        facts.append(f"- **Person:** {_text(doc.person)}")
    track = f" ({_text(doc.track)})" if doc.track else ""
    facts.append(f"- **Framework:** {_text(doc.framework)}{track}")
    facts.append(f"- **Levels:** {_text(doc.current_level)} → {_text(doc.target_level)}")
    facts.append(
        f"- **Readiness:** {_percent(doc.readiness)} of the target level's required "
        "expectations demonstrated"
    )
    facts.append(f"- **Prepared on:** {doc.generated_on.isoformat()}")
    head += [*facts, ""]
    if doc.summary.strip():
        slugs.add("Summary")
        head += ["## Summary", "", doc.summary.strip(), ""]
    slugs.add("Contents")
    body: list[str] = []
    contents = []
    for number, section in enumerate(doc.sections, start=1):
        anchor = slugs.add(section.name)
        status = STATUS_WORDS.get(section.status, section.status)
        contents.append(f"{number}. [{_text(section.name)}](#{anchor}): {status}")
        body += _section(section, slugs)
    anchor = slugs.add("Missing proof")
    contents.append(f"{len(doc.sections) + 1}. [Missing proof](#{anchor})")
    body += ["## Missing proof", ""]
    if doc.missing:
        body += [f"- **{_text(m.name)}**: {_text(m.reason)}" for m in doc.missing]
    else:
        body.append("Nothing is missing: every expected competency is met with confirmed evidence.")
    lines = [*head, "## Contents", "", *contents, "", *body]
    return "\n".join(lines).rstrip() + "\n"


def _section(section: Section, slugs: _Slugs) -> list[str]:
    lines = [f"## {_text(section.name)}", ""]
    kind = f"*{section.kind.capitalize()}*" if section.kind else ""
    expects = (
        f"expects {_text(section.expected)}" if section.expected else "not expected at this level"
    )
    lines += [f"{kind} · {expects}" if kind else expects.capitalize(), ""]
    if section.expectation.strip():
        lines += [*_quoted(section.expectation), ""]
    status = STATUS_WORDS.get(section.status, section.status)
    where = [f"operating {section.operating}"] if section.operating else []
    if section.operating:
        where.append(f"demonstrated {section.demonstrated or 'nothing yet'}")
    detail = f" ({_text(', '.join(where))})" if where else ""
    lines += [f"**Status:** {status}{detail}", ""]
    slugs.add("Evidence")
    lines += ["### Evidence", ""]
    if not section.proof:
        lines += ["No evidence recorded for this competency.", ""]
    for proof in section.proof:
        lines += _proof_lines(proof, slugs)
    if section.quotes:
        slugs.add("In others' words")
        lines += ["### In others' words", ""]
        for quote in section.quotes:
            lines += _quote_lines(quote)
    if section.anonymous:
        slugs.add("Anonymous ratings")
        shown = section.anonymous
        spread = ", ".join(f"{_text(step)}: {n}" for step, n in shown.spread)
        lines += [
            "### Anonymous ratings",
            "",
            f"{_text(shown.count_label)} answers; median {_text(shown.median)}; spread {spread}.",
            "",
        ]
    if section.objectives:
        slugs.add("Objectives done")
        lines += ["### Objectives done", ""]
        for done in section.objectives:
            when = f" (done {done.completed_on.isoformat()})" if done.completed_on else ""
            note = f": {_text(done.note)}" if done.note.strip() else ""
            lines.append(f"- **{_text(done.title)}**{when}{note}")
        lines.append("")
    return lines


def _proof_lines(proof: Proof, slugs: _Slugs) -> list[str]:
    slugs.add(proof.title)
    facts = [proof.happened_on.isoformat(), f"claims {_text(proof.step)}"]
    if proof.scope:
        facts.append(f"scope: {_text(proof.scope)}")
    facts.append("✓ confirmed" if proof.confirmed else "not confirmed yet")
    lines = [f"#### {_text(proof.title)}", "", " · ".join(facts), ""]
    if proof.impact.strip():
        lines += ["**Impact**", "", proof.impact.strip(), ""]
    if proof.body.strip():
        lines += ["**What happened**", "", proof.body.strip(), ""]
    metric = _metric(proof)
    if metric:
        lines += [f"**Metric:** {metric}", ""]
    if proof.links:
        links = ", ".join(f"[{_text(label or url)}]({_url(url)})" for label, url in proof.links)
        lines += [f"**Links:** {links}", ""]
    if proof.confirmed_by:
        who = "; ".join(
            f"✓ {_text(c.name)} ({_text(c.relation)}) at {_text(c.step)}"
            for c in proof.confirmed_by
        )
        lines += [f"**Confirmed by:** {who}", ""]
    if proof.objective:
        lines += [f"**Objective:** {_text(proof.objective)}", ""]
    return lines


def _metric(proof: Proof) -> str:
    change = ""
    if proof.metric_before or proof.metric_after:
        change = f"{_text(proof.metric_before or '?')} → {_text(proof.metric_after or '?')}"
    if proof.metric and change:
        return f"{_text(proof.metric)}: {change}"
    return _text(proof.metric) or change


def _quote_lines(quote: Quote) -> list[str]:
    asked = QUESTIONS.get(quote.question, quote.question)
    lines = [f"**{_text(asked)}**", "", *_quoted(quote.text)]
    who = ", ".join(
        part
        for part in (
            _text(quote.who),
            _text(quote.relation),
            quote.on.isoformat() if quote.on else "",
        )
        if part
    )
    if who:
        lines += [">", f"> — {who}"]
    return [*lines, ""]


def _quoted(text: str) -> list[str]:
    return [f"> {_text(line)}" if line.strip() else ">" for line in text.strip().splitlines()]


def _percent(share: float) -> str:
    value = round(share * 100, 1)
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+])(?=\s|$)")


def _text(value: str) -> str:
    """Plain text made safe to place in Markdown: on one line, read as typed."""
    one_line = " ".join(value.split())
    escaped = _SPECIAL.sub(r"\\\1", one_line)
    return _LIST_START.sub(
        lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", escaped
    )


def _url(url: str) -> str:
    """A link target that survives spaces and brackets."""
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"
    return url


class _Slugs:
    """Heading anchors the way common Markdown hosts make them: lower case, words
    joined by hyphens, punctuation dropped, repeats numbered."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def add(self, heading: str) -> str:
        base = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"


# Plain data ----------------------------------------------------------------------


def to_dict(doc: PacketDoc) -> dict[str, Any]:
    """The packet as JSON-ready data with a fixed shape (dates as ISO text)."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    def confirmer(c: Confirmer) -> dict[str, str]:
        return {"name": c.name, "relation": c.relation, "step": c.step}

    return {
        "title": doc.title,
        "person": doc.person,
        "framework": doc.framework,
        "track": doc.track,
        "current_level": doc.current_level,
        "target_level": doc.target_level,
        "generated_on": day(doc.generated_on),
        "readiness": doc.readiness,
        "summary": doc.summary,
        "sections": [
            {
                "key": s.key,
                "name": s.name,
                "kind": s.kind,
                "expected": s.expected,
                "expectation": s.expectation,
                "status": s.status,
                "operating": s.operating,
                "demonstrated": s.demonstrated,
                "proof": [
                    {
                        "key": p.key,
                        "title": p.title,
                        "happened_on": day(p.happened_on),
                        "step": p.step,
                        "impact": p.impact,
                        "body": p.body,
                        "scope": p.scope,
                        "metric": p.metric,
                        "metric_before": p.metric_before,
                        "metric_after": p.metric_after,
                        "links": [{"label": label, "url": url} for label, url in p.links],
                        "confirmed": p.confirmed,
                        "confirmed_by": [confirmer(c) for c in p.confirmed_by],
                        "objective": p.objective,
                    }
                    for p in s.proof
                ],
                "quotes": [
                    {
                        "text": q.text,
                        "who": q.who,
                        "relation": q.relation,
                        "on": day(q.on),
                        "question": q.question,
                    }
                    for q in s.quotes
                ],
                "anonymous": (
                    {
                        "count_label": s.anonymous.count_label,
                        "median": s.anonymous.median,
                        "spread": [{"step": step, "count": n} for step, n in s.anonymous.spread],
                    }
                    if s.anonymous
                    else None
                ),
                "objectives": [
                    {"title": o.title, "completed_on": day(o.completed_on), "note": o.note}
                    for o in s.objectives
                ],
            }
            for s in doc.sections
        ],
        "missing": [{"key": m.key, "name": m.name, "reason": m.reason} for m in doc.missing],
    }

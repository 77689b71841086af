"""The promotion packet as plain data: per competency of the target level, what it
expects, where the delta stands, the proof, the words of others, the work done;
readiness; and the proof still missing.

The web pages, the exports (Markdown, HTML, PDF) and `upward packet` all build the
packet with `build_packet` and write Markdown with `to_markdown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from upward.engine.delta import Delta


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
    proof: list[Proof] = field(default_factory=list)  # impact first, confirmed first
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
) -> PacketDoc:
    """Assemble the packet from a computed delta and what the member chose to include."""
    raise NotImplementedError


def to_markdown(doc: PacketDoc) -> str:
    """The packet as a Markdown document."""
    raise NotImplementedError

"""Reads for promotion packets: the packet as a document, what the member may put in it,
their packets, and a packet's share links with who opened them.

A packet is assembled when read, from the live record: the delta of its placement as
the member sees it, their evidence with its confirmations, attributed written
feedback, anonymous ratings only as the aggregates the anonymity rule releases (never
an anonymous answer's text), and the placement's done objectives; then filtered by
what the member chose (`Packet.choices`) and handed to `upward.engine.packet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments.models import FeedbackResponse, Placement, Signal
from upward.assessments.selectors import DeltaReport, delta_for
from upward.core import anonymity
from upward.engine.packet import (
    AnonymousSummary,
    Confirmer,
    DoneObjective,
    EvidenceInput,
    PacketDoc,
    Quote,
    build_packet,
    framework_step_name,
)
from upward.evidence.models import Confirmation, Entry, Packet, ShareLink, ShareOpen
from upward.roadmaps.models import Objective, Status

__all__ = [
    "CHOICE_KINDS",
    "Choice",
    "PacketBuilder",
    "eligible_ids",
    "link_status",
    "packet_builder",
    "packet_document",
    "packets_of",
    "share_links_of",
]

# The lists a packet's choices hold, by key: entry, feedback response and objective ids.
CHOICE_KINDS = ("entries", "quotes", "objectives")
FORMER_MEMBER = "A former colleague"  # a confirmer whose account is gone
QUESTIONS = ("consistent_at", "biggest_gap")


@dataclass(frozen=True)
class Choice:
    """One item the member may put in the packet or leave out, as the builder lists it."""

    id: int
    title: str
    detail: str
    included: bool


@dataclass
class PacketBuilder:
    """The packet as it stands, and every item that could go in it."""

    doc: PacketDoc
    entries: list[Choice]
    quotes: list[Choice]
    objectives: list[Choice]
    anonymous: bool  # whether the member includes the anonymous summaries
    anonymous_released: bool  # whether the anonymity rule releases any to include


@dataclass
class _Record:
    """Everything eligible for a packet, read once."""

    report: DeltaReport
    entries: list[Entry]
    responses: list[FeedbackResponse]
    rated: dict[int, list[str]]  # response id -> competencies its ratings cover
    objectives: list[Objective]


def packet_document(packet: Packet, *, today: date | None = None) -> PacketDoc:
    """The packet as the member chose it: 8 queries, whatever it holds (see `_record`)."""
    return _document(packet, _record(packet, today=today), today=today)


def packet_builder(packet: Packet, *, today: date | None = None) -> PacketBuilder:
    """The packet and the items the member may include, in the same 8 queries."""
    record = _record(packet, today=today)
    entry_ids, quote_ids, objective_ids = (_chosen(packet.choices, kind) for kind in CHOICE_KINDS)
    names = {c.key: c.name for c in record.report.document.competencies}
    return PacketBuilder(
        doc=_document(packet, record, today=today),
        entries=[_entry_choice(e, names, entry_ids) for e in record.entries],
        quotes=[_quote_choice(r, quote_ids) for r in record.responses],
        objectives=[_objective_choice(o, names, objective_ids) for o in record.objectives],
        anonymous=_anonymous_chosen(packet.choices),
        anonymous_released=bool(record.report.anonymous),
    )


def eligible_ids(owner: User, placement: Placement) -> dict[str, set[int]]:
    """The ids a packet on `placement` may choose from, by choice kind (3 queries)."""
    return {
        "entries": set(_entries(owner, placement).values_list("pk", flat=True)),
        "quotes": set(_responses(owner, placement).values_list("pk", flat=True)),
        "objectives": set(_objectives(owner, placement).values_list("pk", flat=True)),
    }


def packets_of(owner: User, organization: Organization) -> list[Packet]:
    """The member's packets in an organization, last changed first, with their placement
    and how many share links are live (1 query)."""
    live = Q(share_links__revoked_at__isnull=True, share_links__expires_at__gt=timezone.now())
    return list(
        Packet.objects.filter(owner=owner, organization=organization)
        .select_related("placement__version__framework")
        .annotate(live_links=Count("share_links", filter=live))
    )


def share_links_of(packet: Packet) -> list[ShareLink]:
    """A packet's share links, newest first, with their opens and who opened (2 queries)."""
    opens = ShareOpen.objects.select_related("viewer")
    return list(packet.share_links.prefetch_related(Prefetch("opens", queryset=opens)))


def link_status(link: ShareLink, *, now: datetime | None = None) -> str:
    """Where a share link stands: "revoked", "expired" or "live"."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= (now or timezone.now()):
        return "expired"
    return "live"


# --- Reading the record ------------------------------------------------------------------


def _record(packet: Packet, *, today: date | None) -> _Record:
    """The record a packet draws on, in 8 queries: the delta (signals, answers, how the
    owner stands to themselves: 3), entries and their confirmations with confirmers (2),
    attributed answers with their requests and raters (1), the competencies they rate
    (1), the placement's done objectives (1)."""
    placement, owner = packet.placement, packet.owner
    report = delta_for(placement, viewer=owner, today=today)
    responses = list(_responses(owner, placement).select_related("request__rater"))
    rated: dict[int, list[str]] = {}
    ratings = Signal.objects.filter(response_id__in=[r.pk for r in responses])
    for response_id, competency in ratings.values_list("response_id", "competency"):
        rated.setdefault(response_id, []).append(competency)
    confirmations = Confirmation.objects.select_related("by")
    entries = _entries(owner, placement).select_related("objective")
    return _Record(
        report=report,
        entries=list(entries.prefetch_related(Prefetch("confirmations", queryset=confirmations))),
        responses=responses,
        rated=rated,
        objectives=list(_objectives(owner, placement)),
    )


def _entries(owner: User, placement: Placement) -> QuerySet[Entry]:
    """The owner's evidence in the placement's organization, on its framework version."""
    return Entry.objects.filter(
        owner=owner,
        organization_id=placement.organization_id,
        placement__version_id=placement.version_id,
    ).order_by("-happened_on", "-id")


def _responses(owner: User, placement: Placement) -> QuerySet[FeedbackResponse]:
    """Attributed written answers about the owner on the placement's framework that say
    something. Anonymous answers never go in a packet: not even their text."""
    return (
        FeedbackResponse.objects.filter(
            subject=owner,
            organization_id=placement.organization_id,
            placement__version__framework_id=placement.version.framework_id,
            anonymous=False,
            request__isnull=False,
        )
        .exclude(consistent_at="", biggest_gap="")
        .order_by("-answered_on", "-id")
    )


def _objectives(owner: User, placement: Placement) -> QuerySet[Objective]:
    """The placement's done objectives, most recently done first."""
    return Objective.objects.filter(owner=owner, placement=placement, status=Status.DONE).order_by(
        "-completed_at", "-id"
    )


# --- Choices -----------------------------------------------------------------------------


def _chosen(choices: dict[str, Any], kind: str) -> set[int] | None:
    """The ids chosen of a kind; None when the member has not chosen (all go in)."""
    found = (choices or {}).get(kind)
    if found is None:
        return None
    return {int(i) for i in found}


def _anonymous_chosen(choices: dict[str, Any]) -> bool:
    return bool((choices or {}).get("anonymous", True))


def _in(pk: int, chosen: set[int] | None) -> bool:
    return chosen is None or pk in chosen


# --- The document ------------------------------------------------------------------------


def _document(packet: Packet, record: _Record, *, today: date | None) -> PacketDoc:
    """The engine's packet from the record, keeping only what the member chose."""
    report, placement = record.report, packet.placement
    doc = report.document
    choices = packet.choices or {}
    entry_ids, quote_ids, objective_ids = (_chosen(choices, kind) for kind in CHOICE_KINDS)
    return build_packet(
        report.delta,
        title=packet.title,
        person=packet.owner.display_name,
        framework=placement.version.framework.name,
        track=doc.track(placement.target_track).name,
        current_level=report.current.label,
        target_level=report.target.label,
        today=today or timezone.localdate(),
        summary=packet.summary,
        entries=[_evidence(e) for e in record.entries if _in(e.pk, entry_ids)],
        quotes=_quotes([r for r in record.responses if _in(r.pk, quote_ids)], record.rated, report),
        anonymous=_anonymous(report) if _anonymous_chosen(choices) else {},
        objectives=_done(o for o in record.objectives if _in(o.pk, objective_ids)),
        step_name=framework_step_name(doc),
    )


def _evidence(entry: Entry) -> EvidenceInput:
    """An entry as the engine's packet takes it, with who confirmed it where."""
    confirmations = tuple(
        (key, Confirmer(name=_name(c.by), relation=c.relation, step=step))
        for c in entry.confirmations.all()
        for key, step in (c.steps or {}).items()
    )
    return EvidenceInput(
        key=str(entry.pk),
        title=entry.title,
        happened_on=entry.happened_on,
        steps={c["competency"]: c["step"] for c in entry.competencies},
        impact=entry.impact,
        body=entry.body,
        scope=entry.scope,
        metric=entry.metric,
        metric_before=entry.metric_before,
        metric_after=entry.metric_after,
        links=tuple((link.get("label") or link["url"], link["url"]) for link in entry.links),
        confirmations=confirmations,
        objective=entry.objective.title if entry.objective else "",
    )


def _name(user: User | None) -> str:
    return user.display_name if user is not None else FORMER_MEMBER


def _quotes(
    responses: list[FeedbackResponse], rated: dict[int, list[str]], report: DeltaReport
) -> dict[str, list[Quote]]:
    """Each answer's words under the competencies its ratings cover (else those it was
    asked about), one quote per question answered."""
    known = {c.key for c in report.delta.competencies}
    out: dict[str, list[Quote]] = {}
    for response in responses:
        request = response.request
        assert request is not None  # attributed answers keep their request
        who = request.rater.display_name if request.rater else request.rater_email
        keys = rated.get(response.pk) or list(request.competencies)
        for question in QUESTIONS:
            text = getattr(response, question)
            if not text:
                continue
            quote = Quote(
                text=text,
                who=who,
                relation=response.relationship,
                on=response.answered_on,
                question=question,
            )
            for key in dict.fromkeys(keys):
                if key in known:
                    out.setdefault(key, []).append(quote)
    return out


def _anonymous(report: DeltaReport) -> dict[str, AnonymousSummary]:
    """The anonymous aggregates exactly as the delta page shows them: only those the
    anonymity rule released, counted in steps, with no source, rater or date."""
    out = {}
    for key, found in report.anonymous.items():
        count = anonymity.stepped(found.count, report.threshold)
        if not count.shown:
            continue
        out[key] = AnonymousSummary(
            count_label=count.label,
            median=found.median,
            spread=found.distribution,
        )
    return out


def _done(objectives: Any) -> dict[str, list[DoneObjective]]:
    """Done objectives under each competency they served."""
    out: dict[str, list[DoneObjective]] = {}
    for objective in objectives:
        done = DoneObjective(
            title=objective.title,
            completed_on=(
                timezone.localtime(objective.completed_at).date()
                if objective.completed_at
                else None
            ),
            note=objective.completion_note,
        )
        for key in dict.fromkeys(objective.competencies):
            out.setdefault(key, []).append(done)
    return out


# --- The builder's lists -----------------------------------------------------------------


def _entry_choice(entry: Entry, names: dict[str, str], chosen: set[int] | None) -> Choice:
    confirmed = len(entry.confirmations.all())
    parts = [
        f"{entry.happened_on:%-d %b %Y}",
        ", ".join(names.get(c["competency"], c["competency"]) for c in entry.competencies),
        f"confirmed by {confirmed}" if confirmed else "not confirmed yet",
    ]
    return Choice(entry.pk, entry.title, " · ".join(parts), _in(entry.pk, chosen))


def _quote_choice(response: FeedbackResponse, chosen: set[int] | None) -> Choice:
    request = response.request
    who = (request.rater.display_name if request.rater else request.rater_email) if request else ""
    text = response.consistent_at or response.biggest_gap
    detail = (
        f"{who} ({response.get_relationship_display().lower()}), {response.answered_on:%-d %b %Y}"
    )
    return Choice(response.pk, text, detail, _in(response.pk, chosen))


def _objective_choice(
    objective: Objective, names: dict[str, str], chosen: set[int] | None
) -> Choice:
    parts = [", ".join(names.get(k, k) for k in objective.competencies)]
    if objective.completed_at:
        parts.insert(0, f"done {timezone.localtime(objective.completed_at):%-d %b %Y}")
    return Choice(
        objective.pk, objective.title, " · ".join(p for p in parts if p), _in(objective.pk, chosen)
    )

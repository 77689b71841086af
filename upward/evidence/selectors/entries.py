"""Reads of evidence entries: a member's log as a viewer may see it, a placement's
entries, an objective's, and entries shaped as the pages show them.

A fixed number of queries however many entries there are: who may see what is
decided once per viewer, confirmations and collaborators are prefetched, and the
framework document is parsed once per version (and cached).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from upward.accounts.models import Membership, Organization, User
from upward.accounts.relationships import relationships
from upward.assessments.models import Placement
from upward.assessments.selectors import step_code
from upward.core.visibility import ORDER, Relationship, may_see_any
from upward.engine.framework.models import FrameworkDocument
from upward.evidence.models import Collaborator, CollaboratorStatus, Confirmation, Entry, Relation
from upward.frameworks.selectors import document_of
from upward.roadmaps.models import Objective, Status

__all__ = [
    "EntryCard",
    "EntryChip",
    "entries_of_placement",
    "entry_cards",
    "entry_detail",
    "entry_log",
    "members_among",
    "objective_entries",
    "objectives_to_name",
    "step_label",
    "suggested_relation",
    "visible_entries",
    "with_entry_details",
]


def with_entry_details(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries with their placement's version, objective, confirmations (with who gave
    them) and collaborators (with their accounts): 2 more queries, whatever their number."""
    return entries.select_related("owner", "placement__version", "objective").prefetch_related(
        Prefetch("confirmations", queryset=Confirmation.objects.select_related("by")),
        Prefetch("collaborators", queryset=Collaborator.objects.select_related("user")),
    )


def entry_detail(entry: Entry) -> Entry:
    """The entry as stored now, with its details, to show or answer with (3 queries)."""
    return with_entry_details(Entry.objects.filter(pk=entry.pk)).get()


def members_among(organization_id: int, user_ids: list[int]) -> dict[int, User]:
    """Which of the given users are members of the organization, by id (1 query)."""
    rows = Membership.objects.filter(organization_id=organization_id, user_id__in=user_ids)
    return {m.user_id: m.user for m in rows.select_related("user")}


def visible_entries(
    viewer: User | AnonymousUser, owner: User, organization: Organization
) -> QuerySet[Entry]:
    """The owner's entries in the organization that the viewer may see, newest first:
    all for the owner; for a member, the tiers their standing allows and those naming
    them as a collaborator; none for anyone else. 1 query to decide (none for the owner)."""
    rows = Entry.objects.filter(owner=owner, organization=organization)
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return rows
    standing = relationships(viewer, owner, organization)
    if Relationship.OUTSIDER in standing:
        return rows.none()
    tiers = [t.value for t in ORDER if may_see_any(standing, t)]
    named = Exists(Collaborator.objects.filter(entry=OuterRef("pk"), user_id=cast(int, viewer.pk)))
    return rows.filter(Q(visibility__in=tiers) | Q(named))


def entry_log(viewer: User | AnonymousUser, owner: User, organization: Organization) -> list[Entry]:
    """The owner's log as the viewer may see it, newest first. Queries: how the viewer
    stands to the owner (1, none for the owner, plus 1 per relationship provider), the
    entries (1), their confirmations (1) and collaborators (1)."""
    return list(with_entry_details(visible_entries(viewer, owner, organization)))


def entries_of_placement(placement: Placement) -> list[Entry]:
    """Every entry logged on a placement, newest first, with details (3 queries)."""
    return list(with_entry_details(Entry.objects.filter(placement=placement)))


def objective_entries(objective: Objective, *, viewer: User | AnonymousUser) -> list[Entry]:
    """The entries naming an objective that the viewer may see, newest first, each with
    `confirmed` (whether anyone confirmed it): 1 query for the owner, 2 for others."""
    rows = visible_entries(viewer, objective.owner, objective.organization)
    confirmed = Exists(Confirmation.objects.filter(entry=OuterRef("pk")))
    return list(rows.filter(objective=objective).annotate(confirmed=confirmed))


def objectives_to_name(owner: User, organization: Organization) -> list[Objective]:
    """The owner's objectives an entry may name: open or done, in the organization (1 query)."""
    return list(
        Objective.objects.filter(owner=owner, organization=organization)
        .exclude(status=Status.DROPPED)
        .order_by("-updated_at", "-pk")
    )


def suggested_relation(viewer: User, entry: Entry) -> str:
    """How the viewer most likely stands to the entry's owner, to preselect when they
    confirm: manager, mentor, a collaborator on it, or else a peer."""
    standing = relationships(viewer, entry.owner, entry.organization)
    if Relationship.MANAGER in standing:
        return Relation.MANAGER
    if Relationship.MENTOR in standing:
        return Relation.MENTOR
    if Collaborator.objects.filter(entry=entry, user=viewer).exists():
        return Relation.COLLABORATOR
    return Relation.PEER


# --- Entries as the pages show them ---------------------------------------------------------


@dataclass(frozen=True)
class EntryChip:
    """A competency an entry shows: its name, the claimed step, and whether anyone confirmed it."""

    key: str
    name: str
    step: str
    step_label: str
    confirmed: int


@dataclass
class EntryCard:
    """An entry with its competencies named, its confirmations, and its collaborators:
    credited (they accepted), asked (no answer yet) and declined (never shown as credited)."""

    entry: Entry
    chips: list[EntryChip]
    confirmations: list[Confirmation]
    credited: list[Collaborator]
    asked: list[Collaborator] = field(default_factory=list)
    declined: list[Collaborator] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmations)

    @property
    def has_metric(self) -> bool:
        return bool(self.entry.metric_before or self.entry.metric_after)


def entry_cards(entries: list[Entry]) -> list[EntryCard]:
    """Cards from entries fetched `with_entry_details` (no query: documents are cached)."""
    cards = []
    for entry in entries:
        doc = document_of(entry.placement.version)
        names = {c.key: c.name for c in doc.competencies}
        confirmations = list(entry.confirmations.all())
        collaborators = list(entry.collaborators.all())
        chips = [
            EntryChip(
                key=c["competency"],
                name=names.get(c["competency"], c["competency"]),
                step=c["step"],
                step_label=step_label(doc, c["competency"], c["step"]),
                confirmed=sum(1 for x in confirmations if c["competency"] in x.steps),
            )
            for c in entry.competencies
        ]
        cards.append(
            EntryCard(
                entry=entry,
                chips=chips,
                confirmations=confirmations,
                credited=[c for c in collaborators if c.status == CollaboratorStatus.ACCEPTED],
                asked=[c for c in collaborators if c.status == CollaboratorStatus.PENDING],
                declined=[c for c in collaborators if c.status == CollaboratorStatus.DECLINED],
            )
        )
    return cards


def step_label(doc: FrameworkDocument, competency: str, step: str) -> str:
    """A step's short name (IC3, or the scale's name), or the key for a competency gone
    from the version."""
    try:
        return step_code(doc, competency, step)
    except KeyError:
        return step  # a competency gone from the version: show the key as stored

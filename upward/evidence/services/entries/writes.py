"""Creating, changing and deleting entries, with the evidence signals they write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import User
from upward.assessments.models import Placement, Signal, Source
from upward.assessments.services.events import announce
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.visibility import Tier
from upward.evidence.emails_entries import notify_collaborator_named
from upward.evidence.models import Collaborator, Confirmation, Entry, EntrySignal, Post
from upward.evidence.services.entries.checks import (
    ENTRY_FIELDS,
    _check,
    _check_owner,
    _check_placement,
)
from upward.roadmaps.models import Objective

# --- Signals ------------------------------------------------------------------------------


def _write_signals(
    entry: Entry,
    steps: dict[str, str],
    *,
    rater: User,
    source_key: str,
    confirmation: Confirmation | None = None,
) -> None:
    """One evidence signal per competency in `steps`, each linked to the entry."""
    placement = entry.placement
    signals = Signal.objects.bulk_create(
        Signal(
            subject_id=entry.owner_id,
            organization_id=entry.organization_id,
            version_id=placement.version_id,
            competency=competency,
            step=step,
            source=Source.EVIDENCE,
            rater=rater,
            source_key=source_key,
            observed_on=entry.happened_on,
        )
        for competency, step in steps.items()
    )
    EntrySignal.objects.bulk_create(
        EntrySignal(entry=entry, confirmation=confirmation, signal=signal) for signal in signals
    )
    announce(entry.organization_id, [entry.owner_id])


def _write_claims(entry: Entry) -> None:
    steps = {c["competency"]: c["step"] for c in entry.competencies}
    _write_signals(entry, steps, rater=entry.owner, source_key=f"evidence:{entry.pk}")


def _delete_claims(entry: Entry) -> None:
    Signal.objects.filter(evidence_link__entry=entry, evidence_link__confirmation=None).delete()


# --- Entries ------------------------------------------------------------------------------


@transaction.atomic
def create_entry(
    *,
    owner: User,
    placement: Placement,
    title: str,
    happened_on: date,
    competencies: Sequence[dict[str, str]],
    body: str = "",
    impact: str = "",
    scope: str = "",
    metric: str = "",
    metric_before: str = "",
    metric_after: str = "",
    links: Sequence[dict[str, str]] = (),
    vouchers: Sequence[str] = (),
    objective: Objective | None = None,
    collaborators: Sequence[User] = (),
    visibility: str = Tier.MANAGER,
    post: Post | None = None,
    today: date | None = None,
) -> Entry:
    """Log a piece of evidence on the member's placement, with its claim signals."""
    _check_placement(owner, placement)
    data = {
        "title": title,
        "body": body,
        "impact": impact,
        "scope": scope,
        "metric": metric,
        "metric_before": metric_before,
        "metric_after": metric_after,
        "links": links,
        "vouchers": vouchers,
        "happened_on": happened_on,
        "competencies": competencies,
        "objective": objective,
        "collaborators": collaborators,
        "visibility": visibility,
    }
    checked = _check(owner, placement, data, today=today or timezone.localdate())
    if post is not None and Entry.objects.filter(post=post).exists():
        raise Conflict("This post is already evidence.", field="post")
    entry = Entry.objects.create(
        owner=owner,
        organization_id=placement.organization_id,
        placement=placement,
        post=post,
        **checked.row_fields(),
    )
    _write_claims(entry)
    Collaborator.objects.bulk_create(
        Collaborator(entry=entry, user=person) for person in checked.collaborators
    )
    notify_collaborator_named(entry=entry, people=checked.collaborators)
    audit.record(
        entry,
        AuditCode.EVIDENCE_ENTRY_CREATED,
        actor=owner,
        data={"competencies": entry.competencies, "post": post.pk if post else None},
    )
    return entry


def _current(entry: Entry) -> dict[str, Any]:
    data = {key: getattr(entry, key) for key in ENTRY_FIELDS if key != "collaborators"}
    data["collaborators"] = [c.user for c in entry.collaborators.select_related("user")]
    return data


@transaction.atomic
def update_entry(*, entry: Entry, by: User, **changes: Any) -> Entry:
    """Change an entry's fields (any of ENTRY_FIELDS; `collaborators` is the whole new list).

    When the competencies or the date change, the claim signals are written anew;
    confirmations keep only the competencies still on the entry (one left with none
    goes), and their signals move to the new date."""
    _check_owner(entry, by)
    today = changes.pop("today", None) or timezone.localdate()
    for key in changes:
        if key not in ENTRY_FIELDS:
            raise Invalid(f"'{key}' can't be changed here.", field=key)
    data = {**_current(entry), **changes}
    checked = _check(
        entry.owner, entry.placement, data, today=today, kept_objective=entry.objective_id
    )
    changed = [k for k, v in checked.row_fields().items() if getattr(entry, k) != v]
    for key in changed:
        setattr(entry, key, getattr(checked, key))
    entry.save(update_fields=[*changed, "updated_at"])
    if "competencies" in changed or "happened_on" in changed:
        _delete_claims(entry)
        _write_claims(entry)
        _fit_confirmations(entry)
    if "collaborators" in changes and _replace_collaborators(entry, checked.collaborators):
        changed.append("collaborators")
    audit.record(entry, AuditCode.EVIDENCE_ENTRY_UPDATED, actor=by, data={"fields": changed})
    return entry


def _fit_confirmations(entry: Entry) -> None:
    """Confirmations keep only competencies still on the entry, dated like the entry."""
    keys = {c["competency"] for c in entry.competencies}
    for confirmation in entry.confirmations.all():
        kept = {k: v for k, v in confirmation.steps.items() if k in keys}
        if not kept:
            Signal.objects.filter(evidence_link__confirmation=confirmation).delete()
            confirmation.delete()
            continue
        if kept != confirmation.steps:
            confirmation.steps = kept
            confirmation.save(update_fields=["steps"])
    links = Signal.objects.filter(evidence_link__entry=entry).exclude(
        evidence_link__confirmation=None
    )
    links.exclude(competency__in=keys).delete()
    links.exclude(observed_on=entry.happened_on).update(observed_on=entry.happened_on)


def _replace_collaborators(entry: Entry, people: list[User]) -> bool:
    """Keep the rows (and answers) of people still named; tell the newly named ones."""
    wanted = {u.pk: u for u in people}
    rows = list(entry.collaborators.all())
    gone = [r.pk for r in rows if r.user_id not in wanted]
    kept = {r.user_id for r in rows if r.user_id in wanted}
    new = [u for pk, u in wanted.items() if pk not in kept]
    Collaborator.objects.filter(pk__in=gone).delete()
    Collaborator.objects.bulk_create(Collaborator(entry=entry, user=u) for u in new)
    notify_collaborator_named(entry=entry, people=new)
    return bool(gone or new)


@transaction.atomic
def delete_entry(*, entry: Entry, by: User) -> None:
    """Delete an entry with every signal it and its confirmations wrote."""
    _check_owner(entry, by)
    audit.record(
        entry,
        AuditCode.EVIDENCE_ENTRY_DELETED,
        actor=by,
        data={"title": entry.title, "confirmations": entry.confirmations.count()},
    )
    Signal.objects.filter(evidence_link__entry=entry).delete()
    entry.delete()

"""Confirming entries, asking for confirmation, and answering being named a collaborator."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import User
from upward.assessments.models import Signal
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.evidence.access.entries import may_confirm
from upward.evidence.emails_entries import (
    notify_confirmation_requested,
    notify_entry_confirmed,
)
from upward.evidence.models import (
    Collaborator,
    CollaboratorStatus,
    Confirmation,
    Entry,
    Relation,
)
from upward.evidence.services.entries.checks import (
    NOTE_MAX,
    REQUESTS_MAX,
    _check_owner,
    _text,
    check_step,
)
from upward.evidence.services.entries.writes import _write_signals
from upward.frameworks.selectors import document_of

# --- Confirmations ------------------------------------------------------------------------


def _stated_steps(entry: Entry, steps: dict[str, str]) -> dict[str, str]:
    """The steps a confirmer states, each of a competency on the entry (blank ones left out)."""
    stated = {k: v for k, v in steps.items() if str(v).strip()}
    if not stated:
        raise Invalid("Say what step the work shows for at least one competency.", field="steps")
    on_entry = [c["competency"] for c in entry.competencies]
    doc = document_of(entry.placement.version)
    out = {}
    for key, step in stated.items():
        if key not in on_entry:
            raise Invalid(
                f"'{key}' is not a competency of this entry (it names {', '.join(on_entry)}).",
                field="steps",
            )
        out[key] = check_step(doc, entry.placement, key, str(step), where=f"steps.{key}")
    return out


@transaction.atomic
def confirm_entry(
    *, entry: Entry, by: User, relation: str, steps: dict[str, str], note: str = ""
) -> Confirmation:
    """Vouch for someone's entry, stating the step it shows for its competencies."""
    if entry.owner_id == by.pk:
        raise Invalid("You can't confirm your own evidence; ask someone who saw it.", field="by")
    if not may_confirm(by, entry):
        raise NotFound("This entry is not there.")
    if relation not in Relation.values:
        raise Invalid(
            f"'{relation}' is not a relation; pick one of {', '.join(Relation.values)}.",
            field="relation",
        )
    stated = _stated_steps(entry, steps)
    note = _text(note, name="note")
    if len(note) > NOTE_MAX:
        raise Invalid(f"Keep the note under {NOTE_MAX:,} characters.", field="note")
    if Confirmation.objects.filter(entry=entry, by=by).exists():
        raise Conflict("You have already confirmed this entry; withdraw it to confirm anew.")
    confirmation = Confirmation.objects.create(
        entry=entry, by=by, relation=relation, steps=stated, note=note
    )
    _write_signals(entry, stated, rater=by, source_key=f"user:{by.pk}", confirmation=confirmation)
    notify_entry_confirmed(confirmation=confirmation)
    audit.record(
        confirmation,
        AuditCode.EVIDENCE_CONFIRMATION_CREATED,
        actor=by,
        organization=entry.organization,
        data={"entry": entry.pk, "relation": relation, "steps": stated},
    )
    return confirmation


@transaction.atomic
def withdraw_confirmation(*, confirmation: Confirmation, by: User) -> None:
    """Take back one's confirmation, with its signals."""
    if confirmation.by_id != by.pk:
        raise NotFound("Only the person who confirmed may withdraw it.")
    entry = confirmation.entry
    audit.record(
        confirmation,
        AuditCode.EVIDENCE_CONFIRMATION_WITHDRAWN,
        actor=by,
        organization=entry.organization,
        data={"entry": entry.pk},
    )
    Signal.objects.filter(evidence_link__confirmation=confirmation).delete()
    confirmation.delete()


@transaction.atomic
def request_confirmation(
    *, entry: Entry, by: User, people: Sequence[User], message: str = ""
) -> list[User]:
    """Ask colleagues who may read the entry to confirm it; returns who was asked."""
    _check_owner(entry, by)
    asked = list({u.pk: u for u in people}.values())
    if not asked:
        raise Invalid("Pick at least one person to ask.", field="people")
    if len(asked) > REQUESTS_MAX:
        raise Invalid(f"Ask at most {REQUESTS_MAX} people at once.", field="people")
    confirmed = set(entry.confirmations.values_list("by_id", flat=True))
    for i, person in enumerate(asked):
        if person.pk == by.pk:
            raise Invalid(
                "Ask someone else: you can't confirm your own work.", field=f"people[{i}]"
            )
        if person.pk in confirmed:
            raise Invalid(f"{person.display_name} has already confirmed it.", field=f"people[{i}]")
        if not may_confirm(person, entry):
            raise Invalid(
                f"{person.display_name} can't see this entry; widen who sees it, or ask "
                "someone else.",
                field=f"people[{i}]",
            )
    message = _text(message, name="message")
    if len(message) > NOTE_MAX:
        raise Invalid(f"Keep the message under {NOTE_MAX:,} characters.", field="message")
    notify_confirmation_requested(entry=entry, people=asked, message=message)
    audit.record(
        entry,
        AuditCode.EVIDENCE_CONFIRMATION_REQUESTED,
        actor=by,
        data={"people": [u.pk for u in asked]},
    )
    return asked


# --- Collaborators ------------------------------------------------------------------------


@transaction.atomic
def answer_collaboration(*, collaborator: Collaborator, by: User, accept: bool) -> Collaborator:
    """Accept or decline being credited on an entry (the answer can be changed later)."""
    if collaborator.user_id != by.pk:
        raise NotFound("Only the person named may answer.")
    collaborator.status = CollaboratorStatus.ACCEPTED if accept else CollaboratorStatus.DECLINED
    collaborator.answered_at = timezone.now()
    collaborator.save(update_fields=["status", "answered_at"])
    code = (
        AuditCode.EVIDENCE_COLLABORATOR_ACCEPTED
        if accept
        else AuditCode.EVIDENCE_COLLABORATOR_DECLINED
    )
    audit.record(
        collaborator,
        code,
        actor=by,
        organization=collaborator.entry.organization,
        data={"entry": collaborator.entry_id},
    )
    return collaborator

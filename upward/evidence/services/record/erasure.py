"""Deleting an account: the person's own data goes, what others rely on stays anonymised."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from upward.accounts.models import Invitation, Membership, Organization, Role, User
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Signal,
)
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.models import AuditEvent
from upward.evidence.emails_record import send_account_deleted
from upward.evidence.models import Confirmation, Entry, Packet, Post, Thread
from upward.evidence.selectors.record import ERASED_ADDRESS, ERASED_KEY, FORMER_MEMBER
from upward.notifications.models import Notification
from upward.roadmaps.models import Objective, RoadmapTemplate, Stakeholder


def _check_admins(user: User) -> list[Organization]:
    """Organizations the person alone belongs to (they go with the account); refuses
    when the person is the last admin of one that others belong to."""
    alone, stuck = [], []
    for m in Membership.objects.filter(user=user).select_related("organization"):
        org = m.organization
        others = Membership.objects.filter(organization=org).exclude(user=user)
        if not others.exists():
            alone.append(org)
        elif m.role == Role.ADMIN and not others.filter(role=Role.ADMIN).exists():
            stuck.append(org.name)
    if stuck:
        raise Conflict(
            f"You are the last admin of {', '.join(sorted(stuck))}. Make someone else admin "
            "there (or leave) before deleting your account.",
            field="organizations",
        )
    return alone


@transaction.atomic
def delete_account(*, user: User, by: User, email: str | None = None) -> None:
    """Delete a person's account and their own data; keep, anonymised, what others rely on.

    `email` is the address the person typed to confirm; pages and the API always pass it.
    The audit log records the erasure without the erased data.
    """
    if by.pk != user.pk:
        raise Invalid("Only the person themselves can delete their account.", field="by")
    if email is not None and email.strip().lower() != user.email.lower():
        raise Invalid("Type your email address exactly to confirm.", field="email")
    alone = _check_admins(user)
    needles = [n for n in {user.email, user.name.strip()} if n]
    kept = _anonymise_contributions(user)
    _delete_own_data(user, alone)
    _scrub_mentions(user, needles)
    _end_sessions(user)
    event = audit.record(user, AuditCode.EVIDENCE_ACCOUNT_ERASED, actor=None, data=kept)
    AuditEvent.objects.filter(pk=event.pk).update(target_id="", target_label="")
    transaction.on_commit(partial(send_account_deleted, to=user.email, kept=kept))
    user.delete()


def _anonymise_contributions(user: User) -> dict[str, int]:
    """What others rely on stays, without the person: each rating and confirmation they
    gave moves to a random key, one per person rated, so it still counts as one
    independent voice; requests, answers and replies lose their link to them."""
    given = Signal.objects.filter(
        Q(rater=user) | Q(source_key=f"user:{user.pk}") | Q(source_key=f"email:{user.email}")
    ).exclude(subject=user)
    subjects = set(given.values_list("subject_id", flat=True))
    ratings = given.count()
    for subject_id in subjects:
        given.filter(subject_id=subject_id).update(
            rater=None, source_key=f"{ERASED_KEY}{secrets.token_hex(12)}"
        )
    requests = FeedbackRequest.objects.filter(
        Q(rater=user) | Q(rater_email__iexact=user.email)
    ).exclude(requester=user)
    now = timezone.now()
    # Waiting requests can no longer be answered: they lapse, with no reminder to send.
    requests.filter(status=RequestStatus.PENDING).update(
        expires_at=now, reminded_at=now, token_hash=None
    )
    answers = FeedbackResponse.objects.filter(request__in=requests).count()
    requests.update(rater=None, rater_email=ERASED_ADDRESS)
    Stakeholder.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(
        user=None, name=FORMER_MEMBER, email=""
    )
    RoadmapTemplate.objects.filter(author=user).update(
        author=None, author_name=FORMER_MEMBER, author_credentials=""
    )
    confirmations = Confirmation.objects.filter(by=user).exclude(entry__owner=user)
    replies = Post.objects.filter(author=user).exclude(thread__owner=user)
    kept = {
        "ratings": ratings,
        "answers": answers,
        "confirmations": confirmations.count(),
        "replies": replies.count(),
    }
    confirmations.update(by=None)
    replies.update(author=None)
    return kept


def _delete_own_data(user: User, alone: list[Organization]) -> None:
    """The person's own rows, in an order that frees the framework versions their
    placements protect; then the organizations only they belonged to."""
    Packet.objects.filter(owner=user).delete()
    Entry.objects.filter(owner=user).delete()
    Thread.objects.filter(owner=user).delete()
    Objective.objects.filter(owner=user).delete()
    Signal.objects.filter(subject=user).delete()
    FeedbackResponse.objects.filter(subject=user).delete()
    FeedbackRequest.objects.filter(requester=user).delete()
    Placement.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    Notification.objects.filter(recipient=user).delete()
    for org in alone:
        Signal.objects.filter(organization=org).delete()
        Placement.objects.filter(organization=org).delete()
        org.delete()


def _pattern(needles: list[str]) -> re.Pattern[str]:
    return re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(needles, key=len, reverse=True)),
        re.IGNORECASE,
    )


def _replace(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(FORMER_MEMBER, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern) for k, v in value.items()}
    return value


def _mentioning(needles: list[str], *fields: str, json_fields: Iterable[str] = ()) -> Q:
    """Rows whose text (or JSON, as text: escaped or not) contains one of `needles`."""
    found = Q()
    for needle in needles:
        forms = {needle, json.dumps(needle)[1:-1]}
        for f in fields:
            found |= Q(**{f"{f}__icontains": needle})
        for f in json_fields:
            for form in forms:
                found |= Q(**{f"{f}_text__icontains": form})
    return found


def _scrub_mentions(user: User, needles: list[str]) -> None:
    """Remove the person's name and address from what stays: the audit log, others'
    notifications and the admin's history."""
    pattern = _pattern(needles)
    AuditEvent.objects.filter(actor=user).update(actor=None, actor_label="")
    AuditEvent.objects.filter(actor_label__iexact=user.email).update(actor_label="")
    AuditEvent.objects.filter(target_type=User._meta.label_lower, target_id=str(user.pk)).update(
        target_id="", target_label=""
    )
    events = AuditEvent.objects.annotate(data_text=Cast("data", TextField())).filter(
        _mentioning(needles, "target_label", "actor_label", json_fields=["data"])
    )
    for event in events:
        event.target_label = _replace(event.target_label, pattern)
        event.actor_label = _replace(event.actor_label, pattern)
        event.data = _replace(event.data, pattern)
        event.save(update_fields=["target_label", "actor_label", "data"])
    _rewrite(Notification.objects.exclude(recipient=user), needles, pattern, "title", "body")
    LogEntry.objects.filter(
        content_type__app_label=User._meta.app_label,
        content_type__model=User._meta.model_name,
        object_id=str(user.pk),
    ).delete()
    _rewrite(LogEntry.objects.all(), needles, pattern, "object_repr", "change_message")


def _rewrite(rows: Any, needles: list[str], pattern: re.Pattern[str], *fields: str) -> None:
    for row in rows.filter(_mentioning(needles, *fields)):
        for f in fields:
            setattr(row, f, _replace(getattr(row, f), pattern))
        row.save(update_fields=list(fields))


def _end_sessions(user: User) -> None:
    """Sign the person out everywhere: their sessions go (the id is inside the data)."""
    doomed = [
        s.pk
        for s in Session.objects.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()

"""Writes for feedback requests: asking, answering, declining, withdrawing, reminding."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments import emails, tasks
from upward.assessments.models import (
    SHAREABLE_ANSWERS,
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Source,
)
from upward.assessments.services.placements import Rating, check_ratings, store_ratings
from upward.core import anonymity, audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound, UpwardError
from upward.core.tokens import digest, new_link_secret
from upward.core.validators import email_address
from upward.core.visibility import Tier
from upward.frameworks.selectors import document_of

REQUEST_DAYS = 21
REMIND_AFTER = tasks.REMIND_AFTER
REASON_MAX = 2000


class DuplicateRequest(Conflict):
    """The same person already has an attributed request from this member waiting."""

    code = "duplicate"


@transaction.atomic
def request_feedback(
    *,
    placement: Placement,
    relationship: str,
    competencies: list[str],
    rater: User | None = None,
    email: str = "",
    anonymous: bool = False,
    message: str = "",
    answer_visibility: str = Tier.PRIVATE,
    allow_duplicate: bool = False,
) -> FeedbackRequest:
    """Ask someone for feedback against the target level; email raters get a single-use link.

    `answer_visibility` says who besides the requester reads the written answer:
    nobody (private) or their manager too (manager); anonymous answers stay private.
    Unless `allow_duplicate`, an attributed request to a rater who already has one
    waiting for this placement is refused (see `check_no_pending`); anonymous
    requests are never checked.
    """
    requester = placement.user
    if relationship not in (Source.MANAGER, Source.PEER, Source.MENTOR):
        raise Invalid("Ask a manager, a peer or a mentor.", field="relationship")
    if (rater is None) == (not email.strip()):
        raise Invalid("Name one rater: a person in Upward or an email address.", field="rater")
    email = email_address(email) if rater is None else ""
    if rater is not None and rater.pk == requester.pk:
        raise Invalid("Ask someone other than yourself.", field="rater")
    if email and email == requester.email:
        raise Invalid("Ask someone other than yourself.", field="email")
    _check_answer_visibility(answer_visibility, anonymous=anonymous)
    if not anonymous and not allow_duplicate:
        check_no_pending(placement=placement, rater=rater, email=email)
    doc = document_of(placement.version)
    known = [c.key for c in doc.competencies]
    unknown = [c for c in competencies if c not in known]
    if unknown:
        raise Invalid(f"Unknown competencies: {', '.join(unknown)}.", field="competencies")
    secret = new_link_secret() if rater is None else ""
    rater_label = rater.email if rater else email
    feedback_request = FeedbackRequest.objects.create(
        requester=requester,
        organization=placement.organization,
        placement=placement,
        rater=rater,
        rater_email=email,
        relationship=relationship,
        anonymous=anonymous,
        answer_visibility=answer_visibility,
        competencies=competencies or known,
        message=message.strip(),
        token_hash=digest(secret) if secret else None,
        expires_at=timezone.now() + timedelta(days=REQUEST_DAYS),
    )
    if anonymous:
        _audit_anonymous(placement, AuditCode.ASSESSMENT_FEEDBACK_REQUESTED, actor=requester)
    else:
        audit.record(
            feedback_request,
            AuditCode.ASSESSMENT_FEEDBACK_REQUESTED,
            actor=requester,
            data={
                "relationship": relationship,
                "anonymous": False,
                "rater": rater_label,
                "answer_visibility": answer_visibility,
            },
        )
    transaction.on_commit(
        lambda: emails.send_feedback_request(feedback_request=feedback_request, secret=secret)
    )
    transaction.on_commit(tasks.schedule_reminders)
    return feedback_request


def check_no_pending(*, placement: Placement, rater: User | None, email: str) -> None:
    """Refuse asking a rater whose attributed request for this placement is still waiting.

    Only attributed requests are compared: whether an anonymous request is still
    waiting would tell whether that person has answered, so it is never said.
    """
    waiting = FeedbackRequest.objects.filter(
        placement=placement,
        anonymous=False,
        status=RequestStatus.PENDING,
        expires_at__gt=timezone.now(),
    )
    if rater is not None:
        waiting = waiting.filter(rater=rater)
        who = rater.display_name
    else:
        waiting = waiting.filter(rater__isnull=True, rater_email=email)
        who = email
    if waiting.exists():
        raise DuplicateRequest(
            f"{who} already has a request from you waiting for an answer. "
            "Send another only if you mean to.",
            field="rater",
        )


@dataclass(frozen=True)
class Rater:
    """One person to ask: someone in Upward or an email address."""

    user: User | None = None
    email: str = ""

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.user else f"email:{self.email.strip().lower()}"

    @property
    def label(self) -> str:
        return self.user.display_name if self.user else self.email.strip()


@transaction.atomic
def request_feedback_from_many(
    *, placement: Placement, raters: Sequence[Rater], **asked: Any
) -> list[FeedbackRequest]:
    """One request per rater, each with its own link; all or none.

    An error names the rater it is about as `raters.<index>`.
    """
    if not raters:
        raise Invalid(
            "Name one rater or more: people in Upward or email addresses.", field="raters"
        )
    seen: set[str] = set()
    made = []
    for index, rater in enumerate(raters):
        if rater.key in seen:
            raise Invalid(f"{rater.label} is named twice.", field=f"raters.{index}")
        seen.add(rater.key)
        try:
            made.append(
                request_feedback(placement=placement, rater=rater.user, email=rater.email, **asked)
            )
        except UpwardError as error:
            if error.field in RATER_FIELDS:
                error.field = f"raters.{index}"
                if rater.label and not isinstance(error, DuplicateRequest):
                    error.message = f"{rater.label}: {error.message}"
            raise
    return made


RATER_FIELDS = (None, "rater", "email")


def _check_answer_visibility(tier: str, *, anonymous: bool) -> None:
    if tier not in SHAREABLE_ANSWERS:
        raise Invalid(
            "Keep written answers to yourself (private) or share them with your manager.",
            field="answer_visibility",
        )
    if anonymous and tier != Tier.PRIVATE:
        raise Invalid(
            "Anonymous answers are read only by you: ask by name to share them with your manager.",
            field="answer_visibility",
        )


def find_request_by_link(secret: str) -> FeedbackRequest:
    """The open request an emailed link belongs to, or a clear reason it can't be used."""
    feedback_request = (
        FeedbackRequest.objects.select_related(
            "requester", "placement__version__framework", "organization"
        )
        .filter(token_hash=digest(secret))
        .first()
    )
    if feedback_request is None:
        raise NotFound("This feedback link is not valid.")
    _check_open(feedback_request)
    return feedback_request


def _locked(feedback_request: FeedbackRequest) -> FeedbackRequest:
    """The request's row as stored now, locked until the transaction ends.

    Answering, declining and withdrawing each lock it first and check its state
    after, so when they race one wins and the others see it closed.
    """
    return FeedbackRequest.objects.select_for_update().get(pk=feedback_request.pk)


def _check_open(feedback_request: FeedbackRequest) -> None:
    if feedback_request.status == RequestStatus.ANSWERED:
        raise Conflict("This feedback request has already been answered.")
    if feedback_request.status == RequestStatus.DECLINED:
        raise Conflict("This feedback request was declined.")
    if feedback_request.status == RequestStatus.WITHDRAWN:
        raise Conflict("This feedback request was withdrawn.")
    if feedback_request.expires_at <= timezone.now():
        raise Conflict("This feedback request has expired.")


@transaction.atomic
def respond(
    *,
    feedback_request: FeedbackRequest,
    ratings: list[Rating],
    consistent_at: str = "",
    biggest_gap: str = "",
    by: User | None = None,
) -> FeedbackResponse:
    """Answer a request once: ratings become signals; anonymous answers lose their request."""
    feedback_request = FeedbackRequest.objects.select_for_update().get(pk=feedback_request.pk)
    _check_open(feedback_request)
    outside = [r.competency for r in ratings if r.competency not in feedback_request.competencies]
    if outside:
        raise Invalid(f"Not asked about: {', '.join(outside)}.", field="ratings")
    if not ratings and not (consistent_at.strip() or biggest_gap.strip()):
        raise Invalid("Rate at least one competency or answer a question.", field="ratings")
    placement = feedback_request.placement
    check_ratings(placement, ratings)
    response = FeedbackResponse.objects.create(
        subject=placement.user,
        organization=placement.organization,
        placement=placement,
        request=None if feedback_request.anonymous else feedback_request,
        anonymous=feedback_request.anonymous,
        relationship=feedback_request.relationship,
        consistent_at=consistent_at.strip(),
        biggest_gap=biggest_gap.strip(),
    )
    if feedback_request.anonymous:
        rater, key = None, f"anon:{uuid.uuid4().hex}"
    else:
        rater = feedback_request.rater or by
        key = f"user:{rater.pk}" if rater else f"email:{feedback_request.rater_email}"
    store_ratings(
        placement,
        ratings,
        source=feedback_request.relationship,
        rater=rater,
        source_key=key,
        response=response,
    )
    # The link's hash stays, so a second visit hears "already answered", not "unknown".
    feedback_request.status = RequestStatus.ANSWERED
    feedback_request.closed_at = timezone.now()
    feedback_request.save(update_fields=["status", "closed_at"])
    if feedback_request.anonymous:
        _audit_anonymous(placement, AuditCode.ASSESSMENT_FEEDBACK_ANSWERED, day_only=True)
    else:
        audit.record(
            feedback_request,
            AuditCode.ASSESSMENT_FEEDBACK_ANSWERED,
            actor=by,
            data={"anonymous": False},
        )
    emails.notify_answered(feedback_request=feedback_request, rater=rater)
    return response


@transaction.atomic
def decline(
    *, feedback_request: FeedbackRequest, by: User | None = None, reason: str = ""
) -> FeedbackRequest:
    """The rater says no, maybe saying why; the requester sees it (as a count, when
    anonymous). The reason of an anonymous decline is dropped, never stored."""
    _check_open(_locked(feedback_request))
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise Invalid(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    feedback_request.status = RequestStatus.DECLINED
    feedback_request.closed_at = timezone.now()
    feedback_request.decline_reason = "" if feedback_request.anonymous else reason
    feedback_request.save(update_fields=["status", "closed_at", "decline_reason"])
    if feedback_request.anonymous:
        _audit_anonymous(
            feedback_request.placement, AuditCode.ASSESSMENT_FEEDBACK_DECLINED, day_only=True
        )
    else:
        audit.record(feedback_request, AuditCode.ASSESSMENT_FEEDBACK_DECLINED, actor=by)
    emails.notify_declined(feedback_request=feedback_request)
    return feedback_request


@transaction.atomic
def withdraw(*, feedback_request: FeedbackRequest, by: User) -> FeedbackRequest:
    """The requester takes back a request nobody has answered."""
    _check_open(_locked(feedback_request))
    feedback_request.status = RequestStatus.WITHDRAWN
    feedback_request.closed_at = timezone.now()
    feedback_request.save(update_fields=["status", "closed_at"])
    audit.record(feedback_request, AuditCode.ASSESSMENT_FEEDBACK_WITHDRAWN, actor=by)
    return feedback_request


@transaction.atomic
def withdraw_anonymous(*, requester: User, organization: Organization) -> None:
    """The requester takes back every anonymous request of theirs in the organization
    still waiting for an answer. Nothing is returned and the audit entry is the same
    whatever was waiting, so it never tells who has answered."""
    waiting = FeedbackRequest.objects.select_for_update().filter(
        requester=requester,
        organization=organization,
        anonymous=True,
        status=RequestStatus.PENDING,
    )
    ids = list(waiting.values_list("pk", flat=True))
    FeedbackRequest.objects.filter(pk__in=ids, status=RequestStatus.PENDING).update(
        status=RequestStatus.WITHDRAWN, closed_at=timezone.now()
    )
    audit.record(
        organization,
        AuditCode.ASSESSMENT_FEEDBACK_ANONYMOUS_WITHDRAWN,
        actor=requester,
        data={"anonymous": True},
    )


def _audit_anonymous(
    placement: Placement, code: AuditCode, *, actor: User | None = None, day_only: bool = False
) -> None:
    """An event about an anonymous request: on the placement, never naming the request
    or its rater; what a rater did carries only its day."""
    at = anonymity.audit_time(timezone.localtime()) if day_only else None
    audit.record(placement, code, actor=actor, data={"anonymous": True}, at=at)


def remind_pending(*, now: datetime | None = None) -> int:
    """Send the one reminder each open request gets; returns how many were sent."""
    now = now or timezone.now()
    due = FeedbackRequest.objects.filter(
        status=RequestStatus.PENDING,
        reminded_at__isnull=True,
        created_at__lte=now - REMIND_AFTER,
        expires_at__gt=now,
    ).select_related("requester", "rater", "placement__version__framework")
    sent = 0
    for feedback_request in due:
        with transaction.atomic():
            secret = ""
            if feedback_request.rater is None:
                # Only the hash of the first link exists, so the reminder carries a new one.
                secret = new_link_secret()
                feedback_request.token_hash = digest(secret)
            feedback_request.reminded_at = now
            feedback_request.save(update_fields=["token_hash", "reminded_at"])
            transaction.on_commit(
                partial(
                    emails.send_feedback_request,
                    feedback_request=feedback_request,
                    secret=secret,
                    reminder=True,
                )
            )
        sent += 1
    return sent

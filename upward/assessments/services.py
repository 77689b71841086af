"""Writes for placements, ratings and feedback requests. Signals are append-only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.accounts.tokens import digest, new_link_secret
from upward.assessments import emails, tasks
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Signal,
    Source,
)
from upward.core import audit
from upward.core.errors import Conflict, Invalid
from upward.engine.framework.models import Framework as Document
from upward.frameworks.documents import document_of
from upward.frameworks.models import FrameworkVersion, VersionStatus

REQUEST_DAYS = 21
REMIND_AFTER = timedelta(days=5)


@dataclass(frozen=True)
class Rating:
    """One competency rated: the step held consistently, and optionally one reached sometimes."""

    competency: str
    step: str
    sometimes: str = ""
    comment: str = ""


# Placement ----------------------------------------------------------------------


def _level_position(doc: Document, track: str, level: str, field: str) -> int:
    keys = [lv.key for lv in doc.levels_of(track)]
    if level not in keys:
        raise Invalid(f"Level '{level}' is not on track '{track}'.", field=field)
    return keys.index(level)


def _check_target(doc: Document, track: str, current: str, target_track: str, target: str) -> None:
    now = _level_position(doc, track, current, "current_level")
    goal = _level_position(doc, target_track, target, "target_level")
    if track == target_track and goal <= now:
        raise Invalid("The target level must be above the current level.", field="target_level")
    current_rank, target_rank = doc.level(current).rank, doc.level(target).rank
    if track == target_track or current_rank is None or target_rank is None:
        return
    if target_rank < current_rank:
        raise Invalid(
            "The target level ranks below the current one on the other track.",
            field="target_level",
        )


@transaction.atomic
def place(
    *,
    user: User,
    organization: Organization,
    version: FrameworkVersion,
    track: str,
    current_level: str,
    target_level: str = "",
    target_track: str = "",
) -> Placement:
    """Put a member on a framework; the previous placement stays as history."""
    if version.status == VersionStatus.DRAFT:
        raise Invalid("Pick a published framework version, not a draft.", field="version")
    doc = document_of(version)
    if track not in {t.key for t in doc.tracks}:
        raise Invalid(f"Track '{track}' is not in {doc.name}.", field="track")
    target_track = target_track or track
    if target_track not in {t.key for t in doc.tracks}:
        raise Invalid(f"Track '{target_track}' is not in {doc.name}.", field="target_track")
    if not target_level:
        _level_position(doc, track, current_level, "current_level")
        following = doc.next_level(track, current_level)
        if following is None:
            raise Invalid(
                "You are at the top of this track; pick a target on another track.",
                field="target_level",
            )
        target_level = following.key
    _check_target(doc, track, current_level, target_track, target_level)
    Placement.objects.filter(user=user, organization=organization, is_active=True).update(
        is_active=False
    )
    placement = Placement.objects.create(
        user=user,
        organization=organization,
        version=version,
        track=track,
        current_level=current_level,
        target_track=target_track,
        target_level=target_level,
    )
    audit.record(
        placement,
        "assessment.placement.set",
        actor=user,
        data={
            "framework": version.framework.key,
            "version": version.number,
            "current": current_level,
            "target": target_level,
        },
    )
    return placement


# Ratings -----------------------------------------------------------------------


def _check_ratings(placement: Placement, ratings: list[Rating]) -> None:
    doc = document_of(placement.version)
    known = {c.key for c in doc.competencies}
    for i, rating in enumerate(ratings):
        where = f"ratings[{i}]"
        if rating.competency not in known:
            raise Invalid(
                f"{where}.competency: '{rating.competency}' is not a competency of {doc.name}.",
                field=f"{where}.competency",
            )
        steps = [s.key for s in doc.steps(rating.competency, placement.target_track)]
        for attr in ("step", "sometimes"):
            value = getattr(rating, attr)
            if value and value not in steps:
                raise Invalid(
                    f"{where}.{attr}: '{value}' is not a step of '{rating.competency}' "
                    f"(steps: {', '.join(steps)}).",
                    field=f"{where}.{attr}",
                )


def _store(
    placement: Placement,
    ratings: list[Rating],
    *,
    source: str,
    rater: User | None,
    source_key: str,
    response: FeedbackResponse | None = None,
) -> list[Signal]:
    today = timezone.localdate()
    return Signal.objects.bulk_create(
        [
            Signal(
                subject=placement.user,
                organization=placement.organization,
                version=placement.version,
                competency=r.competency,
                step=r.step,
                sometimes_step=r.sometimes,
                source=source,
                rater=rater,
                source_key=source_key,
                response=response,
                comment=r.comment,
                observed_on=today,
            )
            for r in ratings
        ]
    )


@transaction.atomic
def rate_self(*, placement: Placement, ratings: list[Rating]) -> list[Signal]:
    """Record a self-assessment; it adds signals, the earlier ones stay as history."""
    if not ratings:
        raise Invalid("Rate at least one competency.", field="ratings")
    _check_ratings(placement, ratings)
    signals = _store(
        placement,
        ratings,
        source=Source.SELF,
        rater=placement.user,
        source_key=f"user:{placement.user_id}",
    )
    audit.record(
        placement,
        "assessment.self_rated",
        actor=placement.user,
        data={"competencies": [r.competency for r in ratings]},
    )
    return signals


@transaction.atomic
def rate_as_manager(*, placement: Placement, manager: User, ratings: list[Rating]) -> list[Signal]:
    """A manager assesses a report (access decides who is whose manager)."""
    if not ratings:
        raise Invalid("Rate at least one competency.", field="ratings")
    _check_ratings(placement, ratings)
    signals = _store(
        placement, ratings, source=Source.MANAGER, rater=manager, source_key=f"user:{manager.pk}"
    )
    audit.record(
        placement,
        "assessment.manager_rated",
        actor=manager,
        data={"competencies": [r.competency for r in ratings]},
    )
    return signals


# Feedback requests -------------------------------------------------------------------


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
) -> FeedbackRequest:
    """Ask someone for feedback against the target level; email raters get a single-use link."""
    requester = placement.user
    if relationship not in (Source.MANAGER, Source.PEER, Source.MENTOR):
        raise Invalid("Ask a manager, a peer or a mentor.", field="relationship")
    if (rater is None) == (not email.strip()):
        raise Invalid("Name one rater: a person in Upward or an email address.", field="rater")
    email = email.strip().lower()
    if rater is not None and rater.pk == requester.pk:
        raise Invalid("Ask someone other than yourself.", field="rater")
    if email and email == requester.email:
        raise Invalid("Ask someone other than yourself.", field="email")
    doc = document_of(placement.version)
    known = [c.key for c in doc.competencies]
    unknown = [c for c in competencies if c not in known]
    if unknown:
        raise Invalid(f"Unknown competencies: {', '.join(unknown)}.", field="competencies")
    secret = new_link_secret() if rater is None else ""
    request = FeedbackRequest.objects.create(
        requester=requester,
        organization=placement.organization,
        placement=placement,
        rater=rater,
        rater_email=email,
        relationship=relationship,
        anonymous=anonymous,
        competencies=competencies or known,
        message=message.strip(),
        token_hash=digest(secret) if secret else None,
        expires_at=timezone.now() + timedelta(days=REQUEST_DAYS),
    )
    audit.record(
        request,
        "assessment.feedback.requested",
        actor=requester,
        data={
            "relationship": relationship,
            "anonymous": anonymous,
            "rater": rater.email if rater else email,
        },
    )
    transaction.on_commit(lambda: emails.send_feedback_request(request=request, secret=secret))
    transaction.on_commit(tasks.schedule_reminders)
    return request


def find_request_by_link(secret: str) -> FeedbackRequest:
    """The open request an emailed link belongs to, or a clear reason it can't be used."""
    request = (
        FeedbackRequest.objects.select_related(
            "requester", "placement__version__framework", "organization"
        )
        .filter(token_hash=digest(secret))
        .first()
    )
    if request is None:
        raise Invalid("This feedback link is not valid.")
    _check_open(request)
    return request


def _check_open(request: FeedbackRequest) -> None:
    if request.status == RequestStatus.ANSWERED:
        raise Conflict("This feedback request has already been answered.")
    if request.status == RequestStatus.DECLINED:
        raise Conflict("This feedback request was declined.")
    if request.status == RequestStatus.WITHDRAWN:
        raise Conflict("This feedback request was withdrawn.")
    if request.expires_at <= timezone.now():
        raise Conflict("This feedback request has expired.")


@transaction.atomic
def respond(
    *,
    request: FeedbackRequest,
    ratings: list[Rating],
    consistent_at: str = "",
    biggest_gap: str = "",
    by: User | None = None,
) -> FeedbackResponse:
    """Answer a request once: ratings become signals; anonymous answers lose their request."""
    request = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
    _check_open(request)
    outside = [r.competency for r in ratings if r.competency not in request.competencies]
    if outside:
        raise Invalid(f"Not asked about: {', '.join(outside)}.", field="ratings")
    if not ratings and not (consistent_at.strip() or biggest_gap.strip()):
        raise Invalid("Rate at least one competency or answer a question.", field="ratings")
    placement = request.placement
    _check_ratings(placement, ratings)
    response = FeedbackResponse.objects.create(
        subject=placement.user,
        organization=placement.organization,
        placement=placement,
        request=None if request.anonymous else request,
        anonymous=request.anonymous,
        relationship=request.relationship,
        consistent_at=consistent_at.strip(),
        biggest_gap=biggest_gap.strip(),
    )
    if request.anonymous:
        rater, key = None, f"anon:{uuid.uuid4().hex}"
    else:
        rater = request.rater or by
        key = f"user:{rater.pk}" if rater else f"email:{request.rater_email}"
    _store(
        placement,
        ratings,
        source=request.relationship,
        rater=rater,
        source_key=key,
        response=response,
    )
    # The link's hash stays, so a second visit hears "already answered", not "unknown".
    request.status = RequestStatus.ANSWERED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit.record(
        request,
        "assessment.feedback.answered",
        actor=None if request.anonymous else by,
        organization=placement.organization,
        data={"anonymous": request.anonymous},
    )
    return response


@transaction.atomic
def decline(*, request: FeedbackRequest, by: User | None = None) -> FeedbackRequest:
    """The rater says no; the requester sees it (as a count, when anonymous)."""
    _check_open(request)
    request.status = RequestStatus.DECLINED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit.record(request, "assessment.feedback.declined", actor=by)
    return request


@transaction.atomic
def withdraw(*, request: FeedbackRequest, by: User) -> FeedbackRequest:
    """The requester takes back a request nobody has answered."""
    _check_open(request)
    request.status = RequestStatus.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit.record(request, "assessment.feedback.withdrawn", actor=by)
    return request


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
    for request in due:
        with transaction.atomic():
            secret = ""
            if request.rater is None:
                # Only the hash of the first link exists, so the reminder carries a new one.
                secret = new_link_secret()
                request.token_hash = digest(secret)
            request.reminded_at = now
            request.save(update_fields=["token_hash", "reminded_at"])
            transaction.on_commit(
                partial(emails.send_feedback_request, request=request, secret=secret, reminder=True)
            )
        sent += 1
    return sent

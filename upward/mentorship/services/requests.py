"""Changes to mentorship requests: a member asks a mentor; the mentor accepts (which
opens their room) or declines; the member withdraws while it waits."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.accounts.relationships import relationships
from upward.assessments.selectors import active_placement
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.visibility import Relationship
from upward.frameworks.selectors import document_of
from upward.mentorship import emails_requests
from upward.mentorship.models import (
    MentorProfile,
    MentorshipRequest,
    RequestStatus,
    Room,
    RoomStatus,
)
from upward.mentorship.services.profiles import active_mentees
from upward.mentorship.services.rooms import open_room

__all__ = [
    "MESSAGE_MAX",
    "accept_request",
    "decline_request",
    "send_request",
    "withdraw_request",
]

MESSAGE_MAX = 2000


def _check_mentor(mentee: User, organization: Organization, profile: MentorProfile) -> None:
    """Whom a member may ask: not themselves, not their own manager, not a mentor who is
    paused, full, already asked or already mentoring them here."""
    if profile.user_id == mentee.pk:
        raise Invalid("You can't ask yourself to mentor you.", field="mentor")
    if Relationship.MANAGER in relationships(profile.user, mentee, organization):
        raise Invalid(
            "Your manager assesses you, so they can't also be your mentor: ask someone else.",
            field="mentor",
        )
    if not profile.accepting:
        raise Conflict(f"{profile.user.display_name} is not taking new mentees now.")
    if active_mentees(profile.user) >= profile.capacity:
        raise Conflict(f"{profile.user.display_name} has no place open now.")
    if MentorshipRequest.objects.filter(
        mentee=mentee, profile=profile, status=RequestStatus.PENDING
    ).exists():
        raise Conflict(f"You already asked {profile.user.display_name}; they haven't answered yet.")
    if Room.objects.filter(
        mentor_id=profile.user_id,
        mentee=mentee,
        organization=organization,
        status=RoomStatus.ACTIVE,
    ).exists():
        raise Conflict(f"{profile.user.display_name} already mentors you.")


def _competencies(mentee: User, organization: Organization, keys: Sequence[str]) -> list[str]:
    """The gaps the request is about: competencies of the member's own framework."""
    if not keys:
        return []
    placement = active_placement(mentee, organization)
    known = (
        {c.key for c in document_of(placement.version).competencies} if placement else set[str]()
    )
    for n, key in enumerate(keys):
        if key not in known:
            raise Invalid(
                f"“{key}” is not a competency of your framework.", field=f"competencies[{n}]"
            )
    return list(dict.fromkeys(keys))


@transaction.atomic
def send_request(
    *,
    mentee: User,
    organization: Organization,
    profile: MentorProfile,
    message: str = "",
    competencies: Sequence[str] = (),
) -> MentorshipRequest:
    """`mentee`, working in `organization`, asks the profile's mentor to mentor them."""
    if len(message) > MESSAGE_MAX:
        raise Invalid(f"Keep the message under {MESSAGE_MAX} characters.", field="message")
    _check_mentor(mentee, organization, profile)
    keys = _competencies(mentee, organization, competencies)
    made = MentorshipRequest.objects.create(
        mentee=mentee,
        organization=organization,
        profile=profile,
        competencies=keys,
        message=message.strip(),
    )
    audit.record(
        made, AuditCode.MENTORSHIP_REQUEST_SENT, actor=mentee, data={"profile": profile.pk}
    )
    emails_requests.notify_received(request=made)
    return made


def _pending(request: MentorshipRequest) -> None:
    if request.status != RequestStatus.PENDING:
        raise Conflict(f"This request is already {request.get_status_display().lower()}.")


def _decide(request: MentorshipRequest, status: RequestStatus, reason: str = "") -> None:
    request.status = status
    request.decided_at = timezone.now()
    request.decline_reason = reason
    request.save(update_fields=["status", "decided_at", "decline_reason"])


@transaction.atomic
def accept_request(*, request: MentorshipRequest, by: User) -> Room:
    """The mentor accepts: the request is answered and their room opens, at the
    profile's cadence. Refused when they have no place open any more."""
    _pending(request)
    profile = request.profile
    if active_mentees(profile.user) >= profile.capacity:
        raise Conflict("You have no place open: raise your capacity or end a mentorship first.")
    room = open_room(
        mentor=profile.user,
        mentee=request.mentee,
        organization=request.organization,
        cadence=profile.cadence,
        profile=profile,
    )
    _decide(request, RequestStatus.ACCEPTED)
    audit.record(request, AuditCode.MENTORSHIP_REQUEST_ACCEPTED, actor=by, data={"room": room.pk})
    emails_requests.notify_answered(request=request, room=room)
    return room


@transaction.atomic
def decline_request(*, request: MentorshipRequest, by: User, reason: str = "") -> MentorshipRequest:
    """The mentor declines, with a reason the member reads if they give one."""
    _pending(request)
    if len(reason) > MESSAGE_MAX:
        raise Invalid(f"Keep the reason under {MESSAGE_MAX} characters.", field="reason")
    _decide(request, RequestStatus.DECLINED, reason.strip())
    audit.record(request, AuditCode.MENTORSHIP_REQUEST_DECLINED, actor=by)
    emails_requests.notify_answered(request=request)
    return request


@transaction.atomic
def withdraw_request(*, request: MentorshipRequest, by: User) -> MentorshipRequest:
    """The member takes back a request the mentor hasn't answered."""
    _pending(request)
    _decide(request, RequestStatus.WITHDRAWN)
    audit.record(request, AuditCode.MENTORSHIP_REQUEST_WITHDRAWN, actor=by)
    return request

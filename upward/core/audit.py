"""The audit log: `record()` is the only way rows get into it, with a code from `AuditCode`."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from upward.core.models import AuditEvent

# app.object.verb: the app's name in the singular, what changed, and what happened to it.
CODE_GRAMMAR = re.compile(r"[a-z]+\.[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*")


class AuditCode(StrEnum):
    """Every code the audit log knows, grouped by app. Codes are stable: rows keep them."""

    # accounts
    ACCOUNT_ORGANIZATION_CREATED = "account.organization.created"
    ACCOUNT_MEMBER_ADDED = "account.member.added"
    ACCOUNT_MEMBER_REMOVED = "account.member.removed"
    ACCOUNT_MEMBER_LEFT = "account.member.left"
    ACCOUNT_MEMBER_ROLE_CHANGED = "account.member.role_changed"
    ACCOUNT_INVITATION_CREATED = "account.invitation.created"
    ACCOUNT_INVITATION_REVOKED = "account.invitation.revoked"
    ACCOUNT_TEAM_CREATED = "account.team.created"
    ACCOUNT_TEAM_UPDATED = "account.team.updated"
    ACCOUNT_TEAM_DELETED = "account.team.deleted"
    ACCOUNT_TEAM_MEMBER_ADDED = "account.team.member_added"
    ACCOUNT_TEAM_MEMBER_REMOVED = "account.team.member_removed"
    ACCOUNT_TOKEN_CREATED = "account.token.created"  # noqa: S105 (a code, not a secret)
    ACCOUNT_TOKEN_REVOKED = "account.token.revoked"  # noqa: S105 (a code, not a secret)
    ACCOUNT_PROFILE_UPDATED = "account.profile.updated"
    # frameworks
    FRAMEWORK_VERSION_IMPORTED = "framework.version.imported"
    FRAMEWORK_VERSION_PUBLISHED = "framework.version.published"
    FRAMEWORK_DRAFT_CREATED = "framework.draft.created"
    FRAMEWORK_DRAFT_EDITED = "framework.draft.edited"
    FRAMEWORK_DRAFT_DISCARDED = "framework.draft.discarded"
    # assessments
    ASSESSMENT_PLACEMENT_SET = "assessment.placement.set"
    ASSESSMENT_PLACEMENT_SELF_RATED = "assessment.placement.self_rated"
    ASSESSMENT_PLACEMENT_MANAGER_RATED = "assessment.placement.manager_rated"
    ASSESSMENT_FEEDBACK_REQUESTED = "assessment.feedback.requested"
    ASSESSMENT_FEEDBACK_ANSWERED = "assessment.feedback.answered"
    ASSESSMENT_FEEDBACK_DECLINED = "assessment.feedback.declined"
    ASSESSMENT_FEEDBACK_WITHDRAWN = "assessment.feedback.withdrawn"
    ASSESSMENT_FEEDBACK_ANONYMOUS_WITHDRAWN = "assessment.feedback.anonymous_withdrawn"
    # notifications
    NOTIFICATION_PREFERENCE_CHANGED = "notification.preference.changed"
    # roadmaps
    ROADMAP_OBJECTIVE_CREATED = "roadmap.objective.created"
    ROADMAP_OBJECTIVE_UPDATED = "roadmap.objective.updated"
    ROADMAP_OBJECTIVE_DELETED = "roadmap.objective.deleted"
    ROADMAP_OBJECTIVE_STARTED = "roadmap.objective.started"
    ROADMAP_OBJECTIVE_COMPLETED = "roadmap.objective.completed"
    ROADMAP_OBJECTIVE_DROPPED = "roadmap.objective.dropped"
    ROADMAP_OBJECTIVE_REOPENED = "roadmap.objective.reopened"
    ROADMAP_OBJECTIVE_CARRIED_OVER = "roadmap.objective.carried_over"
    ROADMAP_MILESTONE_ADDED = "roadmap.milestone.added"
    ROADMAP_MILESTONE_UPDATED = "roadmap.milestone.updated"
    ROADMAP_MILESTONE_CHECKED = "roadmap.milestone.checked"
    ROADMAP_MILESTONE_UNCHECKED = "roadmap.milestone.unchecked"
    ROADMAP_MILESTONE_DELETED = "roadmap.milestone.deleted"
    ROADMAP_PROPOSALS_ACCEPTED = "roadmap.proposals.accepted"
    ROADMAP_TEMPLATE_CREATED = "roadmap.template.created"
    ROADMAP_TEMPLATE_UPDATED = "roadmap.template.updated"
    ROADMAP_TEMPLATE_SUBMITTED = "roadmap.template.submitted"
    ROADMAP_TEMPLATE_PUBLISHED = "roadmap.template.published"
    ROADMAP_TEMPLATE_RETURNED = "roadmap.template.returned"
    ROADMAP_TEMPLATE_ARCHIVED = "roadmap.template.archived"
    ROADMAP_TEMPLATE_APPLIED = "roadmap.template.applied"
    ROADMAP_TEMPLATE_RATED = "roadmap.template.rated"
    ROADMAP_CALENDAR_CREATED = "roadmap.calendar.created"
    ROADMAP_CALENDAR_REVOKED = "roadmap.calendar.revoked"
    # evidence: entries
    EVIDENCE_ENTRY_CREATED = "evidence.entry.created"
    EVIDENCE_ENTRY_UPDATED = "evidence.entry.updated"
    EVIDENCE_ENTRY_DELETED = "evidence.entry.deleted"
    EVIDENCE_CONFIRMATION_REQUESTED = "evidence.confirmation.requested"
    EVIDENCE_CONFIRMATION_CREATED = "evidence.confirmation.created"
    EVIDENCE_CONFIRMATION_WITHDRAWN = "evidence.confirmation.withdrawn"
    EVIDENCE_COLLABORATOR_ACCEPTED = "evidence.collaborator.accepted"
    EVIDENCE_COLLABORATOR_DECLINED = "evidence.collaborator.declined"
    # evidence: threads
    EVIDENCE_THREAD_OPENED = "evidence.thread.opened"
    EVIDENCE_THREAD_UPDATED = "evidence.thread.updated"
    EVIDENCE_THREAD_DELETED = "evidence.thread.deleted"
    EVIDENCE_POST_EDITED = "evidence.post.edited"
    EVIDENCE_POST_DELETED = "evidence.post.deleted"
    EVIDENCE_POST_PROMOTED = "evidence.post.promoted"
    # evidence: packets
    EVIDENCE_PACKET_CREATED = "evidence.packet.created"
    EVIDENCE_PACKET_UPDATED = "evidence.packet.updated"
    EVIDENCE_PACKET_DELETED = "evidence.packet.deleted"
    EVIDENCE_SHARE_LINK_CREATED = "evidence.share_link.created"
    EVIDENCE_SHARE_LINK_REVOKED = "evidence.share_link.revoked"
    # evidence: record
    EVIDENCE_RECORD_IMPORTED = "evidence.record.imported"
    EVIDENCE_ACCOUNT_ERASED = "evidence.account.erased"
    # mentorship: profiles, verification and settings
    MENTORSHIP_PROFILE_CREATED = "mentorship.profile.created"
    MENTORSHIP_PROFILE_UPDATED = "mentorship.profile.updated"
    MENTORSHIP_PROFILE_DELETED = "mentorship.profile.deleted"
    MENTORSHIP_OFFER_VERIFIED = "mentorship.offer.verified"
    MENTORSHIP_OFFER_UNVERIFIED = "mentorship.offer.unverified"
    MENTORSHIP_SETTINGS_UPDATED = "mentorship.settings.updated"
    # mentorship: requests
    MENTORSHIP_REQUEST_SENT = "mentorship.request.sent"
    MENTORSHIP_REQUEST_ACCEPTED = "mentorship.request.accepted"
    MENTORSHIP_REQUEST_DECLINED = "mentorship.request.declined"
    MENTORSHIP_REQUEST_WITHDRAWN = "mentorship.request.withdrawn"
    # mentorship: programmes
    MENTORSHIP_PROGRAMME_OPENED = "mentorship.programme.opened"
    MENTORSHIP_PROGRAMME_UPDATED = "mentorship.programme.updated"
    MENTORSHIP_PROGRAMME_JOINED = "mentorship.programme.joined"
    MENTORSHIP_PROGRAMME_LEFT = "mentorship.programme.left"
    MENTORSHIP_PROGRAMME_PROPOSED = "mentorship.programme.proposed"
    MENTORSHIP_PROGRAMME_ADJUSTED = "mentorship.programme.adjusted"
    MENTORSHIP_PROGRAMME_PUBLISHED = "mentorship.programme.published"
    MENTORSHIP_PROGRAMME_CLOSED = "mentorship.programme.closed"
    # mentorship: rooms (that they opened and ended, and by whom; never what is in them)
    MENTORSHIP_ROOM_OPENED = "mentorship.room.opened"
    MENTORSHIP_ROOM_ENDED = "mentorship.room.ended"
    MENTORSHIP_ROOM_RATED = "mentorship.room.rated"

    INSIGHTS_SETTINGS_CHANGED = "insights.settings.changed"


def record(
    target: models.Model,
    code: AuditCode,
    *,
    actor: AbstractUser | None,
    organization: models.Model | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event; `code` must be listed in `AuditCode` (a ValueError names it if not).

    `at` replaces the time of the event, for events that may carry only a coarser one
    (see upward.core.anonymity)."""
    code = AuditCode(code)
    if organization is None:
        organization = _organization_of(target)
    event = AuditEvent.objects.create(
        organization_id=organization.pk if organization is not None else None,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor.email if actor is not None else "",
        code=code.value,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=data or {},
    )
    if at is not None:
        # created_at is always set on insert, so the coarser time is written after it.
        AuditEvent.objects.filter(pk=event.pk).update(created_at=at)
        event.created_at = at
    return event


def _organization_of(target: models.Model) -> models.Model | None:
    # Core knows no app: the organization model is whatever the audit log points at.
    if isinstance(target, AuditEvent._meta.get_field("organization").related_model):
        return target
    return getattr(target, "organization", None)

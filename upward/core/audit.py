"""The audit log: `record()` is the only way rows get into it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from upward.core.models import AuditEvent

if TYPE_CHECKING:
    from upward.accounts.models import Organization, User


def record(
    target: models.Model,
    code: str,
    *,
    actor: User | None,
    organization: Organization | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event: `code` is a stable dotted name such as `org.member.added`.

    `at` replaces the time of the event, for events that may carry only a coarser one
    (see upward.core.anonymity)."""
    if organization is None:
        organization = _organization_of(target)
    event = AuditEvent.objects.create(
        organization=organization,
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        code=code,
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


def _organization_of(target: models.Model) -> Organization | None:
    from upward.accounts.models import Organization

    if isinstance(target, Organization):
        return target
    return getattr(target, "organization", None)

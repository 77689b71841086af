"""The audit log: `record()` is the only way rows get into it."""

from __future__ import annotations

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
) -> AuditEvent:
    """Append one event: `code` is a stable dotted name such as `org.member.added`."""
    if organization is None:
        organization = _organization_of(target)
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        code=code,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=data or {},
    )


def _organization_of(target: models.Model) -> Organization | None:
    from upward.accounts.models import Organization

    if isinstance(target, Organization):
        return target
    return getattr(target, "organization", None)

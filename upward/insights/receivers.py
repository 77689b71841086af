"""Keep standings current: connected from the app's `ready`.

Everything runs once the transaction commits, and each person is refreshed once per
transaction however many of their signals it stored or deleted: signals saved or
deleted one by one are announced like those written in bulk, and
`upward.assessments.services.events` sends one `signals_changed` per organization and
transaction.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from upward.accounts.models import Organization
from upward.assessments.models import Placement, Signal
from upward.assessments.services.events import Batched, announce, signals_changed
from upward.insights.services import standings
from upward.mentorship.models import Room
from upward.roadmaps.models import Objective

# The organization's fields a standing is computed with.
RULES = ("delta_policy", "anonymity_threshold")

_refreshed = Batched(lambda organization_id, ids: standings.refresh(organization_id, ids))
_flagged = Batched(standings.refresh_flags)


def connect() -> None:
    """Connect the receivers that refresh standings when what they are made of changes."""
    post_save.connect(_signal_stored, sender=Signal, dispatch_uid="insights.signal_saved")
    post_delete.connect(_signal_stored, sender=Signal, dispatch_uid="insights.signal_deleted")
    signals_changed.connect(_signals_changed, dispatch_uid="insights.signals_changed")
    post_save.connect(_placement_saved, sender=Placement, dispatch_uid="insights.placement")
    for model, uid in ((Objective, "objective"), (Room, "room")):
        post_save.connect(_flags_changed, sender=model, dispatch_uid=f"insights.{uid}_saved")
        post_delete.connect(_flags_changed, sender=model, dispatch_uid=f"insights.{uid}_deleted")
    post_init.connect(_rules_loaded, sender=Organization, dispatch_uid="insights.org_loaded")
    pre_save.connect(_rules_before, sender=Organization, dispatch_uid="insights.org_before")
    post_save.connect(_rules_saved, sender=Organization, dispatch_uid="insights.org_saved")


def _signal_stored(sender: type[Signal], instance: Signal, **kwargs: Any) -> None:
    # Through `announce`, so signals saved one by one and in bulk in the same
    # transaction make one `signals_changed`, and one refresh.
    announce(instance.organization_id, [instance.subject_id])


def _signals_changed(
    sender: object, organization_id: int, subject_ids: frozenset[int], **kwargs: Any
) -> None:
    _refreshed.add(organization_id, subject_ids)


def _placement_saved(sender: type[Placement], instance: Placement, **kwargs: Any) -> None:
    _refreshed.add(instance.organization_id, [instance.user_id])


def _flags_changed(
    sender: type[Objective | Room], instance: Objective | Room, **kwargs: Any
) -> None:
    person = instance.owner_id if isinstance(instance, Objective) else instance.mentee_id
    _flagged.add(instance.organization_id, [person])


def _rules_of(values: dict[str, Any]) -> dict[str, str]:
    """The organization's rules that are loaded, as comparable text."""
    return {name: json.dumps(values[name], sort_keys=True) for name in RULES if name in values}


def _rules_loaded(sender: type[Organization], instance: Organization, **kwargs: Any) -> None:
    """Note the rules as read from the database (no query: deferred ones are left out)."""
    instance._insights_rules = _rules_of(instance.__dict__)  # type: ignore[attr-defined]


def _rules_before(
    sender: type[Organization],
    instance: Organization,
    update_fields: frozenset[str] | None = None,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    """Read the stored rules that were not loaded, when this save may change them."""
    known: dict[str, str] = getattr(instance, "_insights_rules", {})
    missing = [name for name in RULES if name not in known]
    if raw or instance.pk is None or not missing:
        return
    if update_fields is not None and not set(missing) & update_fields:
        return
    stored = Organization.objects.filter(pk=instance.pk).values(*missing).first() or {}
    instance._insights_rules = {**known, **_rules_of(stored)}  # type: ignore[attr-defined]


def _rules_saved(
    sender: type[Organization],
    instance: Organization,
    created: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Rebuild the organization's standings (in the background) when its rules changed."""
    before: dict[str, str] = getattr(instance, "_insights_rules", {})
    now = _rules_of(instance.__dict__)
    if update_fields is not None:
        now = {name: value for name, value in now.items() if name in update_fields}
    instance._insights_rules = {**before, **now}  # type: ignore[attr-defined]
    changed = any(name in before and before[name] != value for name, value in now.items())
    if created or not changed:
        return
    organization_id = instance.pk
    transaction.on_commit(lambda: _enqueue(organization_id))


def _enqueue(organization_id: int) -> None:
    from upward.insights.tasks import refresh_organization

    refresh_organization.enqueue(organization_id)

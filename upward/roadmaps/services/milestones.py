"""Writes for the milestones of an objective: a checklist with optional days."""

from __future__ import annotations

from datetime import date
from types import EllipsisType

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from upward.accounts.models import User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Invalid
from upward.roadmaps.models import Milestone, Objective, Status
from upward.roadmaps.services.checks import check_title


def _check_milestone_day(objective: Objective, due_on: date | None) -> None:
    if due_on is not None and objective.due_on is not None and due_on > objective.due_on:
        raise Invalid(
            f"{due_on} is after the objective's deadline {objective.due_on}.", field="due_on"
        )


def _record_milestone(milestone: Milestone, code: AuditCode, by: User) -> None:
    audit.record(
        milestone,
        code,
        actor=by,
        organization=milestone.objective.organization,
        data={"objective": milestone.objective_id},
    )


@transaction.atomic
def add_milestone(
    *, objective: Objective, by: User, title: str, due_on: date | None = None
) -> Milestone:
    """Add a checkpoint at the end of an objective's list."""
    title = check_title(title)
    _check_milestone_day(objective, due_on)
    last = objective.milestones.aggregate(last=Max("position"))["last"]
    milestone = Milestone.objects.create(
        objective=objective, title=title, due_on=due_on, position=0 if last is None else last + 1
    )
    _record_milestone(milestone, AuditCode.ROADMAP_MILESTONE_ADDED, by)
    return milestone


@transaction.atomic
def update_milestone(
    *,
    milestone: Milestone,
    by: User,
    title: str | None = None,
    due_on: date | EllipsisType | None = ...,
) -> Milestone:
    """Rename a milestone or move its day (None clears the day; leave it out to keep it)."""
    changed = []
    if title is not None:
        milestone.title = check_title(title)
        changed.append("title")
    if not isinstance(due_on, EllipsisType):
        _check_milestone_day(milestone.objective, due_on)
        milestone.due_on = due_on
        milestone.overdue_notified_on = None
        changed += ["due_on", "overdue_notified_on"]
    if changed:
        milestone.save(update_fields=changed)
    _record_milestone(milestone, AuditCode.ROADMAP_MILESTONE_UPDATED, by)
    return milestone


@transaction.atomic
def set_milestone_done(*, milestone: Milestone, by: User, done: bool) -> Milestone:
    """Tick a milestone off (or back on). Ticking one off starts a planned objective."""
    milestone.done_at = timezone.now() if done else None
    milestone.save(update_fields=["done_at"])
    objective = milestone.objective
    if done and objective.status == Status.PLANNED:
        objective.status, objective.started_at = Status.ACTIVE, timezone.now()
        objective.save(update_fields=["status", "started_at", "updated_at"])
    code = AuditCode.ROADMAP_MILESTONE_CHECKED if done else AuditCode.ROADMAP_MILESTONE_UNCHECKED
    _record_milestone(milestone, code, by)
    return milestone


@transaction.atomic
def delete_milestone(*, milestone: Milestone, by: User) -> None:
    """Remove a milestone from its objective."""
    _record_milestone(milestone, AuditCode.ROADMAP_MILESTONE_DELETED, by)
    milestone.delete()

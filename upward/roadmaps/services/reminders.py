"""The daily sweep: tell people about objectives and milestones that are past due.

An item is told about the first day it is overdue, then once a week while it stays
so; never twice in a day, however often the sweep runs (each item is claimed with a
conditional update of its `overdue_notified_on`, so two sweeps at once send one).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from upward.roadmaps import emails
from upward.roadmaps.models import OPEN_STATUSES, Milestone, Objective

REMIND_EVERY = timedelta(days=7)


def _due_for_reminder(today: date) -> Q:
    return Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lte=today - REMIND_EVERY)


def overdue_objectives(today: date) -> QuerySet[Objective]:
    """Open objectives of current placements past their deadline, whose owner is still a
    member, and not told about in the last week."""
    return Objective.objects.filter(
        _due_for_reminder(today),
        status__in=OPEN_STATUSES,
        due_on__lt=today,
        placement__is_active=True,
        organization__memberships__user=F("owner"),
    ).select_related("owner")


def overdue_milestones(today: date) -> QuerySet[Milestone]:
    """Milestones not done of such objectives, past their day."""
    return Milestone.objects.filter(
        _due_for_reminder(today),
        done_at__isnull=True,
        due_on__lt=today,
        objective__status__in=OPEN_STATUSES,
        objective__placement__is_active=True,
        objective__organization__memberships__user=F("objective__owner"),
    ).select_related("objective__owner")


def _claim(
    model: type[Objective] | type[Milestone], pk: int, seen: date | None, today: date
) -> bool:
    """Mark the item told about today, if no other sweep did first."""
    return bool(
        model.objects.filter(pk=pk, overdue_notified_on=seen).update(overdue_notified_on=today)
        if seen is not None
        else model.objects.filter(pk=pk, overdue_notified_on__isnull=True).update(
            overdue_notified_on=today
        )
    )


def remind_overdue(*, today: date | None = None) -> int:
    """Send the reminders due today; returns how many were sent. Safe to run any number of times."""
    today = today or timezone.localdate()
    sent = 0
    for objective in overdue_objectives(today):
        with transaction.atomic():
            if _claim(Objective, objective.pk, objective.overdue_notified_on, today):
                emails.notify_objective_overdue(objective=objective)
                sent += 1
    for milestone in overdue_milestones(today):
        with transaction.atomic():
            if _claim(Milestone, milestone.pk, milestone.overdue_notified_on, today):
                emails.notify_milestone_overdue(milestone=milestone)
                sent += 1
    return sent

"""What roadmaps tell people, through notifications: objectives and milestones past due.

Both kinds default to the daily digest: a deadline passing is worth knowing, not
worth an interruption. The sweep (`services.remind_overdue`) decides when to tell.
"""

from __future__ import annotations

from django.urls import reverse

from upward.notifications.services import Choice, notify, register_kind
from upward.roadmaps.models import Milestone, Objective

OBJECTIVE_OVERDUE = register_kind(
    "roadmap.objective_overdue", "Objectives past their deadline", default=Choice.DAILY
).key
MILESTONE_OVERDUE = register_kind(
    "roadmap.milestone_overdue", "Milestones past their day", default=Choice.DAILY
).key


def objective_path(objective_id: int) -> str:
    """The objective's page (roadmaps:objective)."""
    return reverse("roadmaps:objective", args=[objective_id])


def notify_objective_overdue(*, objective: Objective) -> None:
    """Tell the owner an open objective is past its deadline."""
    title = f"Past its deadline: {objective.title}"
    body = (
        f"“{objective.title}” was due {objective.due_on:%d %B %Y}. Finish it, move the "
        "deadline, or drop it with a reason, so your roadmap says what you will really do."
    )
    notify(
        recipient=objective.owner,
        kind_key=OBJECTIVE_OVERDUE,
        title=title,
        url=objective_path(objective.pk),
        body=body,
    )


def notify_milestone_overdue(*, milestone: Milestone) -> None:
    """Tell the owner a milestone of an open objective is past its day."""
    objective = milestone.objective
    title = f"Milestone past its day: {milestone.title}"
    body = (
        f"The milestone “{milestone.title}” of “{objective.title}” was due "
        f"{milestone.due_on:%d %B %Y}. Tick it off if it is done, or move it."
    )
    notify(
        recipient=objective.owner,
        kind_key=MILESTONE_OVERDUE,
        title=title,
        url=objective_path(objective.pk),
        body=body,
    )

"""Background work for roadmaps: the daily sweep of what is past due."""

from __future__ import annotations

from django.tasks import task

from upward.roadmaps.services import remind_overdue


@task()
def send_overdue_reminders() -> int:
    """Tell people about objectives and milestones past due; safe to run any number of times."""
    return remind_overdue()

"""Background work for mentorship: the daily sweep of rooms whose check-in is due."""

from __future__ import annotations

from django.tasks import task

from upward.mentorship.services import remind_rooms


@task()
def send_check_in_reminders() -> int:
    """Remind both sides of rooms whose check-in is due or overdue; safe to run again."""
    return remind_rooms()

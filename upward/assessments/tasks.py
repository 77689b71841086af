"""Background work for feedback: the one reminder an unanswered request gets."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone

# How long a request waits before its one reminder (services import it from here,
# so this module needs nothing from them at import time).
REMIND_AFTER = timedelta(days=5)


@task()
def send_feedback_reminders() -> int:
    """Remind raters of requests open for a while; safe to run any number of times."""
    from upward.assessments.services import remind_pending

    return remind_pending()


def schedule_reminders() -> None:
    """Queue a reminder run for when a request made now becomes due.

    Backends that can't defer (the immediate one used by the demo and tests)
    rely on `upward manage remind_feedback`, run daily, instead.
    """
    if default_task_backend.supports_defer:
        when = timezone.now() + REMIND_AFTER
        send_feedback_reminders.using(run_after=when).enqueue()

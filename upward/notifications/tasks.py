"""Background delivery: one task per instant email, one digest run a day.

Tasks carry only ids, never a message's text: what is sent is read from the
notification row, which holds no secrets.
"""

from __future__ import annotations

from django.tasks import task


@task()
def deliver_notification(notification_id: int) -> bool:
    """Email one notification to a person who chose instant email; safe to retry."""
    from upward.notifications.services import deliver

    return deliver(notification_id=notification_id)


@task()
def send_digests() -> int:
    """Send today's daily digests (and on the digest weekday, the weekly ones); safe to rerun."""
    from upward.notifications.services import send_digests as send

    return send()

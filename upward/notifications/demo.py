"""Demo notifications: Alice's inbox with a few read entries beside the unread one
that Sam's answer leaves, and one email choice that isn't the default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import User
from upward.notifications.kinds import Choice
from upward.notifications.models import Notification, Preference

DEMO_EMAIL = "alice@example.com"

# (kind, title, url name, days ago); each one already read.
READ = [
    ("feedback.answered", "Bob Okafor answered your feedback request", "assessments:my_delta", 40),
    (
        "feedback.declined",
        "Noor Haddad declined your feedback request",
        "assessments:feedback_requests",
        12,
    ),
]


@transaction.atomic
def load(progress: Callable[[str], None] = lambda _msg: None) -> None:
    """Give Alice read notifications and a weekly digest of reminders; once only."""
    alice = User.objects.filter(email=DEMO_EMAIL).first()
    if alice is None or Preference.objects.filter(user=alice).exists():
        return
    progress("filling Alice's notifications ...")
    now = timezone.now()
    for kind, title, url_name, days in READ:
        made = Notification.objects.create(
            recipient=alice, kind=kind, title=title, url=reverse(url_name), read_at=now
        )
        # Demo data only: the inbox dates what it stores now.
        Notification.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=days))
    Preference.objects.create(user=alice, kind="feedback.reminder", choice=Choice.WEEKLY)

"""Reads: a person's inbox, unread count and email choices."""

from __future__ import annotations

from django.db.models import QuerySet

from upward.accounts.models import User
from upward.notifications.kinds import Choice, kind, stored_kinds
from upward.notifications.models import Notification, Preference


def inbox(user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def latest_unread(user: User, limit: int = 5) -> list[Notification]:
    """The person's newest unread notifications, at most `limit` (one query)."""
    return list(inbox(user).filter(read_at__isnull=True)[:limit])


def choices_of(user: User) -> dict[str, Choice]:
    """The person's email choice for every kind they can choose for (one query)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "choice"))
    return {k.key: Choice(chosen.get(k.key, k.default)) for k in stored_kinds()}


def choice_for(user: User, key: str) -> Choice:
    """The person's email choice for one kind (one query)."""
    row = Preference.objects.filter(user=user, kind=key).values_list("choice", flat=True).first()
    return Choice(row) if row else kind(key).default

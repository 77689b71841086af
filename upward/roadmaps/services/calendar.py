"""Writes for a person's calendar feed: a secret address, shown once, revocable."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.tokens import digest, new_link_secret
from upward.roadmaps.models import CalendarFeed


@transaction.atomic
def create_calendar_feed(*, user: User) -> str:
    """A new secret for the person's feed (the previous one stops working); only its hash
    is kept, so the raw token is returned this once."""
    _revoke(user)
    raw = new_link_secret()
    feed = CalendarFeed.objects.create(user=user, token_hash=digest(raw))
    audit.record(feed, AuditCode.ROADMAP_CALENDAR_CREATED, actor=user)
    return raw


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> int:
    """End the person's feed: its address answers 404 from now on. Returns how many ended."""
    ended = _revoke(user)
    if ended:
        audit.record(user, AuditCode.ROADMAP_CALENDAR_REVOKED, actor=user, organization=None)
    return ended


def _revoke(user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )

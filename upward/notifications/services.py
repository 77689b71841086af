"""Writes: telling people things, reading and unsubscribing, and sending the email.

Apps register their kinds (`register_kind`) and call `notify` for a person with
an account, inside their own transaction: the inbox entry commits with the event
and its email is queued once it has. `send_direct` is for an address that may
have no account (a link carrying a secret): it sends at once, stores nothing, and
is called from `transaction.on_commit` by its caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from upward.accounts.models import User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Invalid, NotFound
from upward.core.mail import logged_failures
from upward.notifications import messages, selectors
from upward.notifications.kinds import Choice, Kind, kind, register_kind, stored_kinds
from upward.notifications.models import Delivery, DeliveryStatus, Notification, Preference

__all__ = [
    "Choice",
    "Kind",
    "deliver",
    "mark_all_read",
    "mark_read",
    "notify",
    "register_kind",
    "send_digests",
    "send_direct",
    "set_choice",
    "unsubscribe",
]

logger = logging.getLogger(__name__)

# The weekly digest goes out on Mondays (datetime.weekday()).
DIGEST_WEEKDAY = 0


@transaction.atomic
def notify(
    *, recipient: User, kind_key: str, title: str, url: str = "", body: str = ""
) -> Notification:
    """Put a notification in the person's inbox; email it as they chose for its kind."""
    registered = kind(kind_key)
    if registered.transactional:
        raise ValueError(f"{kind_key!r} is sent directly with send_direct, not stored.")
    choice = selectors.choice_for(recipient, kind_key)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind_key,
        title=title[:300],
        url=url,
        body=body,
        email=choice,
    )
    if choice == Choice.INSTANT:
        from upward.notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


@logged_failures
def send_direct(*, kind_key: str, to: str, subject: str, body: str) -> None:
    """Email an address now; call it after commit. Nothing of it is stored or queued."""
    kind(kind_key)
    messages.direct(to=to, subject=subject, body=body).send()


@transaction.atomic
def mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (again is fine)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def set_choice(*, user: User, kind_key: str, choice: str, by: User | None) -> Preference:
    """Set how the person gets email about one kind."""
    if kind_key not in {k.key for k in stored_kinds()}:
        raise Invalid(f"'{kind_key}' is not a kind of notification.", field="kind")
    if choice not in Choice.values:
        raise Invalid(
            f"'{choice}' is not a choice; use one of {', '.join(Choice.values)}.", field="choice"
        )
    preference, _ = Preference.objects.update_or_create(
        user=user, kind=kind_key, defaults={"choice": choice}
    )
    audit.record(
        preference,
        AuditCode.NOTIFICATION_PREFERENCE_CHANGED,
        actor=by,
        data={"kind": kind_key, "choice": choice},
    )
    return preference


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, list[str]]:
    """Turn email off for the person and kinds a signed link names; no login needed."""
    user_id, keys = messages.read_unsubscribe_token(token)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound("This unsubscribe link is not valid.")
    for key in keys:
        set_choice(user=user, kind_key=key, choice=Choice.OFF, by=None)
    return user, keys


# --- Sending -----------------------------------------------------------------------


def deliver(*, notification_id: int) -> bool:
    """Send one notification's instant email, at most once whatever the retries.

    The delivery row is claimed and committed before sending, so a retry (or a
    second worker) finds the claim and sends nothing. Returns whether it sent."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.email != Choice.INSTANT:
        return False
    delivery = _claim(f"instant:{notification.pk}", notification.recipient, [notification])
    if delivery is None:
        return False
    return _send(delivery, messages.one(notification))


def send_digests(*, now: datetime | None = None) -> int:
    """Send each person's daily digest, and on the digest weekday the weekly one.

    Run it once a day; a second run the same day (or week) sends nothing."""
    now = now or timezone.now()
    cadences = [Choice.DAILY]
    if timezone.localtime(now).weekday() == DIGEST_WEEKDAY:
        cadences.append(Choice.WEEKLY)
    sent = 0
    for cadence in cadences:
        for user in _waiting_for(cadence, now):
            sent += _send_digest(user, cadence, now)
    return sent


def _waiting_for(cadence: Choice, now: datetime) -> Iterable[User]:
    """The people with notifications waiting for this digest."""
    waiting = Notification.objects.filter(email=cadence, delivery__isnull=True, created_at__lte=now)
    return User.objects.filter(pk__in=waiting.values("recipient")).order_by("pk")


def _period(cadence: Choice, now: datetime) -> str:
    day = timezone.localdate(now)
    if cadence == Choice.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _send_digest(user: User, cadence: Choice, now: datetime) -> int:
    pending = Notification.objects.filter(
        recipient=user, email=cadence, delivery__isnull=True, created_at__lte=now
    ).order_by("created_at", "id")
    delivery = _claim(f"digest:{cadence}:{user.pk}:{_period(cadence, now)}", user, pending)
    if delivery is None:
        return 0
    carried = list(delivery.notifications.order_by("created_at", "id"))
    if not carried:
        return 0
    return int(_send(delivery, messages.digest(user, cadence, carried)))


def _claim(key: str, user: User, notifications: Iterable[Notification]) -> Delivery | None:
    """Claim `key` and the notifications it carries, committed; None if already claimed."""
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(key=key, defaults={"recipient": user})
        if not created:
            return None
        ids = [n.pk for n in notifications]
        Notification.objects.filter(pk__in=ids, delivery__isnull=True).update(delivery=delivery)
    return delivery


def _send(delivery: Delivery, message: EmailMessage) -> bool:
    """Send a claimed delivery's email and record how it went."""
    try:
        message.send()
    except Exception:
        logger.exception("Sending mail failed for delivery %s", delivery.key)
        _finish(delivery, DeliveryStatus.FAILED)
        return False
    _finish(delivery, DeliveryStatus.SENT)
    return True


def _finish(delivery: Delivery, status: DeliveryStatus) -> None:
    delivery.status = status
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status", "finished_at"])

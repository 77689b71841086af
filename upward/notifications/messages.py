"""The emails notifications become: one notification, a digest, or a direct message.

Every email to a person carries a signed unsubscribe link for its kinds, both in
its text and as RFC 8058 one-click headers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from upward.accounts.models import User
from upward.core.errors import NotFound
from upward.core.mail import header_text
from upward.notifications.kinds import Choice, kind
from upward.notifications.models import Notification

UNSUBSCRIBE_SALT = "upward.notifications.unsubscribe"


def unsubscribe_token(user: User, kinds: Sequence[str]) -> str:
    """A signed token that turns email off for `kinds`, for this person only."""
    return signing.dumps({"u": user.pk, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """The person and kinds a token names; a tampered or unknown one is NotFound."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise NotFound("This unsubscribe link is not valid.") from None
    user_id, keys = payload.get("u"), payload.get("k")
    if not isinstance(user_id, int) or not isinstance(keys, list) or not keys:
        raise NotFound("This unsubscribe link is not valid.")
    for key in keys:
        try:
            kind(key)
        except LookupError:
            raise NotFound("This unsubscribe link is not valid.") from None
    return user_id, keys


def unsubscribe_url(user: User, kinds: Sequence[str]) -> str:
    token = unsubscribe_token(user, kinds)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def to_person(*, user: User, kinds: Sequence[str], subject: str, body: str) -> EmailMessage:
    """An email to an account holder, with the footer and headers to unsubscribe."""
    url = unsubscribe_url(user, kinds)
    footer = render_to_string(
        "notifications/email/footer.txt",
        {
            "unsubscribe_url": url,
            "settings_url": settings.SITE_URL + reverse("notifications:settings"),
            "labels": [kind(k).label for k in kinds],
        },
    )
    return EmailMessage(
        subject=header_text(subject),
        body=body.rstrip() + "\n\n" + footer,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def one(notification: Notification) -> EmailMessage:
    """The instant email about one notification."""
    body = notification.body or notification.title
    link = settings.SITE_URL + notification.url
    if notification.url and link not in body:
        body = f"{body.rstrip()}\n\n{link}"
    return to_person(
        user=notification.recipient,
        kinds=[notification.kind],
        subject=f"[Upward] {notification.title}",
        body=body,
    )


def digest(user: User, cadence: Choice, notifications: Sequence[Notification]) -> EmailMessage:
    """One email listing a day's (or a week's) notifications, one line each."""
    body = render_to_string(
        "notifications/email/digest.txt",
        {"notifications": notifications, "cadence": cadence, "site": settings.SITE_URL},
    )
    period = "today" if cadence == Choice.DAILY else "this week"
    return to_person(
        user=user,
        kinds=[n.kind for n in notifications],
        subject=f"[Upward] {len(notifications)} update(s) {period}",
        body=body,
    )


def direct(*, to: str, subject: str, body: str) -> EmailMessage:
    """An email to an address, not a person: no inbox, no choice, nothing stored."""
    return EmailMessage(subject=header_text(subject), body=body, to=[to])

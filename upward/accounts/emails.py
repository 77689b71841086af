"""Outgoing account email.

Links carry secrets that are stored only as hashes, so these messages are sent
straight after the transaction commits rather than queued: a queued task would
keep the raw secret in the task table.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from upward.accounts.models import Invitation
from upward.core.mail import header_text, logged_failures


@logged_failures
def send_invitation_email(*, invitation: Invitation, secret: str) -> None:
    """Email the single-use invitation link."""
    context = {
        "invitation": invitation,
        "url": settings.SITE_URL + reverse("invitation_accept", args=[secret]),
        "days": settings.INVITATION_DAYS,
    }
    send_mail(
        subject=header_text(f"[Upward] You're invited to {invitation.organization.name}"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )

"""Outgoing account email, sent through notifications.

Links carry secrets that are stored only as hashes, so these messages go to the
address directly straight after the transaction commits rather than queued or
stored: a queued task or an inbox entry would keep the raw secret.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from upward.accounts.models import Invitation
from upward.core.mail import logged_failures
from upward.notifications.services import register_kind, send_direct

INVITED = register_kind("org.invitation", "Invitations to an organization", transactional=True).key


@logged_failures
def send_invitation_email(*, invitation: Invitation, secret: str) -> None:
    """Email the single-use invitation link."""
    context = {
        "invitation": invitation,
        "url": settings.SITE_URL + reverse("accounts:invitation_accept", args=[secret]),
        "days": settings.INVITATION_DAYS,
    }
    send_direct(
        kind_key=INVITED,
        to=invitation.email,
        subject=f"[Upward] You're invited to {invitation.organization.name}",
        body=render_to_string("accounts/email/invitation.txt", context),
    )

"""What the evidence app tells people (record): that their account was deleted.

The message goes to the address directly once the deletion has committed: the
person is gone, so there is no inbox to put it in, and nothing of it is stored.
It tells them what was kept for others, so a deletion they did not ask for is
noticed at once.
"""

from __future__ import annotations

from django.conf import settings

from upward.core.mail import logged_failures
from upward.notifications.services import register_kind, send_direct

ACCOUNT_DELETED = register_kind(
    "evidence.account_deleted", "Confirmation that your account was deleted", transactional=True
).key


def deleted_text(kept: dict[str, int]) -> str:
    """The confirmation's text: what went, and what stayed without the person's name."""
    lines = [
        "Your Upward account is deleted, with your profile, placements, ratings about you,",
        "roadmap, evidence, threads and packets.",
        "",
        "Kept for the people who rely on them, without your name:",
        f"- ratings you gave: {kept.get('ratings', 0)}",
        f"- written answers you gave: {kept.get('answers', 0)}",
        f"- confirmations of others' evidence: {kept.get('confirmations', 0)}",
        f"- replies on others' threads: {kept.get('replies', 0)}",
        "",
        "If you did not ask for this, tell your organization's admin at once.",
        "",
        settings.SITE_URL,
    ]
    return "\n".join(lines) + "\n"


@logged_failures
def send_account_deleted(*, to: str, kept: dict[str, int]) -> None:
    """Email the former address that the account is gone (call it after commit)."""
    send_direct(
        kind_key=ACCOUNT_DELETED,
        to=to,
        subject="[Upward] Your account is deleted",
        body=deleted_text(kept),
    )

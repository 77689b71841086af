"""What the evidence app tells people about entries: a request to confirm one, a
confirmation given, and being named as a collaborator.

All three are worth knowing soon (someone is waiting on an answer, or just vouched
for the work), so they default to instant email like feedback requests do.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from upward.accounts.models import User
from upward.evidence.models import Confirmation, Entry
from upward.notifications.services import notify, register_kind

CONFIRMATION_REQUESTED = register_kind(
    "evidence.confirmation_requested", "Requests to confirm someone's evidence"
).key
ENTRY_CONFIRMED = register_kind("evidence.entry_confirmed", "Someone confirmed your evidence").key
COLLABORATOR_NAMED = register_kind(
    "evidence.collaborator_named", "You were named as a collaborator on evidence"
).key


def entry_path(entry_id: int) -> str:
    """The entry's page (evidence:entry)."""
    return reverse("evidence:entry", args=[entry_id])


def notify_confirmation_requested(*, entry: Entry, people: Sequence[User], message: str) -> None:
    """Ask each of `people` to say whether the entry is true and what step it shows."""
    owner = entry.owner.display_name
    body = (
        f"{owner} asks you to confirm “{entry.title}” ({entry.happened_on:%d %B %Y}). "
        "If you saw the work, say so and what step it shows for each competency; "
        "your confirmation counts as an independent voice in their growth picture."
    )
    if message:
        body += f"\n\n{owner} wrote: {message}"
    for person in people:
        notify(
            recipient=person,
            kind_key=CONFIRMATION_REQUESTED,
            title=f"{owner} asks you to confirm their evidence",
            url=entry_path(entry.pk) + "#confirm",
            body=body,
        )


def notify_entry_confirmed(*, confirmation: Confirmation) -> None:
    """Tell the owner who confirmed their entry."""
    entry = confirmation.entry
    who = confirmation.by.display_name if confirmation.by else "Someone"
    notify(
        recipient=entry.owner,
        kind_key=ENTRY_CONFIRMED,
        title=f"{who} confirmed “{entry.title}”",
        url=entry_path(entry.pk) + "#confirmations",
        body=(
            f"{who} confirmed your evidence “{entry.title}” as your "
            f"{confirmation.get_relation_display().lower()}."
        ),
    )


def notify_collaborator_named(*, entry: Entry, people: Sequence[User]) -> None:
    """Tell each newly named collaborator, who may accept or decline being credited."""
    owner = entry.owner.display_name
    for person in people:
        notify(
            recipient=person,
            kind_key=COLLABORATOR_NAMED,
            title=f"{owner} named you on “{entry.title}”",
            url=entry_path(entry.pk) + "#collaborators",
            body=(
                f"{owner} credits you as a collaborator on “{entry.title}”. Accept to be "
                "shown as sharing the credit, or decline to be left off it."
            ),
        )

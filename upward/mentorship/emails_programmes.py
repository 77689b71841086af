"""What cohort programmes tell people, through notifications: their match, once the
programme's admin publishes it (both sides, each naming the other)."""

from __future__ import annotations

from django.urls import reverse

from upward.mentorship.models import Pair
from upward.notifications.services import notify, register_kind

PROGRAMME_MATCHED = register_kind(
    "mentorship.programme_matched", "Your match in a mentoring programme"
).key


def notify_matched(*, pair: Pair) -> None:
    """Tell the mentee and the mentor of a published pair whom they were matched with."""
    programme = pair.programme
    url = reverse("mentorship:programme", args=[programme.pk])
    notify(
        recipient=pair.mentee,
        kind_key=PROGRAMME_MATCHED,
        title=f"{pair.mentor.display_name} is your mentor in “{programme.name}”",
        url=url,
        body="Your mentoring room is open: agree on goals and book your first session.",
    )
    notify(
        recipient=pair.mentor,
        kind_key=PROGRAMME_MATCHED,
        title=f"You mentor {pair.mentee.display_name} in “{programme.name}”",
        url=url,
        body="Your mentoring room is open: agree on goals and book your first session.",
    )

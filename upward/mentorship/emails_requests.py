"""What mentorship requests tell people: the mentor that someone asks them, the mentee
how their request was answered. Both right away by default: someone is waiting."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator

from upward.mentorship.models import MentorshipRequest, RequestStatus, Room
from upward.notifications.services import notify, register_kind

REQUEST_RECEIVED = register_kind(
    "mentorship.request_received", "Someone asks you to mentor them"
).key
REQUEST_ANSWERED = register_kind("mentorship.request_answered", "A mentor answers your request").key

EXCERPT_WORDS = 40

__all__ = ["REQUEST_ANSWERED", "REQUEST_RECEIVED", "notify_answered", "notify_received"]


def notify_received(*, request: MentorshipRequest) -> None:
    """Tell the mentor someone asks them."""
    mentee = request.mentee
    notify(
        recipient=request.profile.user,
        kind_key=REQUEST_RECEIVED,
        title=f"{mentee.display_name} asks you to mentor them",
        url=reverse("mentorship:request", args=[request.pk]),
        body=Truncator(request.message).words(EXCERPT_WORDS),
    )


def notify_answered(*, request: MentorshipRequest, room: Room | None = None) -> None:
    """Tell the mentee the mentor accepted (with the room's address) or declined."""
    mentor = request.profile.user
    if request.status == RequestStatus.ACCEPTED and room is not None:
        title = f"{mentor.display_name} will mentor you"
        url = reverse("mentorship:room", args=[room.pk])
        body = "Your mentorship room is open: agree on goals and book a first session."
    else:
        title = f"{mentor.display_name} can't mentor you now"
        url = reverse("mentorship:request", args=[request.pk])
        body = Truncator(request.decline_reason).words(EXCERPT_WORDS)
    notify(recipient=request.mentee, kind_key=REQUEST_ANSWERED, title=title, url=url, body=body)

"""What feedback tells people, sent through notifications.

A rater with an account gets an inbox entry, and email as they chose. A rater
asked by address gets a direct email whose link carries a single-use secret: it
is sent after commit and never stored or queued. Anonymous answers and declines
tell the requester nothing when they happen (see docs/notifications.md).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from upward.accounts.models import User
from upward.assessments.models import FeedbackRequest
from upward.core.mail import logged_failures
from upward.frameworks.selectors import document_of
from upward.notifications.services import notify, register_kind, send_direct

REQUESTED = register_kind("feedback.requested", "Someone asks you for feedback").key
REMINDED = register_kind("feedback.reminder", "Reminders of feedback you were asked for").key
ANSWERED = register_kind("feedback.answered", "Answers to your feedback requests").key
DECLINED = register_kind("feedback.declined", "Declined feedback requests").key


@logged_failures
def send_feedback_request(
    *, feedback_request: FeedbackRequest, secret: str, reminder: bool = False
) -> None:
    """Tell the rater the question, the target level and where to answer (after commit)."""
    if secret:
        url = settings.SITE_URL + reverse("assessments:feedback_link", args=[secret])
    else:
        url = settings.SITE_URL + reverse("assessments:feedback_answer", args=[feedback_request.pk])
    doc = document_of(feedback_request.placement.version)
    target = doc.level(feedback_request.placement.target_level)
    context = {
        "request": feedback_request,
        "url": url,
        "target": target.label,
        "framework": doc.name,
        "reminder": reminder,
    }
    who = feedback_request.requester.display_name
    title = f"{'Reminder: ' if reminder else ''}{who} asks for your feedback"
    body = render_to_string("assessments/email/feedback_request.txt", context)
    kind_key = REMINDED if reminder else REQUESTED
    if feedback_request.rater is None:
        to = feedback_request.rater_email
        send_direct(kind_key=kind_key, to=to, subject=f"[Upward] {title}", body=body)
        return
    path = reverse("assessments:feedback_answer", args=[feedback_request.pk])
    notify(recipient=feedback_request.rater, kind_key=kind_key, title=title, url=path, body=body)


def notify_answered(*, feedback_request: FeedbackRequest, rater: User | None) -> None:
    """Tell the requester an attributed request was answered; anonymous ones say nothing."""
    if feedback_request.anonymous:
        return
    who = rater.display_name if rater else feedback_request.rater_email
    path = reverse("assessments:placement_delta", args=[feedback_request.placement_id])
    title = f"{who} answered your feedback request"
    body = f"{title}. Their ratings are now part of your delta."
    notify(
        recipient=feedback_request.requester, kind_key=ANSWERED, title=title, url=path, body=body
    )


def notify_declined(*, feedback_request: FeedbackRequest) -> None:
    """Tell the requester an attributed request was declined; anonymous ones say nothing."""
    if feedback_request.anonymous:
        return
    rater = feedback_request.rater
    who = rater.display_name if rater else feedback_request.rater_email
    title = f"{who} declined your feedback request"
    reason = feedback_request.decline_reason
    body = f"{title}, saying: {reason}" if reason else title
    path = reverse("assessments:feedback_requests")
    notify(
        recipient=feedback_request.requester, kind_key=DECLINED, title=title, url=path, body=body
    )

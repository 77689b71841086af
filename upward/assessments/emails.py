"""Outgoing feedback email. Sent after commit, not queued: links carry secrets."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from upward.assessments.models import FeedbackRequest
from upward.core.mail import header_text, logged_failures
from upward.frameworks.documents import document_of


@logged_failures
def send_feedback_request(
    *, feedback_request: FeedbackRequest, secret: str, reminder: bool = False
) -> None:
    """Email the rater: the question, the target level and where to answer."""
    if secret:
        url = settings.SITE_URL + reverse("feedback_link", args=[secret])
    else:
        url = settings.SITE_URL + reverse("feedback_answer", args=[feedback_request.pk])
    doc = document_of(feedback_request.placement.version)
    target = doc.level(feedback_request.placement.target_level)
    context = {
        "request": feedback_request,
        "url": url,
        "target": target.label,
        "framework": doc.name,
        "reminder": reminder,
    }
    to = feedback_request.rater.email if feedback_request.rater else feedback_request.rater_email
    who = feedback_request.requester.display_name
    subject = f"[Upward] {'Reminder: ' if reminder else ''}{who} asks for your feedback"
    send_mail(
        subject=header_text(subject),
        message=render_to_string("assessments/email/feedback_request.txt", context),
        from_email=None,
        recipient_list=[to],
    )

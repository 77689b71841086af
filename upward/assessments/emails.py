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
def send_feedback_request(*, request: FeedbackRequest, secret: str, reminder: bool = False) -> None:
    """Email the rater: the question, the target level and where to answer."""
    if secret:
        url = settings.SITE_URL + reverse("feedback_link", args=[secret])
    else:
        url = settings.SITE_URL + reverse("feedback_answer", args=[request.pk])
    doc = document_of(request.placement.version)
    target = doc.level(request.placement.target_level)
    context = {
        "request": request,
        "url": url,
        "target": target.label,
        "framework": doc.name,
        "reminder": reminder,
    }
    to = request.rater.email if request.rater else request.rater_email
    who = request.requester.display_name
    subject = f"[Upward] {'Reminder: ' if reminder else ''}{who} asks for your feedback"
    send_mail(
        subject=header_text(subject),
        message=render_to_string("assessments/email/feedback_request.txt", context),
        from_email=None,
        recipient_list=[to],
    )

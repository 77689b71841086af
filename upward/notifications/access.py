"""Who may see a notification: only the person it is for. Anything else is Http404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import User
from upward.notifications.models import Notification


def access_notification(user: User, notification_id: int) -> Notification:
    """A notification of the user's own (reading it and marking it read are the same right)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Notification, pk=notification_id, recipient=user)

"""The unread count for the bell in the header."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from upward.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's unread count: one query, and only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": functools.cache(lambda: unread_count(user))}

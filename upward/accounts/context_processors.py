"""Template context for the organization switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from upward.accounts.current import current_membership
from upward.accounts.selectors import memberships_of


def organizations(request: HttpRequest) -> dict[str, Any]:
    """The user's memberships and current one; queried only if a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": lambda: list(memberships_of(user)),
        "current_membership": lambda: current_membership(request),
    }

"""Who is calling and which organization they work in (picked with the switcher)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from upward.accounts.models import Membership, User

SESSION_KEY = "upward_org_id"
_CACHE_ATTR = "_upward_membership"


def api_caller(request: HttpRequest) -> User:
    """The person an API call is authenticated as (the API's auth lets none through without)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def current_membership(request: HttpRequest) -> Membership | None:
    """The chosen membership, else the personal space, else any; cached per request."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    found = _find(request)
    setattr(request, _CACHE_ATTR, found)
    return found


def _find(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user).select_related("organization")
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        found = memberships.filter(organization_id=chosen).first()
        if found is not None:
            return found
    # A company space first: that is where frameworks, teams and feedback live.
    return memberships.order_by("organization__is_personal", "organization__name").first()


def choose_organization(request: HttpRequest, membership: Membership) -> None:
    """Remember the organization the person switched to."""
    request.session[SESSION_KEY] = membership.organization_id
    setattr(request, _CACHE_ATTR, membership)

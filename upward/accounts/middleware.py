"""Dates and times shown in the signed-in person's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def personal_time_zone(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Render the request in the person's profile time zone; in TIME_ZONE when they have none."""

    def middleware(request: HttpRequest) -> HttpResponse:
        zone = _zone_of(getattr(request.user, "time_zone", ""))
        if zone is not None:
            timezone.activate(zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def _zone_of(name: str) -> zoneinfo.ZoneInfo | None:
    # Names were checked when saved; one the tz database has since dropped falls back.
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None

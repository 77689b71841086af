"""The roadmap's calendar files: a person's secret feed and one objective's download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from upward.core import calendar_events
from upward.core.http import AuthedRequest
from upward.roadmaps import access, calendar, selectors

# Calendar apps poll the feed; a few minutes of reuse spares the database, and
# `private` keeps shared caches from holding one person's plans.
FEED_MAX_AGE = 300


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's deadlines and milestones, for a calendar app to subscribe to.

    The secret address is the only credential: no session, and an unknown or
    revoked address answers 404 like any page that isn't there.
    """
    feed = selectors.calendar_feed(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    objectives = selectors.objectives_for_calendar(feed.user)
    extra = calendar_events.events_for(feed.user)
    response = _ics(calendar.build(objectives, name="Upward roadmap", extra=extra))
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_safe
def objective_ics(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """One objective's deadline and open milestones as a file to import."""
    objective = access.access_objective(request.user, objective_id)
    response = _ics(calendar.build([objective], name=objective.title))
    response["Content-Disposition"] = f'attachment; filename="objective-{objective.pk}.ics"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _ics(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type=calendar.CONTENT_TYPE)

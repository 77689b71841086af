"""My calendar feed: a secret address for my calendar app, shown once, revocable."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from upward.core.http import AuthedRequest, get_or_post
from upward.roadmaps import selectors, services


@login_required
@get_or_post
def calendar(request: AuthedRequest) -> HttpResponse:
    """Create my feed (its address is shown this once), replace it, or revoke it."""
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "revoke":
        services.revoke_calendar_feed(user=request.user)
        messages.success(request, "Your calendar address no longer works.")
        return redirect("roadmaps:calendar")
    url = ""
    if action == "create":
        token = services.create_calendar_feed(user=request.user)
        # The public address, as in emails: calendar apps fetch it from outside.
        url = settings.SITE_URL + reverse("roadmaps_calendar:calendar_feed", args=[token])
    context = {"url": url, "live": bool(url) or selectors.has_calendar_feed(request.user)}
    return render(request, "roadmaps/calendar_feed.html", context)

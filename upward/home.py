"""The site's front pages: the public landing page and a member's dashboard.

They sit at project level because the dashboard gathers from every app.
"""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from upward.accounts.current import current_membership
from upward.assessments.next_actions import next_actions
from upward.core.http import AuthedRequest
from upward.notifications.selectors import latest_unread


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page; signed-in people go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home/home.html")


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """Where a member lands: what to do next."""
    membership = current_membership(request)
    context = {
        "membership": membership,
        "actions": next_actions(request.user, membership.organization) if membership else None,
        "unread": latest_unread(request.user),
        "mfa_enabled": is_mfa_enabled(request.user),
    }
    return render(request, "home/dashboard.html", context)

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
from upward.accounts.models import Membership
from upward.assessments.next_actions import NextActions, next_actions
from upward.assessments.selectors import active_placement
from upward.core.http import AuthedRequest
from upward.notifications.selectors import latest_unread
from upward.roadmaps import selectors as roadmaps


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
    actions = next_actions(request.user, membership.organization) if membership else None
    context = {
        "membership": membership,
        "actions": actions,
        "unread": latest_unread(request.user),
        "mfa_enabled": is_mfa_enabled(request.user),
        **_roadmap_items(request, membership, actions),
    }
    return render(request, "home/dashboard.html", context)


def _roadmap_items(
    request: AuthedRequest, membership: Membership | None, actions: NextActions | None
) -> dict[str, object]:
    """Objectives and milestones past their day (2 queries), and the top gaps with no
    plan yet (the placement and its plans: 5 queries, only when there are top gaps)."""
    if membership is None or actions is None:
        return {"overdue": [], "unplanned": []}
    overdue = roadmaps.overdue(request.user, membership.organization)
    unplanned = []
    placement = active_placement(request.user, membership.organization) if actions.gaps else None
    if placement is not None:
        plans = roadmaps.gap_plans(placement, viewer=request.user)
        unplanned = [
            gap
            for gap in actions.gaps
            if gap.key not in plans or plans[gap.key].stage == roadmaps.Stage.NONE
        ]
    return {"overdue": overdue, "unplanned": unplanned}

"""An organization's audit log (admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from upward.accounts import access, selectors
from upward.accounts.views.common import AuthedRequest, get_or_post

AUDIT_PAGE_SIZE = 50

# How audit codes read in the log; unknown codes show as they are.
AUDIT_LABELS = {
    "org.created": "Organization created",
    "org.member.added": "Member joined",
    "org.member.removed": "Member removed",
    "org.member.left": "Member left",
    "org.member.role_changed": "Role changed",
    "org.invitation.created": "Invitation sent",
    "org.invitation.revoked": "Invitation withdrawn",
    "org.team.created": "Team created",
    "org.team.updated": "Team changed",
    "org.team.deleted": "Team deleted",
    "org.team.member_added": "Added to team",
    "org.team.member_removed": "Removed from team",
}


# --- Audit log ------------------------------------------------------------------------


@login_required
@get_or_post
def audit_log(request: AuthedRequest, slug: str) -> HttpResponse:
    """Who changed what in the organization, newest first (admins)."""
    org = access.access_audit_log(request.user, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    page = Paginator(selectors.audit_log(org), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.label = AUDIT_LABELS.get(event.code, event.code)  # type: ignore[attr-defined]
    return render(request, "accounts/audit_list.html", {"org": org, "page": page})

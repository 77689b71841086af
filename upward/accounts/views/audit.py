"""An organization's audit log (admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from upward.accounts import access, selectors
from upward.core.audit import AuditCode
from upward.core.http import AuthedRequest

AUDIT_PAGE_SIZE = 50

# How audit codes read in the log; codes without a label show as they are.
AUDIT_LABELS: dict[str, str] = {
    AuditCode.ACCOUNT_ORGANIZATION_CREATED: "Organization created",
    AuditCode.ACCOUNT_MEMBER_ADDED: "Member joined",
    AuditCode.ACCOUNT_MEMBER_REMOVED: "Member removed",
    AuditCode.ACCOUNT_MEMBER_LEFT: "Member left",
    AuditCode.ACCOUNT_MEMBER_ROLE_CHANGED: "Role changed",
    AuditCode.ACCOUNT_INVITATION_CREATED: "Invitation sent",
    AuditCode.ACCOUNT_INVITATION_REVOKED: "Invitation withdrawn",
    AuditCode.ACCOUNT_TEAM_CREATED: "Team created",
    AuditCode.ACCOUNT_TEAM_UPDATED: "Team changed",
    AuditCode.ACCOUNT_TEAM_DELETED: "Team deleted",
    AuditCode.ACCOUNT_TEAM_MEMBER_ADDED: "Added to team",
    AuditCode.ACCOUNT_TEAM_MEMBER_REMOVED: "Removed from team",
}


# --- Audit log ------------------------------------------------------------------------


@login_required
@require_GET
def audit_log(request: AuthedRequest, slug: str) -> HttpResponse:
    """Who changed what in the organization, newest first (admins)."""
    org = access.access_audit_log(request.user, slug)
    page = Paginator(selectors.audit_log(org), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.label = AUDIT_LABELS.get(event.code, event.code)  # type: ignore[attr-defined]
    return render(request, "accounts/audit_list.html", {"org": org, "page": page})

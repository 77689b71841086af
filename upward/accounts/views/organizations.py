"""Organizations: the ones I belong to, creating one, switching, the
organization page, leaving."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upward.accounts import access, selectors, services
from upward.accounts.current import choose_organization
from upward.accounts.forms import InvitationForm, OrganizationForm, SwitchOrganizationForm, TeamForm
from upward.accounts.models import Organization, Role
from upward.accounts.views.common import org_url
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, render_page, service_errors

# --- Organizations ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def org_list(request: AuthedRequest) -> HttpResponse:
    """The organizations I belong to, and a form to create one."""
    form = OrganizationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        with service_errors(form):
            org = services.create_organization(
                name=form.cleaned_data["name"], slug=form.cleaned_data["slug"], by=request.user
            )
            choose_organization(request, access.access_organization(request.user, org.slug))
            messages.success(request, f"{org.name} is ready. Invite your team to join it.")
            return redirect("accounts:org_detail", org.slug)
    context = {"memberships": selectors.memberships_of(request.user), "form": form}
    return render(request, "accounts/organization_list.html", context, status=form.status)


@login_required
@require_POST
def org_switch(request: AuthedRequest) -> HttpResponse:
    """Work in another of my organizations."""
    form = SwitchOrganizationForm(request.POST)
    if not form.is_valid():
        raise Http404
    own = access.access_organization(request.user, form.cleaned_data["organization"])
    choose_organization(request, own)
    messages.info(request, f"You're now working in {own.organization.name}.")
    return redirect("dashboard")


@login_required
@get_or_post
def org_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    """An organization's members, teams and (for admins) invitations."""
    own = access.access_organization(request.user, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return organization_overview(request, own.organization, own.role)


@login_required
@get_or_post
def org_leave(request: AuthedRequest, slug: str) -> HttpResponse:
    """Leave an organization (the last admin can't)."""
    own = access.access_organization(request.user, slug)
    if request.method == "GET":
        return redirect(org_url(own.organization))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.remove_member(membership=own, by=request.user)
        messages.success(request, f"You left {own.organization.name}.")
        return redirect("accounts:org_list")
    return organization_overview(
        request, own.organization, own.role, status=form.status, leave_form=form
    )


def organization_overview(
    request: AuthedRequest,
    org: Organization,
    role: str,
    *,
    fragment: str | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The organization page (or one of its sections, for htmx), seen by someone with `role`."""
    is_admin = role == Role.ADMIN
    members = selectors.members_of(org)
    context = {
        "org": org,
        "role": role,
        "is_admin": is_admin,
        "can_manage": is_admin and not org.is_personal,
        "members": members,
        "teams": selectors.teams_of(org),
        "invitations": selectors.pending_invitations(org) if is_admin else None,
        "roles": Role.choices,
        "invite_form": InvitationForm(),
        "team_form": TeamForm(members=members),
        # Without JavaScript a failed form comes back as the whole page: point at it.
        "error_section": (fragment or "leave") if status >= 400 else None,
        **forms,
    }
    template = "accounts/organization_detail.html"
    return render_page(request, template, context, fragment=fragment, status=status)

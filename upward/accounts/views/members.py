"""An organization's members (roles, removal) and invitations (sending,
withdrawing, accepting)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from upward.accounts import access, services
from upward.accounts.current import choose_organization
from upward.accounts.forms import InvitationForm, RoleForm
from upward.accounts.models import Membership, Organization, Role, User
from upward.accounts.views.common import org_url
from upward.accounts.views.organizations import organization_overview
from upward.core.errors import Conflict
from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    redirect_or_fragment,
    see_other,
    service_errors,
)

# --- Members ------------------------------------------------------------------


@login_required
@get_or_post
def membership_role(request: AuthedRequest, slug: str, membership_id: int) -> HttpResponse:
    """Give a member another role (admins)."""
    target = access.access_membership(request.user, slug, membership_id, write=True)
    if request.method == "GET":
        return redirect(org_url(target.organization))
    form = RoleForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.change_role(membership=target, role=form.cleaned_data["role"], by=request.user)
            role = target.get_role_display().lower()
            messages.success(request, f"{target.user.email} is now {role}.")
            return _members_changed(request, target)
    return _members_failed(request, target, form)


@login_required
@get_or_post
def membership_remove(request: AuthedRequest, slug: str, membership_id: int) -> HttpResponse:
    """Take someone out of the organization (admins)."""
    target = access.access_membership(request.user, slug, membership_id, write=True)
    if request.method == "GET":
        return redirect(org_url(target.organization))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.remove_member(membership=target, by=request.user)
        org = target.organization
        messages.success(request, f"{target.user.email} is no longer in {org.name}.")
        if target.user_id == request.user.pk:
            return see_other(request, reverse("accounts:org_list"))
        return _members_changed(request, target)
    return _members_failed(request, target, form)


def _members_changed(request: AuthedRequest, target: Membership) -> HttpResponse:
    url = reverse("accounts:org_detail", args=[target.organization.slug])
    if target.user_id == request.user.pk:
        # My own role changed: the whole page may look different now.
        return see_other(request, url)
    return redirect_or_fragment(
        request,
        url + "#members",
        lambda: organization_overview(request, target.organization, Role.ADMIN, fragment="members"),
    )


def _members_failed(request: AuthedRequest, target: Membership, form: ServiceForm) -> HttpResponse:
    return organization_overview(
        request,
        target.organization,
        Role.ADMIN,
        fragment="members",
        status=form.status,
        failed_member_id=target.pk,
        row_form=form,
    )


# --- Invitations ----------------------------------------------------------------


@login_required
@get_or_post
def invitation_create(request: AuthedRequest, slug: str) -> HttpResponse:
    """Invite someone by email (admins)."""
    own = access.access_organization(request.user, slug, admin=True)
    if request.method == "GET":
        return redirect(org_url(own.organization))
    org = own.organization
    form = InvitationForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            invitation = services.invite_member(
                organization=org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return _invitations_changed(request, org)
    return organization_overview(
        request, org, own.role, fragment="invitations", status=form.status, invite_form=form
    )


@login_required
@get_or_post
def invitation_revoke(request: AuthedRequest, slug: str, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation (admins)."""
    invitation = access.access_invitation(request.user, slug, invitation_id)
    if request.method == "GET":
        return redirect(org_url(invitation.organization))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
        return _invitations_changed(request, invitation.organization)
    return organization_overview(
        request,
        invitation.organization,
        Role.ADMIN,
        fragment="invitations",
        status=form.status,
        invitation_error=form,
    )


def _invitations_changed(request: AuthedRequest, org: Organization) -> HttpResponse:
    return redirect_or_fragment(
        request,
        reverse("accounts:org_detail", args=[org.slug]) + "#invitations",
        lambda: organization_overview(request, org, Role.ADMIN, fragment="invitations"),
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    """Show what an invitation link is for; accept it by POST (signed in)."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ServiceForm(request.POST if request.method == "POST" else {})
    invitation = None
    with service_errors(form):
        invitation = services.find_invitation(secret)
    template = "accounts/invitation_accept.html"
    if invitation is None:
        # Used, withdrawn or expired links are gone for good; unknown ones never existed.
        status = 410 if isinstance(form.service_error, Conflict) else 404
        return render(request, template, {"form": form}, status=status)
    if request.method == "POST":
        with service_errors(form):
            user: User = request.user  # type: ignore[assignment]
            membership = services.accept_invitation(secret=secret, user=user)
            choose_organization(request, membership)
            org = membership.organization
            messages.success(request, f"Welcome to {org.name}!")
            return redirect("accounts:org_detail", org.slug)
    context = {"form": form, "invitation": invitation}
    return render(request, template, context, status=form.status)

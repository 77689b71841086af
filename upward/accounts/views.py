"""Pages for organizations, members, teams, invitations, the audit log and API tokens.

Each view parses its input, checks access with `access.py` (missing and
forbidden both answer 404), calls one service or selector and renders. A
service's error is shown in place by `service_errors`; a write ends in a
redirect, or for htmx in the refreshed fragment of the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from upward.accounts import access, selectors, services
from upward.accounts.current import choose_organization
from upward.accounts.forms import (
    InvitationForm,
    OrganizationForm,
    RoleForm,
    SwitchOrganizationForm,
    TeamForm,
    TeamManagerForm,
    TeamMemberForm,
    TeamRenameForm,
    TokenForm,
)
from upward.accounts.models import ApiToken, Membership, Organization, Role, Team, User
from upward.core.errors import Conflict
from upward.core.http import (
    ServiceForm,
    redirect_or_fragment,
    render_page,
    see_other,
    service_errors,
)

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


# Pages answer GET and actions POST, but only after the access check, so that
# a stranger gets 404 whatever the method. A GET of an action's URL (a bookmark,
# a reload after an error) goes to the page the action belongs to.
get_or_post = require_http_methods(["GET", "POST"])


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is a real User."""

    user: User


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
            return redirect("org_detail", org.slug)
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
    return _overview(request, own.organization, own.role)


@login_required
@get_or_post
def org_leave(request: AuthedRequest, slug: str) -> HttpResponse:
    """Leave an organization (the last admin can't)."""
    own = access.access_organization(request.user, slug)
    if request.method == "GET":
        return redirect(_org_url(own.organization))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.remove_member(membership=own, by=request.user)
        messages.success(request, f"You left {own.organization.name}.")
        return redirect("org_list")
    return _overview(request, own.organization, own.role, status=form.status, leave_form=form)


def _overview(
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


# --- Members ------------------------------------------------------------------


@login_required
@get_or_post
def membership_role(request: AuthedRequest, slug: str, membership_id: int) -> HttpResponse:
    """Give a member another role (admins)."""
    target = access.access_membership(request.user, slug, membership_id, write=True)
    if request.method == "GET":
        return redirect(_org_url(target.organization))
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
        return redirect(_org_url(target.organization))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.remove_member(membership=target, by=request.user)
        org = target.organization
        messages.success(request, f"{target.user.email} is no longer in {org.name}.")
        if target.user_id == request.user.pk:
            return see_other(request, reverse("org_list"))
        return _members_changed(request, target)
    return _members_failed(request, target, form)


def _members_changed(request: AuthedRequest, target: Membership) -> HttpResponse:
    url = reverse("org_detail", args=[target.organization.slug])
    if target.user_id == request.user.pk:
        # My own role changed: the whole page may look different now.
        return see_other(request, url)
    return redirect_or_fragment(
        request,
        url + "#members",
        lambda: _overview(request, target.organization, Role.ADMIN, fragment="members"),
    )


def _members_failed(request: AuthedRequest, target: Membership, form: ServiceForm) -> HttpResponse:
    return _overview(
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
        return redirect(_org_url(own.organization))
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
    return _overview(
        request, org, own.role, fragment="invitations", status=form.status, invite_form=form
    )


@login_required
@get_or_post
def invitation_revoke(request: AuthedRequest, slug: str, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation (admins)."""
    invitation = access.access_invitation(request.user, slug, invitation_id)
    if request.method == "GET":
        return redirect(_org_url(invitation.organization))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
        return _invitations_changed(request, invitation.organization)
    return _overview(
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
        reverse("org_detail", args=[org.slug]) + "#invitations",
        lambda: _overview(request, org, Role.ADMIN, fragment="invitations"),
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
            return redirect("org_detail", org.slug)
    context = {"form": form, "invitation": invitation}
    return render(request, template, context, status=form.status)


# --- Teams ------------------------------------------------------------------------


@login_required
@get_or_post
def team_create(request: AuthedRequest, slug: str) -> HttpResponse:
    """Create a team, optionally with its manager (admins)."""
    own = access.access_organization(request.user, slug, admin=True)
    if request.method == "GET":
        return redirect(_org_url(own.organization))
    org = own.organization
    form = TeamForm(request.POST, members=selectors.members_of(org))
    if form.is_valid():
        with service_errors(form):
            team = services.create_team(
                organization=org,
                name=form.cleaned_data["name"],
                manager=form.cleaned_data["manager"],
                by=request.user,
            )
            messages.success(request, f"Team {team.name} created.")
            return redirect_or_fragment(
                request,
                reverse("org_detail", args=[org.slug]) + "#teams",
                lambda: _overview(request, org, own.role, fragment="teams"),
            )
    return _overview(request, org, own.role, fragment="teams", status=form.status, team_form=form)


@login_required
@get_or_post
def team_detail(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """A team's manager and members; admins and its manager can change who is on it."""
    own = access.access_organization(request.user, slug)
    team = access.access_team(request.user, slug, team_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _team_page(request, own, team)


@login_required
@get_or_post
def team_member_add(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """Put a member of the organization on the team (admins, the team's manager)."""
    own = access.access_organization(request.user, slug)
    team = access.access_team(request.user, slug, team_id, write=True)
    if request.method == "GET":
        return redirect(_team_url(team))
    form = TeamMemberForm(request.POST, members=selectors.members_of(team.organization))
    if form.is_valid():
        with service_errors(form):
            user = form.cleaned_data["user"]
            services.add_team_member(team=team, user=user, by=request.user)
            messages.success(request, f"{user.email} joined {team.name}.")
            return _team_members_changed(request, own, team)
    return _team_page(
        request, own, team, fragment="team-members", status=form.status, add_form=form
    )


@login_required
@get_or_post
def team_member_remove(
    request: AuthedRequest, slug: str, team_id: int, user_id: int
) -> HttpResponse:
    """Take someone off the team (admins, the team's manager)."""
    own = access.access_organization(request.user, slug)
    team = selectors.team_with_members(access.access_team(request.user, slug, team_id, write=True))
    if request.method == "GET":
        return redirect(_team_url(team))
    on_team = {tm.user_id: tm.user for tm in team.team_memberships.all()}
    if user_id not in on_team:
        raise Http404
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.remove_team_member(team=team, user=on_team[user_id], by=request.user)
        messages.success(request, f"{on_team[user_id].email} left {team.name}.")
        return _team_members_changed(request, own, team)
    return _team_page(
        request, own, team, fragment="team-members", status=form.status, remove_error=form
    )


def _team_members_changed(request: AuthedRequest, own: Membership, team: Team) -> HttpResponse:
    return redirect_or_fragment(
        request,
        _team_url(team) + "#team-members",
        lambda: _team_page(request, own, team, fragment="team-members"),
    )


@login_required
@get_or_post
def team_rename(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """Rename a team (admins)."""
    own = access.access_organization(request.user, slug, admin=True)
    team = access.access_team(request.user, slug, team_id)
    if request.method == "GET":
        return redirect(_team_url(team))
    form = TeamRenameForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.update_team(team=team, name=form.cleaned_data["name"], by=request.user)
            messages.success(request, f"The team is now called {team.name}.")
            return redirect(_team_url(team))
    return _team_page(request, own, team, status=form.status, rename_form=form)


@login_required
@get_or_post
def team_manager(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """Choose who manages a team, or nobody (admins)."""
    own = access.access_organization(request.user, slug, admin=True)
    team = access.access_team(request.user, slug, team_id)
    if request.method == "GET":
        return redirect(_team_url(team))
    form = TeamManagerForm(request.POST, members=selectors.members_of(team.organization))
    if form.is_valid():
        manager = form.cleaned_data["manager"]
        with service_errors(form):
            services.update_team(
                team=team, manager=manager, clear_manager=manager is None, by=request.user
            )
            who = manager.email if manager else "nobody"
            messages.success(request, f"{team.name} is now managed by {who}.")
            return redirect(_team_url(team))
    return _team_page(request, own, team, status=form.status, manager_form=form)


@login_required
@get_or_post
def team_delete(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """Delete a team; its people stay in the organization (admins)."""
    access.access_organization(request.user, slug, admin=True)
    team = access.access_team(request.user, slug, team_id)
    if request.method == "GET":
        return redirect(_team_url(team))
    services.delete_team(team=team, by=request.user)
    messages.success(request, f"Team {team.name} deleted; its people stay in the organization.")
    return redirect(_org_url(team.organization) + "#teams")


def _org_url(org: Organization) -> str:
    return reverse("org_detail", args=[org.slug])


def _team_url(team: Team) -> str:
    return reverse("team_detail", args=[team.organization.slug, team.pk])


def _team_page(
    request: AuthedRequest,
    own: Membership,
    team: Team,
    *,
    fragment: str | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The team page (or its members section, for htmx), seen by the member `own`."""
    team = selectors.team_with_members(team)
    is_admin = own.role == Role.ADMIN
    can_edit = is_admin or team.manager_id == request.user.pk
    members = selectors.members_of(team.organization)
    on_team = {tm.user_id for tm in team.team_memberships.all()}
    candidates = [m for m in members if m.user_id not in on_team] if can_edit else []
    initial = {"manager": team.manager_id or ""}
    context = {
        "org": team.organization,
        "team": team,
        "is_admin": is_admin,
        "can_edit": can_edit,
        "team_members": team.team_memberships.all(),
        "add_form": TeamMemberForm(members=candidates),
        "rename_form": TeamRenameForm(initial={"name": team.name}),
        "manager_form": TeamManagerForm(members=members, initial=initial),
        **forms,
    }
    template = "accounts/team_detail.html"
    return render_page(request, template, context, fragment=fragment, status=status)


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


# --- API tokens ---------------------------------------------------------------------------


@never_cache  # the page that shows a new token must not linger in any cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    """My API tokens, and a form to make one; a new token is shown once, right here."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        with service_errors(form):
            token, raw = services.create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
            # Rendered straight into this response, never kept in the session.
            return _tokens_page(request, TokenForm(), created=token, raw_token=raw)
    return _tokens_page(request, form, status=form.status)


@login_required
@get_or_post
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Stop one of my tokens from working."""
    token = access.access_api_token(request.user, token_id)
    if request.method == "GET":
        return redirect(reverse("token_list"))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.revoke_api_token(token=token, by=request.user)
        messages.success(request, f"Token “{token.name}” revoked. It stopped working at once.")
        return redirect("token_list")
    return _tokens_page(
        request, TokenForm(), status=form.status, failed_token_id=token.pk, row_form=form
    )


def _tokens_page(
    request: AuthedRequest,
    form: TokenForm,
    *,
    status: int = 200,
    created: ApiToken | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "tokens": selectors.tokens_of(request.user),
        "form": form,
        "created": created,
        **extra,
    }
    return render(request, "accounts/token_list.html", context, status=status)

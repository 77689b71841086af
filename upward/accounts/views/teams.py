"""Teams: creating one, its page, its members, its name and manager, deleting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

from upward.accounts import access, selectors, services
from upward.accounts.forms import TeamForm, TeamManagerForm, TeamMemberForm, TeamRenameForm
from upward.accounts.models import Membership, Role, Team
from upward.accounts.views.common import org_url
from upward.accounts.views.organizations import organization_overview
from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    redirect_or_fragment,
    render_page,
    service_errors,
)

# --- Teams ------------------------------------------------------------------------


@login_required
@get_or_post
def team_create(request: AuthedRequest, slug: str) -> HttpResponse:
    """Create a team, optionally with its manager (admins)."""
    own = access.access_organization(request.user, slug, admin=True)
    if request.method == "GET":
        return redirect(org_url(own.organization))
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
                reverse("accounts:org_detail", args=[org.slug]) + "#teams",
                lambda: organization_overview(request, org, own.role, fragment="teams"),
            )
    return organization_overview(
        request, org, own.role, fragment="teams", status=form.status, team_form=form
    )


@login_required
@get_or_post
def team_detail(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """A team's manager and members; admins can change who is on it."""
    own = access.access_organization(request.user, slug)
    team = access.access_team(request.user, slug, team_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _team_page(request, own, team)


@login_required
@get_or_post
def team_member_add(request: AuthedRequest, slug: str, team_id: int) -> HttpResponse:
    """Put a member of the organization on the team (admins)."""
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
    """Take someone off the team (admins)."""
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
    return redirect(org_url(team.organization) + "#teams")


def _team_url(team: Team) -> str:
    return reverse("accounts:team_detail", args=[team.organization.slug, team.pk])


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
    members = selectors.members_of(team.organization)
    on_team = {tm.user_id for tm in team.team_memberships.all()}
    candidates = [m for m in members if m.user_id not in on_team] if is_admin else []
    initial = {"manager": team.manager_id or ""}
    context = {
        "org": team.organization,
        "team": team,
        "is_admin": is_admin,
        "can_edit": is_admin,
        "team_members": team.team_memberships.all(),
        "add_form": TeamMemberForm(members=candidates),
        "rename_form": TeamRenameForm(initial={"name": team.name}),
        "manager_form": TeamManagerForm(members=members, initial=initial),
        **forms,
    }
    template = "accounts/team_detail.html"
    return render_page(request, template, context, fragment=fragment, status=status)

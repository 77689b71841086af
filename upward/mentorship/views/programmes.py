"""Cohort programmes: the list, opening one, a programme's page (joining, leaving and,
once published, my match), and for its admins the proposal: propose, adjust, publish.

Each view checks access through `access.programmes` (missing and forbidden both answer
404), calls one service or selector and renders; a service's error is shown in place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from upward.accounts.current import current_membership
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.mentorship.access.programmes import (
    access_pair,
    access_programme,
    may_run_programmes,
)
from upward.mentorship.forms_programmes import JoinForm, PairForm, ProgrammeForm
from upward.mentorship.models import ParticipantRole, Programme, ProgrammeStatus
from upward.mentorship.selectors import programmes as selectors
from upward.mentorship.services import programmes as services

PAGE = "mentorship/programme_detail.html"
PROPOSAL = "mentorship/programme_proposal.html"


# --- The list and new programmes -------------------------------------------------------


@login_required
@require_GET
def programmes(request: AuthedRequest) -> HttpResponse:
    """The programmes of my current organization, with whether I joined each."""
    membership = current_membership(request)
    if membership is None:
        return redirect("accounts:org_list")
    org = membership.organization
    context = {
        "org": org,
        "rows": selectors.programmes_of(request.user, org),
        "may_run": may_run_programmes(request.user, org),
    }
    return render(request, "mentorship/programme_list.html", context)


@login_required
@get_or_post
def programme_new(request: AuthedRequest) -> HttpResponse:
    """Open a programme in my current organization (its admins)."""
    membership = current_membership(request)
    if membership is None or not may_run_programmes(request.user, membership.organization):
        raise Http404
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            made = services.open_programme(
                organization=membership.organization, by=request.user, **form.cleaned_data
            )
            messages.success(request, "Programme opened: members can join it now.")
            return redirect("mentorship:programme", made.pk)
    context = {"form": form, "org": membership.organization}
    return render(request, "mentorship/programme_new.html", context, status=form.status)


# --- A programme -----------------------------------------------------------------------


def _page(
    request: AuthedRequest,
    programme: Programme,
    *,
    join_form: JoinForm | None = None,
    action_form: ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = selectors.programme_view(programme, request.user)
    if join_form is None:
        join_form = JoinForm(mentors=selectors.mentor_choices(programme, request.user))
    context: dict[str, Any] = {
        "programme": programme,
        "shown": shown,
        "join_form": join_form,
        "action_form": action_form,
        "may_run": may_run_programmes(request.user, programme.organization),
        "is_open": programme.status == ProgrammeStatus.OPEN,
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def programme(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """A programme: what it is for, who joined, joining or leaving; my match once published."""
    return _page(request, access_programme(request.user, programme_id))


@login_required
@get_or_post
def programme_join(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """Join as a mentee or as a mentor."""
    item = access_programme(request.user, programme_id)
    if request.method == "GET":
        return redirect("mentorship:programme", item.pk)
    form = JoinForm(request.POST, mentors=selectors.mentor_choices(item, request.user))
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            services.join_programme(
                programme=item,
                user=request.user,
                role=data["role"],
                capacity=data["capacity"],
                avoid=data["avoid"] if data["role"] == ParticipantRole.MENTEE else [],
            )
            messages.success(request, f"You joined “{item.name}”.")
            return redirect("mentorship:programme", item.pk)
    return _page(request, item, join_form=form, status=form.status)


@login_required
@get_or_post
def programme_leave(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """Leave a programme while it is open for joining."""
    item = access_programme(request.user, programme_id)
    if request.method == "GET":
        return redirect("mentorship:programme", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.leave_programme(programme=item, user=request.user)
        messages.success(request, f"You left “{item.name}”.")
        return redirect("mentorship:programme", item.pk)
    return _page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def programme_close(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """Close a programme (its admins); published rooms carry on."""
    item = access_programme(request.user, programme_id, admin=True)
    if request.method == "GET":
        return redirect("mentorship:programme", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.close_programme(programme=item, by=request.user)
        messages.success(request, f"“{item.name}” is closed.")
        return redirect("mentorship:programme", item.pk)
    return _page(request, item, action_form=form, status=form.status)


# --- The proposal (admins) -------------------------------------------------------------


def _proposal_page(
    request: AuthedRequest,
    programme: Programme,
    *,
    pair_form: PairForm | None = None,
    action_form: ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = selectors.proposal(programme)
    if pair_form is None:
        pair_form = _pair_form(shown, None)
    context = {
        "programme": programme,
        "shown": shown,
        "pair_form": pair_form,
        "action_form": action_form,
        "adjustable": programme.status == ProgrammeStatus.PROPOSED,
        "proposable": programme.status in (ProgrammeStatus.OPEN, ProgrammeStatus.PROPOSED),
    }
    return render(request, PROPOSAL, context, status=status)


def _pair_form(shown: selectors.Proposal, data: Any) -> PairForm:
    places = shown.cohort.participants
    return PairForm(
        data,
        mentees=[(p.user_id, p.user.display_name) for p in places if p.role == "mentee"],
        mentors=[(p.user_id, p.user.display_name) for p in places if p.role == "mentor"],
    )


@login_required
@require_GET
def programme_proposal(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """The proposed pairs with their reasons, the unmatched and why, and the total."""
    return _proposal_page(request, access_programme(request.user, programme_id, admin=True))


@login_required
@get_or_post
def programme_propose(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """Solve the matching and store it as the proposal (replacing an earlier one)."""
    item = access_programme(request.user, programme_id, admin=True)
    if request.method == "GET":
        return redirect("mentorship:programme_proposal", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        found = services.propose_matching(programme=item, by=request.user)
        messages.success(
            request,
            f"Proposed {len(found.pairs)} pair{'s' if len(found.pairs) != 1 else ''}; "
            f"{len(found.unmatched)} unmatched.",
        )
        return redirect("mentorship:programme_proposal", item.pk)
    return _proposal_page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def programme_pair_add(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """Pair a mentee with a mentor by hand (the hard constraints still hold)."""
    item = access_programme(request.user, programme_id, admin=True)
    if request.method == "GET":
        return redirect("mentorship:programme_proposal", item.pk)
    form = _pair_form(selectors.proposal(item), request.POST)
    if form.is_valid():
        with service_errors(form):
            services.add_pair(
                programme=item,
                by=request.user,
                mentee_id=form.cleaned_data["mentee"],
                mentor_id=form.cleaned_data["mentor"],
            )
            messages.success(request, "Pair added.")
            return redirect("mentorship:programme_proposal", item.pk)
    return _proposal_page(request, item, pair_form=form, status=form.status)


@login_required
@get_or_post
def programme_pair_delete(request: AuthedRequest, pair_id: int) -> HttpResponse:
    """Take a pair out of the proposal."""
    pair = access_pair(request.user, pair_id)
    if request.method == "GET":
        return redirect("mentorship:programme_proposal", pair.programme_id)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.remove_pair(pair=pair, by=request.user)
        messages.success(request, "Pair removed.")
        return redirect("mentorship:programme_proposal", pair.programme_id)
    return _proposal_page(request, pair.programme, action_form=form, status=form.status)


@login_required
@get_or_post
def programme_publish(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """Publish the pairs: each gets a room, and both sides are told."""
    item = access_programme(request.user, programme_id, admin=True)
    if request.method == "GET":
        return redirect("mentorship:programme_proposal", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        rooms = services.publish_programme(programme=item, by=request.user)
        messages.success(
            request, f"Published: {len(rooms)} room{'s' if len(rooms) != 1 else ''} opened."
        )
        return redirect("mentorship:programme_proposal", item.pk)
    return _proposal_page(request, item, action_form=form, status=form.status)

"""Pages for evidence entries: my log, someone else's log, an entry (with confirming,
asking to confirm and answering as a collaborator), a new entry, editing and deleting.

The log lives outside the organization's slug, like the roadmap: it shows the
organization the person is working in (`current_membership`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from upward.accounts.current import current_membership
from upward.accounts.models import Organization
from upward.accounts.selectors import members_of
from upward.assessments.models import Placement
from upward.assessments.selectors import active_placement
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.evidence.access.entries import (
    access_collaboration,
    access_confirmation,
    access_entry,
    access_person,
    may_confirm,
)
from upward.evidence.forms import (
    AnswerForm,
    ConfirmForm,
    EntryForm,
    RequestForm,
    entry_initial,
    new_entry_initial,
)
from upward.evidence.models import Entry
from upward.evidence.selectors.entries import (
    entry_cards,
    entry_detail,
    entry_log,
    objectives_to_name,
    step_label,
    suggested_relation,
)
from upward.evidence.services.entries import (
    answer_collaboration,
    confirm_entry,
    create_entry,
    delete_entry,
    request_confirmation,
    update_entry,
    withdraw_confirmation,
)
from upward.frameworks.selectors import document_of
from upward.roadmaps.access import access_objective

DETAIL = "evidence/entry_detail.html"
FORM = "evidence/entry_form.html"


def _organization(request: AuthedRequest) -> Organization:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership.organization


# --- Logs -----------------------------------------------------------------------------------


@login_required
@require_GET
def log(request: AuthedRequest) -> HttpResponse:
    """My evidence in the organization I'm working in, newest first."""
    organization = _organization(request)
    context = {
        "cards": entry_cards(entry_log(request.user, request.user, organization)),
        "person": request.user,
        "own": True,
        "organization": organization,
        "placement": active_placement(request.user, organization),
    }
    return render(request, "evidence/log.html", context)


@login_required
@require_GET
def person_log(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Someone's evidence in the organization I'm working in: what they share with me."""
    organization = _organization(request)
    person = access_person(request.user, user_id, organization)
    if person.pk == request.user.pk:
        return redirect("evidence:log")
    context = {
        "cards": entry_cards(entry_log(request.user, person, organization)),
        "person": person,
        "own": False,
        "organization": organization,
    }
    return render(request, "evidence/log.html", context)


# --- One entry ------------------------------------------------------------------------------


def _objective_shown(request: AuthedRequest, entry: Entry) -> bool:
    """Whether the viewer may see the objective the entry names (its own tier decides)."""
    if entry.objective_id is None:
        return False
    try:
        access_objective(request.user, entry.objective_id)
    except Http404:
        return False
    return True


def _page(request: AuthedRequest, entry: Entry, *, status: int = 200, **forms: Any) -> HttpResponse:
    """The entry's page with any form that failed shown with its errors."""
    fresh = entry_detail(entry)
    card = entry_cards([fresh])[0]
    doc = document_of(fresh.placement.version)
    names = {c.key: c.name for c in doc.competencies}
    viewer = request.user
    own = fresh.owner_id == viewer.pk
    context: dict[str, Any] = {
        "entry": fresh,
        "card": card,
        "own": own,
        "objective_shown": _objective_shown(request, fresh),
        "my_confirmation": next((c for c in card.confirmations if c.by_id == viewer.pk), None),
        "collaboration": next(
            (c for c in fresh.collaborators.all() if c.user_id == viewer.pk), None
        ),
        "confirmations": [
            (c, [(names.get(k, k), step_label(doc, k, v)) for k, v in c.steps.items()])
            for c in card.confirmations
        ],
        "action_form": forms.get("action_form"),
    }
    if not own and context["my_confirmation"] is None and may_confirm(viewer, fresh):
        context["confirm_form"] = forms.get("confirm_form") or ConfirmForm(
            entry=fresh,
            document=doc,
            initial={"relation": suggested_relation(viewer, fresh)},
        )
    if own:
        context["request_form"] = forms.get("request_form") or RequestForm(members=[])
    return render(request, DETAIL, context, status=status)


@login_required
@get_or_post
def entry(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """An entry: what happened and its impact, who confirmed it, and what you may do.
    (A POST, after the access check, just shows the page again: actions have their own URLs.)"""
    item = access_entry(request.user, entry_id)
    if request.method == "POST":
        return redirect("evidence:entry", item.pk)
    return _page(request, item)


def _entry_form(
    request: AuthedRequest,
    data: Any,
    placement: Placement,
    organization: Organization,
    *,
    entry: Entry | None = None,
    **kwargs: Any,
) -> EntryForm:
    objectives = objectives_to_name(request.user, organization)
    named = entry.objective if entry is not None else None
    if named is not None and named not in objectives:
        objectives.append(named)  # dropped since it was named: keep it pickable
    return EntryForm(
        data,
        document=document_of(placement.version),
        placement=placement,
        objectives=objectives,
        members=members_of(organization) if data is not None else [],
        **kwargs,
    )


@login_required
@get_or_post
def entry_new(request: AuthedRequest) -> HttpResponse:
    """A new entry on my current placement; `?objective=<id>` fills in an objective's
    competencies and target step, `?competency=<key>` picks competencies."""
    organization = _organization(request)
    placement = active_placement(request.user, organization)
    if placement is None:
        messages.info(request, "Place yourself on a framework first: evidence shows its steps.")
        return redirect("assessments:placement_edit")
    doc = document_of(placement.version)
    objective = None
    wanted = request.GET.get("objective", "")
    if wanted.isdigit():
        objective = access_objective(request.user, int(wanted), write=True)
    initial = new_entry_initial(doc, placement, objective, request.GET.getlist("competency"))
    data = request.POST if request.method == "POST" else None
    form = _entry_form(request, data, placement, organization, initial=initial)
    if data is not None and form.is_valid():
        with service_errors(form):
            made = create_entry(owner=request.user, placement=placement, **form.changes())
            messages.success(request, "Evidence logged. Ask someone who saw it to confirm it.")
            return redirect("evidence:entry", made.pk)
    context = {"form": form, "placement": placement, "entry": None, "objective": objective}
    return render(request, FORM, context, status=form.status)


@login_required
@get_or_post
def entry_edit(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Edit my entry."""
    item = access_entry(request.user, entry_id, write=True)
    data = request.POST if request.method == "POST" else None
    form = _entry_form(
        request, data, item.placement, item.organization, entry=item, initial=entry_initial(item)
    )
    if data is not None and form.is_valid():
        with service_errors(form):
            update_entry(entry=item, by=request.user, **form.changes())
            messages.success(request, "Entry saved.")
            return redirect("evidence:entry", item.pk)
    context = {"form": form, "placement": item.placement, "entry": item, "objective": None}
    return render(request, FORM, context, status=form.status)


@login_required
@get_or_post
def entry_delete(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Delete my entry, after a confirmation page."""
    item = access_entry(request.user, entry_id, write=True)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with service_errors(form):
            delete_entry(entry=item, by=request.user)
            messages.success(request, f"“{item.title}” deleted.")
            return redirect("evidence:log")
    context = {"entry": item, "form": form, "confirmations": item.confirmations.count()}
    return render(request, "evidence/entry_delete.html", context, status=form.status)


# --- Confirming, asking, answering ----------------------------------------------------------


@login_required
@get_or_post
def entry_confirm(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Confirm someone's entry."""
    item = access_entry(request.user, entry_id)
    if request.method == "GET":
        return redirect(reverse("evidence:entry", args=[item.pk]) + "#confirm")
    form = ConfirmForm(request.POST, entry=item, document=document_of(item.placement.version))
    if form.is_valid():
        with service_errors(form):
            confirm_entry(
                entry=item,
                by=request.user,
                relation=form.cleaned_data["relation"],
                steps=form.steps(),
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Thank you: your confirmation is recorded.")
            return redirect(reverse("evidence:entry", args=[item.pk]) + "#confirmations")
    return _page(request, item, confirm_form=form, status=form.status)


@login_required
@get_or_post
def confirmation_withdraw(
    request: AuthedRequest, entry_id: int, confirmation_id: int
) -> HttpResponse:
    """Withdraw my confirmation of an entry."""
    confirmation = access_confirmation(request.user, entry_id, confirmation_id)
    if request.method == "GET":
        return redirect("evidence:entry", entry_id)
    form = ServiceForm(request.POST)
    with service_errors(form):
        withdraw_confirmation(confirmation=confirmation, by=request.user)
        messages.success(request, "Your confirmation is withdrawn.")
        return redirect("evidence:entry", entry_id)
    return _page(request, confirmation.entry, action_form=form, status=form.status)


@login_required
@get_or_post
def entry_request(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Ask colleagues to confirm my entry."""
    item = access_entry(request.user, entry_id, write=True)
    if request.method == "GET":
        return redirect(reverse("evidence:entry", args=[item.pk]) + "#ask")
    form = RequestForm(request.POST, members=members_of(item.organization))
    if form.is_valid():
        with service_errors(form):
            asked = request_confirmation(
                entry=item,
                by=request.user,
                people=form.cleaned_data["people"],
                message=form.cleaned_data["message"],
            )
            names = ", ".join(p.display_name for p in asked)
            messages.success(request, f"Asked {names} to confirm it.")
            return redirect("evidence:entry", item.pk)
    return _page(request, item, request_form=form, status=form.status)


@login_required
@get_or_post
def entry_collaborate(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Accept or decline being named as a collaborator on an entry."""
    collaborator = access_collaboration(request.user, entry_id)
    if request.method == "GET":
        return redirect(reverse("evidence:entry", args=[entry_id]) + "#collaborators")
    form = AnswerForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            accept = form.cleaned_data["answer"] == "accept"
            answer_collaboration(collaborator=collaborator, by=request.user, accept=accept)
            messages.success(
                request, "You share the credit." if accept else "You are no longer named on it."
            )
            return redirect(reverse("evidence:entry", args=[entry_id]) + "#collaborators")
    return _page(request, collaborator.entry, action_form=form, status=form.status)

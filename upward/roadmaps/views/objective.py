"""One objective: its page (edit it, with the live specificity check), its status
(start, mark done, drop, reopen), its milestones checklist, a new objective, and the
check itself for htmx."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from upward.accounts.current import current_membership
from upward.accounts.selectors import members_of, teams_of
from upward.assessments.models import Placement
from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    redirect_or_fragment,
    render_page,
    service_errors,
)
from upward.engine.framework.models import FrameworkDocument
from upward.engine.specificity import Check
from upward.evidence.selectors.entries import objective_entries
from upward.frameworks.selectors import document_of
from upward.roadmaps import selectors, services
from upward.roadmaps.access import access_milestone, access_objective
from upward.roadmaps.forms import (
    CompleteForm,
    DoneForm,
    DropForm,
    MilestoneForm,
    ObjectiveForm,
    Stakeholders,
    lines,
    objective_initial,
)
from upward.roadmaps.models import OPEN_STATUSES, Objective, Status
from upward.roadmaps.views.common import (
    STATUS_TONES,
    is_overdue,
    my_placement,
    shown,
    specificity,
    step_label,
    timebox_label,
)

PAGE = "roadmaps/objective_detail.html"
PREFIX = re.compile(r"^(p\d{1,2}-)?$")


def _reader(request: AuthedRequest, objective: Objective | None = None) -> Stakeholders:
    """Colleagues and teams of the organization, to recognise stakeholders by."""
    membership = current_membership(request)
    org = objective.organization if objective is not None else None
    if org is None and membership is not None:
        org = membership.organization
    if org is None:
        return Stakeholders([], [])
    return Stakeholders(members_of(org), teams_of(org))


def feedback_url(objective: Objective) -> str:
    """Ask for feedback on the objective's competencies, from its stakeholders."""
    query: list[tuple[str, Any]] = [("competency", key) for key in objective.competencies]
    for s in objective.stakeholders.all():
        if s.user_id is not None:
            query.append(("rater", s.user_id))
        elif s.email:
            query.append(("email", s.email))
    url = reverse("assessments:feedback_new", args=[objective.placement_id])
    return f"{url}?{urlencode(query)}"


def _page(
    request: AuthedRequest,
    objective: Objective,
    *,
    form: ObjectiveForm | None = None,
    typed: Check | None = None,
    status: int = 200,
    open_panel: str = "",
    **forms: ServiceForm | None,
) -> HttpResponse:
    """The objective's page, with any form that failed shown with its errors: a fixed
    number of queries (its milestones and its stakeholders with their accounts, once)."""
    prefetch_related_objects([objective], "milestones", "stakeholders__user")
    own = objective.owner_id == request.user.pk
    placement = objective.placement
    doc = document_of(placement.version)
    names = {c.key: c.name for c in doc.competencies}
    context: dict[str, Any] = {
        "objective": objective,
        "own": own,
        "doc": doc,
        "competencies": [names.get(k, k) for k in objective.competencies],
        "step": step_label(doc, list(objective.competencies), objective.target_step),
        "timebox": timebox_label(objective),
        "overdue": is_overdue(objective, timezone.localdate()),
        "tone": STATUS_TONES.get(Status(objective.status), "neutral"),
        "is_open": objective.status in OPEN_STATUSES,
        "milestones": list(objective.milestones.all()),
        "stakeholders": list(objective.stakeholders.all()),
        "open_panel": open_panel,
        "evidence": objective_entries(objective, viewer=request.user),
    }
    if own:
        context["form"] = form or ObjectiveForm(
            initial=objective_initial(objective),
            document=doc,
            track=placement.target_track,
            stakeholders=Stakeholders([], []),
            creating=False,
        )
        context["shown"] = shown(typed or selectors.objective_check(objective))
        context["complete_form"] = forms.get("complete_form") or CompleteForm()
        context["drop_form"] = forms.get("drop_form") or DropForm()
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm()
        context["action_form"] = forms.get("action_form")
        context["feedback_url"] = feedback_url(objective)
    return render_page(request, PAGE, context, status=status)


@login_required
@get_or_post
def objective(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """An objective: read it, or (its owner) edit it; "Check" shows how specific it is
    without saving."""
    item = access_objective(request.user, objective_id, write=request.method == "POST")
    if request.method == "GET":
        return _page(request, item)
    doc = document_of(item.placement.version)
    form = ObjectiveForm(
        request.POST,
        document=doc,
        track=item.placement.target_track,
        stakeholders=_reader(request, item),
        creating=False,
    )
    if request.POST.get("action") == "check":
        typed = typed_check(request.POST, doc, item.placement)
        return _page(request, item, form=form, typed=typed)
    if form.is_valid():
        with service_errors(form):
            services.update_objective(objective=item, by=request.user, **form.changes())
            messages.success(request, "Objective saved.")
            return redirect("roadmaps:objective", item.pk)
    return _page(request, item, form=form, status=form.status)


def typed_check(
    data: Any, doc: FrameworkDocument | None, placement: Placement | None, prefix: str = ""
) -> Check:
    """The check of an objective as typed in a form (fields named with `prefix`)."""
    competencies = data.getlist(prefix + "competencies") or [data.get(prefix + "competency", "")]
    return specificity(
        doc,
        placement,
        title=data.get(prefix + "title", ""),
        competencies=competencies,
        stakeholders=lines(data.get(prefix + "stakeholders", "")),
        timebox=data.get(prefix + "quarter", "") or data.get(prefix + "due_on", ""),
        success_criteria=lines(data.get(prefix + "success_criteria", "")),
    )


@login_required
@get_or_post
def objective_new(request: AuthedRequest) -> HttpResponse:
    """A new objective on my current placement; `?competency=<key>` picks the gap it serves."""
    placement = my_placement(request)
    if placement is None:
        messages.info(request, "Place yourself on a framework first: objectives serve its gaps.")
        return redirect("assessments:placement_edit")
    doc = document_of(placement.version)
    known = {c.key for c in doc.competencies}
    chosen = [k for k in request.GET.getlist("competency") if k in known]
    data = request.POST if request.method == "POST" else None
    form = ObjectiveForm(
        data,
        document=doc,
        track=placement.target_track,
        stakeholders=_reader(request),
        creating=True,
        initial={"competencies": chosen},
    )
    if data is not None and data.get("action") != "check" and form.is_valid():
        with service_errors(form):
            made = services.create_objective(
                owner=request.user, placement=placement, **form.changes()
            )
            messages.success(request, "Objective added to your roadmap.")
            return redirect("roadmaps:objective", made.pk)
    if data is not None:
        typed = typed_check(data, doc, placement)
    else:
        typed = specificity(doc, placement, title="", competencies=chosen)
    context = {"placement": placement, "form": form, "shown": shown(typed), "doc": doc}
    status = form.status if data is not None and data.get("action") != "check" else 200
    return render(request, "roadmaps/objective_new.html", context, status=status)


@login_required
@require_POST
def check(request: AuthedRequest) -> HttpResponse:
    """How specific the objective being typed is: the score, what is missing and
    suggestions, as a fragment for htmx (`?prefix=p0-` for one proposal of several)."""
    prefix = request.GET.get("prefix", "")
    if not PREFIX.match(prefix):
        prefix = ""
    placement = my_placement(request)
    doc = document_of(placement.version) if placement else None
    result = typed_check(request.POST, doc, placement, prefix)
    target = f"check-{prefix.rstrip('-')}" if prefix else "check"
    context = {"shown": shown(result, target=target)}
    return render(request, "roadmaps/check.html#result", context)


# --- Status ----------------------------------------------------------------------------------


def _status_change(
    request: AuthedRequest,
    objective_id: int,
    change: Callable[..., Objective],
    done: str,
) -> HttpResponse:
    """Apply a status change that needs no input to the owner's objective (a GET just
    goes back to it); an error re-renders the objective's page naming it."""
    item = access_objective(request.user, objective_id, write=True)
    if request.method == "GET":
        return redirect("roadmaps:objective", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        change(objective=item, by=request.user)
        messages.success(request, done)
        return redirect("roadmaps:objective", item.pk)
    return _page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def objective_start(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """Start working on a planned objective."""
    return _status_change(request, objective_id, services.start_objective, "Started. Good luck!")


@login_required
@get_or_post
def objective_reopen(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """Put a done or dropped objective back on the roadmap."""
    return _status_change(request, objective_id, services.reopen_objective, "Reopened.")


@login_required
@get_or_post
def objective_complete(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """Mark an objective done, with a link and a note that show it."""
    item = access_objective(request.user, objective_id, write=True)
    if request.method == "GET":
        return redirect(reverse("roadmaps:objective", args=[item.pk]) + "#complete")
    form = CompleteForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.complete_objective(
                objective=item,
                by=request.user,
                link=form.cleaned_data["link"].strip(),
                note=form.cleaned_data["note"].strip(),
            )
            messages.success(request, "Done! Now ask the people it was for what they saw.")
            return redirect(reverse("roadmaps:objective", args=[item.pk]) + "#feedback")
    return _page(request, item, complete_form=form, open_panel="complete", status=form.status)


@login_required
@get_or_post
def objective_drop(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """Drop an objective, saying why."""
    item = access_objective(request.user, objective_id, write=True)
    if request.method == "GET":
        return redirect(reverse("roadmaps:objective", args=[item.pk]) + "#drop")
    form = DropForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.drop_objective(
                objective=item, by=request.user, reason=form.cleaned_data["reason"].strip()
            )
            messages.success(request, "Dropped. It stays on your roadmap as history.")
            return redirect("roadmaps:objective", item.pk)
    return _page(request, item, drop_form=form, open_panel="drop", status=form.status)


@login_required
@get_or_post
def objective_delete(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """Delete an objective for good."""
    item = access_objective(request.user, objective_id, write=True)
    if request.method == "GET":
        return redirect("roadmaps:objective", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.delete_objective(objective=item, by=request.user)
        messages.success(request, f"“{item.title}” deleted.")
        return redirect("roadmaps:roadmap")
    return _page(request, item, action_form=form, status=form.status)


# --- Milestones ------------------------------------------------------------------------------


def _milestones(request: AuthedRequest, item: Objective, **extra: Any) -> HttpResponse:
    """The checklist alone, for htmx."""
    context = {
        "objective": item,
        "own": True,
        "milestones": list(item.milestones.all()),
        "milestone_form": extra.get("milestone_form") or MilestoneForm(),
    }
    return render_page(
        request, PAGE, context, fragment="milestones", status=extra.get("status", 200)
    )


@login_required
@get_or_post
def milestone_add(request: AuthedRequest, objective_id: int) -> HttpResponse:
    """Add a milestone to the checklist."""
    item = access_objective(request.user, objective_id, write=True)
    back = reverse("roadmaps:objective", args=[item.pk]) + "#milestones"
    if request.method == "GET":
        return redirect(back)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.add_milestone(
                objective=item,
                by=request.user,
                title=form.cleaned_data["title"].strip(),
                due_on=form.cleaned_data["due_on"],
            )
            return redirect_or_fragment(request, back, lambda: _milestones(request, item))
    if request.headers.get("HX-Request") == "true":
        return _milestones(request, item, milestone_form=form, status=form.status)
    return _page(request, item, milestone_form=form, status=form.status)


@login_required
@get_or_post
def milestone_done(request: AuthedRequest, milestone_id: int) -> HttpResponse:
    """Tick a milestone off the checklist, or untick it."""
    milestone = access_milestone(request.user, milestone_id, write=True)
    item = milestone.objective
    back = reverse("roadmaps:objective", args=[item.pk]) + "#milestones"
    if request.method == "GET":
        return redirect(back)
    form = DoneForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.set_milestone_done(
                milestone=milestone, by=request.user, done=form.cleaned_data["done"]
            )
            return redirect_or_fragment(request, back, lambda: _milestones(request, item))
    return _page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def milestone_delete(request: AuthedRequest, milestone_id: int) -> HttpResponse:
    """Take a milestone off the checklist."""
    milestone = access_milestone(request.user, milestone_id, write=True)
    item = milestone.objective
    back = reverse("roadmaps:objective", args=[item.pk]) + "#milestones"
    if request.method == "GET":
        return redirect(back)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.delete_milestone(milestone=milestone, by=request.user)
        return redirect_or_fragment(request, back, lambda: _milestones(request, item))
    return _page(request, item, action_form=form, status=form.status)

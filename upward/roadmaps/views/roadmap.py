"""My roadmap (by gap or by quarter), building it from the top gaps, and a manager's
read-only view of a report's roadmap."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from upward.assessments.models import Placement
from upward.assessments.selectors import delta_for
from upward.core.http import AuthedRequest, get_or_post, service_errors
from upward.frameworks.selectors import document_of
from upward.roadmaps import selectors, services
from upward.roadmaps.access import access_report_roadmap
from upward.roadmaps.forms import BuildForm, lines, milestone_lines
from upward.roadmaps.models import Status
from upward.roadmaps.services import Proposal
from upward.roadmaps.views.common import cards, my_placement, shown, specificity

VIEWS = {"gap": "By gap", "quarter": "By quarter"}


def _groups(found: selectors.Roadmap, *, by: str) -> list[dict[str, Any]]:
    """The roadmap's objectives as cards, grouped by competency or by quarter."""
    doc = document_of(found.placement.version)
    names = {c.key: c.name for c in doc.competencies}
    grouped = found.by_quarter if by == "quarter" else found.by_gap
    return [
        {
            "key": key,
            "label": key if by == "quarter" else names.get(key, key),
            "cards": cards(objectives, doc),
        }
        for key, objectives in grouped.items()
    ]


def _unplanned(found: selectors.Roadmap, top_gaps: list[str]) -> list[str]:
    """The top gaps no objective serves yet (dropped ones don't count): "no plan yet"."""
    planned = {
        key
        for objective in found.objectives
        if objective.status != Status.DROPPED
        for key in objective.competencies
    }
    return [key for key in top_gaps if key not in planned]


def _grouping(request: AuthedRequest) -> str:
    """`?view=quarter` groups by quarter; anything else by gap."""
    wanted = request.GET.get("view", "")
    return wanted if wanted in VIEWS else "gap"


@login_required
@require_GET
def roadmap(request: AuthedRequest) -> HttpResponse:
    """My objectives for my current placement, by gap or by quarter, and the top gaps
    that have no plan yet."""
    placement = my_placement(request)
    by = _grouping(request)
    context: dict[str, Any] = {"placement": placement, "by": by, "views": VIEWS}
    if placement is not None:
        report = delta_for(placement, viewer=request.user)
        found = selectors.roadmap(placement, viewer=request.user)
        names = {c.key: c.name for c in report.document.competencies}
        top_gaps = list(report.delta.top_gaps)
        context["groups"] = _groups(found, by=by)
        context["unplanned"] = [
            {"key": key, "name": names.get(key, key)} for key in _unplanned(found, top_gaps)
        ]
        context["target"] = report.target
        context["top_gaps"] = top_gaps
    return render(request, "roadmaps/roadmap_detail.html", context)


@login_required
@require_GET
def report(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """A report's roadmap, for their manager: only what its visibility lets them see."""
    placement = access_report_roadmap(request.user, placement_id)
    by = _grouping(request)
    found = selectors.roadmap(placement, viewer=request.user)
    context = {
        "placement": placement,
        "person": placement.user,
        "groups": _groups(found, by=by),
        "by": by,
        "views": VIEWS,
        "own": placement.user_id == request.user.pk,
    }
    return render(request, "roadmaps/roadmap_report.html", context)


# --- Build my roadmap ------------------------------------------------------------------------


def _initial(proposals: list[Proposal]) -> dict[str, Any]:
    initial: dict[str, Any] = {"count": len(proposals)}
    for i, p in enumerate(proposals):
        values = {
            "keep": "keep",
            "title": p.title,
            "description": p.description,
            "kind": p.kind,
            "due_on": p.due_on,
            "success_criteria": "\n".join(p.success_criteria),
            "stakeholders": "\n".join(p.stakeholders),
            "milestones": milestone_lines(p.milestones),
            "competency": p.competency,
            "competency_name": p.competency_name,
            "target_step": p.target_step,
            "template_id": p.template_id or "",
            "expectation": p.expectation,
        }
        initial.update({f"p{i}-{k}": v for k, v in values.items()})
    return initial


def _posted(form: BuildForm, i: int, placement: Placement) -> Proposal:
    """A kept proposal as the member left it (the form must be valid)."""
    value = form.cleaned_data.get
    p = f"p{i}-"
    template_id = value(p + "template_id") or ""
    milestones = value(p + "milestones") or []
    criteria = lines(value(p + "success_criteria") or "")
    stakeholders = lines(value(p + "stakeholders") or "")
    due_on = value(p + "due_on")
    title = (value(p + "title") or "").strip()
    return Proposal(
        competency=value(p + "competency") or "",
        competency_name=value(p + "competency_name") or "",
        target_step=value(p + "target_step") or "",
        title=title,
        description=value(p + "description") or "",
        kind=value(p + "kind") or "",
        success_criteria=criteria,
        stakeholders=stakeholders,
        due_on=due_on,
        milestones=[(m.title, m.due_on) for m in milestones],
        template_id=int(template_id) if str(template_id).isdigit() else None,
        expectation=value(p + "expectation") or "",
        check=specificity(
            document_of(placement.version),
            placement,
            title=title,
            competencies=[value(p + "competency") or ""],
            stakeholders=stakeholders,
            timebox=due_on.isoformat() if due_on else "",
            success_criteria=criteria,
        ),
    )


def _rows(form: BuildForm, placement: Placement) -> list[dict[str, Any]]:
    """Each proposal's fields with its gap, its expectation and how specific it is now."""
    doc = document_of(placement.version)
    rows = form.rows()
    for row in rows:
        i = row["index"]
        title = str(form.value(i, "title") or "")
        due = form.value(i, "due_on")
        row["gap"] = form.value(i, "competency_name")
        row["aims"] = form.value(i, "expectation")
        template_id = str(form.value(i, "template_id") or "")
        row["template"] = int(template_id) if template_id.isdigit() else None
        row["kept"] = form.data.get(f"p{i}-keep", "keep") == "keep" if form.is_bound else True
        check = specificity(
            doc,
            placement,
            title=title,
            competencies=[str(form.value(i, "competency") or "")],
            stakeholders=lines(str(form.value(i, "stakeholders") or "")),
            timebox=due.isoformat() if hasattr(due, "isoformat") else str(due or ""),
            success_criteria=lines(str(form.value(i, "success_criteria") or "")),
        )
        row["shown"] = shown(check, target=f"check-p{i}")
    return rows


@login_required
@get_or_post
def build(request: AuthedRequest) -> HttpResponse:
    """ "Build my roadmap": objectives proposed for each top gap, to keep, edit or discard."""
    placement = my_placement(request)
    if placement is None:
        messages.info(request, "Place yourself on a framework first: the roadmap follows its gaps.")
        return redirect("assessments:placement_edit")
    if request.method == "POST":
        raw = request.POST.get("count", "0")
        form = BuildForm(request.POST, count=int(raw) if raw.isdigit() else 0)
        if form.is_valid():
            with service_errors(form):
                kept = [_posted(form, i, placement) for i in form.kept()]
                made = services.accept_proposals(
                    placement=placement, by=request.user, proposals=kept
                )
                messages.success(
                    request, f"{len(made)} objective{'s' if len(made) != 1 else ''} added."
                )
                return redirect("roadmaps:roadmap")
    else:
        proposals = services.propose_roadmap(placement=placement)
        form = BuildForm(count=len(proposals), initial=_initial(proposals))
    context = {
        "placement": placement,
        "form": form,
        "rows": _rows(form, placement),
        "target": document_of(placement.version).level(placement.target_level),
    }
    if not context["rows"]:
        # Nothing to propose: no top gaps yet, or their proposals are all taken.
        context["planned"] = placement.objectives.exists()
    return render(request, "roadmaps/roadmap_build.html", context, status=form.status)

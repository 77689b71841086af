"""Editing one step of a competency's own scale (points-based frameworks): a page
of its own without JavaScript, the form in place of the step with htmx.

It works like the cell editor (`cells.py`): the same access, the same locked
page for published versions, the same fragment flow (Edit, Save, Cancel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect

from upward.core.http import is_htmx, render_page, service_errors
from upward.engine import edit
from upward.engine.framework.models import Competency, FrameworkDocument, Step
from upward.frameworks import matrix, services
from upward.frameworks.documents import document_of
from upward.frameworks.forms import StepForm
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.views.common import (
    AuthedRequest,
    _draft,
    _edit_url,
    _locked,
    _or_none,
    get_or_post,
)


@login_required
@get_or_post
def framework_step(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Edit one step of a draft's scale: a page without JavaScript, a fragment with htmx."""
    version = _draft(request, framework_id, number)
    if version.status != VersionStatus.DRAFT:
        return _locked(request, version)
    doc = document_of(version)
    if request.method == "GET":
        competency, step = _step_of(doc, request.GET)
        if request.GET.get("view") and is_htmx(request):
            return _step_fragment(request, version, competency.key, step.key)
        initial = {
            "competency": competency.key,
            "step": step.key,
            "name": step.name,
            "description": step.description,
            "signals": "\n".join(step.signals),
            "examples": "\n".join(step.examples),
        }
        return _step_page(request, version, StepForm(initial=initial))
    form = StepForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            services.edit_draft(version=version, by=request.user, change=_set_step(data))
            if is_htmx(request):
                return _step_fragment(request, version, data["competency"], data["step"])
            anchor = _step_anchor(data["competency"], data["step"])
            return redirect(_edit_url(version) + "#" + anchor)
    return _step_page(request, version, form, status=form.status)


def _set_step(data: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda doc: edit.set_step(
        doc,
        competency=data["competency"],
        step=data["step"],
        name=data["name"],
        description=data["description"],
        signals=data["signals"],
        examples=data["examples"],
    )


def _step_of(doc: FrameworkDocument, query: QueryDict) -> tuple[Competency, Step]:
    """The competency and step a link names; 404 when the document has no such step."""
    competency = _or_none(doc.competency, query.get("competency"))
    step = _scale_step(competency, query.get("step"))
    if competency is None or step is None:
        raise Http404
    return competency, step


def _scale_step(competency: Competency | None, key: Any) -> Step | None:
    if competency is None:
        return None
    return next((s for s in competency.scale if s.key == str(key or "")), None)


def _step_anchor(competency: str, step: str) -> str:
    return f"step-{competency}-{step}"


def _step_fragment(
    request: AuthedRequest, version: FrameworkVersion, competency: str, step: str
) -> HttpResponse:
    doc = document_of(version)
    found = doc.competency(competency)
    sc = matrix.scale_cell(doc, found, next(s for s in found.scale if s.key == step))
    context = {"framework": version.framework, "version": version, "competency": found, "sc": sc}
    return render_page(request, "frameworks/version_edit.html", context, fragment="step")


def _step_page(
    request: AuthedRequest, version: FrameworkVersion, form: StepForm, *, status: int = 200
) -> HttpResponse:
    """The step form: a page of its own, or (htmx) the form alone, in place of the step."""
    doc = document_of(version)
    competency = _or_none(doc.competency, form["competency"].value())
    step = _scale_step(competency, form["step"].value())
    in_place = is_htmx(request)
    if in_place:
        form.fields["name"].widget.attrs["autofocus"] = True
    context = {
        "framework": version.framework,
        "version": version,
        "form": form,
        "competency": competency,
        "step": step,
        "in_place": in_place,
        "anchor": _step_anchor(competency.key, step.key) if step else "",
        "step_query": urlencode(
            {"competency": competency.key if step else "", "step": step.key if step else ""}
        ),
    }
    return render_page(
        request, "frameworks/step_edit.html", context, fragment="form", status=status
    )

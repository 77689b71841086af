"""Editing one step of a competency's own scale (points-based frameworks): a page
of its own without JavaScript, the form in place of the step with htmx.

It works like the cell editor (`cells.py`): the same access, the same locked
page for published versions, the same in-place editor (`core/inplace.py`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from upward.core.http import AuthedRequest, ServiceForm, get_or_post
from upward.core.inplace import InPlace
from upward.engine import edit
from upward.engine.framework.models import Competency, FrameworkDocument, Step
from upward.frameworks import matrix, services
from upward.frameworks.forms import StepForm
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of
from upward.frameworks.views.common import edit_url, editable_draft, locked_page, or_none

STEP = InPlace(
    page="frameworks/step_edit.html",
    display="frameworks/version_edit.html#step",
    autofocus="name",
)


@login_required
@get_or_post
def framework_step(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Edit one step of a draft's scale: a page without JavaScript, a fragment with htmx."""
    version = editable_draft(request, framework_id, number)
    if version.status != VersionStatus.DRAFT:
        return locked_page(request, version)
    doc = document_of(version)

    def form_context(form: ServiceForm) -> Mapping[str, Any]:
        return _form_context(request, version, form)

    if request.method == "GET":
        competency, step = _step_of(doc, request.GET)
        if STEP.wants_display(request):
            return STEP.show(request, _step_context(version, competency.key, step.key))
        return STEP.edit(request, StepForm(initial=_initial(competency, step)), form_context)
    return STEP.save(
        request,
        StepForm(request.POST),
        form_context,
        save=lambda data: services.edit_draft(
            version=version, by=request.user, change=_set_step(data)
        ),
        display=lambda data: _step_context(version, data["competency"], data["step"]),
        done=lambda data: redirect(
            edit_url(version) + "#" + _step_anchor(data["competency"], data["step"])
        ),
    )


def _initial(competency: Competency, step: Step) -> dict[str, Any]:
    return {
        "competency": competency.key,
        "step": step.key,
        "name": step.name,
        "description": step.description,
        "signals": "\n".join(step.signals),
        "examples": "\n".join(step.examples),
    }


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
    competency = or_none(doc.competency, query.get("competency"))
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


def _step_context(version: FrameworkVersion, competency: str, step: str) -> dict[str, Any]:
    """What the step's display partial needs."""
    doc = document_of(version)
    found = doc.competency(competency)
    sc = matrix.scale_cell(doc, found, next(s for s in found.scale if s.key == step))
    return {"framework": version.framework, "version": version, "competency": found, "sc": sc}


def _form_context(
    request: AuthedRequest, version: FrameworkVersion, form: ServiceForm
) -> dict[str, Any]:
    """The step form's page: which step, and where Save and Cancel go."""
    doc = document_of(version)
    competency = or_none(doc.competency, form["competency"].value())
    step = _scale_step(competency, form["step"].value())
    url = reverse("frameworks:framework_step", args=[version.framework_id, version.number])
    anchor = _step_anchor(competency.key, step.key) if competency and step else ""
    cancel = ""
    if competency and step:
        query = urlencode({"competency": competency.key, "step": step.key, "view": "1"})
        cancel = f"{url}?{query}"
    inplace = STEP.editing(
        request,
        form,
        url=url,
        back=edit_url(version) + (f"#{anchor}" if anchor else ""),
        cancel=cancel,
    )
    return {
        "framework": version.framework,
        "version": version,
        "form": form,
        "competency": competency,
        "step": step,
        "inplace": inplace,
    }

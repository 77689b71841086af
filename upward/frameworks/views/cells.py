"""Editing one cell of a draft: a page of its own without JavaScript, the form
in place of the cell with htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect

from upward.core.http import is_htmx, render_page, service_errors
from upward.engine import edit
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks import matrix, services
from upward.frameworks.documents import document_of
from upward.frameworks.forms import CellForm
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
def framework_cell(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Edit one cell of a draft: a page without JavaScript, a fragment in place with htmx."""
    version = _draft(request, framework_id, number)
    if version.status != VersionStatus.DRAFT:
        return _locked(request, version)
    doc = document_of(version)
    if request.method == "GET":
        competency, level = _cell_keys(doc, request.GET)
        if request.GET.get("view") and is_htmx(request):
            return _cell_fragment(request, version, competency, level)
        expectation = doc.expectation(competency, level)
        initial = {"competency": competency, "level": level}
        if expectation is not None:
            initial |= {
                "summary": expectation.summary,
                "signals": "\n".join(expectation.signals),
                "examples": "\n".join(expectation.examples),
                "step": expectation.step or "",
            }
        form = CellForm(initial=initial, steps=_steps(doc, competency))
        return _cell_page(request, version, form)
    form = CellForm(request.POST, steps=_steps(doc, request.POST.get("competency", "")))
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            services.edit_draft(version=version, by=request.user, change=_set_cell(data))
            if is_htmx(request):
                return _cell_fragment(request, version, data["competency"], data["level"])
            anchor = _cell_anchor(data["competency"], data["level"])
            return redirect(_edit_url(version) + "#" + anchor)
    return _cell_page(request, version, form, status=form.status)


def _set_cell(data: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda doc: edit.set_cell(
        doc,
        competency=data["competency"],
        level=data["level"],
        summary=data["summary"],
        signals=data["signals"],
        examples=data["examples"],
        step=data.get("step") or None,
    )


def _cell_keys(doc: FrameworkDocument, query: QueryDict) -> tuple[str, str]:
    """The competency and level a cell link names; 404 when the document has no such cell."""
    competency, level = query.get("competency", ""), query.get("level", "")
    try:
        doc.competency(competency)
        doc.level(level)
    except KeyError:
        raise Http404 from None
    return competency, level


def _steps(doc: FrameworkDocument, competency: str) -> list[tuple[str, str]]:
    try:
        return [(s.key, s.name) for s in doc.competency(competency).scale]
    except KeyError:
        return []


def _cell_anchor(competency: str, level: str) -> str:
    return f"cell-{competency}-{level}"


def _cell_fragment(
    request: AuthedRequest, version: FrameworkVersion, competency: str, level: str
) -> HttpResponse:
    doc = document_of(version)
    cell = matrix.cell(doc, doc.competency(competency), doc.level(level))
    context = {"framework": version.framework, "version": version, "cell": cell, "editing": True}
    return render_page(request, "frameworks/version_edit.html", context, fragment="cell")


def _cell_page(
    request: AuthedRequest, version: FrameworkVersion, form: CellForm, *, status: int = 200
) -> HttpResponse:
    """The cell form: a page of its own, or (htmx) the form alone, in place of the cell."""
    doc = document_of(version)
    competency = _or_none(doc.competency, form["competency"].value())
    level = _or_none(doc.level, form["level"].value())
    in_place = is_htmx(request)
    if in_place:
        form.fields["summary"].widget.attrs["autofocus"] = True
    context = {
        "framework": version.framework,
        "version": version,
        "form": form,
        "competency": competency,
        "level": level,
        "in_place": in_place,
        "anchor": _cell_anchor(competency.key, level.key) if competency and level else "",
        "cell_query": urlencode(
            {
                "competency": competency.key if competency else "",
                "level": level.key if level else "",
            }
        ),
    }
    return render_page(
        request, "frameworks/cell_edit.html", context, fragment="form", status=status
    )

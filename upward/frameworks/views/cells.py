"""Editing one cell of a draft: a page of its own without JavaScript, the form
in place of the cell with htmx."""

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
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks import matrix, services
from upward.frameworks.forms import CellForm
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of
from upward.frameworks.views.common import edit_url, editable_draft, locked_page, or_none

CELL = InPlace(
    page="frameworks/cell_edit.html",
    display="frameworks/version_edit.html#cell",
    autofocus="summary",
)


@login_required
@get_or_post
def framework_cell(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Edit one cell of a draft: a page without JavaScript, a fragment in place with htmx."""
    version = editable_draft(request, framework_id, number)
    if version.status != VersionStatus.DRAFT:
        return locked_page(request, version)
    doc = document_of(version)

    def form_context(form: ServiceForm) -> Mapping[str, Any]:
        return _form_context(request, version, form)

    if request.method == "GET":
        competency, level = _cell_keys(doc, request.GET)
        if CELL.wants_display(request):
            return CELL.show(request, _cell_context(version, competency, level))
        form = CellForm(initial=_initial(doc, competency, level), steps=_steps(doc, competency))
        return CELL.edit(request, form, form_context)
    return CELL.save(
        request,
        CellForm(request.POST, steps=_steps(doc, request.POST.get("competency", ""))),
        form_context,
        save=lambda data: services.edit_draft(
            version=version, by=request.user, change=_set_cell(data)
        ),
        display=lambda data: _cell_context(version, data["competency"], data["level"]),
        done=lambda data: redirect(
            edit_url(version) + "#" + _cell_anchor(data["competency"], data["level"])
        ),
    )


def _initial(doc: FrameworkDocument, competency: str, level: str) -> dict[str, Any]:
    initial = {"competency": competency, "level": level}
    expectation = doc.expectation(competency, level)
    if expectation is not None:
        initial |= {
            "summary": expectation.summary,
            "signals": "\n".join(expectation.signals),
            "examples": "\n".join(expectation.examples),
            "step": expectation.step or "",
        }
    return initial


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


def _cell_context(version: FrameworkVersion, competency: str, level: str) -> dict[str, Any]:
    """What the cell's display partial needs."""
    doc = document_of(version)
    cell = matrix.cell(doc, doc.competency(competency), doc.level(level))
    return {"framework": version.framework, "version": version, "cell": cell, "editing": True}


def _form_context(
    request: AuthedRequest, version: FrameworkVersion, form: ServiceForm
) -> dict[str, Any]:
    """The cell form's page: which cell, and where Save and Cancel go."""
    doc = document_of(version)
    competency = or_none(doc.competency, form["competency"].value())
    level = or_none(doc.level, form["level"].value())
    anchor = _cell_anchor(competency.key, level.key) if competency and level else ""
    url = reverse("frameworks:framework_cell", args=[version.framework_id, version.number])
    query = urlencode(
        {
            "competency": competency.key if competency else "",
            "level": level.key if level else "",
            "view": "1",
        }
    )
    inplace = CELL.editing(
        request,
        form,
        url=url,
        back=edit_url(version) + (f"#{anchor}" if anchor else ""),
        cancel=f"{url}?{query}",
    )
    return {
        "framework": version.framework,
        "version": version,
        "form": form,
        "competency": competency,
        "level": level,
        "inplace": inplace,
    }

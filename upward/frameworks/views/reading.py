"""Reading frameworks: the library, the matrix, export, a level, a competency,
history and diffs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from upward.accounts.models import Role
from upward.accounts.selectors import memberships_of
from upward.core.http import AuthedRequest, render_page
from upward.engine.formats import FORMATS, writable_formats, write
from upward.engine.links import safe_link
from upward.frameworks import access, matrix, selectors
from upward.frameworks.forms import DiffForm, MatrixFilterForm
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of
from upward.frameworks.views.common import version_url, visible_versions

# --- The library ------------------------------------------------------------------


@login_required
@require_GET
def framework_list(request: AuthedRequest) -> HttpResponse:
    """The built-in library and the frameworks of my organizations."""
    frameworks = list(selectors.visible_frameworks(request.user))
    editable = access.changeable_ids(request.user, frameworks)
    current = selectors.current_versions(frameworks)
    cards = []
    for fw in frameworks:
        version = current.get(fw.pk)
        if version is None and fw.pk not in editable:
            continue  # nothing published yet: only its editors know it exists
        counts = matrix.counts(document_of(version)) if version else None
        cards.append({"framework": fw, "counts": counts, "editor": fw.pk in editable})
    sections = _by_owner(cards)
    admin_of = [m for m in memberships_of(request.user) if m.role == Role.ADMIN]
    context = {"sections": sections, "can_import": bool(admin_of)}
    return render(request, "frameworks/framework_list.html", context)


def _by_owner(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The library first, then each organization's frameworks under its name."""
    sections: dict[int | None, dict[str, Any]] = {None: {"title": "Upward library", "cards": []}}
    for card in cards:
        org = card["framework"].organization
        key = org.pk if org else None
        if key not in sections:
            title = "Your personal space" if org.is_personal else org.name
            sections[key] = {"title": title, "organization": org, "cards": []}
        sections[key]["cards"].append(card)
    return [s for s in sections.values() if s["cards"]]


# --- The matrix ------------------------------------------------------------------------


@login_required
@require_GET
def framework_detail(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """A framework's current version as a matrix (its draft, for editors, if nothing is out)."""
    framework = access.access_framework(request.user, framework_id)
    version = selectors.current_version(framework)
    if version is None:
        # Nothing published yet: only its editors may know it exists, and see its draft.
        if not access.can_change(request.user, framework):
            raise Http404
        draft = next(iter(visible_versions(framework, editor=True)), None)
        if draft is None:
            raise Http404
        return redirect(version_url(draft))
    return matrix_page(request, version)


@login_required
@require_GET
def framework_version(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """One version as a matrix; a draft also shows its import warnings and what to do next."""
    version = access.access_version(request.user, framework_id, number)
    return matrix_page(request, version)


def matrix_page(
    request: AuthedRequest, version: FrameworkVersion, *, status: int = 200, **extra: Any
) -> HttpResponse:
    # Queries: the framework and the reader's membership (access), the version,
    # whether the reader may edit, and the version list for the switcher.
    framework = version.framework
    doc = document_of(version)
    editor = access.can_change(request.user, framework)
    versions = visible_versions(framework, editor)
    filters = MatrixFilterForm(request.GET or None, document=doc)
    track, area = filters.chosen()
    context = {
        "framework": framework,
        "version": version,
        "doc": doc,
        # Documents stored before links were checked may hold any address.
        "attribution_url": safe_link(doc.attribution.url) if doc.attribution else "",
        "matrix": matrix.build_matrix(doc, track=track, area=area),
        "thresholds": matrix.thresholds(doc),
        "filters": filters,
        "counts": matrix.counts(doc),
        "editor": editor,
        "versions": versions,
        "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
        "current": next((v for v in versions if v.status == VersionStatus.PUBLISHED), None),
        "formats": writable_formats(),
        **extra,
    }
    template = "frameworks/framework_detail.html"
    return render_page(request, template, context, fragment="matrix", status=status)


@login_required
@require_GET
def framework_export(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Download a version in one of the written formats (`?format=yaml`, csv, xlsx, ...)."""
    version = access.access_version(request.user, framework_id, number)
    spec = FORMATS.get(request.GET.get("format", "yaml"))
    if spec is None or spec.write is None:
        raise Http404
    body = write(document_of(version), spec.name)
    response = HttpResponse(body, content_type=spec.media_type)
    filename = f"{version.framework.key}-v{version.number}.{spec.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- A level, a competency -------------------------------------------------------------


@login_required
@require_GET
def framework_level(
    request: AuthedRequest, framework_id: int, number: int, level: str
) -> HttpResponse:
    """What it takes to be at a level, and what changes from the level below."""
    version = access.access_version(request.user, framework_id, number)
    doc = document_of(version)
    try:
        view = matrix.level_view(doc, level, track=request.GET.get("track"))
    except KeyError:
        raise Http404 from None
    context = {"framework": version.framework, "version": version, "doc": doc, "view": view}
    return render(request, "frameworks/level_detail.html", context)


@login_required
@require_GET
def framework_competency(
    request: AuthedRequest, framework_id: int, number: int, competency: str
) -> HttpResponse:
    """One competency at every level of each track, or along its own scale."""
    version = access.access_version(request.user, framework_id, number)
    doc = document_of(version)
    try:
        view = matrix.competency_view(doc, competency)
    except KeyError:
        raise Http404 from None
    context = {"framework": version.framework, "version": version, "doc": doc, "view": view}
    return render(request, "frameworks/competency_detail.html", context)


# --- History and differences --------------------------------------------------------------


@login_required
@require_GET
def framework_history(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """Every version of a framework: who made it, when, from what (drafts for editors)."""
    framework = access.access_framework(request.user, framework_id)
    editor = access.can_change(request.user, framework)
    versions = visible_versions(framework, editor)
    # Each version with the one before it, to link to what changed.
    older = [*(v.number for v in versions[1:]), None]
    rows = list(zip(versions, older, strict=True))
    context = {"framework": framework, "versions": versions, "rows": rows}
    return render(request, "frameworks/framework_history.html", context)


@login_required
@require_GET
def framework_diff(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """What changed between two versions (default: the one before the current, and it)."""
    framework = access.access_framework(request.user, framework_id)
    editor = access.can_change(request.user, framework)
    versions = visible_versions(framework, editor)
    form = DiffForm(request.GET or None)
    old_number, new_number = _diff_numbers(form, versions)
    if old_number is None or new_number is None:
        context = {"framework": framework, "versions": versions, "diff": None}
        return render(request, "frameworks/framework_diff.html", context)
    old = access.access_version(request.user, framework_id, old_number)
    new = access.access_version(request.user, framework_id, new_number)
    context = {
        "framework": framework,
        "versions": versions,
        "old": old,
        "new": new,
        "diff": matrix.diff_view(document_of(old), document_of(new)),
    }
    return render(request, "frameworks/framework_diff.html", context)


def _diff_numbers(
    form: DiffForm, versions: list[FrameworkVersion]
) -> tuple[int | None, int | None]:
    """The versions asked for; by default the current one (else the newest) and the one before."""
    numbers = [v.number for v in versions]  # newest first
    asked = form.cleaned_data if form.is_valid() else {}
    new = asked.get("to")
    if new is None:
        current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        new = current.number if current else (numbers[0] if numbers else None)
    old = asked.get("from_")
    if old is None and new is not None:
        old = next((n for n in numbers if n < new), None)
    return old, new

"""Pages for career frameworks: the library, the matrix, levels, competencies,
import, the draft editor, publishing, history and diffs.

Each view parses its input, checks access with `access.py` (missing and
forbidden both answer 404; drafts exist only for those who may change them),
calls one service or selector and renders. A document is parsed once per
version (`document_of`), so a page costs the same queries however big the
framework is. A write ends in a redirect, or for htmx in the refreshed fragment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from upward.accounts.access import access_organization
from upward.accounts.current import current_membership
from upward.accounts.models import Role, User
from upward.accounts.selectors import memberships_of
from upward.core.http import ServiceForm, is_htmx, render_page, see_other, service_errors
from upward.engine import edit
from upward.engine.formats import FORMATS, writable_formats, write
from upward.engine.framework.models import Framework as Document
from upward.frameworks import access, matrix, selectors, services
from upward.frameworks.documents import document_of
from upward.frameworks.forms import (
    CellForm,
    CompetencyChangeForm,
    CompetencyForm,
    DiffForm,
    ImportForm,
    LevelChangeForm,
    LevelForm,
    MatrixFilterForm,
)
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus

# Pages answer GET and actions POST, but only after the access check, so that a
# stranger gets 404 whatever the method.
get_or_post = require_http_methods(["GET", "POST"])


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is a real User."""

    user: User


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
@get_or_post
def framework_detail(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """A framework's current version as a matrix (its draft, for editors, if nothing is out)."""
    framework = access.access_framework(request.user, framework_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    version = selectors.current_version(framework)
    if version is None:
        # Nothing published yet: only its editors may know it exists, and see its draft.
        if not access.can_change(request.user, framework):
            raise Http404
        draft = next(iter(_visible(framework, editor=True)), None)
        if draft is None:
            raise Http404
        return redirect(_version_url(draft))
    return _matrix_page(request, version)


@login_required
@get_or_post
def framework_version(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """One version as a matrix; a draft also shows its import warnings and what to do next."""
    version = access.access_version(request.user, framework_id, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _matrix_page(request, version)


def _matrix_page(
    request: AuthedRequest, version: FrameworkVersion, *, status: int = 200, **extra: Any
) -> HttpResponse:
    # Queries: the framework and the reader's membership (access), the version,
    # whether the reader may edit, and the version list for the switcher.
    framework = version.framework
    doc = document_of(version)
    editor = access.can_change(request.user, framework)
    versions = _visible(framework, editor)
    filters = MatrixFilterForm(request.GET or None, document=doc)
    track, area = filters.chosen()
    context = {
        "framework": framework,
        "version": version,
        "doc": doc,
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
@get_or_post
def framework_export(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Download a version in one of the written formats (`?format=yaml`, csv, xlsx, ...)."""
    version = access.access_version(request.user, framework_id, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
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
@get_or_post
def framework_level(
    request: AuthedRequest, framework_id: int, number: int, level: str
) -> HttpResponse:
    """What it takes to be at a level, and what changes from the level below."""
    version = access.access_version(request.user, framework_id, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    doc = document_of(version)
    try:
        view = matrix.level_view(doc, level, track=request.GET.get("track"))
    except KeyError:
        raise Http404 from None
    context = {"framework": version.framework, "version": version, "doc": doc, "view": view}
    return render(request, "frameworks/level_detail.html", context)


@login_required
@get_or_post
def framework_competency(
    request: AuthedRequest, framework_id: int, number: int, competency: str
) -> HttpResponse:
    """One competency at every level of each track, or along its own scale."""
    version = access.access_version(request.user, framework_id, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    doc = document_of(version)
    try:
        view = matrix.competency_view(doc, competency)
    except KeyError:
        raise Http404 from None
    context = {"framework": version.framework, "version": version, "doc": doc, "view": view}
    return render(request, "frameworks/competency_detail.html", context)


# --- Import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request: AuthedRequest) -> HttpResponse:
    """Upload a framework into an organization I administer; it becomes a draft to check."""
    admin_of = [m for m in memberships_of(request.user) if m.role == Role.ADMIN]
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, memberships=admin_of)
    else:
        form = ImportForm(initial=_current_org(request), memberships=admin_of)
    if form.is_valid():
        own = access_organization(request.user, form.cleaned_data["organization"], admin=True)
        with service_errors(form):
            version = services.import_framework(
                files=form.cleaned_data["upload"], organization=own.organization, by=request.user
            )
            messages.success(
                request,
                f"Imported {version.framework.name} as a draft (version {version.number}). "
                "Check it, then publish it.",
            )
            return see_other(request, _version_url(version))
    context = {"form": form, "formats": [f for f in FORMATS.values() if f.readable]}
    return render(request, "frameworks/framework_import.html", context, status=form.status)


def _current_org(request: AuthedRequest) -> dict[str, str]:
    own = current_membership(request)
    if own is not None and own.role == Role.ADMIN:
        return {"organization": own.organization.slug}
    return {}


# --- Drafts: start, edit, publish, discard --------------------------------------------------


@login_required
@get_or_post
def framework_draft(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """Start editing: a draft copied from the published version (editors)."""
    framework = access.access_framework(request.user, framework_id, write=True)
    if request.method == "GET":
        return redirect("framework_detail", framework.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        draft = services.start_draft(framework=framework, by=request.user)
        messages.success(request, f"Draft version {draft.number} started. Edit away.")
        return see_other(request, _edit_url(draft))
    current = selectors.current_version(framework)
    if current is None:
        raise Http404
    return _matrix_page(request, current, status=form.status, draft_form=form)


def _draft(request: AuthedRequest, framework_id: int, number: int) -> FrameworkVersion:
    return access.access_version(request.user, framework_id, number, write=True)


def _locked(request: AuthedRequest, version: FrameworkVersion) -> HttpResponse:
    """A published or archived version can't change: say so, and offer a draft."""
    context = {"framework": version.framework, "version": version}
    return render(request, "frameworks/version_locked.html", context, status=409)


@login_required
@get_or_post
def framework_edit(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """The draft editor: the matrix with editable cells, competencies and levels (editors)."""
    version = _draft(request, framework_id, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if version.status != VersionStatus.DRAFT:
        return _locked(request, version)
    return _editor(request, version, fragment="matrix")


def _editor(
    request: AuthedRequest,
    version: FrameworkVersion,
    *,
    fragment: str | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    doc = document_of(version)
    filters = MatrixFilterForm(request.GET or None, document=doc)
    track, area = filters.chosen()
    context = {
        "framework": version.framework,
        "version": version,
        "doc": doc,
        "matrix": matrix.build_matrix(doc, track=track, area=area),
        "filters": filters,
        "counts": matrix.counts(doc),
        "competency_form": CompetencyForm(document=doc),
        "level_form": LevelForm(document=doc),
        "tracks": [(t, doc.levels_of(t.key)) for t in doc.tracks],
        "error_section": (fragment or "structure") if status >= 400 else None,
        **forms,
    }
    template = "frameworks/version_edit.html"
    return render_page(request, template, context, fragment=fragment, status=status)


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


def _cell_keys(doc: Document, query: QueryDict) -> tuple[str, str]:
    """The competency and level a cell link names; 404 when the document has no such cell."""
    competency, level = query.get("competency", ""), query.get("level", "")
    try:
        doc.competency(competency)
        doc.level(level)
    except KeyError:
        raise Http404 from None
    return competency, level


def _steps(doc: Document, competency: str) -> list[tuple[str, str]]:
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


def _or_none(lookup: Callable[[str], Any], key: Any) -> Any:
    try:
        return lookup(str(key or ""))
    except KeyError:
        return None


@login_required
@get_or_post
def framework_competency_add(
    request: AuthedRequest, framework_id: int, number: int
) -> HttpResponse:
    """Add a competency to a draft; its cells start empty (editors)."""
    version = _draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(_edit_url(version))
    form = CompetencyForm(request.POST, document=document_of(version))
    if form.is_valid():
        new = dict(form.cleaned_data)
        with service_errors(form):
            services.edit_draft(
                version=version, by=request.user, change=lambda d: edit.add_competency(d, new)
            )
            messages.success(request, f"Added {new['name']}. Fill in its cells.")
            return _editor_changed(request, version)
    return _editor(request, version, fragment="editor", status=form.status, competency_form=form)


@login_required
@get_or_post
def framework_competency_change(
    request: AuthedRequest, framework_id: int, number: int
) -> HttpResponse:
    """Move a competency up or down, or remove it with its cells (editors)."""
    version = _draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(_edit_url(version))
    form = CompetencyChangeForm(request.POST)
    if form.is_valid():
        key, action = form.cleaned_data["competency"], form.cleaned_data["action"]
        with service_errors(form):
            services.edit_draft(
                version=version, by=request.user, change=_competency_op(key, action)
            )
            return _editor_changed(request, version)
    return _editor(request, version, fragment="editor", status=form.status, change_form=form)


def _competency_op(key: str, action: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    if action == "remove":
        return lambda d: edit.remove_competency(d, key)
    return lambda d: edit.move_competency(d, key, -1 if action == "up" else 1)


@login_required
@get_or_post
def framework_level_add(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Add a level at the top of a track (editors)."""
    version = _draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(_edit_url(version))
    form = LevelForm(request.POST, document=document_of(version))
    if form.is_valid():
        data = form.cleaned_data
        level = {"key": data["key"], "title": data["title"]}
        if data["code"]:
            level["code"] = data["code"]
        with service_errors(form):
            services.edit_draft(
                version=version,
                by=request.user,
                change=lambda d: edit.add_level(d, data["track"], level),
            )
            messages.success(request, f"Added the level {data['title']}. Fill in its cells.")
            return _editor_changed(request, version)
    return _editor(request, version, fragment="editor", status=form.status, level_form=form)


@login_required
@get_or_post
def framework_level_change(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Move a level up or down its track, or remove it (editors)."""
    version = _draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(_edit_url(version))
    form = LevelChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            services.edit_draft(
                version=version,
                by=request.user,
                change=_level_op(data["track"], data["level"], data["action"]),
            )
            return _editor_changed(request, version)
    return _editor(request, version, fragment="editor", status=form.status, change_form=form)


def _level_op(track: str, key: str, action: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    if action == "remove":
        return lambda d: edit.remove_level(d, track, key)
    return lambda d: edit.move_level(d, track, key, -1 if action == "up" else 1)


def _editor_changed(request: AuthedRequest, version: FrameworkVersion) -> HttpResponse:
    if is_htmx(request):
        return _editor(request, version, fragment="editor")
    return redirect(_edit_url(version) + "#structure")


@login_required
@get_or_post
def framework_publish(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Publish a draft: confirm on a page (or in a dialog with htmx); it never changes again."""
    version = _draft(request, framework_id, number)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with service_errors(form):
            services.publish_version(version=version, by=request.user)
            messages.success(
                request, f"Version {version.number} is published. Everyone can see it now."
            )
            return see_other(request, _version_url(version))
    elif version.status != VersionStatus.DRAFT:
        return _locked(request, version)
    context = {"framework": version.framework, "version": version, "form": form}
    return render(request, "frameworks/version_publish.html", context, status=form.status)


@login_required
@get_or_post
def framework_discard(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Throw a draft away (confirm first); the published version stays as it was."""
    version = _draft(request, framework_id, number)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        framework = version.framework
        # A framework whose only version is this draft goes with it.
        others = [v for v in selectors.versions_of(framework) if v.pk != version.pk]
        with service_errors(form):
            services.discard_draft(version=version, by=request.user)
            messages.success(request, f"Draft version {version.number} discarded.")
            if others:
                return see_other(request, reverse("framework_detail", args=[framework.pk]))
            return see_other(request, reverse("framework_list"))
    elif version.status != VersionStatus.DRAFT:
        return _locked(request, version)
    context = {"framework": version.framework, "version": version, "form": form}
    return render(request, "frameworks/version_discard.html", context, status=form.status)


# --- History and differences --------------------------------------------------------------


@login_required
@get_or_post
def framework_history(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """Every version of a framework: who made it, when, from what (drafts for editors)."""
    framework = access.access_framework(request.user, framework_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    editor = access.can_change(request.user, framework)
    versions = _visible(framework, editor)
    # Each version with the one before it, to link to what changed.
    older = [*(v.number for v in versions[1:]), None]
    rows = list(zip(versions, older, strict=True))
    context = {"framework": framework, "versions": versions, "rows": rows}
    return render(request, "frameworks/framework_history.html", context)


@login_required
@get_or_post
def framework_diff(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """What changed between two versions (default: the one before the current, and it)."""
    framework = access.access_framework(request.user, framework_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    editor = access.can_change(request.user, framework)
    versions = _visible(framework, editor)
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


def _visible(framework: Framework, editor: bool) -> list[FrameworkVersion]:
    """The versions someone may see, newest first: drafts only for editors."""
    return [
        v for v in selectors.versions_of(framework) if editor or v.status != VersionStatus.DRAFT
    ]


# --- Links ---------------------------------------------------------------------------


def _version_url(version: FrameworkVersion) -> str:
    return reverse("framework_version", args=[version.framework_id, version.number])


def _edit_url(version: FrameworkVersion) -> str:
    return reverse("framework_edit", args=[version.framework_id, version.number])

"""Changing frameworks: starting a draft, the draft editor and its
structure (competencies and levels), publishing and discarding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    is_htmx,
    render_page,
    see_other,
    service_errors,
)
from upward.engine import edit
from upward.frameworks import access, matrix, selectors, services
from upward.frameworks.forms import (
    CompetencyChangeForm,
    CompetencyForm,
    LevelChangeForm,
    LevelForm,
    MatrixFilterForm,
)
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of
from upward.frameworks.views.common import edit_url, editable_draft, locked_page, version_url
from upward.frameworks.views.reading import matrix_page

# --- Drafts: start, edit, publish, discard --------------------------------------------------


@login_required
@get_or_post
def framework_draft(request: AuthedRequest, framework_id: int) -> HttpResponse:
    """Start editing: a draft copied from the published version (editors)."""
    framework = access.access_framework(request.user, framework_id, write=True)
    if request.method == "GET":
        return redirect("frameworks:framework_detail", framework.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        draft = services.start_draft(framework=framework, by=request.user)
        messages.success(request, f"Draft version {draft.number} started. Edit away.")
        return see_other(request, edit_url(draft))
    current = selectors.current_version(framework)
    if current is None:
        raise Http404
    return matrix_page(request, current, status=form.status, draft_form=form)


@login_required
@get_or_post
def framework_edit(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """The draft editor: the matrix with editable cells, competencies and levels (editors)."""
    version = editable_draft(request, framework_id, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if version.status != VersionStatus.DRAFT:
        return locked_page(request, version)
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
def framework_competency_add(
    request: AuthedRequest, framework_id: int, number: int
) -> HttpResponse:
    """Add a competency to a draft; its cells start empty (editors)."""
    version = editable_draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(edit_url(version))
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
    version = editable_draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(edit_url(version))
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
    version = editable_draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(edit_url(version))
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
    version = editable_draft(request, framework_id, number)
    if request.method == "GET":
        return redirect(edit_url(version))
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
    return redirect(edit_url(version) + "#structure")


@login_required
@get_or_post
def framework_publish(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Publish a draft: confirm on a page (or in a dialog with htmx); it never changes again."""
    version = editable_draft(request, framework_id, number)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with service_errors(form):
            services.publish_version(version=version, by=request.user)
            messages.success(
                request, f"Version {version.number} is published. Everyone can see it now."
            )
            return see_other(request, version_url(version))
    elif version.status != VersionStatus.DRAFT:
        return locked_page(request, version)
    context = {"framework": version.framework, "version": version, "form": form}
    return render(request, "frameworks/version_publish.html", context, status=form.status)


@login_required
@get_or_post
def framework_discard(request: AuthedRequest, framework_id: int, number: int) -> HttpResponse:
    """Throw a draft away (confirm first); the published version stays as it was."""
    version = editable_draft(request, framework_id, number)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        framework = version.framework
        # A framework whose only version is this draft goes with it.
        others = [v for v in selectors.versions_of(framework) if v.pk != version.pk]
        with service_errors(form):
            services.discard_draft(version=version, by=request.user)
            messages.success(request, f"Draft version {version.number} discarded.")
            if others:
                return see_other(
                    request, reverse("frameworks:framework_detail", args=[framework.pk])
                )
            return see_other(request, reverse("frameworks:framework_list"))
    elif version.status != VersionStatus.DRAFT:
        return locked_page(request, version)
    context = {"framework": version.framework, "version": version, "form": form}
    return render(request, "frameworks/version_discard.html", context, status=form.status)

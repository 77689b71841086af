"""What the framework pages share: finding a draft to change, the page for a version
that can't change, looking up what a form names, and links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from upward.core.http import AuthedRequest
from upward.frameworks import access, selectors
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus


def editable_draft(request: AuthedRequest, framework_id: int, number: int) -> FrameworkVersion:
    """The version the person may change (404 otherwise); the caller checks it is a draft."""
    return access.access_version(request.user, framework_id, number, write=True)


def locked_page(request: AuthedRequest, version: FrameworkVersion) -> HttpResponse:
    """A published or archived version can't change: say so, and offer a draft."""
    context = {"framework": version.framework, "version": version}
    return render(request, "frameworks/version_locked.html", context, status=409)


def or_none(lookup: Callable[[str], Any], key: Any) -> Any:
    """`lookup(key)` for a key from a form or a link, or None when the document has none."""
    try:
        return lookup(str(key or ""))
    except KeyError:
        return None


def visible_versions(framework: Framework, editor: bool) -> list[FrameworkVersion]:
    """The versions someone may see, newest first: drafts only for editors."""
    return [
        v for v in selectors.versions_of(framework) if editor or v.status != VersionStatus.DRAFT
    ]


# --- Links ---------------------------------------------------------------------------


def version_url(version: FrameworkVersion) -> str:
    return reverse("frameworks:framework_version", args=[version.framework_id, version.number])


def edit_url(version: FrameworkVersion) -> str:
    return reverse("frameworks:framework_edit", args=[version.framework_id, version.number])

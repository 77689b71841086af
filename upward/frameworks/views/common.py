"""What the framework pages share: the request type, the method guard, finding a
draft to change, the page for a version that can't change, looking up what a
form names, and links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from upward.accounts.models import User
from upward.frameworks import access, selectors
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus

# Pages answer GET and actions POST, but only after the access check, so that a
# stranger gets 404 whatever the method.
get_or_post = require_http_methods(["GET", "POST"])


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is a real User."""

    user: User


def _draft(request: AuthedRequest, framework_id: int, number: int) -> FrameworkVersion:
    return access.access_version(request.user, framework_id, number, write=True)


def _locked(request: AuthedRequest, version: FrameworkVersion) -> HttpResponse:
    """A published or archived version can't change: say so, and offer a draft."""
    context = {"framework": version.framework, "version": version}
    return render(request, "frameworks/version_locked.html", context, status=409)


def _or_none(lookup: Callable[[str], Any], key: Any) -> Any:
    """`lookup(key)` for a key from a form or a link, or None when the document has none."""
    try:
        return lookup(str(key or ""))
    except KeyError:
        return None


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

"""Importing a framework: upload, a preview of what the files hold, then the choice of
a new framework or a new draft version of an existing one (see frameworks/imports.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from upward.accounts.access import access_organization
from upward.accounts.current import current_membership
from upward.accounts.models import Organization, Role, User
from upward.accounts.selectors import memberships_of
from upward.core.errors import Invalid
from upward.core.http import AuthedRequest, see_other, service_errors
from upward.engine.formats import FORMATS
from upward.frameworks import access, imports, selectors, services
from upward.frameworks.forms import ImportConfirmForm, ImportForm
from upward.frameworks.models import Framework, FrameworkVersion
from upward.frameworks.views.common import version_url

TEMPLATE = "frameworks/framework_import.html"


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request: AuthedRequest) -> HttpResponse:
    """Upload a framework into an organization I administer, see what it holds, then choose."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    admin_of = [m for m in memberships_of(request.user) if m.role == Role.ADMIN]
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, memberships=admin_of)
    else:
        form = ImportForm(initial=_current_org(request), memberships=admin_of)
    if form.is_valid():
        own = access_organization(request.user, form.cleaned_data["organization"], admin=True)
        with service_errors(form):
            if form.cleaned_data["mode"]:
                return _import_at_once(request, form, own.organization)
            pending = imports.preview_import(
                files=form.cleaned_data["upload"], organization=own.organization, by=request.user
            )
            return _preview(request, pending, own.organization)
    context = {"form": form, "formats": [f for f in FORMATS.values() if f.readable]}
    return render(request, TEMPLATE, context, status=form.status)


def _import_at_once(
    request: AuthedRequest, form: ImportForm, organization: Organization
) -> HttpResponse:
    mode = form.cleaned_data["mode"]
    version = services.import_framework(
        files=form.cleaned_data["upload"],
        organization=organization,
        by=request.user,
        mode=mode,
        target=_target(request.user, mode, form.cleaned_data["target"]),
    )
    return _imported(request, version)


def _confirm(request: AuthedRequest) -> HttpResponse:
    try:
        pending = imports.pending_import(token=request.POST.get("token", ""), by=request.user)
    except Invalid as error:  # expired or someone else's: start again from the upload
        messages.error(request, error.message)
        return see_other(request, reverse("frameworks:framework_import"))
    own = access_organization(request.user, pending.organization_slug, admin=True)
    form = ImportConfirmForm(request.POST, targets=_targets(own.organization))
    if form.is_valid():
        with service_errors(form):
            mode = form.cleaned_data["mode"]
            version = imports.confirm_import(
                pending=pending,
                organization=own.organization,
                by=request.user,
                mode=mode,
                target=_target(request.user, mode, form.cleaned_data["target"]),
            )
            return _imported(request, version)
    return _preview(request, pending, own.organization, form)


def _preview(
    request: AuthedRequest,
    pending: imports.PendingImport,
    organization: Organization,
    form: ImportConfirmForm | None = None,
) -> HttpResponse:
    document = pending.framework()
    targets = list(selectors.frameworks_in(organization))
    taken = next((fw for fw in targets if fw.key == document.key), None)
    if form is None:
        initial: dict[str, Any] = {"token": pending.token, "mode": "version" if taken else "new"}
        initial["target"] = taken.pk if taken else None
        form = ImportConfirmForm(initial=initial, targets=_choices(targets))
    context = {
        "preview": pending,
        "document": document,
        "counts": imports.counts(document),
        "taken": taken,
        "organization": organization,
        "confirm_form": form,
    }
    return render(request, TEMPLATE, context, status=form.status)


def _imported(request: AuthedRequest, version: FrameworkVersion) -> HttpResponse:
    messages.success(
        request,
        f"Imported {version.framework.name} as a draft (version {version.number}). "
        "Check it, then publish it.",
    )
    return see_other(request, version_url(version))


def _target(user: User, mode: str, framework_id: int | None) -> Framework | None:
    if mode != "version" or framework_id is None:
        return None
    return access.access_framework(user, framework_id, write=True)


def _targets(organization: Organization) -> list[tuple[int, str]]:
    return _choices(list(selectors.frameworks_in(organization)))


def _choices(frameworks: list[Framework]) -> list[tuple[int, str]]:
    return [(fw.pk, f"{fw.name} ({fw.key})") for fw in frameworks]


def _current_org(request: AuthedRequest) -> dict[str, str]:
    own = current_membership(request)
    if own is not None and own.role == Role.ADMIN:
        return {"organization": own.organization.slug}
    return {}

"""Your data: what the record holds, downloading it (JSON or zip), importing one into a
new personal space, and deleting the account."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.core.uploads import UploadTooLarge
from upward.evidence.selectors.record import SECTIONS, export_record, record_zip
from upward.evidence.services.record import delete_account, import_record, read_record_file

PAGE = "evidence/record_page.html"


class ImportForm(ServiceForm):
    record = forms.FileField(
        label="A record.json exported from Upward",
        allow_empty_file=True,
        help_text="It goes into a new personal space; nothing you have now changes.",
        widget=forms.FileInput(attrs={"accept": "application/json,.json"}),
    )

    @classmethod
    def refused(cls, message: str) -> ImportForm:
        """A form showing why an upload was refused before it could be read."""
        form = cls(data={}, files=MultiValueDict())
        form.full_clean()
        form.errors.clear()
        form.add_error("record", message)
        return form


class DeleteForm(ServiceForm):
    email = forms.CharField(
        label="Type your email address to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _page(
    request: AuthedRequest,
    *,
    import_form: ImportForm | None = None,
    delete_form: DeleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "sections": SECTIONS,
        "import_form": import_form or ImportForm(),
        "delete_form": delete_form or DeleteForm(),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_safe
def record(request: AuthedRequest) -> HttpResponse:
    """What your record holds, and what you can do with it."""
    return _page(request)


@login_required
@require_safe
def record_export(request: AuthedRequest) -> HttpResponse:
    """Download your record: `?format=zip` for the readable bundle, else the JSON."""
    day = timezone.localdate().isoformat()
    if request.GET.get("format") == "zip":
        response = HttpResponse(record_zip(request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="upward-record-{day}.zip"'
        return response
    body = json.dumps(export_record(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="upward-record-{day}.json"'
    return response


@csrf_exempt  # checked below, once the upload's size limit is in place
@login_required
@get_or_post
def record_import(request: AuthedRequest) -> HttpResponse:
    """Import a record into a new personal space; an error writes nothing."""
    if request.method == "GET":
        return redirect("evidence:record")
    try:
        return _import(request)
    except UploadTooLarge as too_large:
        return _page(request, import_form=ImportForm.refused(str(too_large)), status=413)


@csrf_protect
def _import(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        with service_errors(form):
            data = read_record_file(form.cleaned_data["record"].read())
            org = import_record(user=request.user, data=data)
            messages.success(request, f"Your record is in a new personal space: {org.name}.")
            return redirect("evidence:record")
    return _page(request, import_form=form, status=form.status)


@login_required
@get_or_post
def account_delete(request: AuthedRequest) -> HttpResponse:
    """Delete the account once the person has typed their email address."""
    if request.method == "GET":
        return redirect("evidence:record")
    form = DeleteForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            user = request.user
            delete_account(user=user, by=user, email=form.cleaned_data["email"])
            logout(request)
            messages.success(request, "Your account is deleted.")
            return redirect("home")
    return _page(request, delete_form=form, status=form.status)

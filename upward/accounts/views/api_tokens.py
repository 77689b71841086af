"""My API tokens: the list, making one, revoking one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from upward.accounts import access, selectors, services
from upward.accounts.forms import TokenForm
from upward.accounts.models import ApiToken
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors

# --- API tokens ---------------------------------------------------------------------------


@never_cache  # the page that shows a new token must not linger in any cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    """My API tokens, and a form to make one; a new token is shown once, right here."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        with service_errors(form):
            token, raw = services.create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
            # Rendered straight into this response, never kept in the session.
            return _tokens_page(request, TokenForm(), created=token, raw_token=raw)
    return _tokens_page(request, form, status=form.status)


@login_required
@get_or_post
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Stop one of my tokens from working."""
    token = access.access_api_token(request.user, token_id)
    if request.method == "GET":
        return redirect(reverse("accounts:token_list"))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.revoke_api_token(token=token, by=request.user)
        messages.success(request, f"Token “{token.name}” revoked. It stopped working at once.")
        return redirect("accounts:token_list")
    return _tokens_page(
        request, TokenForm(), status=form.status, failed_token_id=token.pk, row_form=form
    )


def _tokens_page(
    request: AuthedRequest,
    form: TokenForm,
    *,
    status: int = 200,
    created: ApiToken | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "tokens": selectors.tokens_of(request.user),
        "form": form,
        "created": created,
        **extra,
    }
    return render(request, "accounts/token_list.html", context, status=status)

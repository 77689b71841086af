"""Shared by the insight pages: who looks (their scope), the filters of the request,
and the answer to a bad filter (the page with the error at the form, status 400)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render

from upward.accounts.current import current_membership
from upward.core.http import AuthedRequest, service_errors
from upward.insights.access import Scope, access_insights
from upward.insights.forms import FILTER_FIELDS, FilterForm
from upward.insights.selectors import Choice, Filters, parse_filters

BAD_FILTER = 400
FORMATS = ("csv", "xlsx")


def scope_of(request: AuthedRequest) -> Scope:
    """What the viewer sees of their current organization; 404 for members and outsiders."""
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return access_insights(request.user, membership.organization)


def pairs(choices: Sequence[Choice]) -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in choices]


def compute[V](
    request: AuthedRequest,
    scope: Scope,
    selector: Callable[[Scope, Filters], V],
    *,
    fields: Sequence[str] = FILTER_FIELDS,
) -> tuple[V | None, FilterForm]:
    """The selector's view for the request's filters, or None and the form with the error."""
    form = FilterForm(request.GET, fields=fields)
    with service_errors(form):
        filters = parse_filters(scope, request.GET)
        return selector(scope, filters), form
    return None, form


def filter_form(request: AuthedRequest, view: Any, fields: Sequence[str]) -> FilterForm:
    """The filters as the page shows them, with the choices the view offers."""
    choices = {name: pairs(getattr(view, f"{name}s", [])) for name in fields if name != "by"}
    return FilterForm(request.GET, fields=fields, choices=choices)


def bad_filter(
    request: AuthedRequest, template: str, scope: Scope, form: FilterForm
) -> HttpResponse:
    """The page with only the filters and the error at the one to blame."""
    context = {"scope": scope, "org": scope.organization, "form": form, "view": None}
    return render(request, template, context, status=BAD_FILTER)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404

"""Calibration: how well raters agree per competency, and (for admins) how lenient or
strict each attributed rater is against the others who rated the same people."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from upward.core.http import AuthedRequest
from upward.engine.insights import READINGS
from upward.insights import selectors
from upward.insights.views.charts import alpha_chart
from upward.insights.views.common import bad_filter, compute, filter_form, scope_of

TEMPLATE = "insights/calibration.html"
FIELDS = ("version",)


@login_required
@require_GET
def calibration(request: AuthedRequest) -> HttpResponse:
    """Agreement per competency for the version in the query (the most used by default)."""
    scope = scope_of(request)
    view, form = compute(request, scope, selectors.calibration, fields=FIELDS)
    if view is None:
        return bad_filter(request, TEMPLATE, scope, form)
    items = [
        {"item": item, "reading": READINGS.get(item.agreement.reading, item.agreement.reading)}
        for item in view.competencies
    ]
    context = {
        "scope": scope,
        "org": scope.organization,
        "view": view,
        "form": filter_form(request, view, FIELDS),
        "chart": alpha_chart(view.competencies),
        "items": items,
        "query": request.GET.urlencode(),
        "took": round(view.took_ms),
    }
    return render(request, TEMPLATE, context)

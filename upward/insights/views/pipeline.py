"""The readiness pipeline: per level who is placed towards the next, who is ready, who
has a roadmap and a mentor; the trend by quarter; and the list of ready people."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from upward.assessments.selectors import active_placements
from upward.core.http import AuthedRequest
from upward.insights import selectors
from upward.insights.access import Scope
from upward.insights.views.charts import pipeline_chart, trend_chart
from upward.insights.views.common import bad_filter, compute, filter_form, scope_of

TEMPLATE = "insights/pipeline.html"
FIELDS = ("version", "track", "level", "team")


def ready_rows(view: selectors.PipelineView, scope: Scope) -> list[dict[str, Any]]:
    """The ready people; for a manager (whose list holds only their reports) each name
    links to that person's delta. Admins may not open others' deltas: no links."""
    links: dict[int, str] = {}
    if scope.report_ids is not None and view.ready:
        found = active_placements([p.user for p in view.ready], scope.organization)
        links = {
            user_id: reverse("assessments:placement_delta", args=[placement.pk])
            for user_id, placement in found.items()
            if user_id in scope.report_ids
        }
    return [
        {
            "person": person,
            "readiness": round(person.readiness * 100),
            "link": links.get(person.user.pk, ""),
        }
        for person in view.ready
    ]


@login_required
@require_GET
def pipeline(request: AuthedRequest) -> HttpResponse:
    """The pipeline for the filters in the query."""
    scope = scope_of(request)
    view, form = compute(request, scope, selectors.pipeline, fields=FIELDS)
    if view is None:
        return bad_filter(request, TEMPLATE, scope, form)
    context = {
        "scope": scope,
        "org": scope.organization,
        "view": view,
        "form": filter_form(request, view, FIELDS),
        "chart": pipeline_chart(view.rows, view.threshold),
        "trend": trend_chart(view.trend, view.threshold),
        "ready": ready_rows(view, scope),
        "ready_at": round(view.ready_at * 100),
        "query": request.GET.urlencode(),
        "took": round(view.took_ms),
    }
    return render(request, TEMPLATE, context)

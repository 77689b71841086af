"""The gap heatmap: where the organization's people meet their level, and how far they
are from their target, by team, level or track and competency."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from upward.core.http import AuthedRequest
from upward.insights import selectors
from upward.insights.views.charts import cell_text, heat_td, heatmap_chart
from upward.insights.views.common import bad_filter, compute, filter_form, scope_of

TEMPLATE = "insights/heatmap.html"


@login_required
@require_GET
def heatmap(request: AuthedRequest) -> HttpResponse:
    """The heatmap for the filters in the query, its table, and links to export it."""
    scope = scope_of(request)
    view, form = compute(request, scope, selectors.heatmap)
    if view is None:
        return bad_filter(request, TEMPLATE, scope, form)
    table = [
        {
            "row": row,
            "cells": [heat_td(cell_text(cell, view.threshold)) for cell in cells],
        }
        for row, cells in zip(view.rows, view.grid.cells, strict=True)
    ]
    context = {
        "scope": scope,
        "org": scope.organization,
        "view": view,
        "form": filter_form(request, view, ("by", "version", "track", "level", "team")),
        "chart": heatmap_chart(view),
        "table": table,
        "totals": [heat_td(cell_text(cell, view.threshold)) for cell in view.grid.totals],
        "query": request.GET.urlencode(),
        "took": round(view.took_ms),
        "last_row": view.first_row + len(view.rows) - 1,
    }
    return render(request, TEMPLATE, context)

"""The insight aggregates as CSV or XLSX files, with the pages' filters and suppression."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from upward.core.http import AuthedRequest
from upward.insights import exports, selectors
from upward.insights.views.calibration import FIELDS as CALIBRATION_FIELDS
from upward.insights.views.calibration import TEMPLATE as CALIBRATION_TEMPLATE
from upward.insights.views.common import bad_filter, check_format, compute, scope_of
from upward.insights.views.heatmap import TEMPLATE as HEATMAP_TEMPLATE
from upward.insights.views.pipeline import FIELDS as PIPELINE_FIELDS
from upward.insights.views.pipeline import TEMPLATE as PIPELINE_TEMPLATE

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export(
    request: AuthedRequest,
    fmt: str,
    *,
    name: str,
    selector: Callable[..., Any],
    table: Callable[[Any], list[list[Any]]],
    template: str,
    fields: Sequence[str],
) -> HttpResponse:
    check_format(fmt)
    scope = scope_of(request)
    view, form = compute(request, scope, selector, fields=fields)
    if view is None:
        return bad_filter(request, template, scope, form)
    rows = table(view)
    body = exports.as_csv(rows) if fmt == "csv" else exports.as_xlsx(rows, name.title())
    day = timezone.localdate().isoformat()
    filename = f"{scope.organization.slug}-{name}-{day}.{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def heatmap_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The heatmap as a file: a line per row (of every page) and the totals, three
    columns per competency."""
    return _export(
        request,
        fmt,
        name="heatmap",
        selector=partial(selectors.heatmap, every_row=True),
        table=exports.heatmap_table,
        template=HEATMAP_TEMPLATE,
        fields=("by", "version", "track", "level", "team"),
    )


@login_required
@require_GET
def pipeline_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The pipeline per level and its trend by quarter as a file."""
    return _export(
        request,
        fmt,
        name="pipeline",
        selector=selectors.pipeline,
        table=exports.pipeline_table,
        template=PIPELINE_TEMPLATE,
        fields=PIPELINE_FIELDS,
    )


@login_required
@require_GET
def calibration_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """Agreement per competency (and, for admins, leniency per rater) as a file."""
    return _export(
        request,
        fmt,
        name="calibration",
        selector=partial(selectors.calibration, every_rater=True),
        table=exports.calibration_table,
        template=CALIBRATION_TEMPLATE,
        fields=CALIBRATION_FIELDS,
    )

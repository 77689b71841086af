"""API for org insights under /orgs/{slug}/insights: the gap heatmap, the readiness
pipeline, calibration and the insight settings.

Admins see the organization, managers their teams; members and outsiders get 404, as for
an organization that does not exist. A filter naming what the caller cannot see answers
422 on that query parameter. Suppressed figures are null, never the number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import User
from upward.core.errors import Invalid
from upward.core.schemas import ErrorOut, Id, PersonOut
from upward.engine import insights as engine
from upward.frameworks.models import FrameworkVersion
from upward.insights import selectors
from upward.insights.access import Scope, access_insights
from upward.insights.models import InsightSettings
from upward.insights.services.settings import change_settings

router = Router(tags=["insights"])

InsightKey = Annotated[str, Field(max_length=100)]
InsightGrouping = Literal["team", "level", "track"]
SUPPRESSED_HELP = "Empty when shown; 'small' (too few people) or 'complementary' (would reveal one)"


# --- Schemas -----------------------------------------------------------------------------


class InsightFiltersQuery(Schema):
    by: InsightGrouping = Field("team", description="What the heatmap's rows are")
    version: Id | None = Field(
        None, description="Framework version id; by default the one most people are placed on"
    )
    track: InsightKey = Field("", description="Only people placed on this track")
    level: InsightKey = Field("", description="Only people at this current level")
    team: Id | None = Field(None, description="Drill down: only this team's people")


class InsightHeatmapQuery(InsightFiltersQuery):
    page: int = Field(
        1, ge=1, description=f"The page of rows, {selectors.ROWS_PER_PAGE} rows a page"
    )


class InsightVersionQuery(Schema):
    version: Id | None = Field(
        None, description="Framework version id; by default the one most people are placed on"
    )


class InsightVersionOut(Schema):
    id: int
    framework: str = Field(..., description="The framework's name")
    number: int


class InsightColumnOut(Schema):
    key: str
    name: str
    kind: str


class InsightCellOut(Schema):
    people: int | None = Field(..., description="Assessed people behind the cell")
    meeting: float | None = Field(..., description="Share (0 to 1) meeting their current level")
    mean_gap: float | None = Field(..., description="Mean gap to their target, in steps")
    suppressed: str = Field(..., description=SUPPRESSED_HELP)


class InsightRowOut(Schema):
    key: str
    label: str
    people: int
    cells: list[InsightCellOut]


class InsightHeatmapOut(Schema):
    version: InsightVersionOut | None
    by: str
    columns: list[InsightColumnOut]
    rows: list[InsightRowOut] = Field(..., description="The page's rows")
    totals: list[InsightCellOut] = Field(
        ..., description="Per column, over the people of every row (of every page)"
    )
    page: int
    pages: int
    rows_total: int = Field(..., description="Rows on every page")
    threshold: int = Field(..., description="The organization's anonymity threshold")
    took_ms: float


class InsightStageOut(Schema):
    people: int | None
    ready: int | None
    with_roadmap: int | None
    with_mentor: int | None
    suppressed: str = Field(..., description=SUPPRESSED_HELP)


class InsightLevelOut(InsightStageOut):
    level: str = Field(..., description="The level's key")
    title: str = Field(..., description="Its code and title")
    next: str | None = Field(..., description="The next level's code and title; null at the top")


class InsightQuarterOut(Schema):
    quarter: str = Field(..., description="As 2026-Q4")
    people: int | None
    ready: int | None
    suppressed: str = Field(..., description=SUPPRESSED_HELP)


class InsightReadyOut(Schema):
    person: PersonOut
    level: str = Field(..., description="Current level, code and title")
    target: str = Field(..., description="Target level, code and title")
    readiness: float


class InsightPipelineOut(Schema):
    version: InsightVersionOut | None
    levels: list[InsightLevelOut]
    total: InsightStageOut
    trend: list[InsightQuarterOut] = Field(..., description="The last four quarters, oldest first")
    ready: list[InsightReadyOut] = Field(
        ..., description="Admins: everyone ready; managers: their own reports who are ready"
    )
    ready_threshold: float
    threshold: int
    took_ms: float


class InsightAgreementOut(Schema):
    key: str
    name: str
    alpha: float | None = Field(..., description="Krippendorff's alpha (ordinal)")
    subjects: int
    ratings: int
    reading: str = Field(..., description="agree, mostly, differ, same or few")
    reading_text: str


class InsightRaterOut(Schema):
    person: PersonOut
    mean: float = Field(..., description="Mean step above (+) or below (-) the other raters")
    ratings: int


class InsightCalibrationOut(Schema):
    version: InsightVersionOut | None
    competencies: list[InsightAgreementOut]
    raters: list[InsightRaterOut] | None = Field(
        ...,
        description=f"Admins only, else null: the {selectors.RATERS_LISTED} farthest from the "
        "other raters first",
    )
    raters_total: int = Field(..., description="Raters with enough ratings (0 for managers)")
    min_ratings: int
    window_days: int
    threshold: int
    took_ms: float


class InsightSettingsOut(Schema):
    ready_threshold: float
    min_ratings: int


class InsightSettingsIn(Schema):
    ready_threshold: float = Field(
        ..., strict=True, ge=0.5, le=1.0, description="Readiness at which someone counts as ready"
    )
    min_ratings: int = Field(
        ..., strict=True, ge=3, le=100, description="Ratings a rater's leniency must rest on"
    )


# --- Helpers -----------------------------------------------------------------------------


def _scope(request: HttpRequest, slug: str) -> Scope:
    """What the caller sees of the organization `slug` (404 unless an admin or a manager)."""
    user = api_caller(request)
    membership = access_organization(user, slug)
    return access_insights(user, membership.organization)


def _filters(scope: Scope, wanted: dict[str, Any]) -> selectors.Filters:
    """The filters the query asks for; a bad one answers 422 on its query parameter."""
    given = {name: str(value) for name, value in wanted.items() if value not in (None, "")}
    with _at_query():
        return selectors.parse_filters(scope, given)


@contextmanager
def _at_query() -> Iterator[None]:
    """An Invalid naming a field answers 422 at that query parameter."""
    try:
        yield
    except Invalid as exc:
        if exc.field is None:
            raise
        issue = {"path": f"query.{exc.field}", "message": exc.message}
        raise Invalid(exc.message, issues=[issue]) from exc


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.display_name}


def _version(version: FrameworkVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"id": version.pk, "framework": version.framework.name, "number": version.number}


def _cell(cell: engine.Cell) -> dict[str, Any]:
    if cell.suppressed:
        return {"people": None, "meeting": None, "mean_gap": None, "suppressed": cell.suppressed}
    return {
        "people": cell.people,
        "meeting": cell.meeting,
        "mean_gap": cell.mean_gap,
        "suppressed": cell.suppressed,
    }


def _stage(stage: engine.Stage) -> dict[str, Any]:
    if stage.suppressed:
        return {
            "people": None,
            "ready": None,
            "with_roadmap": None,
            "with_mentor": None,
            "suppressed": stage.suppressed,
        }
    return {
        "people": stage.people,
        "ready": stage.ready,
        "with_roadmap": stage.with_roadmap,
        "with_mentor": stage.with_mentor,
        "suppressed": stage.suppressed,
    }


def _quarter(point: engine.QuarterPoint) -> dict[str, Any]:
    shown = not point.suppressed
    return {
        "quarter": point.quarter,
        "people": point.people if shown else None,
        "ready": point.ready if shown else None,
        "suppressed": point.suppressed,
    }


def _agreement(row: selectors.CompetencyAgreement) -> dict[str, Any]:
    found = row.agreement
    return {
        "key": row.key,
        "name": row.name,
        "alpha": found.alpha,
        "subjects": found.subjects,
        "ratings": found.ratings,
        "reading": found.reading,
        "reading_text": engine.READINGS.get(found.reading, ""),
    }


def _settings(found: InsightSettings) -> dict[str, Any]:
    return {"ready_threshold": found.ready_threshold, "min_ratings": found.min_ratings}


# --- The aggregates ----------------------------------------------------------------------


@router.get("/orgs/{slug}/insights/heatmap", response={200: InsightHeatmapOut, 422: ErrorOut})
def get_insight_heatmap(
    request: HttpRequest, slug: str, filters: Query[InsightHeatmapQuery]
) -> dict[str, Any]:
    """Teams (or levels, or tracks) x competencies: the share meeting their current level
    and the mean gap to their target, with cells backed by too few people suppressed.
    Drilling into a team (`team`) with rows by team gives that team's levels as rows."""
    scope = _scope(request, slug)
    given = _filters(scope, filters.model_dump())
    with _at_query():
        view = selectors.heatmap(scope, given)
    return {
        "version": _version(view.version),
        "by": view.filters.by,
        "columns": [{"key": c.key, "name": c.name, "kind": c.kind} for c in view.columns],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "people": row.people,
                "cells": [_cell(cell) for cell in cells],
            }
            for row, cells in zip(view.rows, view.grid.cells, strict=True)
        ],
        "totals": [_cell(cell) for cell in view.grid.totals],
        "page": view.page,
        "pages": view.pages,
        "rows_total": view.rows_total,
        "threshold": view.threshold,
        "took_ms": view.took_ms,
    }


@router.get("/orgs/{slug}/insights/pipeline", response={200: InsightPipelineOut, 422: ErrorOut})
def get_insight_pipeline(
    request: HttpRequest, slug: str, filters: Query[InsightFiltersQuery]
) -> dict[str, Any]:
    """Per level: how many are placed towards the next, ready, with a roadmap and a
    mentor; the trend by quarter; who is ready (managers: their own reports)."""
    scope = _scope(request, slug)
    view = selectors.pipeline(scope, _filters(scope, filters.model_dump()))
    return {
        "version": _version(view.version),
        "levels": [
            {"level": row.level, "title": row.title, "next": row.next, **_stage(row.stage)}
            for row in view.rows
        ],
        "total": _stage(view.total),
        "trend": [_quarter(point) for point in view.trend],
        "ready": [
            {
                "person": _person(found.user),
                "level": found.level,
                "target": found.target,
                "readiness": found.readiness,
            }
            for found in view.ready
        ],
        "ready_threshold": view.ready_at,
        "threshold": view.threshold,
        "took_ms": view.took_ms,
    }


@router.get(
    "/orgs/{slug}/insights/calibration", response={200: InsightCalibrationOut, 422: ErrorOut}
)
def get_insight_calibration(
    request: HttpRequest, slug: str, filters: Query[InsightVersionQuery]
) -> dict[str, Any]:
    """Per competency, how well attributed raters agree (Krippendorff's alpha); per rater,
    leniency against the other raters (admins only, from `min_ratings` ratings up)."""
    scope = _scope(request, slug)
    view = selectors.calibration(scope, _filters(scope, filters.model_dump()))
    raters = None
    if view.raters is not None:
        raters = [
            {"person": _person(r.rater), "mean": r.mean, "ratings": r.ratings} for r in view.raters
        ]
    return {
        "version": _version(view.version),
        "competencies": [_agreement(row) for row in view.competencies],
        "raters": raters,
        "raters_total": view.raters_total,
        "min_ratings": view.min_ratings,
        "window_days": view.window_days,
        "threshold": view.threshold,
        "took_ms": view.took_ms,
    }


# --- Settings ----------------------------------------------------------------------------


@router.get("/orgs/{slug}/insights/settings", response=InsightSettingsOut)
def get_insight_settings(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The readiness threshold and the ratings a rater's leniency must rest on."""
    scope = _scope(request, slug)
    return _settings(selectors.settings_of(scope.organization))


@router.put("/orgs/{slug}/insights/settings", response=InsightSettingsOut)
def update_insight_settings(
    request: HttpRequest, slug: str, payload: InsightSettingsIn
) -> dict[str, Any]:
    """Change the insight settings (the organization's admins); the change is audited."""
    scope = _scope(request, slug)
    if not scope.admin:
        raise Http404
    found = change_settings(
        actor=api_caller(request),
        organization=scope.organization,
        ready_threshold=payload.ready_threshold,
        min_ratings=payload.min_ratings,
    )
    return _settings(found)

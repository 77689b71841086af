"""My delta, a placement's delta (mine, or a report's for their manager) and a
manager's team page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from upward.accounts.current import current_membership
from upward.accounts.selectors import reports_of
from upward.assessments import selectors
from upward.assessments.access import access_placement
from upward.assessments.models import Placement
from upward.assessments.selectors import step_code
from upward.assessments.views.charts import NARROW, WIDE, step_chart, trend_chart
from upward.core import anonymity
from upward.core.http import AuthedRequest, render_page
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.models import FrameworkVersion
from upward.roadmaps.selectors import gap_plans

# --- The delta -----------------------------------------------------------------------------


@dataclass
class Row:
    """One competency of the delta as the page shows it."""

    item: Any  # engine CompetencyDelta
    area: str
    expected: str
    operating: str
    demonstrated: str
    summary: dict[str, Any]  # attributed signals in brief; the list is a page of its own
    anonymous: dict[str, Any] | None
    url: str
    signals_url: str
    looks_like: list[str] = field(default_factory=list)
    is_top: bool = False

    @property
    def counted(self) -> int:
        return self.summary["count"] + (self.anonymous["count"] if self.anonymous else 0)


def _competency_url(version: FrameworkVersion, key: str) -> str:
    """The competency's page in the framework, when the framework pages offer one."""
    try:
        return reverse(
            "frameworks:framework_competency", args=[version.framework_id, version.number, key]
        )
    except NoReverseMatch:
        return ""


def _explained(
    doc: FrameworkDocument, items: list[selectors.Explained], *, own: bool, name: str
) -> list[dict[str, Any]]:
    """Who said what, by date: attributed signals only (anonymous ones are an aggregate)."""
    return [
        {
            "who": name if (e.who == "you" and not own) else e.who,
            "source": e.source,
            "step": step_code(doc, e.competency, e.step),
            "sometimes": step_code(doc, e.competency, e.sometimes) if e.sometimes else "",
            "on": e.on,
        }
        for e in sorted(items, key=lambda e: e.on)
    ]


def _summary(doc: FrameworkDocument, key: str, summary: selectors.SignalSummary) -> dict[str, Any]:
    """How many attributed signals count, from which kinds of source, at which steps."""
    return {
        "count": summary.count,
        "sources": list(summary.sources),
        "steps": [(step_code(doc, key, step), n) for step, n in summary.steps if n],
    }


def _anonymous(
    doc: FrameworkDocument, key: str, shown: anonymity.Aggregate | None
) -> dict[str, Any] | None:
    """A competency's anonymous ratings as the page shows them: count, spread, median,
    and how many say a higher step is sometimes reached."""
    if shown is None:
        return None
    return {
        "count": shown.count,
        "distribution": [(step_code(doc, key, step), n) for step, n in shown.distribution],
        "median": step_code(doc, key, shown.median),
        "sometimes": shown.sometimes,
    }


def _rows(view: selectors.DeltaReport) -> list[Row]:
    doc, placement = view.document, view.placement
    rows = []
    for item in view.delta.competencies:
        competency = doc.competency(item.key)
        target = doc.expectation(item.key, placement.target_level)

        def label(step: str | None, key: str = item.key) -> str:
            return step_code(doc, key, step) if step else "—"

        rows.append(
            Row(
                item=item,
                area=doc.area(competency.area).name,
                expected=label(item.expected),
                operating=label(item.operating),
                demonstrated=label(item.demonstrated),
                summary=_summary(doc, item.key, view.summaries[item.key]),
                anonymous=_anonymous(doc, item.key, view.anonymous.get(item.key)),
                url=_competency_url(placement.version, item.key),
                signals_url=reverse("assessments:delta_signals", args=[placement.pk, item.key]),
                looks_like=list(target.signals[:3]) if target else [],
                is_top=item.key in view.delta.top_gaps,
            )
        )
    return rows


def _required(view: selectors.DeltaReport) -> list[Any]:
    """The competencies readiness counts: expected at the target, and not optional."""
    doc, target = view.document, view.placement.target_level
    out = []
    for item in view.delta.competencies:
        expectation = doc.expectation(item.key, target)
        if item.expected is not None and not (expectation and expectation.optional):
            out.append(item)
    return out


# The page's longest lists, rendered once per kept delta (partials of the page).
KEPT_FRAGMENTS = ("trend_svg", "step_svgs", "table_rows", "change_list")


def _delta_context(view: selectors.DeltaReport, *, own: bool) -> dict[str, Any]:
    context = dict(view.kept("page", lambda: _page_parts(view)))
    context.update(view=view, placement=view.placement, own=own, quotes=view.quotes)
    return context


def _page_parts(view: selectors.DeltaReport) -> dict[str, Any]:
    """What the page shows that depends on the delta alone (not on who looks), with
    its longest lists already rendered: kept with the delta, so each request renders
    only the rest of the page."""
    rows = _rows(view)
    by_key = {r.item.key: r for r in rows}
    required = _required(view)
    doc = view.document
    points_level = view.delta.points_level
    parts: dict[str, Any] = {
        "doc": doc,
        "rows": rows,
        "top": [by_key[k] for k in view.delta.top_gaps],
        "needs": [by_key[k] for k in view.delta.needs_assessment],
        "changes": [r for r in rows if r.item.current_text or r.item.target_text],
        "readiness": round(view.delta.readiness * 100),
        "met_count": sum(1 for item in required if item.status == "met"),
        "required_count": len(required),
        "status_counts": _status_counts(rows),
        "points_label": doc.level(points_level).label if points_level else "",
        "step_charts": [step_chart(doc, view, WIDE), step_chart(doc, view, NARROW)],
        "trend_chart": trend_chart(view.trend),
    }
    # The fragments read the view only for its levels, which are part of the delta's key.
    fragment = parts | {"view": view}
    parts["html"] = {
        name: render_to_string(f"assessments/delta_detail.html#{name}", fragment)
        for name in KEPT_FRAGMENTS
    }
    # Each top gap's card, without its plan: the plan depends on who looks.
    parts["gap_card_html"] = [
        (
            row.item.key,
            render_to_string("assessments/delta_detail.html#gap_card", fragment | {"row": row}),
        )
        for row in parts["top"]
    ]
    return parts


def _status_counts(rows: list[Row]) -> list[tuple[str, int]]:
    order = ["met", "unconfirmed", "gap", "unassessed"]
    return [(s, sum(1 for r in rows if r.item.status == s)) for s in order]


@login_required
@require_GET
def my_delta(request: AuthedRequest) -> HttpResponse:
    """Where I stand against my target level in the organization I'm working in."""
    membership = current_membership(request)
    placement = None
    if membership is not None:
        placement = selectors.active_placement(request.user, membership.organization)
    if placement is None:
        context = {"membership": membership, "placement": None}
        return render(request, "assessments/delta_detail.html", context)
    return _delta_page(request, placement, own=True)


@login_required
@require_GET
def placement_delta(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """One placement's delta: my own (history included), or a report's, read-only."""
    placement = access_placement(request.user, placement_id)
    return _delta_page(request, placement, own=placement.user_id == request.user.pk)


def _delta_page(request: AuthedRequest, placement: Placement, *, own: bool) -> HttpResponse:
    view = selectors.delta_for(placement, viewer=request.user)
    context = _delta_context(view, own=own)
    context["newer_version"] = selectors.newer_version(placement)
    plans = (
        gap_plans(placement, viewer=request.user, delta_report=view) if view.delta.top_gaps else {}
    )
    context["gap_cards"] = [
        {"key": key, "html": html, "plan": plans.get(key)} for key, html in context["gap_card_html"]
    ]
    if own:
        org = placement.organization
        context["manages_someone"] = reports_of(request.user, org).exists()
    return render(request, "assessments/delta_detail.html", context)


@login_required
@require_GET
def delta_signals(request: AuthedRequest, placement_id: int, competency: str) -> HttpResponse:
    """Every counted attributed signal of one competency of a placement's delta: a page
    of its own, or for htmx the list alone, in place of the summary's link."""
    placement = access_placement(request.user, placement_id)
    view = selectors.delta_for(placement, viewer=request.user, names=True)
    if competency not in view.said:
        raise Http404
    own = placement.user_id == request.user.pk
    name = "" if own else placement.user.display_name
    context = {
        "placement": placement,
        "own": own,
        "competency": view.document.competency(competency),
        "explained": _explained(view.document, view.explained_of(competency), own=own, name=name),
        "anonymous": _anonymous(view.document, competency, view.anonymous.get(competency)),
    }
    return render_page(request, "assessments/delta_signals.html", context, fragment="signal_list")


# --- A manager's team --------------------------------------------------------------------


@login_required
@require_GET
def team_deltas(request: AuthedRequest) -> HttpResponse:
    """Each of my reports: their placement, readiness and top gaps.

    Queries: the reports (1), their active placements (1), and every delta together
    (2: signals, answers), however many people report to me. Documents are cached.
    """
    membership = current_membership(request)
    org = membership.organization if membership else None
    reports = list(reports_of(request.user, org)) if org else []
    placements = selectors.active_placements(reports, org) if org else {}
    views = selectors.deltas_for(list(placements.values()))
    rows = []
    for person in reports:
        placement = placements.get(person.pk)
        row: dict[str, Any] = {"person": person, "placement": placement}
        if placement is not None:
            view = views[placement.pk]
            row.update(
                view=view,
                readiness=round(view.delta.readiness * 100),
                top=[view.competency(k) for k in view.delta.top_gaps],
                needs=len(view.delta.needs_assessment),
            )
        rows.append(row)
    return render(request, "assessments/team_list.html", {"org": org, "rows": rows})

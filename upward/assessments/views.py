"""Pages for the competency delta: placement, my delta, self-assessment, feedback
requests and answers, and a manager's view of their team.

Each view parses its input, checks access with `access.py` (missing and
forbidden both answer 404), calls one service or selector and renders. A
service's error is shown in place by `service_errors`. Anonymous feedback is
never shown one by one: requests as counts, answers only in the delta's
aggregates, never with a name or a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from upward.accounts.current import current_membership
from upward.accounts.models import Membership, User
from upward.accounts.selectors import members_of, reports_of
from upward.assessments import selectors, services
from upward.assessments.access import (
    access_feedback_request,
    access_placement,
    access_report_placement,
)
from upward.assessments.forms import (
    FeedbackRequestForm,
    Pick,
    PlacementForm,
    StepOption,
    StepsForm,
    version_label,
)
from upward.assessments.models import FeedbackRequest, Placement, RequestStatus, Signal, Source
from upward.core.errors import Conflict
from upward.core.http import ServiceForm, is_htmx, redirect_or_fragment, render_page, service_errors
from upward.engine.framework.models import Framework as Document
from upward.frameworks.documents import document_of
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import visible_frameworks

# Pages answer GET and actions POST, but only after the access check, so that
# a stranger gets 404 whatever the method.
get_or_post = require_http_methods(["GET", "POST"])


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is a real User."""

    user: User


# --- Steps and the texts that describe them -----------------------------------------


def _code(doc: Document, competency: str, step: str) -> str:
    """A step's short name: the level code (IC3), or the name on the competency's own scale."""
    found = doc.competency(competency)
    if found.scale:
        return next((s.name for s in found.scale if s.key == step), step)
    try:
        level = doc.level(step)
    except KeyError:
        return step
    return level.code or level.title


def _level_code(doc: Document, key: str) -> str:
    level = doc.level(key)
    return level.code or level.title


def _options(doc: Document, competency: str, track: str) -> list[StepOption]:
    """Each step of a competency with the expectation text it stands for."""
    found = doc.competency(competency)
    if found.scale:
        return [StepOption(s.key, s.name, "", s.description) for s in found.scale]
    options = []
    for level in doc.levels_of(track):
        expectation = doc.expectation(competency, level.key)
        text = expectation.summary if expectation else ""
        title = level.title if level.code else ""
        options.append(StepOption(level.key, level.code or level.title, title, text))
    return options


def _picks(
    placement: Placement,
    *,
    keys: list[str] | None = None,
    previous: dict[str, Signal] | None = None,
) -> list[Pick]:
    """The competencies to rate (all, or `keys`), in framework order, prefilled from `previous`."""
    doc = document_of(placement.version)
    previous = previous or {}
    picks = []
    for competency in doc.competencies:
        if keys is not None and competency.key not in keys:
            continue
        picks.append(_pick(doc, placement, competency.key, previous.get(competency.key)))
    return picks


def _pick(doc: Document, placement: Placement, key: str, previous: Signal | None) -> Pick:
    competency = doc.competency(key)
    options = _options(doc, key, placement.target_track)
    keys = [o.key for o in options]
    now = doc.required_step(key, placement.current_level) or placement.current_level
    expected = doc.required_step(key, placement.target_level)
    for option in options:
        option.is_current = option.key == now
        option.is_target = option.key == expected
    marked = [keys.index(k) for k in (now, expected) if k in keys]
    lo, hi = (max(0, min(marked) - 1), max(marked) + 1) if marked else (0, len(keys))
    current = doc.expectation(key, placement.current_level)
    target = doc.expectation(key, placement.target_level)
    pick = Pick(
        key=key,
        name=competency.name,
        kind=competency.kind,
        area=doc.area(competency.area).name,
        options=options,
        near=options[lo : hi + 1],
        far=options[:lo] + options[hi + 1 :],
        current_text=current.summary if current else "",
        target_text=target.summary if target else "",
        current_code=_level_code(doc, placement.current_level),
        target_code=_level_code(doc, placement.target_level),
        expected=expected if expected in keys else None,
        expected_code=_code(doc, key, expected) if expected in keys else "",
    )
    if previous is not None and previous.step in keys:
        pick.chosen = previous.step
        pick.sometimes = bool(previous.sometimes_step)
        pick.previous = f"{_code(doc, key, previous.step)} on {previous.observed_on:%-d %b %Y}"
    return pick


def _apply_form(picks: list[Pick], form: StepsForm) -> None:
    """Show what was posted (and its errors) instead of the earlier ratings."""
    if not form.is_bound:
        return
    for pick in picks:
        pick.chosen = form.data.get(f"step-{pick.key}", "")
        pick.sometimes = bool(form.data.get(f"sometimes-{pick.key}"))
        pick.errors = [str(e) for e in form.errors.get(f"step-{pick.key}") or []]


def _previous_ratings(placement: Placement, *, rater: User, source: str) -> dict[str, Signal]:
    """This rater's latest rating of each competency (1 query)."""
    rows = Signal.objects.filter(
        subject_id=placement.user_id,
        organization_id=placement.organization_id,
        version__framework_id=placement.version.framework_id,
        rater=rater,
        source=source,
    ).order_by("created_at", "id")
    return {row.competency: row for row in rows}


# --- The delta -----------------------------------------------------------------------------


@dataclass
class Row:
    """One competency of the delta as the page shows it."""

    item: Any  # engine CompetencyDelta
    area: str
    expected: str
    operating: str
    demonstrated: str
    explained: list[dict[str, Any]]
    url: str
    looks_like: list[str] = field(default_factory=list)
    is_top: bool = False


def _competency_url(version: FrameworkVersion, key: str) -> str:
    """The competency's page in the framework, when the framework pages offer one."""
    try:
        return reverse("framework_competency", args=[version.framework_id, version.number, key])
    except NoReverseMatch:
        return ""


def _explained(
    doc: Document, items: list[selectors.Explained], *, own: bool, name: str
) -> list[dict[str, Any]]:
    """Who said what: attributed signals by date; anonymous ones last, ordered by
    source and step and never dated, so their place in the list says nothing of when."""
    named = sorted((e for e in items if e.who != "anonymous"), key=lambda e: e.on or date.min)
    hidden = sorted((e for e in items if e.who == "anonymous"), key=lambda e: (e.source, e.step))
    return [
        {
            "who": name if (e.who == "you" and not own) else e.who,
            "source": e.source,
            "step": _code(doc, e.competency, e.step),
            "on": e.on if e.who != "anonymous" else None,
        }
        for e in [*named, *hidden]
    ]


def _rows(view: selectors.DeltaView, *, own: bool) -> list[Row]:
    doc, placement = view.document, view.placement
    name = "" if own else placement.user.display_name
    rows = []
    for item in view.delta.competencies:
        competency = doc.competency(item.key)
        target = doc.expectation(item.key, placement.target_level)

        def label(step: str | None, key: str = item.key) -> str:
            return _code(doc, key, step) if step else "—"

        rows.append(
            Row(
                item=item,
                area=doc.area(competency.area).name,
                expected=label(item.expected),
                operating=label(item.operating),
                demonstrated=label(item.demonstrated),
                explained=_explained(doc, view.explained[item.key], own=own, name=name),
                url=_competency_url(placement.version, item.key),
                looks_like=list(target.signals[:3]) if target else [],
                is_top=item.key in view.delta.top_gaps,
            )
        )
    return rows


def _required(view: selectors.DeltaView) -> list[Any]:
    """The competencies readiness counts: expected at the target, and not optional."""
    doc, target = view.document, view.placement.target_level
    out = []
    for item in view.delta.competencies:
        expectation = doc.expectation(item.key, target)
        if item.expected is not None and not (expectation and expectation.optional):
            out.append(item)
    return out


def _delta_context(view: selectors.DeltaView, *, own: bool) -> dict[str, Any]:
    rows = _rows(view, own=own)
    by_key = {r.item.key: r for r in rows}
    required = _required(view)
    doc = view.document
    points_level = view.delta.points_level
    return {
        "view": view,
        "placement": view.placement,
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
        "step_charts": [_step_chart(doc, view, WIDE), _step_chart(doc, view, NARROW)],
        "trend_chart": _trend_chart(view.trend),
        "own": own,
        "quotes": view.quotes if own else [],
    }


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
@get_or_post
def placement_delta(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """One placement's delta: my own (history included), or a report's, read-only."""
    placement = access_placement(request.user, placement_id)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    return _delta_page(request, placement, own=placement.user_id == request.user.pk)


def _delta_page(request: AuthedRequest, placement: Placement, *, own: bool) -> HttpResponse:
    view = selectors.delta_for(placement)
    context = _delta_context(view, own=own)
    context["newer_version"] = _newer_version(placement)
    if own:
        org = placement.organization
        context["manages_someone"] = reports_of(request.user, org).exists()
    return render(request, "assessments/delta_detail.html", context)


def _newer_version(placement: Placement) -> FrameworkVersion | None:
    """The framework's published version, when the placement is on an older one."""
    if placement.version.status == VersionStatus.PUBLISHED:
        return None
    return (
        FrameworkVersion.objects.filter(
            framework_id=placement.version.framework_id, status=VersionStatus.PUBLISHED
        )
        .defer("document")
        .first()
    )


# --- Charts (server-rendered SVG) -------------------------------------------------------------


@dataclass(frozen=True)
class ChartLayout:
    """Where the steps chart puts things: each name beside its bars, or (no label
    column, for phones) above them, so the text stays readable at either size."""

    name: str  # also the prefix of the chart's element ids
    width: int
    label: int  # the names' column; 0 puts each name above its bars
    row: int
    head: int = 30
    right: int = 12


WIDE = ChartLayout("wide", width=960, label=230, row=32)
NARROW = ChartLayout("narrow", width=360, label=0, row=48)


def _step_chart(doc: Document, view: selectors.DeltaView, layout: ChartLayout) -> dict[str, Any]:
    """Expected, operating and demonstrated step per competency, on the steps scale.

    When every competency shares the track's levels the scale is cropped to the
    levels around the current and target ones, with a column per level. A bar
    ends at the right edge of its step's column, so reaching the target's mark
    means reaching the target.
    """
    track = view.placement.target_track
    items = view.delta.competencies
    scales = [[s.key for s in doc.steps(c.key, track)] for c in items]
    shared = len({tuple(s) for s in scales}) == 1
    lo, hi = _chart_window(view, scales[0]) if shared else (0, 0)
    rows = []
    for n, (item, keys) in enumerate(zip(items, scales, strict=True)):
        first, last = (lo, hi) if shared else (0, len(keys) - 1)
        row = _chart_row(doc, item, keys, layout, first=first, last=last)
        top = layout.head + n * layout.row
        mid = top + layout.row / 2 if layout.label else top + 32
        row.update(
            text_y=mid + 4 if layout.label else top + 14,
            operating_y=mid - 8,
            demonstrated_y=mid - 4,
            expected_y=mid - 13,
            tick_y=mid - 3,
        )
        if shared:
            row["ticks"] = []
        rows.append(row)
    left, right = layout.label, layout.width - layout.right
    columns = []
    if shared and scales:
        width = (right - left) / (hi - lo + 1)
        columns = [
            {
                "x": round(left + (i + 0.5) * width, 1),
                "edge": round(left + (i + 1) * width, 1),
                "label": _code(doc, items[0].key, k),
            }
            for i, k in enumerate(scales[0][lo : hi + 1])
        ]
    return {
        "id": layout.name,
        "width": layout.width,
        "height": layout.head + len(rows) * layout.row + 6,
        "left": left,
        "right": right,
        "rows": rows,
        "columns": columns,
        "cropped": shared and lo > 0,
    }


def _chart_window(view: selectors.DeltaView, keys: list[str]) -> tuple[int, int]:
    """The shared levels worth showing: one below the lowest mark to one above the highest."""
    marks = (
        [keys.index(view.placement.current_level)] if view.placement.current_level in keys else []
    )
    for item in view.delta.competencies:
        marks += [keys.index(k) for k in (item.expected, item.operating) if k in keys]
    lo = max(0, min(marks, default=0) - 1)
    hi = min(len(keys) - 1, max(marks, default=len(keys) - 1) + 1)
    return lo, hi


def _chart_row(
    doc: Document, item: Any, keys: list[str], layout: ChartLayout, *, first: int, last: int
) -> dict[str, Any]:
    """One competency's bars: each ends at the right edge of its step's column."""
    left = layout.label
    width = (layout.width - layout.right - left) / (last - first + 1)

    def end_of(step: str | None) -> float | None:
        if step is None or step not in keys:
            return None
        column = min(keys.index(step), last) - first + 1
        return round(max(column * width, 4), 1)  # below the chart: a stub

    expected = end_of(item.expected)
    labels = [
        _code(doc, item.key, step) if step else "none"
        for step in (item.expected, item.operating, item.demonstrated)
    ]
    longest = 26 if layout.label else 48
    return {
        "name": item.name if len(item.name) <= longest else item.name[: longest - 1] + "…",
        "title": f"{item.name}: expected {labels[0]}, operating {labels[1]}, "
        f"demonstrated {labels[2]}",
        "status": item.status,
        "operating": end_of(item.operating),
        "demonstrated": end_of(item.demonstrated),
        "expected_x": round(left + expected - 1.5, 1) if expected else None,
        "ticks": [round(left + (i + 1) * width, 1) for i in range(last - first + 1)],
    }


TREND_WIDTH = 560
TREND_HEIGHT = 180
TREND_PAD = {"left": 64, "right": 18, "top": 24, "bottom": 34}
TREND_INSET = 16  # the first and last points stay clear of the axis labels


def _trend_chart(trend: list[tuple[date, float]]) -> dict[str, Any]:
    """A line of readiness over the last months."""
    pad = TREND_PAD
    inner_w = TREND_WIDTH - pad["left"] - pad["right"]
    inner_h = TREND_HEIGHT - pad["top"] - pad["bottom"]
    count = max(1, len(trend) - 1)
    span = inner_w - 2 * TREND_INSET
    points = [
        {
            "x": round(pad["left"] + TREND_INSET + i * span / count, 1),
            "y": round(pad["top"] + (1 - value) * inner_h, 1),
            "day": day,
            "pct": round(value * 100),
        }
        for i, (day, value) in enumerate(trend)
    ]
    base = pad["top"] + inner_h
    line = " ".join(f"{p['x']},{p['y']}" for p in points)
    area = f"{pad['left']},{base} {line} {points[-1]['x']},{base}" if points else ""
    grid = []
    for pct in (0, 50, 100):
        y = round(pad["top"] + (1 - pct / 100) * inner_h, 1)
        grid.append({"y": y, "text_y": y + 4, "label": f"{pct}%"})
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": pad["left"],
        "right": TREND_WIDTH - pad["right"],
        "base": base,
        "label_y": TREND_HEIGHT - 8,
        "points": points,
        "line": line,
        "area": area,
        "grid": grid,
    }


# --- Placement ---------------------------------------------------------------------------


def _placeable_versions(user: User, membership: Membership) -> list[FrameworkVersion]:
    """Published versions of the library's and the current organization's frameworks."""
    org = membership.organization
    frameworks = visible_frameworks(user).filter(Q(organization__isnull=True) | Q(organization=org))
    return list(
        FrameworkVersion.objects.filter(
            framework__in=frameworks.values("pk"), status=VersionStatus.PUBLISHED
        )
        .select_related("framework__organization")
        .defer("document")
        .order_by(F("framework__organization").asc(nulls_last=True), "framework__name")
    )


def _chosen_version(
    versions: list[FrameworkVersion], wanted: str | None, active: Placement | None
) -> FrameworkVersion | None:
    by_id = {str(v.pk): v for v in versions}
    if wanted is not None and wanted in by_id:
        return by_id[wanted]
    if active is not None:
        same = [v for v in versions if v.framework_id == active.version.framework_id]
        if same:
            return same[0]
    return versions[0] if versions else None


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: AuthedRequest) -> HttpResponse:
    """Choose a framework, the level I hold and the one I'm heading for."""
    membership = current_membership(request)
    if membership is None:
        messages.info(request, "Create or join an organization first.")
        return redirect("org_list")
    org = membership.organization
    active = selectors.active_placement(request.user, org)
    versions = _placeable_versions(request.user, membership)
    wanted = request.POST.get("version") if request.method == "POST" else request.GET.get("version")
    version = _chosen_version(versions, wanted, active)
    doc = document_of(version) if version else None
    form = PlacementForm(
        request.POST if request.method == "POST" else None,
        versions=versions,
        document=doc,
        initial=_placement_initial(version, active),
    )
    if form.is_valid() and version is not None:
        with service_errors(form):
            placement = services.place(
                user=request.user, organization=org, version=version, **form.placement()
            )
            target = document_of(placement.version).level(placement.target_level).label
            messages.success(request, f"You're placed. Your target is {target}.")
            return redirect("my_delta")
    context = {
        "org": org,
        "form": form,
        "version": version,
        "doc": doc,
        "version_options": [(v.pk, version_label(v)) for v in versions],
        "active": active,
        "history": _history(request.user, org),
    }
    fragment = "levels" if request.method == "GET" else None
    return render_page(
        request, "assessments/placement_edit.html", context, fragment=fragment, status=form.status
    )


def _placement_initial(
    version: FrameworkVersion | None, active: Placement | None
) -> dict[str, Any]:
    if version is None:
        return {}
    initial: dict[str, Any] = {"version": version.pk}
    if active is not None and active.version.framework_id == version.framework_id:
        initial["current_level"] = f"{active.track}:{active.current_level}"
        initial["target_level"] = f"{active.target_track}:{active.target_level}"
    return initial


def _history(user: User, org: Any) -> list[dict[str, Any]]:
    rows = []
    for placement in selectors.placements_of(user).filter(organization=org):
        doc = document_of(placement.version)
        rows.append(
            {
                "placement": placement,
                "framework": doc.name,
                "current": doc.level(placement.current_level).label,
                "target": doc.level(placement.target_level).label,
            }
        )
    return rows


# --- Self-assessment and a manager's rating -----------------------------------------------


@login_required
@get_or_post
def placement_assess(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """Rate myself, one competency at a time (htmx) or all at once."""
    placement = access_placement(request.user, placement_id, write=True)
    return _rating_page(request, placement, source=Source.SELF)


@login_required
@get_or_post
def placement_rate(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """A manager rates a report, with the same step-picking form."""
    placement = access_report_placement(request.user, placement_id)
    return _rating_page(request, placement, source=Source.MANAGER)


def _rating_page(request: AuthedRequest, placement: Placement, *, source: str) -> HttpResponse:
    if not placement.is_active:
        messages.info(request, "That placement is history; rate against the current one.")
        return redirect("my_delta" if source == Source.SELF else "team_deltas")
    previous = _previous_ratings(placement, rater=request.user, source=source)
    picks = _picks(placement, previous=previous)
    form = StepsForm(request.POST if request.method == "POST" else None, picks=picks)
    only = request.POST.get("only") or None
    if only is not None and only not in form.picks:
        raise Http404
    if form.is_valid():
        ratings = form.ratings(only=only)
        if not ratings:
            where = f"step-{only}" if only else None
            what = "this competency" if only else "at least one competency"
            form.add_error(where, f"Choose a step for {what} first.")
        else:
            with service_errors(form):
                _rate(request, placement, source, ratings)
                return _rated(request, placement, source, only, len(ratings))
    _apply_form(picks, form)
    return _rating_render(request, placement, source, picks, form, only)


def _rate(request: AuthedRequest, placement: Placement, source: str, ratings: list[Any]) -> None:
    if source == Source.SELF:
        services.rate_self(placement=placement, ratings=ratings)
    else:
        services.rate_as_manager(placement=placement, manager=request.user, ratings=ratings)


def _rated(
    request: AuthedRequest, placement: Placement, source: str, only: str | None, count: int
) -> HttpResponse:
    if only is not None and is_htmx(request):
        previous = _previous_ratings(placement, rater=request.user, source=source)
        picks = _picks(placement, keys=[only], previous=previous)
        picks[0].saved = True
        form = StepsForm(picks=picks)
        return _rating_render(request, placement, source, picks, form, only)
    noun = f"{count} competenc{'y' if count == 1 else 'ies'}"
    if source == Source.SELF:
        messages.success(request, f"Saved your self-assessment of {noun}.")
        return redirect("my_delta")
    messages.success(request, f"Saved your rating of {placement.user.display_name}: {noun}.")
    return redirect("placement_delta", placement.pk)


def _rating_render(
    request: AuthedRequest,
    placement: Placement,
    source: str,
    picks: list[Pick],
    form: StepsForm,
    only: str | None,
) -> HttpResponse:
    url_name = "placement_assess" if source == Source.SELF else "placement_rate"
    context = {
        "placement": placement,
        "doc": document_of(placement.version),
        "picks": picks,
        "pick": next((p for p in picks if p.key == only), None),
        "single": only is not None,
        "form": form,
        "self_rating": source == Source.SELF,
        "action": reverse(url_name, args=[placement.pk]),
        "person": placement.user.display_name,
    }
    fragment = "competency" if only else None
    template = "assessments/placement_assess.html"
    return render_page(request, template, context, fragment=fragment, status=form.status)


# --- Asking for feedback ------------------------------------------------------------------


@login_required
@get_or_post
def feedback_new(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """Ask someone where I operate consistently against my target, and my biggest gap."""
    placement = access_placement(request.user, placement_id, write=True)
    if not placement.is_active:
        messages.info(request, "That placement is history; ask for feedback on the current one.")
        return redirect("my_delta")
    view = selectors.delta_for(placement)
    members = [m for m in members_of(placement.organization) if m.user_id != request.user.pk]
    people = {m.user_id: m.user for m in members}
    doc = view.document
    form = FeedbackRequestForm(
        request.POST if request.method == "POST" else None,
        members=members,
        competencies=[(c.key, c.name) for c in doc.competencies],
        top_gaps=view.delta.top_gaps,
    )
    if form.is_valid():
        data = form.cleaned_data
        rater = people.get(data["rater"]) if data["rater"] else None
        with service_errors(form):
            services.request_feedback(
                placement=placement,
                relationship=data["relationship"],
                competencies=form.chosen_competencies(),
                rater=rater,
                email=data["email"],
                anonymous=data["anonymous"],
                message=data["message"],
            )
            who = rater.display_name if rater else data["email"]
            messages.success(request, f"Request sent to {who}.")
            return redirect("feedback_requests")
    context = {
        "placement": placement,
        "doc": doc,
        "form": form,
        "target": view.target,
        "top": [view.competency(k) for k in view.delta.top_gaps],
        "threshold": view.threshold,
        "competency_names": {c.key: c for c in doc.competencies},
    }
    return render(request, "assessments/feedback_new.html", context, status=form.status)


def _request_state(request: FeedbackRequest, now: Any) -> str:
    if request.status == RequestStatus.PENDING and request.expires_at <= now:
        return "expired"
    return str(request.status)


STATE_LABELS = {
    "pending": ("Waiting", "info"),
    "answered": ("Answered", "success"),
    "declined": ("Declined", "neutral"),
    "withdrawn": ("Withdrawn", "neutral"),
    "expired": ("Expired", "warning"),
}


@login_required
@require_GET
def feedback_requests(request: AuthedRequest) -> HttpResponse:
    """The requests I sent (anonymous ones only as counts) and those waiting for my answer."""
    return _requests_page(request)


def _requests_page(
    request: AuthedRequest, *, fragment: str | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    membership = current_membership(request)
    org = membership.organization if membership else None
    now = timezone.now()
    sent = list(
        selectors.requests_sent(request.user)
        .filter(organization=org)
        .defer("placement__version__document")
    )
    summary = selectors.request_summary(sent)
    rows = []
    for item in summary["attributed"]:
        state = _request_state(item, now)
        label, tone = STATE_LABELS[state]
        rows.append({"request": item, "state": state, "label": label, "tone": tone})
    received = list(selectors.requests_received(request.user).defer("placement__version__document"))
    context = {
        "org": org,
        "rows": rows,
        "anonymous_open": summary["anonymous_open"],
        "anonymous_closed": summary["anonymous_closed"],
        "anonymous_total": summary["anonymous_open"] + summary["anonymous_closed"],
        "received": received,
        "placement": selectors.active_placement(request.user, org) if org else None,
        **extra,
    }
    template = "assessments/feedback_list.html"
    return render_page(request, template, context, fragment=fragment, status=status)


@login_required
@get_or_post
def feedback_withdraw(request: AuthedRequest, request_id: int) -> HttpResponse:
    """Take back a request nobody has answered yet (attributed requests only)."""
    item = access_feedback_request(request.user, request_id)
    if item.anonymous:
        # Anonymous requests are never handled one by one: whether one is still
        # open would say whether that person answered.
        raise Http404
    if request.method == "GET":
        return redirect("feedback_requests")
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.withdraw(request=item, by=request.user)
        who = item.rater.display_name if item.rater else item.rater_email
        messages.success(request, f"You withdrew your request to {who}.")
        return redirect_or_fragment(
            request,
            reverse("feedback_requests") + "#sent",
            lambda: _requests_page(request, fragment="sent"),
        )
    return _requests_page(
        request, fragment="sent", status=form.status, failed_id=item.pk, row_form=form
    )


# --- Answering a request -------------------------------------------------------------------


CLOSED = {
    RequestStatus.ANSWERED: "This feedback request has already been answered. Thank you!",
    RequestStatus.DECLINED: "This feedback request was declined.",
    RequestStatus.WITHDRAWN: "This feedback request was withdrawn; nothing more to do.",
}


def _closed(item: FeedbackRequest) -> str:
    """Why a request takes no more answers, or "" while it is open."""
    if item.status in CLOSED:
        return CLOSED[RequestStatus(item.status)]
    if item.expires_at <= timezone.now():
        return "This feedback request has expired."
    return ""


@login_required
@get_or_post
def feedback_answer(request: AuthedRequest, request_id: int) -> HttpResponse:
    """Answer a request addressed to my account."""
    item = access_feedback_request(request.user, request_id, as_rater=True)
    closed = _closed(item)
    if closed:
        return _closed_page(request, closed, status=410)
    return _answer_page(request, item, by=request.user, done=reverse("feedback_requests"))


@require_http_methods(["GET", "POST"])
def feedback_link(request: HttpRequest, secret: str) -> HttpResponse:
    """Answer a request through the single-use emailed link; no account needed."""
    form = ServiceForm(request.POST if request.method == "POST" else {})
    item = None
    with service_errors(form):
        item = services.find_request_by_link(secret)
    if item is None:
        # Expired links are gone for good (410); unknown ones, used and withdrawn
        # ones included (their secret is erased), never existed (404).
        status = 410 if isinstance(form.service_error, Conflict) else 404
        message = form.service_error.message if form.service_error else ""
        return _closed_page(request, message, status=status, link=True)
    return _answer_page(request, item, by=None, done=reverse("feedback_thanks"))


@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    """Where an emailed link lands after the answer (the link itself no longer works)."""
    return render(request, "assessments/feedback_thanks.html")


def _closed_page(
    request: HttpRequest, message: str, *, status: int, link: bool = False
) -> HttpResponse:
    context = {"closed": message, "link": link}
    return render(request, "assessments/feedback_answer.html", context, status=status)


def _answer_page(
    request: HttpRequest, item: FeedbackRequest, *, by: User | None, done: str
) -> HttpResponse:
    placement = item.placement
    picks = _picks(placement, keys=list(item.competencies))
    data = request.POST if request.method == "POST" else None
    form = StepsForm(data, picks=picks, questions=True)
    name = item.requester.display_name
    if data is not None and data.get("action") == "decline":
        with service_errors(form):
            services.decline(request=item, by=by)
            messages.info(request, f"You declined {name}'s request. They'll see it was declined.")
            return redirect(done)
    elif form.is_valid():
        with service_errors(form):
            services.respond(
                request=item,
                ratings=form.ratings(),
                consistent_at=form.cleaned_data["consistent_at"],
                biggest_gap=form.cleaned_data["biggest_gap"],
                by=by,
            )
            messages.success(request, f"Thank you. Your feedback is on its way to {name}.")
            return redirect(done)
    _apply_form(picks, form)
    doc = document_of(placement.version)
    context = {
        "item": item,
        "name": name,
        "picks": picks,
        "form": form,
        "doc": doc,
        "target": doc.level(placement.target_level).label,
        "current": doc.level(placement.current_level).label,
        "threshold": max(3, item.organization.anonymity_threshold),
    }
    return render(request, "assessments/feedback_answer.html", context, status=form.status)


# --- A manager's team --------------------------------------------------------------------


@login_required
@require_GET
def team_deltas(request: AuthedRequest) -> HttpResponse:
    """Each of my reports: their placement, readiness and top gaps.

    Queries: the reports (1) and their active placements (1), then the delta of
    each placed report (2 each: signals, answers). Documents are cached.
    """
    membership = current_membership(request)
    org = membership.organization if membership else None
    reports = list(reports_of(request.user, org)) if org else []
    # One query for every report's active placement (no selector takes a list of people yet).
    placements = {
        p.user_id: p
        for p in Placement.objects.filter(
            user__in=[r.pk for r in reports], organization=org, is_active=True
        ).select_related("version__framework", "organization", "user")
    }
    rows = []
    for person in reports:
        placement = placements.get(person.pk)
        row: dict[str, Any] = {"person": person, "placement": placement}
        if placement is not None:
            view = selectors.delta_for(placement)
            row.update(
                view=view,
                readiness=round(view.delta.readiness * 100),
                top=[view.competency(k) for k in view.delta.top_gaps],
                needs=len(view.delta.needs_assessment),
            )
        rows.append(row)
    return render(request, "assessments/team_list.html", {"org": org, "rows": rows})

"""Placing myself on a framework (history kept), rating myself, and a manager
rating a report with the same step-picking form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from upward.accounts.current import current_membership
from upward.accounts.models import User
from upward.assessments import selectors, services
from upward.assessments.access import access_placement, access_report_placement
from upward.assessments.forms import Pick, PlacementForm, StepsForm, version_label
from upward.assessments.models import Placement, Source
from upward.assessments.services import Rating
from upward.assessments.views.common import apply_form, picks_for
from upward.core.errors import Invalid
from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    is_htmx,
    render_page,
    service_errors,
)
from upward.core.inplace import InPlace
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.selectors import document_of

# --- Placement ---------------------------------------------------------------------------


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
        return redirect("accounts:org_list")
    org = membership.organization
    active = selectors.active_placement(request.user, org)
    versions = selectors.placeable_versions(request.user, membership.organization)
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
            return redirect("assessments:my_delta")
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

# A competency's card is always a form; with htmx it saves on its own (`only`)
# and comes back in place, marked saved.
RATING = InPlace(
    page="assessments/placement_assess.html",
    display="assessments/placement_assess.html#competency",
    form_fragment="competency",
    target="closest fieldset",
    swap="outerHTML",
)


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
        return redirect("assessments:my_delta" if source == Source.SELF else "team_deltas")
    previous = selectors.latest_ratings(placement, rater=request.user, source=source)
    picks = picks_for(placement, previous=previous)
    form = StepsForm(request.POST if request.method == "POST" else None, picks=picks)
    only = request.POST.get("only") or None
    if only is not None and only not in form.picks:
        raise Http404

    def form_context(_: ServiceForm) -> Mapping[str, Any]:
        apply_form(picks, form)  # the StepsForm above: what was posted, and its errors
        return _rating_context(request, placement, source, picks, form, only)

    if request.method == "GET":
        return RATING.edit(request, form, form_context, in_place=False)
    return RATING.save(
        request,
        form,
        form_context,
        save=lambda data: _rate(request, placement, source, _ratings(form, only)),
        display=lambda data: _saved_card(request, placement, source, only),
        done=lambda data: _rated(request, placement, source, len(form.ratings(only=only))),
        in_place=only is not None and is_htmx(request),
    )


def _ratings(form: StepsForm, only: str | None) -> list[Rating]:
    """The ratings posted (for one competency, or all); refused when there are none."""
    ratings = form.ratings(only=only)
    if not ratings:
        what = "this competency" if only else "at least one competency"
        raise Invalid(f"Choose a step for {what} first.", field=f"step-{only}" if only else None)
    return ratings


def _rate(request: AuthedRequest, placement: Placement, source: str, ratings: list[Rating]) -> None:
    if source == Source.SELF:
        services.rate_self(placement=placement, ratings=ratings)
    else:
        services.rate_as_manager(placement=placement, manager=request.user, ratings=ratings)


def _saved_card(
    request: AuthedRequest, placement: Placement, source: str, only: str | None
) -> dict[str, Any]:
    """One competency's card again after it saved on its own, marked saved."""
    previous = selectors.latest_ratings(placement, rater=request.user, source=source)
    picks = picks_for(placement, keys=[only or ""], previous=previous)
    picks[0].saved = True
    return _rating_context(request, placement, source, picks, StepsForm(picks=picks), only)


def _rated(request: AuthedRequest, placement: Placement, source: str, count: int) -> HttpResponse:
    noun = f"{count} competenc{'y' if count == 1 else 'ies'}"
    if source == Source.SELF:
        messages.success(request, f"Saved your self-assessment of {noun}.")
        return redirect("assessments:my_delta")
    messages.success(request, f"Saved your rating of {placement.user.display_name}: {noun}.")
    return redirect("assessments:placement_delta", placement.pk)


def _rating_context(
    request: AuthedRequest,
    placement: Placement,
    source: str,
    picks: list[Pick],
    form: StepsForm,
    only: str | None,
) -> dict[str, Any]:
    url_name = "placement_assess" if source == Source.SELF else "placement_rate"
    action = reverse(f"assessments:{url_name}", args=[placement.pk])
    return {
        "placement": placement,
        "doc": document_of(placement.version),
        "picks": picks,
        "pick": next((p for p in picks if p.key == only), None),
        "single": only is not None,
        "form": form,
        "self_rating": source == Source.SELF,
        "action": action,
        "inplace": RATING.editing(request, form, url=action, back=action),
        "person": placement.user.display_name,
    }

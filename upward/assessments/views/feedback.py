"""Asking for feedback, the list of requests (anonymous ones only counted),
withdrawing, and answering with an account or through the emailed link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from upward.accounts.current import current_membership
from upward.accounts.models import User
from upward.accounts.selectors import members_of
from upward.assessments import selectors, services
from upward.assessments.access import access_feedback_request, access_placement
from upward.assessments.forms import FeedbackRequestForm, StepsForm
from upward.assessments.models import FeedbackRequest, RequestStatus
from upward.assessments.views.common import apply_form, picks_for
from upward.core import anonymity
from upward.core.errors import Conflict
from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    redirect_or_fragment,
    render_page,
    service_errors,
)
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.selectors import document_of

# --- Asking for feedback ------------------------------------------------------------------


@login_required
@get_or_post
def feedback_new(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """Ask someone where I operate consistently against my target, and my biggest gap."""
    placement = access_placement(request.user, placement_id, write=True)
    if not placement.is_active:
        messages.info(request, "That placement is history; ask for feedback on the current one.")
        return redirect("assessments:my_delta")
    view = selectors.delta_for(placement)
    members = [m for m in members_of(placement.organization) if m.user_id != request.user.pk]
    people = {m.user_id: m.user for m in members}
    doc = view.document
    form = FeedbackRequestForm(
        request.POST if request.method == "POST" else None,
        members=members,
        competencies=[(c.key, c.name) for c in doc.competencies],
        top_gaps=view.delta.top_gaps,
        initial=_preselected(request, doc) | _prefilled_raters(request, people),
    )
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            made = services.request_feedback_from_many(
                placement=placement,
                raters=form.raters(people),
                relationship=data["relationship"],
                competencies=form.chosen_competencies(),
                anonymous=data["anonymous"],
                message=data["message"],
                answer_visibility=data["answer_visibility"],
                allow_duplicate=data["allow_duplicate"],
            )
            messages.success(request, _sent_to(made))
            return redirect("assessments:feedback_requests")
        form.place_rater_error()
    context = {
        "placement": placement,
        "doc": doc,
        "form": form,
        "target": view.target,
        "top": [view.competency(k) for k in view.delta.top_gaps],
        "threshold": view.threshold,
        "competency_names": {c.key: c for c in doc.competencies},
        "duplicate": isinstance(form.service_error, services.DuplicateRequest),
    }
    return render(request, "assessments/feedback_new.html", context, status=form.status)


def _sent_to(made: list[FeedbackRequest]) -> str:
    names = [r.rater.display_name if r.rater else r.rater_email for r in made]
    if len(names) == 1:
        return f"Request sent to {names[0]}."
    return f"{len(names)} requests sent, one each to {', '.join(names)}."


def _preselected(request: AuthedRequest, doc: FrameworkDocument) -> dict[str, Any]:
    """`?competency=<key>` (the dashboard's gaps link here) opens the form on those competencies."""
    known = {c.key for c in doc.competencies}
    wanted = [key for key in request.GET.getlist("competency") if key in known]
    return {"scope": "custom", "competencies": wanted} if wanted else {}


def _prefilled_raters(request: AuthedRequest, people: dict[int, User]) -> dict[str, Any]:
    """`?rater=<user id>` and `?email=<address>` (an objective's stakeholders link here)
    open the form with those people to ask; ids of non-members are ignored."""
    ids = [int(v) for v in request.GET.getlist("rater") if v.isdigit() and int(v) in people]
    emails = [e.strip() for e in request.GET.getlist("email") if "@" in e][:20]
    initial: dict[str, Any] = {}
    if ids:
        initial["rater"] = ids
    if emails:
        initial["email"] = "\n".join(emails)
    return initial


def _request_state(request: FeedbackRequest, now: Any) -> str:
    if request.status == RequestStatus.PENDING and request.expires_at <= now:
        return "expired"
    return str(request.status)


# Their badges' tones come from the `tone` template filter.
STATE_LABELS = {
    "pending": "Waiting",
    "answered": "Answered",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
    "expired": "Expired",
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
    rows = []
    for item in sent:
        state = _request_state(item, now)
        rows.append({"request": item, "state": state, "label": STATE_LABELS[state]})
    received = list(selectors.requests_received(request.user).defer("placement__version__document"))
    context = {
        "org": org,
        "rows": rows,
        "anonymous": selectors.anonymous_requests(request.user, org) if org else None,
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
        return redirect("assessments:feedback_requests")
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.withdraw(feedback_request=item, by=request.user)
        who = item.rater.display_name if item.rater else item.rater_email
        messages.success(request, f"You withdrew your request to {who}.")
        return redirect_or_fragment(
            request,
            reverse("assessments:feedback_requests") + "#sent",
            lambda: _requests_page(request, fragment="sent"),
        )
    return _requests_page(
        request, fragment="sent", status=form.status, failed_id=item.pk, row_form=form
    )


@login_required
@get_or_post
def feedback_withdraw_anonymous(request: AuthedRequest) -> HttpResponse:
    """Take back every anonymous request still waiting, in my current organization; the
    page says the same whatever was waiting."""
    if request.method == "GET":
        return redirect("assessments:feedback_requests")
    membership = current_membership(request)
    if membership is not None:
        services.withdraw_anonymous(requester=request.user, organization=membership.organization)
    messages.success(request, "Your anonymous requests still waiting for an answer are withdrawn.")
    return redirect_or_fragment(
        request,
        reverse("assessments:feedback_requests") + "#sent",
        lambda: _requests_page(request, fragment="sent"),
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
    return _answer_page(
        request, item, by=request.user, done=reverse("assessments:feedback_requests")
    )


@require_http_methods(["GET", "POST"])
def feedback_link(request: HttpRequest, secret: str) -> HttpResponse:
    """Answer a request through the single-use emailed link; no account needed."""
    form = ServiceForm(request.POST if request.method == "POST" else {})
    item = None
    with service_errors(form):
        item = services.find_request_by_link(secret)
    if item is None:
        # Used, declined, withdrawn and expired links are gone for good (410);
        # unknown ones never existed (404).
        status = 410 if isinstance(form.service_error, Conflict) else 404
        message = form.service_error.message if form.service_error else ""
        return _closed_page(request, message, status=status, link=True)
    return _answer_page(request, item, by=None, done=reverse("assessments:feedback_thanks"))


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
    picks = picks_for(placement, keys=list(item.competencies))
    data = request.POST if request.method == "POST" else None
    form = StepsForm(data, picks=picks, questions=True)
    name = item.requester.display_name
    reason = data.get("decline_reason", "") if data is not None else ""
    if data is not None and data.get("action") == "decline":
        with service_errors(form):
            services.decline(feedback_request=item, by=by, reason=reason)
            messages.info(request, f"You declined {name}'s request. They'll see it was declined.")
            return redirect(done)
    elif form.is_valid():
        with service_errors(form):
            services.respond(
                feedback_request=item,
                ratings=form.ratings(),
                consistent_at=form.cleaned_data["consistent_at"],
                biggest_gap=form.cleaned_data["biggest_gap"],
                by=by,
            )
            messages.success(request, f"Thank you. Your feedback is on its way to {name}.")
            return redirect(done)
    apply_form(picks, form)
    doc = document_of(placement.version)
    context = {
        "item": item,
        "name": name,
        "picks": picks,
        "form": form,
        "doc": doc,
        "target": doc.level(placement.target_level).label,
        "current": doc.level(placement.current_level).label,
        "threshold": anonymity.threshold(item.organization.anonymity_threshold),
        "decline_reason": reason,
        "reason_max": services.REASON_MAX,
    }
    return render(request, "assessments/feedback_answer.html", context, status=form.status)

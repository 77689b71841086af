"""Mentor profiles, the directory, a member's matches, requests, verification and the
organization's mentorship settings.

Each view checks access through `access.profiles` (missing and forbidden both answer
404), calls one service or selector and renders; a service's error is shown in place,
on the field it names. Everything works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from upward.accounts.access import access_organization
from upward.accounts.current import current_membership
from upward.accounts.models import Membership
from upward.assessments.selectors import active_placement
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.selectors import document_of
from upward.mentorship.access.profiles import (
    access_mentorship_request,
    access_offer_to_verify,
    access_profile,
    access_profile_to_verify,
    may_verify,
)
from upward.mentorship.forms_profiles import (
    DeclineForm,
    DirectoryForm,
    ProfileForm,
    RequestForm,
    SettingsForm,
    VerifyForm,
)
from upward.mentorship.models import MentorProfile, MentorshipRequest, RequestStatus
from upward.mentorship.selectors import matching as match_selectors
from upward.mentorship.selectors import profiles as selectors
from upward.mentorship.services import profiles as services
from upward.mentorship.services import requests as request_services


def _membership(request: AuthedRequest) -> Membership:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership


def _framework(
    request: AuthedRequest, membership: Membership
) -> tuple[FrameworkDocument | None, str]:
    """The viewer's framework document and target track here (None, "" when not placed)."""
    placement = active_placement(request.user, membership.organization)
    if placement is None:
        return None, ""
    return document_of(placement.version), placement.target_track


# --- My profile -------------------------------------------------------------------------


@login_required
@get_or_post
def profile_edit(request: AuthedRequest) -> HttpResponse:
    """Create or change my mentor profile in my current organization."""
    membership = _membership(request)
    org = membership.organization
    profile = selectors.own_profile(request.user, org)
    document, track = _framework(request, membership)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, document=document, track=track, profile=profile)
    if data is not None and form.is_valid():
        with service_errors(form):
            services.save_profile(user=request.user, organization=org, **form.changes())
            messages.success(request, "Mentor profile saved.")
            return redirect("mentorship:profile_edit")
    abilities = selectors.abilities_of([profile])[profile.pk] if profile else {}
    context = {
        "form": form,
        "profile": profile,
        "abilities": list(abilities.values()),
        "org": org,
        "placed": document is not None,
        "busy": services.active_mentees(request.user),
    }
    return render(request, "mentorship/profile_edit.html", context, status=form.status)


@login_required
@get_or_post
def profile_delete(request: AuthedRequest) -> HttpResponse:
    """Delete my mentor profile here (asks first; refused while I mentor from it)."""
    membership = _membership(request)
    profile = selectors.own_profile(request.user, membership.organization)
    if profile is None:
        raise Http404
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        with service_errors(form):
            services.delete_profile(profile=profile, by=request.user)
            messages.success(request, "Mentor profile deleted.")
            return redirect("mentorship:directory")
    context = {"form": form, "profile": profile}
    return render(request, "mentorship/profile_delete.html", context, status=form.status)


# --- Finding a mentor -------------------------------------------------------------------


@login_required
@require_GET
def directory(request: AuthedRequest) -> HttpResponse:
    """The mentors I may find from my current organization, filtered, 20 a page."""
    membership = _membership(request)
    org = membership.organization
    document, track = _framework(request, membership)
    form = DirectoryForm(request.GET or None, document=document, track=track)
    found = selectors.directory(request.user, org, form.filters(), page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "found": found, "org": org, "query": query.urlencode()}
    return render(request, "mentorship/directory.html", context)


def _mentor_page(
    request: AuthedRequest,
    profile: MentorProfile,
    membership: Membership,
    *,
    form: RequestForm | None = None,
) -> HttpResponse:
    org = membership.organization
    card = selectors.mentor_card(profile, viewer=request.user, organization=org)
    own = profile.user_id == request.user.pk
    context = {
        "card": card,
        "profile": profile,
        "own": own,
        "form": form or RequestForm(choices=_gap_choices(request, membership)),
        "may_verify": may_verify(request.user, profile.organization),
        "pending": None if own else selectors.pending_request(request.user, profile),
        "org": org,
    }
    status = form.status if form is not None else 200
    return render(request, "mentorship/mentor_detail.html", context, status=status)


def _gap_choices(request: AuthedRequest, membership: Membership) -> list[tuple[str, str]]:
    document, _track = _framework(request, membership)
    return [(c.key, c.name) for c in document.competencies] if document else []


@login_required
@require_GET
def mentor(request: AuthedRequest, profile_id: int) -> HttpResponse:
    """A mentor's profile, with the form to ask them."""
    membership = _membership(request)
    profile = access_profile(request.user, profile_id, membership.organization)
    return _mentor_page(request, profile, membership)


@login_required
@require_GET
def matches(request: AuthedRequest) -> HttpResponse:
    """Mentors ranked on how much of my gaps they cover, with why."""
    membership = _membership(request)
    form = DirectoryForm(request.GET or None, document=None)
    found = match_selectors.matches_for(request.user, membership.organization, form.filters())
    context = {"form": form, "found": found, "org": membership.organization}
    return render(request, "mentorship/matches.html", context)


# --- Requests ---------------------------------------------------------------------------


@login_required
@get_or_post
def request_new(request: AuthedRequest, profile_id: int) -> HttpResponse:
    """Ask a mentor to mentor me (the form is on their page)."""
    membership = _membership(request)
    profile = access_profile(request.user, profile_id, membership.organization)
    if request.method == "GET":
        return redirect("mentorship:mentor", profile.pk)
    form = RequestForm(request.POST, choices=_gap_choices(request, membership))
    if form.is_valid():
        with service_errors(form):
            made = request_services.send_request(
                mentee=request.user,
                organization=membership.organization,
                profile=profile,
                message=form.cleaned_data["message"],
                competencies=form.cleaned_data["competencies"],
            )
            messages.success(request, f"Request sent to {profile.user.display_name}.")
            return redirect("mentorship:request", made.pk)
    return _mentor_page(request, profile, membership, form=form)


@login_required
@require_GET
def requests(request: AuthedRequest) -> HttpResponse:
    """Requests I received as a mentor and those I sent."""
    context = {
        "received": selectors.requests_received(request.user),
        "sent": selectors.requests_sent(request.user),
    }
    return render(request, "mentorship/request_list.html", context)


def _request_page(
    request: AuthedRequest, item_id: int, *, form: ServiceForm | None = None
) -> HttpResponse:
    item = access_mentorship_request(request.user, item_id)
    context = {
        "item": item,
        "about": _competency_names(item),
        "mentor": item.profile.user_id == request.user.pk,
        "room": selectors.room_of_request(item),
        "decline_form": form if isinstance(form, DeclineForm) else DeclineForm(),
        "error_form": form,
        "pending": item.status == RequestStatus.PENDING,
    }
    status = form.status if form is not None else 200
    return render(request, "mentorship/request_detail.html", context, status=status)


def _competency_names(item: MentorshipRequest) -> list[str]:
    """The competencies a request is about, by their names in the mentee's framework."""
    placement = active_placement(item.mentee, item.organization)
    if placement is None:
        return list(item.competencies)
    names = {c.key: c.name for c in document_of(placement.version).competencies}
    return [names.get(key, key) for key in item.competencies]


@login_required
@require_GET
def request_detail(request: AuthedRequest, ask_id: int) -> HttpResponse:
    """One request, for its mentor (accept or decline) or its mentee (withdraw)."""
    return _request_page(request, ask_id)


@login_required
@require_POST
def request_accept(request: AuthedRequest, ask_id: int) -> HttpResponse:
    """Accept: the room opens and I go there."""
    item = access_mentorship_request(request.user, ask_id, as_mentor=True)
    form = ServiceForm(request.POST)
    with service_errors(form):
        room = request_services.accept_request(request=item, by=request.user)
        messages.success(request, f"You now mentor {item.mentee.display_name}.")
        return redirect("mentorship:room", room.pk)
    return _request_page(request, ask_id, form=form)


@login_required
@require_POST
def request_decline(request: AuthedRequest, ask_id: int) -> HttpResponse:
    item = access_mentorship_request(request.user, ask_id, as_mentor=True)
    form = DeclineForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            request_services.decline_request(
                request=item, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Request declined.")
            return redirect("mentorship:requests")
    return _request_page(request, ask_id, form=form)


@login_required
@require_POST
def request_withdraw(request: AuthedRequest, ask_id: int) -> HttpResponse:
    item = access_mentorship_request(request.user, ask_id, as_mentee=True)
    form = ServiceForm(request.POST)
    with service_errors(form):
        request_services.withdraw_request(request=item, by=request.user)
        messages.success(request, "Request withdrawn.")
        return redirect("mentorship:requests")
    return _request_page(request, ask_id, form=form)


# --- Verification and settings ----------------------------------------------------------


@login_required
@get_or_post
def verify(request: AuthedRequest, profile_id: int) -> HttpResponse:
    """Record (or remove) a person's verification of a mentor's offer, with its basis."""
    profile = access_profile_to_verify(request.user, profile_id)
    failed: VerifyForm | None = None
    if request.method == "POST":
        failed = VerifyForm(request.POST)
        if failed.is_valid():
            competency = failed.cleaned_data["competency"]
            offer = access_offer_to_verify(request.user, profile.pk, competency)
            with service_errors(failed):
                if request.POST.get("action") == "remove":
                    services.unverify_offer(offer=offer, by=request.user)
                    messages.success(request, "Verification removed.")
                else:
                    services.verify_offer(
                        offer=offer, by=request.user, basis=failed.cleaned_data["basis"]
                    )
                    messages.success(request, "Verification recorded.")
                return redirect("mentorship:verify", profile.pk)
    abilities = selectors.abilities_of([profile])[profile.pk]
    rows = []
    for offer in selectors.offers_of(profile):
        shown = failed if failed and failed.data.get("competency") == offer.competency else None
        form = shown or VerifyForm(initial={"competency": offer.competency})
        rows.append((offer, abilities[offer.competency], form))
    context = {"profile": profile, "rows": rows}
    status = failed.status if failed is not None else 200
    return render(request, "mentorship/mentor_verify.html", context, status=status)


@login_required
@get_or_post
def settings(request: AuthedRequest) -> HttpResponse:
    """The organization's mentorship settings (its admins)."""
    membership = access_organization(
        request.user, _membership(request).organization.slug, admin=True
    )
    org = membership.organization
    current = selectors.settings_of(org)
    data = request.POST if request.method == "POST" else None
    form = SettingsForm(data, initial={"allow_outside_mentors": current.allow_outside_mentors})
    if data is not None and form.is_valid():
        with service_errors(form):
            services.update_settings(
                organization=org,
                by=request.user,
                allow_outside_mentors=form.cleaned_data["allow_outside_mentors"],
            )
            messages.success(request, "Mentorship settings saved.")
            return redirect("mentorship:settings")
    context = {"form": form, "org": org}
    return render(request, "mentorship/settings.html", context, status=form.status)

"""API for mentor profiles and finding a mentor: the directory, one mentor, your own
profile, verification of offers, your matches, requests and the organization's
mentorship settings.

A profile the caller may not find from the organization in the path answers 404,
like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import Membership
from upward.core.schemas import MAX_PAGE, Id, PersonOut
from upward.mentorship.access.profiles import (
    access_mentorship_request,
    access_offer_to_verify,
    access_own_profile,
    access_profile,
)
from upward.mentorship.models import MentorProfile, MentorshipRequest, Offer
from upward.mentorship.selectors import matching as match_selectors
from upward.mentorship.selectors import profiles as selectors
from upward.mentorship.services import profiles as services
from upward.mentorship.services import requests as request_services

router = Router(tags=["mentorship"])

Key = Annotated[str, Field(max_length=100)]
CadenceName = Literal["weekly", "fortnightly", "monthly"]


# --- Schemas -----------------------------------------------------------------------------


class AbilityOut(Schema):
    competency: str
    name: str
    offered: str = Field(..., description="The step offered to mentor towards")
    demonstrated: str | None = Field(..., description="The mentor's demonstrated step now")
    verified: bool
    basis: Literal["demonstrated", "verified", ""] = Field(..., description="Empty: not verified")
    basis_text: str


class MentorRatingOut(Schema):
    count: int
    mean: float | None = Field(..., description="null below the anonymity threshold")


class MentorOut(Schema):
    id: int
    mentor: PersonOut
    organization: str = Field(..., description="The mentor's organization's slug")
    bio: str
    capacity: int
    open_places: int
    cadence: str
    time_zone: str
    languages: list[str]
    reach: str
    visibility: str
    accepting: bool
    overlap_hours: float | None = Field(..., description="Working hours shared with you")
    offers: list[AbilityOut]
    rating: MentorRatingOut | None


class MentorsOut(Schema):
    items: list[MentorOut]
    count: int
    page: int
    pages: int


class DirectoryQuery(Schema):
    competency: Key = ""
    step: Key = Field("", description="With competency: offered at least up to this step")
    verified: bool = Field(False, description="Verified for the competency, or for any")
    overlap: int = Field(0, ge=0, le=24, description="Shared working hours, at least")
    language: Annotated[str, Field(max_length=16)] = ""
    open: bool = Field(False, description="Only mentors with a place open")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class MatchQuery(Schema):
    overlap: int = Field(0, ge=0, le=24)
    language: Annotated[str, Field(max_length=16)] = ""


class MentorMatchOut(Schema):
    mentor: MentorOut
    score: float
    covers: list[str]
    reason: str


class OfferIn(Schema):
    competency: Key
    step: Key


class ProfileIn(Schema):
    bio: Annotated[str, Field(max_length=services.BIO_MAX)] = ""
    capacity: int = Field(
        2, strict=True, description="Mentees at once; at least the number you mentor now"
    )
    cadence: CadenceName = "fortnightly"
    time_zone: Annotated[str, Field(max_length=64)] = ""
    languages: list[Annotated[str, Field(max_length=16)]] = Field(default_factory=list)
    reach: Literal["organization", "anyone"] = "organization"
    visibility: Literal["organization", "public"] = "organization"
    accepting: bool = Field(True, strict=True)
    offers: list[OfferIn] = Field(default_factory=list, max_length=services.OFFERS_MAX)


class VerificationIn(Schema):
    basis: Annotated[str, Field(max_length=services.BASIS_MAX)] = Field(
        ..., description="What the verification rests on (required)"
    )


class RequestIn(Schema):
    profile_id: Id
    message: Annotated[str, Field(max_length=request_services.MESSAGE_MAX)] = ""
    competencies: list[Key] = Field(default_factory=list, max_length=50)


class MentorshipDeclineIn(Schema):
    reason: Annotated[str, Field(max_length=request_services.MESSAGE_MAX)] = ""


class RequestOut(Schema):
    id: int
    mentee: PersonOut
    mentor: PersonOut
    profile_id: int
    organization: str
    competencies: list[str]
    message: str
    status: str
    decline_reason: str
    created_at: datetime
    decided_at: datetime | None


class AcceptedOut(RequestOut):
    room_id: int


class SettingsIn(Schema):
    allow_outside_mentors: bool = Field(..., strict=True)


class SettingsOut(Schema):
    allow_outside_mentors: bool


# --- Helpers -----------------------------------------------------------------------------


def _membership(request: HttpRequest, slug: str) -> Membership:
    return access_organization(api_caller(request), slug)


def _mentor_out(card: selectors.MentorCard) -> dict[str, Any]:
    p = card.profile
    rating = card.rating
    return {
        "id": p.pk,
        "mentor": {"id": p.user_id, "name": p.user.display_name},
        "organization": p.organization.slug,
        "bio": p.bio,
        "capacity": p.capacity,
        "open_places": card.open,
        "cadence": p.cadence,
        "time_zone": p.time_zone,
        "languages": list(p.languages),
        "reach": p.reach,
        "visibility": p.visibility,
        "accepting": p.accepting,
        "overlap_hours": card.overlap,
        "offers": [
            {
                "competency": a.competency,
                "name": a.name,
                "offered": a.offered,
                "demonstrated": a.demonstrated,
                "verified": a.verified,
                "basis": a.basis,
                "basis_text": a.basis_text,
            }
            for a in card.abilities
        ],
        "rating": {"count": rating.count, "mean": rating.mean} if rating else None,
    }


def _card(request: HttpRequest, profile: MentorProfile, membership: Membership) -> dict[str, Any]:
    card = selectors.mentor_card(
        profile, viewer=api_caller(request), organization=membership.organization
    )
    return _mentor_out(card)


def _request_out(item: MentorshipRequest) -> dict[str, Any]:
    mentor = item.profile.user
    return {
        "id": item.pk,
        "mentee": {"id": item.mentee_id, "name": item.mentee.display_name},
        "mentor": {"id": mentor.pk, "name": mentor.display_name},
        "profile_id": item.profile_id,
        "organization": item.organization.slug,
        "competencies": list(item.competencies),
        "message": item.message,
        "status": item.status,
        "decline_reason": item.decline_reason,
        "created_at": item.created_at,
        "decided_at": item.decided_at,
    }


# --- The directory and one mentor --------------------------------------------------------


@router.get("/orgs/{slug}/mentors", response=MentorsOut)
def list_mentors(request: HttpRequest, slug: str, filters: Query[DirectoryQuery]) -> dict[str, Any]:
    """The mentors you find from this organization, filtered, 20 a page."""
    membership = _membership(request, slug)
    wanted = selectors.DirectoryFilters(
        competency=filters.competency,
        step=filters.step,
        verified=filters.verified,
        overlap=filters.overlap,
        language=filters.language,
        open_only=filters.open,
    )
    found = selectors.directory(
        api_caller(request), membership.organization, wanted, page=filters.page
    )
    page = found.page
    return {
        "items": [_mentor_out(c) for c in found.cards],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.get("/orgs/{slug}/mentors/{profile_id}", response=MentorOut)
def get_mentor(request: HttpRequest, slug: str, profile_id: Id) -> dict[str, Any]:
    """One mentor you find from this organization (or yourself)."""
    membership = _membership(request, slug)
    profile = access_profile(api_caller(request), profile_id, membership.organization)
    return _card(request, profile, membership)


@router.get("/orgs/{slug}/mentor-matches", response=list[MentorMatchOut])
def list_mentor_matches(
    request: HttpRequest, slug: str, filters: Query[MatchQuery]
) -> list[dict[str, Any]]:
    """Mentors ranked by how much of your gaps they cover (never your own manager, a
    full or paused mentor), with the reason."""
    membership = _membership(request, slug)
    wanted = selectors.DirectoryFilters(overlap=filters.overlap, language=filters.language)
    found = match_selectors.matches_for(api_caller(request), membership.organization, wanted)
    return [
        {
            "mentor": _mentor_out(m.card),
            "score": m.score,
            "covers": list(m.covers),
            "reason": m.reason,
        }
        for m in found.matches
    ]


# --- Your profile ------------------------------------------------------------------------


@router.get("/orgs/{slug}/mentor-profile", response=MentorOut)
def get_mentor_profile(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Your mentor profile here, with what verifies each offer."""
    membership = _membership(request, slug)
    profile = access_own_profile(api_caller(request), membership.organization)
    return _card(request, profile, membership)


@router.put("/orgs/{slug}/mentor-profile", response=MentorOut)
def update_mentor_profile(request: HttpRequest, slug: str, payload: ProfileIn) -> dict[str, Any]:
    """Create or replace your mentor profile here. Bad input answers 422 naming the field
    (capacity, offers[1].competency, offers[1].step, ...)."""
    membership = _membership(request, slug)
    data = payload.model_dump()
    offers = [services.OfferIn(o["competency"], o["step"]) for o in data.pop("offers")]
    profile = services.save_profile(
        user=api_caller(request), organization=membership.organization, offers=offers, **data
    )
    return _card(request, profile, membership)


@router.delete("/orgs/{slug}/mentor-profile", response={204: None})
def delete_mentor_profile(request: HttpRequest, slug: str) -> Status:
    """Delete your mentor profile here (409 while you mentor from it)."""
    membership = _membership(request, slug)
    profile = access_own_profile(api_caller(request), membership.organization)
    services.delete_profile(profile=profile, by=api_caller(request))
    return Status(204, None)


# --- Verification ------------------------------------------------------------------------


def _offer_to_verify(
    request: HttpRequest, slug: str, profile_id: int, competency: str
) -> tuple[MentorProfile, Offer]:
    """An offer of a mentor of the organization in the path, for its verifiers."""
    offer = access_offer_to_verify(api_caller(request), profile_id, competency)
    if offer.profile.organization.slug != slug:
        raise Http404
    return offer.profile, offer


@router.put(
    "/orgs/{slug}/mentors/{profile_id}/offers/{competency}/verification", response=MentorOut
)
def update_offer_verification(
    request: HttpRequest, slug: str, profile_id: Id, competency: str, payload: VerificationIn
) -> dict[str, Any]:
    """Verify a mentor's offer with its basis (admins of the mentor's organization, staff)."""
    profile, offer = _offer_to_verify(request, slug, profile_id, competency)
    services.verify_offer(offer=offer, by=api_caller(request), basis=payload.basis)
    card = selectors.mentor_card(
        profile, viewer=api_caller(request), organization=profile.organization
    )
    return _mentor_out(card)


@router.delete(
    "/orgs/{slug}/mentors/{profile_id}/offers/{competency}/verification", response={204: None}
)
def delete_offer_verification(
    request: HttpRequest, slug: str, profile_id: Id, competency: str
) -> Status:
    """Remove a person's verification of the offer (409 when there is none)."""
    _profile, offer = _offer_to_verify(request, slug, profile_id, competency)
    services.unverify_offer(offer=offer, by=api_caller(request))
    return Status(204, None)


# --- Requests ----------------------------------------------------------------------------


@router.get("/orgs/{slug}/mentorship-requests", response=list[RequestOut])
def list_mentorship_requests(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Requests you sent from this organization and those sent to your profile here."""
    membership = _membership(request, slug)
    caller = api_caller(request)
    org_id = membership.organization_id
    rows = [r for r in selectors.requests_sent(caller) if r.organization_id == org_id]
    rows += [r for r in selectors.requests_received(caller) if r.profile.organization_id == org_id]
    return [_request_out(r) for r in rows]


@router.post("/orgs/{slug}/mentorship-requests", response={201: RequestOut})
def create_mentorship_request(request: HttpRequest, slug: str, payload: RequestIn) -> Status:
    """Ask a mentor you find from this organization. Your own manager or yourself: 422
    on `mentor`; a full or paused mentor, a request already waiting: 409."""
    membership = _membership(request, slug)
    caller = api_caller(request)
    profile = access_profile(caller, payload.profile_id, membership.organization)
    made = request_services.send_request(
        mentee=caller,
        organization=membership.organization,
        profile=profile,
        message=payload.message,
        competencies=payload.competencies,
    )
    return Status(201, _request_out(made))


@router.get("/mentorship-requests/{ask_id}", response=RequestOut)
def get_mentorship_request(request: HttpRequest, ask_id: Id) -> dict[str, Any]:
    """A request you sent or received."""
    return _request_out(access_mentorship_request(api_caller(request), ask_id))


@router.post("/mentorship-requests/{ask_id}/accept", response=AcceptedOut)
def accept_mentorship_request(request: HttpRequest, ask_id: Id) -> dict[str, Any]:
    """Accept a request to you: the room opens (its id is in the answer)."""
    item = access_mentorship_request(api_caller(request), ask_id, as_mentor=True)
    room = request_services.accept_request(request=item, by=api_caller(request))
    return {**_request_out(item), "room_id": room.pk}


@router.post("/mentorship-requests/{ask_id}/decline", response=RequestOut)
def decline_mentorship_request(
    request: HttpRequest, ask_id: Id, payload: MentorshipDeclineIn
) -> dict[str, Any]:
    """Decline a request to you, with a reason they read if you give one."""
    item = access_mentorship_request(api_caller(request), ask_id, as_mentor=True)
    request_services.decline_request(request=item, by=api_caller(request), reason=payload.reason)
    return _request_out(item)


@router.post("/mentorship-requests/{ask_id}/withdraw", response=RequestOut)
def withdraw_mentorship_request(request: HttpRequest, ask_id: Id) -> dict[str, Any]:
    """Withdraw a request you sent that is still waiting."""
    item = access_mentorship_request(api_caller(request), ask_id, as_mentee=True)
    request_services.withdraw_request(request=item, by=api_caller(request))
    return _request_out(item)


# --- Settings ----------------------------------------------------------------------------


@router.get("/orgs/{slug}/mentorship-settings", response=SettingsOut)
def get_mentorship_settings(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Whether the organization's members may find outside mentors (its admins)."""
    org = access_organization(api_caller(request), slug, admin=True).organization
    return {"allow_outside_mentors": selectors.settings_of(org).allow_outside_mentors}


@router.put("/orgs/{slug}/mentorship-settings", response=SettingsOut)
def update_mentorship_settings(
    request: HttpRequest, slug: str, payload: SettingsIn
) -> dict[str, Any]:
    """Let the organization's members find outside mentors, or not (its admins)."""
    org = access_organization(api_caller(request), slug, admin=True).organization
    found = services.update_settings(
        organization=org,
        by=api_caller(request),
        allow_outside_mentors=payload.allow_outside_mentors,
    )
    return {"allow_outside_mentors": found.allow_outside_mentors}

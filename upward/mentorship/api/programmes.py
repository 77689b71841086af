"""API for cohort mentoring programmes under /orgs/{slug}/programmes: the list, opening one,
joining and leaving, and (the organization's admins) proposing, reviewing, adjusting,
publishing and closing.

A programme or pair of another organization answers 404 there, like one that does not
exist; so does the proposal for a member who is not an admin.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import User
from upward.core.schemas import Day, ErrorOut, Id, Pages, PersonOut
from upward.mentorship.access.programmes import access_pair, access_programme
from upward.mentorship.models import Pair, Programme
from upward.mentorship.selectors import programmes as selectors
from upward.mentorship.services import programmes as services

router = Router(tags=["mentorship"])

CadenceName = Literal["weekly", "fortnightly", "monthly"]
RoleName = Literal["mentee", "mentor"]
PROGRAMMES_PAGE_SIZE = 20


# --- Schemas -----------------------------------------------------------------------------


class ProgrammeIn(Schema):
    name: Annotated[str, Field(max_length=services.NAME_MAX)]
    description: Annotated[str, Field(max_length=services.DESCRIPTION_MAX)] = Field(
        "", description="Markdown"
    )
    starts_on: Day
    ends_on: Day = Field(..., description="After starts_on")
    cadence: CadenceName = Field("fortnightly", description="How often each pair checks in")


class ProgrammeOut(Schema):
    id: int
    name: str
    description: str
    starts_on: date
    ends_on: date
    cadence: str
    status: str = Field(..., description="open, proposed, published or closed")
    mentees: int
    mentors: int
    my_role: str = Field(..., description="mentee, mentor, or empty when you haven't joined")


class ProgrammeMatchOut(Schema):
    mentee: PersonOut
    mentor: PersonOut
    room_id: int | None


class ProgrammeDetailOut(ProgrammeOut):
    my_capacity: int | None = Field(..., description="The places you pledged, as a mentor")
    my_match: ProgrammeMatchOut | None = Field(..., description="Your mentor, once published")
    my_mentees: list[ProgrammeMatchOut] = Field(..., description="Your mentees, once published")


class JoinIn(Schema):
    role: RoleName
    capacity: int | None = Field(
        None,
        ge=0,
        le=50,
        strict=True,
        description="Mentors: mentees you take (1 up to your open places)",
    )
    avoid: list[Id] = Field(
        default_factory=list,
        max_length=services.AVOID_MAX,
        description="Mentees: user ids of mentors never to be matched with",
    )


class ParticipantOut(Schema):
    user: PersonOut
    role: str
    capacity: int
    avoid: list[int]


class CoveredOut(Schema):
    competency: str
    name: str
    gap_score: float
    mentor_step: str = Field(..., description="The mentor's demonstrated (or verified) step")
    basis: str = Field(..., description="What verifies the mentor in it")


class PairOut(Schema):
    id: int
    mentee: PersonOut
    mentor: PersonOut
    score: float
    covers: list[CoveredOut]
    origin: str = Field(..., description="solver, or admin when added by hand")
    room_id: int | None


class UnmatchedOut(Schema):
    mentee: PersonOut
    reason: str


class MentorLoadOut(Schema):
    mentor: PersonOut
    capacity: int
    used: int


class ProgrammeProposalOut(Schema):
    programme_id: int
    status: str
    pairs: list[PairOut]
    unmatched: list[UnmatchedOut]
    mentors: list[MentorLoadOut]
    total: float


class PairIn(Schema):
    mentee_id: Id
    mentor_id: Id


# --- Helpers -----------------------------------------------------------------------------


def _programme(
    request: HttpRequest, slug: str, programme_id: int, *, admin: bool = False
) -> Programme:
    """A programme of the organization in the path that the caller may read (or run)."""
    programme = access_programme(api_caller(request), programme_id, admin=admin)
    if programme.organization.slug != slug:
        raise Http404
    return programme


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.display_name}


def _match(pair: Pair) -> dict[str, Any]:
    return {"mentee": _person(pair.mentee), "mentor": _person(pair.mentor), "room_id": pair.room_id}


def _row(row: selectors.ProgrammeRow) -> dict[str, Any]:
    p = row.programme
    return {
        "id": p.pk,
        "name": p.name,
        "description": p.description,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "cadence": p.cadence,
        "status": p.status,
        "mentees": row.mentees,
        "mentors": row.mentors,
        "my_role": row.my_role,
    }


def _detail(programme: Programme, viewer: User) -> dict[str, Any]:
    shown = selectors.programme_view(programme, viewer)
    place = shown.place
    row = selectors.ProgrammeRow(
        programme, shown.mentees, shown.mentors, place.role if place else ""
    )
    return {
        **_row(row),
        "my_capacity": place.capacity if place and place.role == "mentor" else None,
        "my_match": _match(shown.match) if shown.match else None,
        "my_mentees": [_match(p) for p in shown.mentees_of_mine],
    }


def _proposal(programme: Programme) -> dict[str, Any]:
    shown = selectors.proposal(programme)
    return {
        "programme_id": programme.pk,
        "status": programme.status,
        "pairs": [
            {
                "id": row.pair.pk,
                "mentee": _person(row.pair.mentee),
                "mentor": _person(row.pair.mentor),
                "score": row.pair.score,
                "covers": [
                    {
                        "competency": c.key,
                        "name": c.name,
                        "gap_score": c.gap_score,
                        "mentor_step": c.mentor_step,
                        "basis": c.basis_text,
                    }
                    for c in row.covered
                ],
                "origin": row.pair.origin,
                "room_id": row.pair.room_id,
            }
            for row in shown.pairs
        ],
        "unmatched": [{"mentee": _person(u.user), "reason": u.reason} for u in shown.unmatched],
        "mentors": [
            {"mentor": _person(m.user), "capacity": m.capacity, "used": m.used}
            for m in shown.mentors
        ],
        "total": shown.total,
    }


# --- Programmes --------------------------------------------------------------------------


@router.get("/orgs/{slug}/programmes", response=list[ProgrammeOut])
@paginate(Pages, page_size=PROGRAMMES_PAGE_SIZE)
def list_programmes(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The organization's programmes, newest first, with whether you joined each."""
    membership = access_organization(api_caller(request), slug)
    return [_row(r) for r in selectors.programmes_of(api_caller(request), membership.organization)]


@router.post("/orgs/{slug}/programmes", response={201: ProgrammeDetailOut})
def create_programme(request: HttpRequest, slug: str, payload: ProgrammeIn) -> Status:
    """Open a programme (the organization's admins)."""
    membership = access_organization(api_caller(request), slug, admin=True)
    programme = services.open_programme(
        organization=membership.organization, by=api_caller(request), **payload.model_dump()
    )
    return Status(201, _detail(programme, api_caller(request)))


@router.get("/orgs/{slug}/programmes/{programme_id}", response=ProgrammeDetailOut)
def get_programme(request: HttpRequest, slug: str, programme_id: Id) -> dict[str, Any]:
    """A programme with your place in it and, once published, your own match."""
    return _detail(_programme(request, slug, programme_id), api_caller(request))


@router.post(
    "/orgs/{slug}/programmes/{programme_id}/close",
    response={200: ProgrammeDetailOut, 409: ErrorOut},
)
def close_programme(request: HttpRequest, slug: str, programme_id: Id) -> dict[str, Any]:
    """Close a programme (its admins); published rooms carry on."""
    programme = _programme(request, slug, programme_id, admin=True)
    closed = services.close_programme(programme=programme, by=api_caller(request))
    return _detail(closed, api_caller(request))


# --- Joining and leaving -----------------------------------------------------------------


@router.post(
    "/orgs/{slug}/programmes/{programme_id}/join", response={201: ParticipantOut, 409: ErrorOut}
)
def create_participant(
    request: HttpRequest, slug: str, programme_id: Id, payload: JoinIn
) -> Status:
    """Join as a mentee (with a placement here) or a mentor (with a profile here).
    Joining twice answers 409; a capacity beyond your open places 422 on `capacity`."""
    programme = _programme(request, slug, programme_id)
    place = services.join_programme(
        programme=programme,
        user=api_caller(request),
        role=payload.role,
        capacity=payload.capacity,
        avoid=payload.avoid,
    )
    return Status(
        201,
        {
            "user": _person(place.user),
            "role": place.role,
            "capacity": place.capacity,
            "avoid": list(place.avoid),
        },
    )


@router.post("/orgs/{slug}/programmes/{programme_id}/leave", response={204: None, 409: ErrorOut})
def delete_participant(request: HttpRequest, slug: str, programme_id: Id) -> Status:
    """Leave a programme while it is open for joining."""
    programme = _programme(request, slug, programme_id)
    services.leave_programme(programme=programme, user=api_caller(request))
    return Status(204, None)


# --- The proposal (admins) ---------------------------------------------------------------


@router.post(
    "/orgs/{slug}/programmes/{programme_id}/propose",
    response={200: ProgrammeProposalOut, 409: ErrorOut},
)
def create_proposal(request: HttpRequest, slug: str, programme_id: Id) -> dict[str, Any]:
    """Solve the matching exactly and store it as the proposal, replacing an earlier one."""
    programme = _programme(request, slug, programme_id, admin=True)
    services.propose_matching(programme=programme, by=api_caller(request))
    programme.refresh_from_db()
    return _proposal(programme)


@router.get("/orgs/{slug}/programmes/{programme_id}/proposal", response=ProgrammeProposalOut)
def get_proposal(request: HttpRequest, slug: str, programme_id: Id) -> dict[str, Any]:
    """The pairs with their reasons, the unmatched and why, each mentor's load, the total."""
    return _proposal(_programme(request, slug, programme_id, admin=True))


@router.post("/orgs/{slug}/programmes/{programme_id}/pairs", response={201: PairOut, 409: ErrorOut})
def create_pair(request: HttpRequest, slug: str, programme_id: Id, payload: PairIn) -> Status:
    """Pair a mentee with a mentor by hand, replacing the mentee's pair. Capacity, the
    mentee's manager and avoid list, and a score above 0 still hold (422 on `mentor`)."""
    programme = _programme(request, slug, programme_id, admin=True)
    pair = services.add_pair(
        programme=programme,
        by=api_caller(request),
        mentee_id=payload.mentee_id,
        mentor_id=payload.mentor_id,
    )
    shown = _proposal(programme)
    return Status(201, next(p for p in shown["pairs"] if p["id"] == pair.pk))


@router.delete("/orgs/{slug}/programme-pairs/{pair_id}", response={204: None, 409: ErrorOut})
def delete_pair(request: HttpRequest, slug: str, pair_id: Id) -> Status:
    """Take a pair out of the proposal."""
    pair = access_pair(api_caller(request), pair_id)
    if pair.programme.organization.slug != slug:
        raise Http404
    services.remove_pair(pair=pair, by=api_caller(request))
    return Status(204, None)


@router.post(
    "/orgs/{slug}/programmes/{programme_id}/publish",
    response={200: ProgrammeProposalOut, 409: ErrorOut},
)
def publish_programme(request: HttpRequest, slug: str, programme_id: Id) -> dict[str, Any]:
    """Publish: a room opens for each pair and both sides are told. Twice answers 409."""
    programme = _programme(request, slug, programme_id, admin=True)
    services.publish_programme(programme=programme, by=api_caller(request))
    programme.refresh_from_db()
    return _proposal(programme)

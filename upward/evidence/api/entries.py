"""Routes for evidence entries, their confirmations and collaborators, under
/orgs/{slug}/evidence/. An entry of another organization answers 404 there, like one
that does not exist; bad input answers 422 naming the field, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import Membership, User
from upward.assessments.access import access_placement
from upward.assessments.selectors import active_placement
from upward.core.errors import Invalid
from upward.core.schemas import MAX_PAGE, MAX_PAGE_SIZE, Day, ErrorOut, Id
from upward.evidence.access.entries import (
    access_collaboration,
    access_confirmation,
    access_entry,
    access_person,
)
from upward.evidence.models import Collaborator, Confirmation, Entry
from upward.evidence.selectors.entries import entry_detail, entry_log, members_among
from upward.evidence.services import entries as services
from upward.roadmaps.access import access_objective

router = Router(tags=["evidence"])

ENTRIES_PAGE_SIZE = 50
TierName = Literal["private", "mentors", "manager", "organization", "public"]
RelationName = Literal["manager", "peer", "mentor", "collaborator"]
Key = Annotated[str, Field(max_length=100)]
Line = Annotated[str, Field(max_length=200)]
Title = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=20_000)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
VISIBILITY_HELP = "Who besides you may see it: private, mentors, manager, organization, public"


# --- Schemas ------------------------------------------------------------------------------


class CompetencyStep(Schema):
    competency: Key = Field(..., description="A competency key of the placement's version")
    step: Key = Field(..., description="The step it shows (a level key or a step of a scale)")


class LinkIn(Schema):
    url: str = Field(..., max_length=2000, description="An http:// or https:// address")
    label: Line = ""


class LinkOut(Schema):
    url: str
    label: str


class EntryIn(Schema):
    placement_id: Id | None = Field(
        None, description="Your placement; defaults to your current one in the organization"
    )
    title: Title
    happened_on: Day
    competencies: list[CompetencyStep] = Field(..., max_length=20)
    body: LongText = Field("", description="What happened, in Markdown")
    impact: LongText = Field("", description="What it changed, in Markdown")
    scope: str = Field("", max_length=100)
    metric: Line = ""
    metric_before: str = Field("", max_length=100)
    metric_after: str = Field("", max_length=100)
    links: list[LinkIn] = Field(default_factory=list, max_length=20)
    vouchers: list[Line] = Field(default_factory=list, max_length=20)
    objective_id: Id | None = Field(None, description="One of your objectives, open or done")
    collaborator_ids: list[Id] = Field(default_factory=list, max_length=20)
    visibility: TierName = Field("manager", description=VISIBILITY_HELP)


class EntryPatch(Schema):
    """The fields to change; any left out stay as they are (objective_id null unlinks)."""

    title: Title | None = None
    happened_on: Day | None = None
    competencies: list[CompetencyStep] | None = Field(None, max_length=20)
    body: LongText | None = None
    impact: LongText | None = None
    scope: str | None = Field(None, max_length=100)
    metric: Line | None = None
    metric_before: str | None = Field(None, max_length=100)
    metric_after: str | None = Field(None, max_length=100)
    links: list[LinkIn] | None = Field(None, max_length=20)
    vouchers: list[Line] | None = Field(None, max_length=20)
    objective_id: Id | None = Field(None, description="null unlinks the objective")
    collaborator_ids: list[Id] | None = Field(None, max_length=20, description="The whole list")
    visibility: TierName | None = Field(None, description=VISIBILITY_HELP)


class CompetencyStepOut(Schema):
    competency: str
    step: str


class ConfirmationOut(Schema):
    id: int
    by_id: int | None
    by_name: str
    relation: str
    steps: dict[str, str]
    note: str
    created_at: datetime

    @staticmethod
    def resolve_by_name(obj: Confirmation) -> str:
        return obj.by.display_name if obj.by else ""


class CollaboratorOut(Schema):
    user_id: int
    name: str
    status: str = Field(..., description="pending, accepted or declined")

    @staticmethod
    def resolve_name(obj: Collaborator) -> str:
        return obj.user.display_name


class EntryOut(Schema):
    id: int
    owner_id: int
    placement_id: int
    title: str
    happened_on: date
    competencies: list[CompetencyStepOut]
    body: str
    impact: str
    scope: str
    metric: str
    metric_before: str
    metric_after: str
    links: list[LinkOut]
    vouchers: list[str]
    objective_id: int | None
    post_id: int | None
    visibility: str
    confirmations: list[ConfirmationOut]
    collaborators: list[CollaboratorOut]
    created_at: datetime
    updated_at: datetime


class EntriesPageOut(Schema):
    items: list[EntryOut]
    count: int = Field(..., description="How many there are on every page together")


class ConfirmationIn(Schema):
    relation: RelationName
    steps: dict[Key, Key] = Field(
        ..., max_length=20, description="The step it shows, per competency of the entry"
    )
    note: str = Field("", max_length=2000)


class CollaborationIn(Schema):
    accept: bool = Field(..., strict=True, description="true to share the credit, false to decline")


class ConfirmationRequestIn(Schema):
    user_ids: list[Id] = Field(..., min_length=1, max_length=10)
    message: str = Field("", max_length=2000)


class ConfirmationRequestOut(Schema):
    asked: list[int]


# --- Helpers ------------------------------------------------------------------------------


def _entry_in(request: HttpRequest, slug: str, entry_id: int, *, write: bool = False) -> Entry:
    entry = access_entry(api_caller(request), entry_id, write=write)
    if entry.organization.slug != slug:
        raise Http404
    return entry


def _fresh(entry: Entry) -> Entry:
    return entry_detail(entry)


def _people(membership: Membership, ids: list[int], *, field: str) -> list[User]:
    """Members of the organization by id; anyone else is named as not found there."""
    found = members_among(membership.organization_id, ids)
    for i, pk in enumerate(ids):
        if pk not in found:
            raise Invalid("Pick someone in this organization.", field=f"{field}[{i}]")
    return [found[pk] for pk in ids]


def _objective(request: HttpRequest, objective_id: int | None) -> Any:
    if objective_id is None:
        return None
    try:
        return access_objective(api_caller(request), objective_id, write=True)
    except Http404:
        raise Invalid("Pick one of your own objectives.", field="objective") from None


def _plain(payload: Schema, *names: str) -> dict[str, Any]:
    return {name: getattr(payload, name) for name in names}


TEXT_FIELDS = ("title", "body", "impact", "scope", "metric", "metric_before", "metric_after")


# --- Routes -------------------------------------------------------------------------------


@router.get("/orgs/{slug}/evidence", response=EntriesPageOut)
def list_entries(
    request: HttpRequest,
    slug: str,
    user_id: Id | None = None,
    competency: Key = "",
    page: PageNumber = 1,
    page_size: PageSize = ENTRIES_PAGE_SIZE,
) -> dict[str, Any]:
    """Your evidence in the organization, newest first; with user_id, a colleague's
    (only what they share with you). Filter by a competency the entries name."""
    membership = access_organization(api_caller(request), slug)
    owner = api_caller(request)
    if user_id is not None:
        owner = access_person(api_caller(request), user_id, membership.organization)
    entries = entry_log(api_caller(request), owner, membership.organization)
    if competency:
        entries = [e for e in entries if any(c["competency"] == competency for c in e.competencies)]
    start = (page - 1) * page_size
    return {"items": entries[start : start + page_size], "count": len(entries)}


@router.post("/orgs/{slug}/evidence", response={201: EntryOut, 404: ErrorOut})
def create_entry(request: HttpRequest, slug: str, payload: EntryIn) -> Status:
    """Log evidence on your placement: one claim signal per competency is recorded."""
    membership = access_organization(api_caller(request), slug)
    if payload.placement_id is not None:
        placement = access_placement(api_caller(request), payload.placement_id, write=True)
        if placement.organization_id != membership.organization_id:
            raise Http404
    else:
        found = active_placement(api_caller(request), membership.organization)
        if found is None:
            raise Invalid("Place yourself on a framework here first.", field="placement_id")
        placement = found
    entry = services.create_entry(
        owner=api_caller(request),
        placement=placement,
        happened_on=payload.happened_on,
        competencies=[c.model_dump() for c in payload.competencies],
        links=[link.model_dump() for link in payload.links],
        vouchers=payload.vouchers,
        objective=_objective(request, payload.objective_id),
        collaborators=_people(membership, payload.collaborator_ids, field="collaborator_ids"),
        visibility=payload.visibility,
        **_plain(payload, *TEXT_FIELDS),
    )
    return Status(201, _fresh(entry))


@router.get("/orgs/{slug}/evidence/{entry_id}", response=EntryOut)
def get_entry(request: HttpRequest, slug: str, entry_id: Id) -> Entry:
    """An entry: yours, or one shared with you."""
    return _fresh(_entry_in(request, slug, entry_id))


@router.patch("/orgs/{slug}/evidence/{entry_id}", response={200: EntryOut, 409: ErrorOut})
def update_entry(request: HttpRequest, slug: str, entry_id: Id, payload: EntryPatch) -> Entry:
    """Change your entry; a bad value changes nothing. Changing its competencies or its
    date records its claim signals anew."""
    entry = _entry_in(request, slug, entry_id, write=True)
    given = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {
        k: v for k, v in given.items() if v is not None and k in (*TEXT_FIELDS, "visibility")
    }
    for name in ("happened_on", "vouchers", "competencies", "links"):
        if given.get(name) is not None:
            changes[name] = given[name]
    if "objective_id" in given:
        changes["objective"] = _objective(request, payload.objective_id)
    if payload.collaborator_ids is not None:
        membership = access_organization(api_caller(request), slug)
        changes["collaborators"] = _people(
            membership, payload.collaborator_ids, field="collaborator_ids"
        )
    services.update_entry(entry=entry, by=api_caller(request), **changes)
    return _fresh(entry)


@router.delete("/orgs/{slug}/evidence/{entry_id}", response={204: None})
def delete_entry(request: HttpRequest, slug: str, entry_id: Id) -> Status:
    """Delete your entry with every signal it and its confirmations recorded."""
    entry = _entry_in(request, slug, entry_id, write=True)
    services.delete_entry(entry=entry, by=api_caller(request))
    return Status(204, None)


@router.post(
    "/orgs/{slug}/evidence/{entry_id}/confirmations",
    response={201: ConfirmationOut, 409: ErrorOut},
)
def create_confirmation(
    request: HttpRequest, slug: str, entry_id: Id, payload: ConfirmationIn
) -> Status:
    """Confirm a colleague's entry you may read, stating the step it shows per competency."""
    entry = _entry_in(request, slug, entry_id)
    confirmation = services.confirm_entry(
        entry=entry,
        by=api_caller(request),
        relation=payload.relation,
        steps=dict(payload.steps),
        note=payload.note,
    )
    return Status(201, confirmation)


@router.delete(
    "/orgs/{slug}/evidence/{entry_id}/confirmations/{confirmation_id}", response={204: None}
)
def delete_confirmation(
    request: HttpRequest, slug: str, entry_id: Id, confirmation_id: Id
) -> Status:
    """Withdraw your confirmation, with its signals."""
    _entry_in(request, slug, entry_id)
    confirmation = access_confirmation(api_caller(request), entry_id, confirmation_id)
    services.withdraw_confirmation(confirmation=confirmation, by=api_caller(request))
    return Status(204, None)


@router.post(
    "/orgs/{slug}/evidence/{entry_id}/confirmation-requests", response=ConfirmationRequestOut
)
def create_confirmation_request(
    request: HttpRequest, slug: str, entry_id: Id, payload: ConfirmationRequestIn
) -> dict[str, Any]:
    """Ask colleagues who may read your entry to confirm it (each gets a notification)."""
    entry = _entry_in(request, slug, entry_id, write=True)
    membership = access_organization(api_caller(request), slug)
    people = _people(membership, payload.user_ids, field="user_ids")
    asked = services.request_confirmation(
        entry=entry, by=api_caller(request), people=people, message=payload.message
    )
    return {"asked": [u.pk for u in asked]}


@router.put("/orgs/{slug}/evidence/{entry_id}/collaboration", response=CollaboratorOut)
def update_collaboration(
    request: HttpRequest, slug: str, entry_id: Id, payload: CollaborationIn
) -> Collaborator:
    """Accept or decline being named as a collaborator on an entry."""
    _entry_in(request, slug, entry_id)
    collaborator = access_collaboration(api_caller(request), entry_id)
    return services.answer_collaboration(
        collaborator=collaborator, by=api_caller(request), accept=payload.accept
    )

"""API for placements, ratings, feedback requests and the delta."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import Membership, User
from upward.assessments import access, selectors, services
from upward.assessments.models import FeedbackRequest, Placement
from upward.core import anonymity
from upward.core.errors import Invalid
from upward.core.schemas import MAX_PAGE, Day, ErrorOut, Id, Pages, VersionNumber
from upward.core.validators import EMAIL_PATTERN
from upward.frameworks.access import access_version

SIGNALS_PAGE_SIZE = 50
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
CompetencyKey = Annotated[str, Field(max_length=200, description="A competency's key")]

router = Router(tags=["assessments"])
public = Router(tags=["feedback links"], auth=None)


class PlacementIn(Schema):
    organization: str = Field(..., description="Slug of the organization you work in")
    framework_id: Id
    version: VersionNumber
    track: str
    current_level: str
    target_level: str = ""
    target_track: str = ""


class PlacementOut(Schema):
    id: int
    organization: str
    framework_id: int
    version: int
    track: str
    current_level: str
    target_track: str
    target_level: str
    is_active: bool
    created_at: datetime


class RatingIn(Schema):
    competency: str
    step: str
    sometimes: str = ""
    comment: str = Field("", max_length=2000)


class RatingsIn(Schema):
    ratings: list[RatingIn] = Field(..., min_length=1, max_length=200)


class RatingsOut(Schema):
    source: str
    recorded: int


class ExplainedOut(Schema):
    who: str
    source: str
    step: str
    sometimes: str | None = Field(
        ..., description="A higher step they sometimes reach, when the rater said so"
    )
    on: date


class StepCountOut(Schema):
    step: str
    count: int


class AnonymousRatingsOut(Schema):
    """A competency's released anonymous ratings: no source, rater, date or order."""

    count: int = Field(..., description="A whole number of batches of the anonymity threshold")
    distribution: list[StepCountOut] = Field(
        ..., description="Every step of the competency's scale, lowest first"
    )
    median: str = Field(..., description="The lower middle step")
    sometimes: int = Field(
        ..., description="How many of these ratings say a higher step is sometimes reached"
    )


class SteppedCountOut(Schema):
    """A count of anonymous answers in steps of the anonymity threshold, never exact."""

    released: int = Field(..., description="0, or a whole number of batches of the threshold")
    threshold: int
    label: str = Field(..., description='"fewer than 5", then "5+", "10+"...')


class SourceCountOut(Schema):
    source: str
    count: int


class SignalSummaryOut(Schema):
    """A competency's counted attributed signals in brief; the list itself is at
    /placements/{id}/delta/signals?competency=KEY."""

    count: int
    sources: list[SourceCountOut] = Field(..., description="Kinds of source that gave any")
    steps: list[StepCountOut] = Field(
        ..., description="Every step of the competency's scale, lowest first"
    )


class SignalsPageOut(Schema):
    items: list[ExplainedOut]
    count: int = Field(..., description="How many there are on every page together")


class CompetencyDeltaOut(Schema):
    key: str
    name: str
    kind: str
    weight: float
    expected: str | None
    operating: str | None
    demonstrated: str | None
    gap: int
    status: str
    current_text: str
    target_text: str
    signals: SignalSummaryOut = Field(..., description="Attributed signals only")
    anonymous: AnonymousRatingsOut | None


class QuoteOut(Schema):
    """A written answer you may read: the member reads all of theirs; their manager
    only attributed answers of requests shared with the manager."""

    who: str = Field(..., description='The rater, or "anonymous"')
    relationship: str = Field(..., description="Blank for anonymous answers")
    consistent_at: str
    biggest_gap: str
    visibility: str = Field(
        ..., description='"private" or "manager": whom the member shares it with'
    )


class DeltaOut(Schema):
    placement_id: int
    current_level: str
    target_level: str
    readiness: float
    top_gaps: list[str]
    needs_assessment: list[str]
    points: int | None
    points_level: str | None
    anonymous_answers_shown: bool
    anonymous_answers: SteppedCountOut
    competencies: list[CompetencyDeltaOut]
    quotes: list[QuoteOut] = Field(..., description="Written answers you may read")


class FeedbackRequestIn(Schema):
    placement_id: Id
    relationship: Literal["manager", "peer", "mentor"]
    rater_id: Id | None = None
    email: str = Field("", max_length=254, pattern=f"^$|{EMAIL_PATTERN}")
    anonymous: bool = Field(False, strict=True)
    answer_visibility: Literal["private", "manager"] = Field(
        "private",
        description="Who besides you reads the written answer: nobody, or your manager "
        "too. Anonymous requests must stay private.",
    )
    competencies: list[str] | Literal["all", "gaps"] = "all"
    message: str = Field("", max_length=2000)
    allow_duplicate: bool = Field(
        False,
        strict=True,
        description="Ask even though this rater has an attributed request from you still "
        "waiting (otherwise 409). Anonymous requests are never checked.",
    )


class RaterIn(Schema):
    """One person to ask: a person in your organization (rater_id) or an email address."""

    rater_id: Id | None = None
    email: str = Field("", max_length=254, pattern=f"^$|{EMAIL_PATTERN}")


class FeedbackRequestsIn(Schema):
    placement_id: Id
    relationship: Literal["manager", "peer", "mentor"]
    raters: list[RaterIn] = Field(..., min_length=1, max_length=50)
    anonymous: bool = Field(False, strict=True)
    answer_visibility: Literal["private", "manager"] = "private"
    competencies: list[str] | Literal["all", "gaps"] = "all"
    message: str = Field("", max_length=2000)
    allow_duplicate: bool = Field(
        False, strict=True, description="Ask raters who already have an attributed request waiting"
    )


class DeclineIn(Schema):
    reason: str = Field(
        "",
        max_length=2000,
        description="Why, if you like. The requester reads it, unless the request is anonymous: "
        "then it is dropped.",
    )


class FeedbackRequestOut(Schema):
    id: int
    placement_id: int
    relationship: str
    rater: str = Field(..., description="The rater's email (blank for anonymous requests)")
    anonymous: bool
    answer_visibility: str
    competencies: list[str]
    status: str
    decline_reason: str = Field(..., description="Why the rater declined, if they said")
    expires_at: datetime
    created_at: datetime


class AnonymousRequestsOut(Schema):
    """Your anonymous requests in an organization, only as counts: how many are still
    open, withdrawn or expired is never given, so the exact number answered can't be
    worked out."""

    asked: int
    declined: int
    answered: SteppedCountOut


class AnswerIn(Schema):
    ratings: list[RatingIn] = Field(default_factory=list, max_length=200)
    consistent_at: str = Field("", max_length=5000)
    biggest_gap: str = Field("", max_length=5000)


class RequestToAnswerOut(Schema):
    id: int
    requester: str
    question: str
    target_level: str
    competencies: list[str]
    anonymous: bool
    expires_at: datetime


def _placement_out(p: Placement) -> PlacementOut:
    return PlacementOut(
        id=p.pk,
        organization=p.organization.slug,
        framework_id=p.version.framework_id,
        version=p.version.number,
        track=p.track,
        current_level=p.current_level,
        target_track=p.target_track,
        target_level=p.target_level,
        is_active=p.is_active,
        created_at=p.created_at,
    )


def _request_out(r: FeedbackRequest) -> FeedbackRequestOut:
    return FeedbackRequestOut(
        id=r.pk,
        placement_id=r.placement_id,
        relationship=r.relationship,
        rater="" if r.anonymous else (r.rater.email if r.rater else r.rater_email),
        anonymous=r.anonymous,
        answer_visibility=r.answer_visibility,
        competencies=r.competencies,
        status=r.status,
        decline_reason="" if r.anonymous else r.decline_reason,
        expires_at=r.expires_at,
        created_at=r.created_at,
    )


def _stepped_out(count: anonymity.Stepped) -> SteppedCountOut:
    return SteppedCountOut(released=count.released, threshold=count.threshold, label=count.label)


def _summary_out(summary: selectors.SignalSummary) -> SignalSummaryOut:
    return SignalSummaryOut(
        count=summary.count,
        sources=[SourceCountOut(source=k, count=n) for k, n in summary.sources],
        steps=[StepCountOut(step=s, count=n) for s, n in summary.steps],
    )


def _aggregate_out(shown: anonymity.Aggregate | None) -> AnonymousRatingsOut | None:
    if shown is None:
        return None
    return AnonymousRatingsOut(
        count=shown.count,
        distribution=[StepCountOut(step=s, count=n) for s, n in shown.distribution],
        median=shown.median,
        sometimes=shown.sometimes,
    )


def _ratings(payload: list[RatingIn]) -> list[services.Rating]:
    return [services.Rating(r.competency, r.step, r.sometimes, r.comment) for r in payload]


@router.get("/placements", response=list[PlacementOut])
@paginate(Pages, page_size=50)
def list_placements(request: HttpRequest) -> list[PlacementOut]:
    """Your placements, the active one first, history after."""
    rows = selectors.placements_of(api_caller(request)).order_by("-is_active", "-created_at")
    return [_placement_out(p) for p in rows]


@router.post("/placements", response={201: PlacementOut, 404: ErrorOut})
def create_placement(request: HttpRequest, payload: PlacementIn) -> Status:
    """Place yourself on a published framework version; the target defaults to the next level."""
    user = api_caller(request)
    membership = access_organization(user, payload.organization)
    version = access_version(user, payload.framework_id, payload.version)
    placement = services.place(
        user=user,
        organization=membership.organization,
        version=version,
        track=payload.track,
        current_level=payload.current_level,
        target_level=payload.target_level,
        target_track=payload.target_track,
    )
    return Status(201, _placement_out(placement))


@router.get("/placements/{placement_id}", response=PlacementOut)
def get_placement(request: HttpRequest, placement_id: Id) -> PlacementOut:
    """A placement: yours, or a report's if you are their manager."""
    return _placement_out(access.access_placement(api_caller(request), placement_id))


@router.post("/placements/{placement_id}/ratings", response={201: RatingsOut})
def create_ratings(request: HttpRequest, placement_id: Id, payload: RatingsIn) -> Status:
    """Rate: a self-assessment on your own placement, a manager's rating on a report's."""
    user = api_caller(request)
    placement = access.access_placement(user, placement_id)
    ratings = _ratings(payload.ratings)
    if placement.user_id == user.pk:
        signals = services.rate_self(placement=placement, ratings=ratings)
        return Status(201, RatingsOut(source="self", recorded=len(signals)))
    placement = access.access_report_placement(user, placement_id)
    signals = services.rate_as_manager(placement=placement, manager=user, ratings=ratings)
    return Status(201, RatingsOut(source="manager", recorded=len(signals)))


@router.get("/placements/{placement_id}/delta", response=DeltaOut)
def get_delta(request: HttpRequest, placement_id: Id, today: Day | None = None) -> DeltaOut:
    """The delta: per competency expected, operating and demonstrated steps, gap and status;
    the top gaps and readiness. Anonymous answers count only past the anonymity threshold."""
    placement = access.access_placement(api_caller(request), placement_id)
    view = selectors.delta_for(placement, viewer=api_caller(request), today=today)
    # Built from validated parts: the competencies once per kept delta, the rest here.
    return DeltaOut.model_construct(
        placement_id=placement.pk,
        current_level=placement.current_level,
        target_level=placement.target_level,
        readiness=view.delta.readiness,
        top_gaps=view.delta.top_gaps,
        needs_assessment=view.delta.needs_assessment,
        points=view.delta.points,
        points_level=view.delta.points_level,
        anonymous_answers_shown=view.anonymous_shown,
        anonymous_answers=_stepped_out(view.anonymous_answers),
        competencies=view.kept("api.competencies", lambda: _competencies_out(view)),
        quotes=[QuoteOut(**q) for q in view.quotes],
    )


def _competencies_out(view: selectors.DeltaReport) -> list[CompetencyDeltaOut]:
    return [
        CompetencyDeltaOut(
            key=c.key,
            name=c.name,
            kind=c.kind,
            weight=c.weight,
            expected=c.expected,
            operating=c.operating,
            demonstrated=c.demonstrated,
            gap=c.gap,
            status=c.status.value,
            current_text=c.current_text,
            target_text=c.target_text,
            signals=_summary_out(view.summaries[c.key]),
            anonymous=_aggregate_out(view.anonymous.get(c.key)),
        )
        for c in view.delta.competencies
    ]


@router.get("/placements/{placement_id}/delta/signals", response=SignalsPageOut)
def list_delta_signals(
    request: HttpRequest,
    placement_id: Id,
    competency: CompetencyKey = "",
    page: PageNumber = 1,
    today: Day | None = None,
) -> SignalsPageOut:
    """The counted attributed signals of one competency of the delta, oldest first,
    50 a page. Anonymous ratings are never listed: they show only as the delta's
    aggregate."""
    placement = access.access_placement(api_caller(request), placement_id)
    view = selectors.delta_for(placement, viewer=api_caller(request), today=today, names=True)
    if not competency:
        raise Invalid("Name the competency whose signals to list.", field="competency")
    if competency not in view.said:
        raise Invalid(f"The framework has no competency {competency!r}.", field="competency")
    listed = sorted(view.explained_of(competency), key=lambda e: e.on)
    start = (page - 1) * SIGNALS_PAGE_SIZE
    return SignalsPageOut(
        items=[
            ExplainedOut(who=e.who, source=e.source, step=e.step, sometimes=e.sometimes, on=e.on)
            for e in listed[start : start + SIGNALS_PAGE_SIZE]
        ],
        count=len(listed),
    )


@router.get("/feedback-requests", response=list[FeedbackRequestOut])
@paginate(Pages, page_size=50)
def list_feedback_requests(request: HttpRequest) -> list[FeedbackRequestOut]:
    """Attributed requests you sent. Anonymous ones are only counted: see
    /orgs/{slug}/feedback-requests/anonymous."""
    return [_request_out(r) for r in selectors.requests_sent(api_caller(request))]


@router.post("/feedback-requests", response={201: FeedbackRequestOut, 404: ErrorOut, 409: ErrorOut})
def create_feedback_request(request: HttpRequest, payload: FeedbackRequestIn) -> Status:
    """Ask a person in your organization (rater_id) or anyone by email for feedback."""
    user = api_caller(request)
    placement = access.access_placement(user, payload.placement_id, write=True)
    rater = None
    if payload.rater_id is not None:
        rater = _member(placement, payload.rater_id, field="rater_id")
    competencies = _requested(placement, payload.competencies)
    feedback = services.request_feedback(
        placement=placement,
        relationship=payload.relationship,
        competencies=competencies,
        rater=rater,
        email=payload.email,
        anonymous=payload.anonymous,
        message=payload.message,
        answer_visibility=payload.answer_visibility,
        allow_duplicate=payload.allow_duplicate,
    )
    return Status(201, _request_out(feedback))


@router.post(
    "/feedback-requests/batch",
    response={201: list[FeedbackRequestOut], 404: ErrorOut, 409: ErrorOut},
)
def create_feedback_requests(request: HttpRequest, payload: FeedbackRequestsIn) -> Status:
    """Ask several people at once: one request per rater, each with its own link. All or
    none: an error names the rater as body.raters.<index>. Anonymous requests come back
    without their rater."""
    placement = access.access_placement(api_caller(request), payload.placement_id, write=True)
    raters = [_rater(placement, index, r) for index, r in enumerate(payload.raters)]
    made = services.request_feedback_from_many(
        placement=placement,
        raters=raters,
        relationship=payload.relationship,
        competencies=_requested(placement, payload.competencies),
        anonymous=payload.anonymous,
        message=payload.message,
        answer_visibility=payload.answer_visibility,
        allow_duplicate=payload.allow_duplicate,
    )
    return Status(201, [_request_out(r) for r in made])


def _rater(placement: Placement, index: int, given: RaterIn) -> services.Rater:
    if given.rater_id is None:
        return services.Rater(email=given.email)
    if given.email:
        raise Invalid("Give a rater_id or an email, not both.", field=f"raters.{index}")
    return services.Rater(user=_member(placement, given.rater_id, field=f"raters.{index}"))


def _member(placement: Placement, user_id: int, *, field: str) -> User:
    """A person in the placement's organization, or an error naming `field`."""
    member = (
        Membership.objects.filter(organization_id=placement.organization_id, user_id=user_id)
        .select_related("user")
        .first()
    )
    if member is None:
        raise Invalid(f"User {user_id} is not in this organization.", field=field)
    return member.user


def _requested(placement: Placement, wanted: list[str] | str) -> list[str]:
    if wanted == "all":
        return []
    if wanted == "gaps":
        gaps = selectors.delta_for(placement).delta.top_gaps
        if not gaps:
            raise Invalid(
                "There are no gaps to ask about yet; ask about all.", field="competencies"
            )
        return gaps
    return list(wanted)


@router.get("/orgs/{slug}/feedback-requests/anonymous", response=AnonymousRequestsOut)
def get_anonymous_feedback_requests(request: HttpRequest, slug: str) -> AnonymousRequestsOut:
    """Your anonymous requests in an organization: asked and declined, and answered
    only in steps of the anonymity threshold."""
    membership = access_organization(api_caller(request), slug)
    counts = selectors.anonymous_requests(api_caller(request), membership.organization)
    return AnonymousRequestsOut(
        asked=counts.asked, declined=counts.declined, answered=_stepped_out(counts.answered)
    )


@router.delete("/orgs/{slug}/feedback-requests/anonymous", response={204: None})
def delete_anonymous_feedback_requests(request: HttpRequest, slug: str) -> Status:
    """Withdraw every anonymous request of yours in the organization still waiting for an
    answer. The answer is the same whatever was waiting: anonymous requests are never
    handled one by one."""
    membership = access_organization(api_caller(request), slug)
    services.withdraw_anonymous(requester=api_caller(request), organization=membership.organization)
    return Status(204, None)


@router.get("/feedback-requests/incoming", response=list[RequestToAnswerOut])
@paginate(Pages, page_size=50)
def list_incoming_feedback_requests(request: HttpRequest) -> list[RequestToAnswerOut]:
    """Open requests addressed to you."""
    return [_to_answer(r) for r in selectors.requests_received(api_caller(request))]


def _to_answer(r: FeedbackRequest) -> RequestToAnswerOut:
    from upward.frameworks.selectors import document_of

    target = document_of(r.placement.version).level(r.placement.target_level).label
    return RequestToAnswerOut(
        id=r.pk,
        requester=r.requester.display_name,
        question=(
            f"Based on the requirements for {target}, where is {r.requester.display_name} "
            "operating consistently, and where is the biggest gap?"
        ),
        target_level=r.placement.target_level,
        competencies=r.competencies,
        anonymous=r.anonymous,
        expires_at=r.expires_at,
    )


@router.post("/feedback-requests/{request_id}/responses", response={201: None, 409: ErrorOut})
def create_feedback_response(request: HttpRequest, request_id: Id, payload: AnswerIn) -> Status:
    """Answer a request addressed to you (once)."""
    feedback = access.access_feedback_request(api_caller(request), request_id, as_rater=True)
    services.respond(
        feedback_request=feedback,
        ratings=_ratings(payload.ratings),
        consistent_at=payload.consistent_at,
        biggest_gap=payload.biggest_gap,
        by=api_caller(request),
    )
    return Status(201, None)


@router.post(
    "/feedback-requests/{request_id}/decline", response={200: FeedbackRequestOut, 409: ErrorOut}
)
def create_feedback_decline(
    request: HttpRequest, request_id: Id, payload: DeclineIn | None = None
) -> FeedbackRequestOut:
    """Decline a request addressed to you, optionally saying why (the body may be left out)."""
    feedback = access.access_feedback_request(api_caller(request), request_id, as_rater=True)
    reason = payload.reason if payload else ""
    return _request_out(
        services.decline(feedback_request=feedback, by=api_caller(request), reason=reason)
    )


@router.delete("/feedback-requests/{request_id}", response={204: None, 409: ErrorOut})
def delete_feedback_request(request: HttpRequest, request_id: Id) -> Status:
    """Withdraw an attributed request you sent that nobody has answered. Anonymous
    requests answer 404 whatever their state; withdraw them all at once instead."""
    feedback = access.access_feedback_request(api_caller(request), request_id)
    if feedback.anonymous:
        raise Http404
    services.withdraw(feedback_request=feedback, by=api_caller(request))
    return Status(204, None)


@public.get("/feedback-links/{secret}", response={200: RequestToAnswerOut, 409: ErrorOut})
def get_feedback_link(request: HttpRequest, secret: str) -> RequestToAnswerOut:
    """What an emailed link asks (no account needed)."""
    return _to_answer(services.find_request_by_link(secret))


@public.post("/feedback-links/{secret}/responses", response={201: None, 409: ErrorOut})
def create_feedback_link_response(request: HttpRequest, secret: str, payload: AnswerIn) -> Status:
    """Answer through an emailed link; the link then stops working."""
    services.respond(
        feedback_request=services.find_request_by_link(secret),
        ratings=_ratings(payload.ratings),
        consistent_at=payload.consistent_at,
        biggest_gap=payload.biggest_gap,
    )
    return Status(201, None)


@public.post("/feedback-links/{secret}/decline", response={204: None, 409: ErrorOut})
def create_feedback_link_decline(
    request: HttpRequest, secret: str, payload: DeclineIn | None = None
) -> Status:
    """Decline through an emailed link, optionally saying why (the body may be left out)."""
    reason = payload.reason if payload else ""
    services.decline(feedback_request=services.find_request_by_link(secret), reason=reason)
    return Status(204, None)

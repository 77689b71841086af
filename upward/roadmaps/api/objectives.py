"""Routes for objectives, their milestones and the proposals drawn from the top gaps."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from ninja import Router, Status

from upward.accounts.current import api_caller
from upward.core.schemas import Day, ErrorOut, Id
from upward.engine.specificity import check_objective
from upward.roadmaps import selectors, services
from upward.roadmaps.api.common import (
    check_out,
    made_objectives,
    membership_in,
    milestone_in,
    objective_in,
    placement_in,
    template_in,
)
from upward.roadmaps.api.schemas import (
    OBJECTIVES_PAGE_SIZE,
    AcceptProposalsIn,
    CompetencyKey,
    CompleteIn,
    DropIn,
    MilestoneCreateIn,
    MilestoneOut,
    MilestonePatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ObjectivesPageOut,
    PageNumber,
    PageSize,
    ProposalIn,
    ProposalOut,
    ProposalsOut,
    ProposedMilestoneOut,
    StakeholderIn,
    StatusName,
)
from upward.roadmaps.models import Milestone, Objective

router = Router(tags=["roadmaps"])


def _fresh(objective: Objective) -> Objective:
    """The objective as stored now, with its parts, to answer with after a change."""
    return selectors.with_details(Objective.objects.filter(pk=objective.pk)).get()


def _stakeholders(given: list[StakeholderIn]) -> list[services.StakeholderIn]:
    return [
        services.StakeholderIn(name=s.name, user_id=s.user_id, team_id=s.team_id, email=s.email)
        for s in given
    ]


# --- Objectives --------------------------------------------------------------------------


@router.get("/orgs/{slug}/roadmap/objectives", response=ObjectivesPageOut)
def list_objectives(
    request: HttpRequest,
    slug: str,
    placement_id: Id | None = None,
    status: StatusName | None = None,
    competency: CompetencyKey = "",
    page: PageNumber = 1,
    page_size: PageSize = OBJECTIVES_PAGE_SIZE,
) -> dict[str, Any]:
    """Your objectives in the organization, soonest deadline first; with placement_id,
    that placement's roadmap (yours, or a report's: only what they share with you).
    Filter by status and by a competency the objectives name."""
    if placement_id is None:
        membership = membership_in(request, slug)
        rows = Objective.objects.filter(
            owner=api_caller(request), organization_id=membership.organization_id
        )
    else:
        placement = placement_in(request, slug, placement_id, write=False)
        rows = selectors.visible_objectives(placement, viewer=api_caller(request))
    if status is not None:
        rows = rows.filter(status=status)
    # Objectives without a deadline last, on every database.
    rows = rows.order_by(F("due_on").asc(nulls_last=True), "created_at", "pk")
    objectives = list(selectors.with_details(rows))
    if competency:
        objectives = [o for o in objectives if competency in o.competencies]
    start = (page - 1) * page_size
    return {"items": objectives[start : start + page_size], "count": len(objectives)}


@router.post("/orgs/{slug}/roadmap/objectives", response={201: ObjectiveOut, 404: ErrorOut})
def create_objective(request: HttpRequest, slug: str, payload: ObjectiveIn) -> Status:
    """Add an objective to one of your placements. Bad input answers 422 naming the
    field (milestones[2].due_on, stakeholders[0].email...), and nothing is written."""
    placement = placement_in(request, slug, payload.placement_id, write=True)
    template = None
    if payload.template_id is not None:
        template = template_in(request, slug, payload.template_id)
    objective = services.create_objective(
        owner=api_caller(request),
        placement=placement,
        title=payload.title,
        description=payload.description,
        kind=payload.kind,
        competencies=payload.competencies,
        target_step=payload.target_step,
        success_criteria=payload.success_criteria,
        due_on=payload.due_on,
        quarter=payload.quarter,
        stakeholders=_stakeholders(payload.stakeholders),
        milestones=[
            services.MilestoneIn(title=m.title, due_on=m.due_on, done=m.done)
            for m in payload.milestones
        ],
        visibility=payload.visibility,
        template=template,
    )
    return Status(201, _fresh(objective))


@router.get("/orgs/{slug}/roadmap/objectives/{objective_id}", response=ObjectiveOut)
def get_objective(request: HttpRequest, slug: str, objective_id: Id) -> Objective:
    """An objective: yours, or one its owner shares with you."""
    return _fresh(objective_in(request, slug, objective_id))


@router.patch(
    "/orgs/{slug}/roadmap/objectives/{objective_id}", response={200: ObjectiveOut, 409: ErrorOut}
)
def update_objective(
    request: HttpRequest, slug: str, objective_id: Id, payload: ObjectivePatch
) -> Objective:
    """Change your objective; a bad value changes nothing. A deadline already past may
    stay, but a new one must not be."""
    objective = objective_in(request, slug, objective_id, write=True)
    changes = {
        field: value
        for field, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or field == "due_on"
    }
    if payload.stakeholders is not None:
        changes["stakeholders"] = _stakeholders(payload.stakeholders)
    services.update_objective(objective=objective, by=api_caller(request), **changes)
    return _fresh(objective)


@router.delete("/orgs/{slug}/roadmap/objectives/{objective_id}", response={204: None})
def delete_objective(request: HttpRequest, slug: str, objective_id: Id) -> Status:
    """Delete your objective with its milestones."""
    objective = objective_in(request, slug, objective_id, write=True)
    services.delete_objective(objective=objective, by=api_caller(request))
    return Status(204, None)


@router.post(
    "/orgs/{slug}/roadmap/objectives/{objective_id}/start",
    response={200: ObjectiveOut, 409: ErrorOut},
)
def create_objective_start(request: HttpRequest, slug: str, objective_id: Id) -> Objective:
    """Start work on a planned objective."""
    objective = objective_in(request, slug, objective_id, write=True)
    services.start_objective(objective=objective, by=api_caller(request))
    return _fresh(objective)


@router.post(
    "/orgs/{slug}/roadmap/objectives/{objective_id}/complete",
    response={200: ObjectiveOut, 409: ErrorOut},
)
def create_objective_completion(
    request: HttpRequest, slug: str, objective_id: Id, payload: CompleteIn
) -> Objective:
    """Mark your objective done, with a link or a note (or both) showing the work."""
    objective = objective_in(request, slug, objective_id, write=True)
    services.complete_objective(
        objective=objective, by=api_caller(request), link=payload.link, note=payload.note
    )
    return _fresh(objective)


@router.post(
    "/orgs/{slug}/roadmap/objectives/{objective_id}/drop",
    response={200: ObjectiveOut, 409: ErrorOut},
)
def create_objective_drop(
    request: HttpRequest, slug: str, objective_id: Id, payload: DropIn
) -> Objective:
    """Drop your objective, saying why."""
    objective = objective_in(request, slug, objective_id, write=True)
    services.drop_objective(objective=objective, by=api_caller(request), reason=payload.reason)
    return _fresh(objective)


@router.post(
    "/orgs/{slug}/roadmap/objectives/{objective_id}/reopen",
    response={200: ObjectiveOut, 409: ErrorOut},
)
def create_objective_reopen(request: HttpRequest, slug: str, objective_id: Id) -> Objective:
    """Take a done or dropped objective up again."""
    objective = objective_in(request, slug, objective_id, write=True)
    services.reopen_objective(objective=objective, by=api_caller(request))
    return _fresh(objective)


# --- Milestones --------------------------------------------------------------------------


@router.post(
    "/orgs/{slug}/roadmap/objectives/{objective_id}/milestones",
    response={201: MilestoneOut, 409: ErrorOut},
)
def create_milestone(
    request: HttpRequest, slug: str, objective_id: Id, payload: MilestoneCreateIn
) -> Status:
    """Add a milestone to your objective; its date may not fall after the deadline."""
    objective = objective_in(request, slug, objective_id, write=True)
    milestone = services.add_milestone(
        objective=objective, by=api_caller(request), title=payload.title, due_on=payload.due_on
    )
    return Status(201, milestone)


@router.patch(
    "/orgs/{slug}/roadmap/milestones/{milestone_id}", response={200: MilestoneOut, 409: ErrorOut}
)
def update_milestone(
    request: HttpRequest, slug: str, milestone_id: Id, payload: MilestonePatch
) -> Milestone:
    """Rename, re-date, tick or untick a milestone of your objective."""
    milestone = milestone_in(request, slug, milestone_id)
    given = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    if payload.title is not None:
        changes["title"] = payload.title
    if "due_on" in given:
        changes["due_on"] = payload.due_on
    with transaction.atomic():  # all the changes, or none
        if changes:
            milestone = services.update_milestone(
                milestone=milestone, by=api_caller(request), **changes
            )
        if payload.done is not None:
            milestone = services.set_milestone_done(
                milestone=milestone, by=api_caller(request), done=payload.done
            )
    return milestone


@router.delete("/orgs/{slug}/roadmap/milestones/{milestone_id}", response={204: None})
def delete_milestone(request: HttpRequest, slug: str, milestone_id: Id) -> Status:
    """Take a milestone off your objective."""
    milestone = milestone_in(request, slug, milestone_id)
    services.delete_milestone(milestone=milestone, by=api_caller(request))
    return Status(204, None)


# --- Proposals from the gaps -------------------------------------------------------------


@router.get("/orgs/{slug}/roadmap/placements/{placement_id}/proposals", response=ProposalsOut)
def get_proposals(
    request: HttpRequest, slug: str, placement_id: Id, today: Day | None = None
) -> ProposalsOut:
    """Objectives proposed for each of your placement's top gaps, from the published
    templates for that competency and step, else from the target expectation. Nothing is
    written: accept the ones you want, edited or not."""
    placement = placement_in(request, slug, placement_id, write=True)
    proposals = services.propose_roadmap(placement=placement, today=today)
    return ProposalsOut(
        placement_id=placement.pk,
        proposals=[
            ProposalOut(
                competency=p.competency,
                competency_name=p.competency_name,
                target_step=p.target_step,
                title=p.title,
                description=p.description,
                kind=p.kind,
                success_criteria=list(p.success_criteria),
                stakeholders=list(p.stakeholders),
                due_on=p.due_on,
                milestones=[ProposedMilestoneOut(title=t, due_on=d) for t, d in p.milestones],
                template_id=p.template_id,
                expectation=p.expectation,
                check=check_out(p.check),
            )
            for p in proposals
        ],
    )


@router.post(
    "/orgs/{slug}/roadmap/placements/{placement_id}/proposals/accept",
    response={201: list[ObjectiveOut]},
)
def create_proposals_acceptance(
    request: HttpRequest, slug: str, placement_id: Id, payload: AcceptProposalsIn
) -> Status:
    """Turn proposals into objectives on your placement, all or none: an error names the
    proposal as proposals[<index>]."""
    placement = placement_in(request, slug, placement_id, write=True)
    proposals = [_proposal(p) for p in payload.proposals]
    made = services.accept_proposals(
        placement=placement, by=api_caller(request), proposals=proposals
    )
    return Status(201, made_objectives(made))


def _proposal(given: ProposalIn) -> services.Proposal:
    return services.Proposal(
        competency=given.competency,
        competency_name="",
        target_step=given.target_step,
        title=given.title,
        description=given.description,
        kind=given.kind,
        success_criteria=list(given.success_criteria),
        stakeholders=list(given.stakeholders),
        due_on=given.due_on,
        milestones=[(m.title, m.due_on) for m in given.milestones],
        template_id=given.template_id,
        expectation="",
        check=check_objective(
            given.title,
            stakeholders=given.stakeholders,
            timebox=given.due_on.isoformat() if given.due_on else "",
            success_criteria=given.success_criteria,
        ),
    )

"""What the roadmap API's routes share: who asks, and the objects a path names, looked up
through the access functions and the organization in the path."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import Membership, Organization
from upward.assessments.access import access_placement
from upward.assessments.models import Placement
from upward.engine.specificity import Check
from upward.roadmaps import access, selectors
from upward.roadmaps.api.schemas import CheckOut
from upward.roadmaps.models import Milestone, Objective, RoadmapTemplate


def membership_in(request: HttpRequest, slug: str) -> Membership:
    """The caller's membership of the organization in the path, or 404."""
    return access_organization(api_caller(request), slug)


def _in_org(organization: Organization, slug: str) -> None:
    """Things of another organization are not there, seen from this one. (The access
    functions already require the caller to be a member of the thing's organization.)"""
    if organization.slug != slug:
        raise Http404


def objective_in(
    request: HttpRequest, slug: str, objective_id: int, *, write: bool = False
) -> Objective:
    """An objective of the organization in the path that the caller may read (or change)."""
    objective = access.access_objective(api_caller(request), objective_id, write=write)
    _in_org(objective.organization, slug)
    return objective


def milestone_in(request: HttpRequest, slug: str, milestone_id: int) -> Milestone:
    """A milestone of the caller's own objective in the organization in the path."""
    milestone = access.access_milestone(api_caller(request), milestone_id, write=True)
    _in_org(milestone.objective.organization, slug)
    return milestone


def placement_in(request: HttpRequest, slug: str, placement_id: int, *, write: bool) -> Placement:
    """Your placement (`write`), or one whose roadmap you may look at (a report's)."""
    if write:
        placement = access_placement(api_caller(request), placement_id, write=True)
    else:
        placement = access.access_report_roadmap(api_caller(request), placement_id)
    _in_org(placement.organization, slug)
    return placement


def template_in(
    request: HttpRequest, slug: str, template_id: int, *, write: bool = False
) -> RoadmapTemplate:
    """A template of the organization, or of the library (seen from an organization of yours)."""
    template = access.access_template(api_caller(request), template_id, write=write)
    if template.organization is None:
        membership_in(request, slug)
    else:
        _in_org(template.organization, slug)
    return template


def made_objectives(objectives: list[Objective]) -> list[Objective]:
    """Objectives just made, with their parts, in the order they were made."""
    found = selectors.with_details(Objective.objects.filter(pk__in=[o.pk for o in objectives]))
    return sorted(found, key=lambda o: o.pk)


def check_out(check: Check) -> CheckOut:
    """The check's verdict as the API gives it (what was recognised stays out)."""
    return CheckOut(
        text=check.text,
        score=check.score,
        specific=check.specific,
        missing=list(check.missing),
        suggestions=list(check.suggestions),
    )

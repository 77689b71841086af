"""Routes for roadmap templates: the library, writing, review, applying and rating."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from upward.accounts.current import api_caller
from upward.core.schemas import ErrorOut, Id
from upward.roadmaps import selectors, services
from upward.roadmaps.api.common import (
    made_objectives,
    membership_in,
    placement_in,
    template_in,
)
from upward.roadmaps.api.schemas import (
    ApplyIn,
    CompetencyKey,
    FrameworkKey,
    ObjectiveOut,
    PageNumber,
    RateIn,
    RatingOut,
    ReviewIn,
    StepKey,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    TemplatesPageOut,
    Words,
)
from upward.roadmaps.models import RoadmapTemplate

router = Router(tags=["roadmaps"])


def _template_out(template: RoadmapTemplate, usage: selectors.TemplateUsage) -> TemplateOut:
    return TemplateOut(
        id=template.pk,
        key=template.key,
        library=template.organization_id is None,
        framework_key=template.framework_key,
        competency=template.competency,
        track=template.track,
        from_step=template.from_step,
        to_step=template.to_step,
        title=template.title,
        summary=template.summary,
        duration_weeks=template.duration_weeks,
        evidence=template.evidence,
        objectives=template.objectives,
        author_name=template.author_name,
        author_credentials=template.author_credentials,
        status=template.status,
        review_note=template.review_note,
        applied=usage.applied,
        rating=usage.rating,
        ratings=usage.ratings,
        published_at=template.published_at,
        updated_at=template.updated_at,
    )


# --- Templates ---------------------------------------------------------------------------


@router.get("/orgs/{slug}/roadmap/templates", response=TemplatesPageOut)
def list_templates(
    request: HttpRequest,
    slug: str,
    competency: CompetencyKey = "",
    step: StepKey = "",
    framework_key: FrameworkKey = "",
    q: Words = "",
    page: PageNumber = 1,
) -> TemplatesPageOut:
    """Published templates of the library and the organization, with how often each was
    applied and its mean rating. `step` finds templates leading to that step."""
    membership = membership_in(request, slug)
    found = selectors.templates(
        viewer=api_caller(request),
        organization=membership.organization,
        competency=competency,
        step=step,
        framework_key=framework_key,
        q=q,
        page=page,
    )
    # Past the last page there is nothing (the selector would show the last page again).
    shown = found.object_list if found.number == page else []
    return TemplatesPageOut(
        items=[_template_out(t, selectors.usage_of(t)) for t in shown],
        count=found.paginator.count,
    )


@router.post("/orgs/{slug}/roadmap/templates", response={201: TemplateOut, 409: ErrorOut})
def create_template(request: HttpRequest, slug: str, payload: TemplateIn) -> Status:
    """Write a draft template for the organization (its admins), or for the library
    (site staff, with library: true)."""
    membership = membership_in(request, slug)
    template = services.create_template(
        by=api_caller(request),
        organization=None if payload.library else membership.organization,
        framework_key=payload.framework_key,
        competency=payload.competency,
        track=payload.track,
        from_step=payload.from_step,
        to_step=payload.to_step,
        title=payload.title,
        summary=payload.summary,
        duration_weeks=payload.duration_weeks,
        evidence=payload.evidence,
        objectives=[o.model_dump() for o in payload.objectives],
        author_credentials=payload.author_credentials,
    )
    return Status(201, _template_out(template, selectors.TemplateUsage()))


@router.get("/orgs/{slug}/roadmap/templates/{template_id}", response=TemplateOut)
def get_template(request: HttpRequest, slug: str, template_id: Id) -> TemplateOut:
    """A template: published ones for everyone here; drafts for their author and admins."""
    template = template_in(request, slug, template_id)
    return _template_out(template, selectors.template_usage(template))


@router.patch(
    "/orgs/{slug}/roadmap/templates/{template_id}", response={200: TemplateOut, 409: ErrorOut}
)
def update_template(
    request: HttpRequest, slug: str, template_id: Id, payload: TemplatePatch
) -> TemplateOut:
    """Edit a draft template (its author, the organization's admins, staff for the library)."""
    template = template_in(request, slug, template_id, write=True)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    template = services.update_template(template=template, by=api_caller(request), **changes)
    return _template_out(template, selectors.template_usage(template))


def _template_action(
    request: HttpRequest,
    slug: str,
    template_id: int,
    action: Callable[..., RoadmapTemplate],
    **kwargs: Any,
) -> TemplateOut:
    template = template_in(request, slug, template_id, write=kwargs.pop("write", True))
    template = action(template=template, by=api_caller(request), **kwargs)
    return _template_out(template, selectors.template_usage(template))


@router.post(
    "/orgs/{slug}/roadmap/templates/{template_id}/submit",
    response={200: TemplateOut, 409: ErrorOut},
)
def create_template_submission(request: HttpRequest, slug: str, template_id: Id) -> TemplateOut:
    """Send a draft for review by a second person."""
    return _template_action(request, slug, template_id, services.submit_template)


@router.post(
    "/orgs/{slug}/roadmap/templates/{template_id}/review",
    response={200: TemplateOut, 409: ErrorOut},
)
def create_template_review(
    request: HttpRequest, slug: str, template_id: Id, payload: ReviewIn
) -> TemplateOut:
    """Approve (publish) or send back a template in review; never your own. Publishing
    refuses objectives that fail the specificity check, naming objectives[i].title."""
    return _template_action(
        request,
        slug,
        template_id,
        services.review_template,
        write=False,
        approve=payload.approve,
        note=payload.note,
    )


@router.post(
    "/orgs/{slug}/roadmap/templates/{template_id}/archive",
    response={200: TemplateOut, 409: ErrorOut},
)
def create_template_archive(request: HttpRequest, slug: str, template_id: Id) -> TemplateOut:
    """Take a template out of the library listing; objectives made from it stay."""
    return _template_action(request, slug, template_id, services.archive_template)


@router.post(
    "/orgs/{slug}/roadmap/templates/{template_id}/apply",
    response={201: list[ObjectiveOut], 409: ErrorOut},
)
def create_template_application(
    request: HttpRequest, slug: str, template_id: Id, payload: ApplyIn
) -> Status:
    """Make objectives from a published template on your placement; milestone dates count
    from `start`. They are yours to edit afterwards."""
    template = template_in(request, slug, template_id)
    placement = placement_in(request, slug, payload.placement_id, write=True)
    made = services.apply_template(
        template=template, placement=placement, by=api_caller(request), start=payload.start
    )
    return Status(201, made_objectives(made))


@router.post(
    "/orgs/{slug}/roadmap/templates/{template_id}/rate",
    response={201: RatingOut, 409: ErrorOut},
)
def create_template_rating(
    request: HttpRequest, slug: str, template_id: Id, payload: RateIn
) -> Status:
    """Rate a template you applied, 1 to 5 stars; rating again replaces your rating."""
    template = template_in(request, slug, template_id)
    rating = services.rate_template(
        template=template, by=api_caller(request), stars=payload.stars, comment=payload.comment
    )
    return Status(
        201, RatingOut(template_id=template.pk, stars=rating.stars, comment=rating.comment)
    )

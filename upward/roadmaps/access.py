"""Who may see and change objectives, milestones and roadmap templates.

An objective belongs to its owner, who reads and changes it. Others in the same
organization read it when the objective's visibility tier lets the way they stand
to the owner see it (`upward.core.visibility`): a private objective is the owner's
alone, a manager reads what is shared with the manager or wider. Nobody outside
the organization reads anything, and leaving it ends access at once.

Library templates are read by everyone signed in and curated by site staff. An
organization's templates are read by its members once published; drafts and
templates in review by their author and the organization's admins. Missing and
forbidden both raise Http404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import Membership, Organization, Role, User
from upward.accounts.relationships import relationships
from upward.assessments.access import access_placement
from upward.assessments.models import Placement
from upward.core.visibility import may_see_any
from upward.roadmaps.models import Milestone, Objective, RoadmapTemplate, TemplateStatus

# Roles that may write an organization's templates; admins also review and publish them.
AUTHOR_ROLES = (Role.ADMIN, Role.MANAGER, Role.MENTOR)


def access_objective(
    user: User | AnonymousUser, objective_id: int, *, write: bool = False
) -> Objective:
    """An objective the user may read (owner, or the audience its tier allows) or change (owner)."""
    if not user.is_authenticated:
        raise Http404
    objective = get_object_or_404(
        Objective.objects.select_related("owner", "organization", "placement__version__framework"),
        pk=objective_id,
        organization__memberships__user=user,  # the reader is still a member there
    )
    return _allowed(user, objective, write=write)


def _allowed(user: User, objective: Objective, *, write: bool) -> Objective:
    if objective.owner_id == user.pk:
        return objective
    if write:
        raise Http404
    standing = relationships(user, objective.owner, objective.organization)
    if may_see_any(standing, objective.visibility):
        return objective
    raise Http404


def access_milestone(
    user: User | AnonymousUser, milestone_id: int, *, write: bool = False
) -> Milestone:
    """A milestone of an objective the user may read (or change, when `write`)."""
    if not user.is_authenticated:
        raise Http404
    milestone = get_object_or_404(
        Milestone.objects.select_related(
            "objective__owner",
            "objective__organization",
            "objective__placement__version__framework",
        ),
        pk=milestone_id,
        objective__organization__memberships__user=user,  # still a member there
    )
    _allowed(user, milestone.objective, write=write)
    return milestone


def may_curate(user: User | AnonymousUser, organization: Organization | None) -> bool:
    """Whether the user reviews, publishes and archives templates of `organization`
    (its admins), or of the library when `organization` is None (site staff)."""
    if not user.is_authenticated:
        return False
    if organization is None:
        return bool(user.is_staff)
    return Membership.objects.filter(organization=organization, user=user, role=Role.ADMIN).exists()


def may_author(user: User | AnonymousUser, organization: Organization | None) -> bool:
    """Whether the user may write a new template for `organization` (admins, managers and
    mentors there) or for the library (site staff)."""
    if not user.is_authenticated:
        return False
    if organization is None:
        return bool(user.is_staff)
    return Membership.objects.filter(
        organization=organization, user=user, role__in=AUTHOR_ROLES
    ).exists()


def _is_member(user: User, organization_id: int) -> bool:
    return Membership.objects.filter(organization_id=organization_id, user=user).exists()


def access_template(
    user: User | AnonymousUser, template_id: int, *, write: bool = False
) -> RoadmapTemplate:
    """A template the user may read or, with `write`, change (see the module docstring)."""
    if not user.is_authenticated:
        raise Http404
    template = get_object_or_404(
        RoadmapTemplate.objects.select_related("organization", "author"), pk=template_id
    )
    if write:
        return _curated_or_own(user, template, (TemplateStatus.DRAFT,))
    published = template.status == TemplateStatus.PUBLISHED
    if published and template.organization_id is None:
        return template
    if published and _is_member(user, template.organization_id):  # type: ignore[arg-type]
        return template
    return _curated_or_own(user, template, tuple(TemplateStatus))


def _curated_or_own(
    user: User, template: RoadmapTemplate, statuses: tuple[str, ...]
) -> RoadmapTemplate:
    """The template if the user curates its owner's templates, or wrote it (while it is
    in one of `statuses` and they are still a member of its organization)."""
    if may_curate(user, template.organization):
        return template
    if template.author_id != user.pk:
        raise Http404
    if template.organization_id is not None and not _is_member(user, template.organization_id):
        raise Http404
    if template.status in statuses:
        return template
    raise Http404


def access_report_roadmap(user: User | AnonymousUser, placement_id: int) -> Placement:
    """A placement whose roadmap the user may look at: their own, or a report's (as manager).

    Which objectives show is then up to each one's tier (see `selectors.roadmap`)."""
    return access_placement(user, placement_id)  # type: ignore[arg-type]

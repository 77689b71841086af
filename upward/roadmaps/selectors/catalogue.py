"""Reads of roadmap templates: the searchable list with how often each was applied and how
it is rated (annotated in the list's own query), reviews waiting, one's own."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from upward.accounts.models import Membership, Organization, Role, User
from upward.roadmaps.models import (
    Objective,
    RoadmapTemplate,
    TemplateRating,
    TemplateStatus,
)

TEMPLATES_PER_PAGE = 20


def _annotated(templates: QuerySet[RoadmapTemplate]) -> QuerySet[RoadmapTemplate]:
    """With how often each was applied (objectives made from it) and its mean rating,
    computed in the same query."""
    applied = (
        Objective.objects.filter(template=OuterRef("pk"))
        .order_by()
        .values("template")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rating = (
        TemplateRating.objects.filter(template=OuterRef("pk"))
        .order_by()
        .values("template")
        .annotate(mean=Avg("stars"))
        .values("mean")
    )
    rated = (
        TemplateRating.objects.filter(template=OuterRef("pk"))
        .order_by()
        .values("template")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return templates.annotate(
        applied_count=Coalesce(Subquery(applied, output_field=IntegerField()), 0),
        rating_mean=Subquery(rating),
        rating_count=Coalesce(Subquery(rated, output_field=IntegerField()), 0),
    )


def _member_of(viewer: User | AnonymousUser, organization: Organization | None) -> bool:
    if organization is None or not viewer.is_authenticated:
        return False
    return Membership.objects.filter(organization=organization, user=viewer).exists()


def templates(
    *,
    viewer: User | AnonymousUser,
    organization: Organization | None,
    competency: str = "",
    step: str = "",
    framework_key: str = "",
    q: str = "",
    page: int = 1,
) -> Page:
    """Published templates: the library's, and the organization's when the viewer is a
    member there; filtered by competency, step (either end), framework and words.

    Queries: membership (1, when an organization is given), the count (1) and the
    page with applied counts and ratings (1)."""
    owners = Q(organization__isnull=True)
    if _member_of(viewer, organization):
        owners |= Q(organization=organization)
    found = RoadmapTemplate.objects.filter(owners, status=TemplateStatus.PUBLISHED)
    if competency:
        found = found.filter(competency=competency)
    if step:
        found = found.filter(Q(from_step=step) | Q(to_step=step))
    if framework_key:
        found = found.filter(framework_key=framework_key)
    for word in q.split()[:8]:
        found = found.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(competency__icontains=word)
        )
    ordered = _annotated(found.select_related("organization")).order_by(
        "framework_key", "competency", "from_step", "title", "pk"
    )
    return Paginator(ordered, TEMPLATES_PER_PAGE).get_page(page)


def templates_to_review(
    *, viewer: User | AnonymousUser, organization: Organization | None = None
) -> list[RoadmapTemplate]:
    """Templates in review that the viewer may review: the organization's, when they are
    an admin there, and the library's, when they are site staff; never their own (2 queries)."""
    if not viewer.is_authenticated:
        return []
    owners = Q(pk__in=[])
    if viewer.is_staff:
        owners |= Q(organization__isnull=True)
    if (
        organization is not None
        and Membership.objects.filter(
            organization=organization, user=viewer, role=Role.ADMIN
        ).exists()
    ):
        owners |= Q(organization=organization)
    return list(
        RoadmapTemplate.objects.filter(owners, status=TemplateStatus.IN_REVIEW)
        .exclude(author=viewer)
        .select_related("organization", "author")
        .order_by("submitted_at", "pk")
    )


def templates_by(
    author: User, organization: Organization | None = None
) -> QuerySet[RoadmapTemplate]:
    """Templates the person wrote (every status), in the organization if given (1 query)."""
    found = RoadmapTemplate.objects.filter(author=author)
    if organization is not None:
        found = found.filter(organization=organization)
    return found.select_related("organization").order_by("-updated_at", "-pk")


def template_with_stats(template_id: int) -> RoadmapTemplate:
    """One template with its applied count and rating (1 query)."""
    return _annotated(RoadmapTemplate.objects.filter(pk=template_id)).get()


@dataclass(frozen=True)
class TemplateUsage:
    """How often a template was applied (objectives made from it) and how it is rated."""

    applied: int = 0
    rating: float | None = None  # the mean of the stars, None before any rating
    ratings: int = 0


def usage_of(template: RoadmapTemplate) -> TemplateUsage:
    """The usage annotated on a template from `templates` or `template_with_stats` (no query)."""
    mean = getattr(template, "rating_mean", None)
    return TemplateUsage(
        applied=getattr(template, "applied_count", 0),
        rating=float(mean) if mean is not None else None,
        ratings=getattr(template, "rating_count", 0),
    )


def template_usage(template: RoadmapTemplate) -> TemplateUsage:
    """One template's usage (1 query)."""
    return usage_of(template_with_stats(template.pk))


@dataclass(frozen=True)
class TemplateStats:
    """A template's usage, and what the viewer did with it (applied it, their stars)."""

    applied: int
    rating: float | None
    ratings: int
    applied_by_me: bool
    my_stars: int | None
    my_comment: str = ""

    @property
    def own_rating_initial(self) -> dict[str, object]:
        """The viewer's rating as a form's initial data."""
        if self.my_stars is None:
            return {}
        return {"stars": self.my_stars, "comment": self.my_comment}


def template_stats(template: RoadmapTemplate, *, viewer: User | AnonymousUser) -> TemplateStats:
    """A template's usage and the viewer's own part in it (3 queries)."""
    usage = template_usage(template)
    mine = None
    applied_by_me = False
    if viewer.is_authenticated:
        applied_by_me = has_applied(viewer, template)
        mine = TemplateRating.objects.filter(template=template, user=viewer).first()
    return TemplateStats(
        applied=usage.applied,
        rating=usage.rating,
        ratings=usage.ratings,
        applied_by_me=applied_by_me,
        my_stars=mine.stars if mine else None,
        my_comment=mine.comment if mine else "",
    )


def has_applied(user: User, template: RoadmapTemplate) -> bool:
    """Whether the person made objectives from the template (and so may rate it)."""
    return Objective.objects.filter(owner=user, template=template).exists()

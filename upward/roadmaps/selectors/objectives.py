"""Reads of objectives: a member's roadmap, each gap's plan state, what is overdue, the
calendar. A fixed number of queries however many objectives there are: milestones and
stakeholders are prefetched, and who may see what is decided once per viewer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.accounts.relationships import relationships, relationships_among
from upward.assessments.models import Placement, Signal, Source
from upward.assessments.selectors import DeltaReport
from upward.core.tokens import digest
from upward.core.visibility import ORDER, may_see_any
from upward.engine.specificity import Check, check_objective
from upward.frameworks.selectors import document_of
from upward.roadmaps.models import (
    OPEN_STATUSES,
    CalendarFeed,
    Milestone,
    Objective,
    Stakeholder,
    Status,
)

NO_DATE = "No date"


class Stage:
    """Where a gap's plan stands: planned -> in progress -> done -> re-assessed."""

    NONE = "none"  # no plan yet
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REASSESSED = "reassessed"


@dataclass
class Roadmap:
    """A placement's objectives that the viewer may see, grouped two ways."""

    placement: Placement
    objectives: list[Objective]
    by_gap: dict[str, list[Objective]] = field(default_factory=dict)
    by_quarter: dict[str, list[Objective]] = field(default_factory=dict)


@dataclass
class GapPlan:
    """One competency's plan as the delta page shows it."""

    competency: str
    objectives: list[Objective]
    progress: float  # 0..1
    stage: str  # a Stage value


@dataclass(frozen=True)
class Overdue:
    """An open objective, or a milestone of one, past its day."""

    objective: Objective
    milestone: Milestone | None
    due_on: date

    @property
    def title(self) -> str:
        return self.milestone.title if self.milestone else self.objective.title


def visible_tiers(
    viewer: User | AnonymousUser, owner: User, organization: Organization
) -> list[str]:
    """The tiers of the owner's objectives the viewer may see: 1 query (none for the owner)."""
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return [t.value for t in ORDER]
    standing = relationships(viewer, owner, organization)
    return [t.value for t in ORDER if may_see_any(standing, t)]


def with_details(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives with their milestones and stakeholders: 2 more queries, whatever their number."""
    return objectives.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id")),
        Prefetch(
            "stakeholders",
            queryset=Stakeholder.objects.select_related("user", "team").order_by("position", "id"),
        ),
    )


def _visible(placement: Placement, viewer: User | AnonymousUser) -> QuerySet[Objective]:
    if viewer.is_authenticated and viewer.pk == placement.user_id:
        tiers = [t.value for t in ORDER]  # the owner, known without loading them
    else:
        tiers = visible_tiers(viewer, placement.user, placement.organization)
    return Objective.objects.filter(placement=placement, visibility__in=tiers).order_by(
        F("due_on").asc(nulls_last=True), "created_at", "pk"
    )


def visible_objectives(
    placement: Placement, *, viewer: User | AnonymousUser
) -> QuerySet[Objective]:
    """The placement's objectives the viewer may see, as a query to filter further
    (1 query for how the viewer stands to the owner, none for the owner)."""
    return _visible(placement, viewer)


def quarter_label(objective: Objective) -> str:
    """The quarter an objective is timeboxed to, "YYYY-Qn", or NO_DATE."""
    if objective.quarter:
        return objective.quarter
    if objective.due_on is not None:
        return f"{objective.due_on.year}-Q{(objective.due_on.month - 1) // 3 + 1}"
    return NO_DATE


def roadmap(placement: Placement, *, viewer: User | AnonymousUser) -> Roadmap:
    """The placement's objectives the viewer may see, by gap and by quarter.

    Queries: how the viewer stands to the owner (1, none for the owner), the
    objectives (1), their milestones (1) and stakeholders (1)."""
    objectives = list(with_details(_visible(placement, viewer)))
    doc = document_of(placement.version)
    order = {c.key: i for i, c in enumerate(doc.competencies)}
    by_gap: dict[str, list[Objective]] = {}
    for objective in objectives:
        for key in objective.competencies:
            by_gap.setdefault(key, []).append(objective)
    by_gap = dict(sorted(by_gap.items(), key=lambda kv: order.get(kv[0], len(order))))
    by_quarter: dict[str, list[Objective]] = {}
    for objective in objectives:
        by_quarter.setdefault(quarter_label(objective), []).append(objective)
    by_quarter = dict(sorted(by_quarter.items(), key=lambda kv: (kv[0] == NO_DATE, kv[0])))
    return Roadmap(placement=placement, objectives=objectives, by_gap=by_gap, by_quarter=by_quarter)


def objective_progress(objective: Objective) -> float:
    """How far along an objective is: 1 when done, else the share of its milestones done
    (uses the prefetched milestones)."""
    if objective.status == Status.DONE:
        return 1.0
    milestones = list(objective.milestones.all())
    if not milestones:
        return 0.0
    return sum(1 for m in milestones if m.done_at is not None) / len(milestones)


def gap_plans(
    placement: Placement,
    *,
    viewer: User | AnonymousUser,
    delta_report: DeltaReport | None = None,
) -> dict[str, GapPlan]:
    """Each competency's plan: its objectives the viewer may see, progress and stage.

    Competencies are those of the delta report when given (its order), else those of
    the framework version. Dropped objectives show but count for nothing. Queries:
    how the viewer stands to the owner (1, none for the owner), objectives (1),
    milestones (1), stakeholders (1), and the newest signal from someone else per
    competency (1)."""
    if delta_report is not None:
        keys = [c.key for c in delta_report.delta.competencies]
    else:
        keys = [c.key for c in document_of(placement.version).competencies]
    objectives = list(with_details(_visible(placement, viewer)))
    latest = _latest_reassessment(placement, keys) if objectives else {}
    plans = {}
    for key in keys:
        mine = [o for o in objectives if key in o.competencies]
        counted = [o for o in mine if o.status != Status.DROPPED]
        progress = sum(objective_progress(o) for o in counted) / len(counted) if counted else 0.0
        plans[key] = GapPlan(
            competency=key,
            objectives=mine,
            progress=progress,
            stage=_stage(counted, latest.get(key)),
        )
    return plans


def _latest_reassessment(placement: Placement, keys: list[str]) -> dict[str, tuple[datetime, date]]:
    """Per competency, when someone other than the member last rated it (recorded, and
    observed): 1 query. Anonymous ratings are left out: when they arrive is not shown."""
    rows = (
        Signal.objects.filter(
            subject_id=placement.user_id,
            organization_id=placement.organization_id,
            version__framework_id=placement.version.framework_id,
            competency__in=keys,
        )
        .exclude(source=Source.SELF)
        .exclude(source_key__startswith="anon:")
        .values("competency")
        .annotate(created=Max("created_at"), observed=Max("observed_on"))
    )
    return {r["competency"]: (r["created"], r["observed"]) for r in rows}


def _stage(counted: list[Objective], latest: tuple[datetime, date] | None) -> str:
    if not counted:
        return Stage.NONE
    done = [o for o in counted if o.status == Status.DONE]
    if latest is not None and any(_reassessed(o, latest) for o in done):
        return Stage.REASSESSED
    if len(done) == len(counted):
        return Stage.DONE
    started = any(
        o.status == Status.ACTIVE or any(m.done_at for m in o.milestones.all()) for o in counted
    )
    if done or started:
        return Stage.IN_PROGRESS
    return Stage.PLANNED


def _reassessed(objective: Objective, latest: tuple[datetime, date]) -> bool:
    """Whether someone rated the competency after the objective was done."""
    completed = objective.completed_at
    if completed is None:
        return False
    created, observed = latest
    return created > completed and observed >= timezone.localtime(completed).date()


def objective_check(objective: Objective) -> Check:
    """The specificity check of a saved objective, its fields counting as context
    (uses the prefetched stakeholders; the expectation of its first competency)."""
    doc = document_of(objective.placement.version)
    key = objective.competencies[0] if objective.competencies else ""
    expectation = doc.expectation(key, objective.placement.target_level) if key else None
    try:
        name = doc.competency(key).name if key else ""
    except KeyError:
        name = key
    timebox = objective.quarter or (objective.due_on.isoformat() if objective.due_on else "")
    return check_objective(
        objective.title,
        stakeholders=[s.name for s in objective.stakeholders.all()],
        timebox=timebox,
        success_criteria=list(objective.success_criteria),
        expectation=expectation.summary if expectation else "",
        competency=name,
    )


# Dashboard and calendar ----------------------------------------------------------------------


def overdue(user: User, organization: Organization, today: date | None = None) -> list[Overdue]:
    """The person's open objectives and milestones past their day, oldest first (2 queries)."""
    today = today or timezone.localdate()
    mine = Objective.objects.filter(
        owner=user,
        organization=organization,
        status__in=OPEN_STATUSES,
        placement__is_active=True,
    )
    items = [
        Overdue(objective=o, milestone=None, due_on=o.due_on)  # type: ignore[arg-type]
        for o in mine.filter(due_on__lt=today)
    ]
    for m in Milestone.objects.filter(
        objective__in=mine, done_at__isnull=True, due_on__lt=today
    ).select_related("objective"):
        items.append(Overdue(objective=m.objective, milestone=m, due_on=m.due_on))  # type: ignore[arg-type]
    return sorted(items, key=lambda item: (item.due_on, item.objective.pk))


def objectives_for_calendar(user: User) -> list[Objective]:
    """The person's objectives that are not dropped, in organizations they still belong to,
    with their milestones (2 queries)."""
    return list(
        Objective.objects.filter(
            owner=user,
            organization__memberships__user=user,
        )
        .exclude(status=Status.DROPPED)
        .select_related("organization")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id"))
        )
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def calendar_feed(raw: str) -> CalendarFeed | None:
    """The live feed a secret opens, with its person, or None (unknown or revoked): 1 query."""
    if not raw:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=digest(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def has_calendar_feed(user: User) -> bool:
    """Whether the person has a live calendar feed (1 query)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def live_calendar_feed(user: User) -> CalendarFeed | None:
    """The person's current feed, if they have one (1 query)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def objectives_of(
    placements: Iterable[Placement], *, viewer: User | AnonymousUser
) -> dict[int, list[Objective]]:
    """Open objectives of several placements (a manager's reports) that the viewer may see,
    by placement id: 1 query per organization for how the viewer stands, 1 for all."""
    wanted = Q(pk__in=[])
    placements = list(placements)
    by_org: dict[int, list[Placement]] = {}
    for p in placements:
        by_org.setdefault(p.organization_id, []).append(p)
    for group in by_org.values():
        standing = relationships_among(viewer, {p.user_id for p in group}, group[0].organization)
        for p in group:
            tiers = [t.value for t in ORDER if may_see_any(standing[p.user_id], t)]
            wanted |= Q(placement_id=p.pk, visibility__in=tiers)
    out: dict[int, list[Objective]] = {p.pk: [] for p in placements}
    if not placements:
        return out
    for o in Objective.objects.filter(wanted, status__in=OPEN_STATUSES):
        out[o.placement_id].append(o)
    return out

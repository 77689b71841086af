"""From the top gaps to objectives: proposals drawn from templates, and applying a template.

`propose_roadmap` writes nothing: for each top gap of the placement's delta it
proposes the objectives of the best published template that moves that
competency to the step the target level expects, or else one objective written
from the target level's expectation. The member accepts, edits or discards them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from upward.accounts.models import User
from upward.assessments.models import Placement
from upward.assessments.selectors import DeltaReport, delta_for
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.engine.specificity import Check, check_objective
from upward.frameworks.selectors import document_of
from upward.roadmaps.library import TemplateObjective, validate_objectives
from upward.roadmaps.models import Kind, Objective, RoadmapTemplate, TemplateStatus
from upward.roadmaps.services.checks import MilestoneIn, StakeholderIn
from upward.roadmaps.services.objectives import build_objective, save_objective

MAX_PER_GAP = 3
# The plan written from the expectation text when no template fits: weeks from today.
FALLBACK_WEEKS = 12
FALLBACK_MILESTONES = (
    ("Scope and the measure of success agreed with my manager", 2),
    ("First result in the hands of the people it is for", 6),
    ("Result presented and feedback asked from the people involved", 12),
)


@dataclass
class Proposal:
    """An objective proposed for one gap, for the member to accept, edit or discard."""

    competency: str
    competency_name: str
    target_step: str
    title: str
    description: str
    kind: str
    success_criteria: list[str]
    stakeholders: list[str]
    due_on: date | None
    milestones: list[tuple[str, date]]
    template_id: int | None
    expectation: str
    check: Check


def usable_templates(placement: Placement) -> QuerySet[RoadmapTemplate]:
    """Published templates the placement's member may apply: the library's and their
    organization's, for the placement's framework; the organization's first, then the
    most applied."""
    return (
        RoadmapTemplate.objects.filter(
            Q(organization__isnull=True) | Q(organization_id=placement.organization_id),
            status=TemplateStatus.PUBLISHED,
            framework_key=placement.version.framework.key,
        )
        .annotate(applied=Count("applications"))
        .order_by(F("organization").asc(nulls_last=True), "-applied", "title", "pk")
    )


def propose_roadmap(*, placement: Placement, today: date | None = None) -> list[Proposal]:
    """One to three proposals for each top gap of the placement's delta (nothing is written).

    What is already on the roadmap (the same title) is not proposed again: the next
    fitting template is tried instead, and a gap whose templates are all taken gets
    none. Queries: the delta's (see assessments.selectors.delta_for), 1 for the
    objectives already there and 1 for the templates."""
    today = today or timezone.localdate()
    report = delta_for(placement, today=today)
    gaps = list(report.delta.top_gaps)
    taken = {
        title.casefold()
        for title in Objective.objects.filter(placement=placement).values_list("title", flat=True)
    }
    templates: dict[str, list[RoadmapTemplate]] = {}
    for t in usable_templates(placement).filter(competency__in=gaps):
        templates.setdefault(t.competency, []).append(t)
    out = []
    for key in gaps:
        item = report.competency(key)
        expected = item.expected or placement.target_level
        fitting = [t for t in templates.get(key, []) if t.to_step == expected]
        fresh: list[Proposal] = []
        for template in fitting:
            made = from_template(template, item.name, item.target_text, today=today)
            fresh = [p for p in made if p.title.casefold() not in taken]
            if fresh:
                break
        if not fitting:
            fresh = [from_expectation(report, key, expected, today=today)]
            fresh = [p for p in fresh if p.title.casefold() not in taken]
        out += fresh
    return out


def _check(
    title: str,
    *,
    stakeholders: list[str],
    due_on: date | None,
    criteria: list[str],
    expectation: str,
    competency: str,
) -> Check:
    return check_objective(
        title,
        stakeholders=stakeholders,
        timebox=due_on.isoformat() if due_on else "",
        success_criteria=criteria,
        expectation=expectation,
        competency=competency,
    )


def from_template(
    template: RoadmapTemplate, competency_name: str, expectation: str, *, today: date
) -> list[Proposal]:
    """The template's objectives as proposals dated from `today`."""
    out = []
    for o in validate_objectives(template.objectives)[:MAX_PER_GAP]:
        due_on = today + timedelta(weeks=o.timebox_weeks)
        out.append(
            Proposal(
                competency=template.competency,
                competency_name=competency_name,
                target_step=template.to_step,
                title=o.title,
                description=o.description,
                kind=o.kind,
                success_criteria=list(o.success_criteria),
                stakeholders=list(o.stakeholders),
                due_on=due_on,
                milestones=[(m.title, today + timedelta(weeks=m.week)) for m in o.milestones],
                template_id=template.pk,
                expectation=expectation,
                check=_check(
                    o.title,
                    stakeholders=list(o.stakeholders),
                    due_on=due_on,
                    criteria=list(o.success_criteria),
                    expectation=expectation,
                    competency=competency_name,
                ),
            )
        )
    return out


def from_expectation(report: DeltaReport, key: str, step: str, *, today: date) -> Proposal:
    """One objective written from what the target level expects of the competency."""
    item = report.competency(key)
    label = report.target.label
    due_on = today + timedelta(weeks=FALLBACK_WEEKS)
    title = (
        f"Propose and lead one piece of {item.name.lower()} work with my manager within the "
        f"next twelve weeks, delivering a result that shows the {label} expectation to the team"
    )
    criteria = [
        f"My manager and one peer rate {item.name} at {label} after seeing the result",
        "The result is written up and shared where the team keeps its decisions",
    ]
    expectation = item.target_text
    description = (
        f"What {label} expects of {item.name}: {expectation}" if expectation else ""
    ) + " Pick work that is yours to lead, agree the measure of success first, and show it."
    return Proposal(
        competency=key,
        competency_name=item.name,
        target_step=step,
        title=title,
        description=description.strip(),
        kind=Kind.INITIATIVE,
        success_criteria=criteria,
        stakeholders=["My manager"],
        due_on=due_on,
        milestones=[(t, today + timedelta(weeks=w)) for t, w in FALLBACK_MILESTONES],
        template_id=None,
        expectation=expectation,
        check=_check(
            title,
            stakeholders=["My manager"],
            due_on=due_on,
            criteria=criteria,
            expectation=expectation,
            competency=item.name,
        ),
    )


def _prefixed(error: Invalid, prefix: str) -> Invalid:
    where = f"{prefix}.{error.field}" if error.field else prefix
    return Invalid(error.message, field=where)


@transaction.atomic
def accept_proposals(
    *, placement: Placement, by: User, proposals: list[Proposal], today: date | None = None
) -> list[Objective]:
    """Turn the proposals the member kept (maybe edited) into objectives, all or none.

    Errors name the proposal: "proposals[1].title"."""
    if not proposals:
        raise Invalid("Keep at least one proposal.", field="proposals")
    today = today or timezone.localdate()
    ids = {p.template_id for p in proposals if p.template_id is not None}
    templates = {t.pk: t for t in usable_templates(placement).filter(pk__in=ids)} if ids else {}
    built = []
    for i, p in enumerate(proposals):
        template = templates.get(p.template_id) if p.template_id is not None else None
        if p.template_id is not None and template is None:
            raise Invalid("That template is not available.", field=f"proposals[{i}].template_id")
        try:
            built.append(
                build_objective(
                    owner=by,
                    placement=placement,
                    fields=_fields(p),
                    stakeholders=[StakeholderIn(name=name) for name in p.stakeholders],
                    milestones=[MilestoneIn(title=t, due_on=d) for t, d in p.milestones],
                    template=template,
                    today=today,
                )
            )
        except Invalid as error:
            raise _prefixed(error, f"proposals[{i}]") from None
    objectives = [save_objective(*parts, by=by) for parts in built]
    audit.record(
        placement,
        AuditCode.ROADMAP_PROPOSALS_ACCEPTED,
        actor=by,
        data={"objectives": [o.pk for o in objectives]},
    )
    return objectives


def _fields(p: Proposal) -> dict[str, Any]:
    return {
        "title": p.title,
        "description": p.description,
        "kind": p.kind,
        "competencies": [p.competency],
        "target_step": p.target_step,
        "success_criteria": p.success_criteria,
        "due_on": p.due_on,
        "quarter": "",
        "visibility": "manager",
    }


@transaction.atomic
def apply_template(
    *,
    template: RoadmapTemplate,
    placement: Placement,
    by: User,
    start: date | None = None,
    today: date | None = None,
) -> list[Objective]:
    """Create the template's objectives on the roadmap, dated from `start` (default today);
    the member edits them from there."""
    if template.status != TemplateStatus.PUBLISHED:
        raise Conflict("Only a published template can be applied.")
    if template.organization_id not in (None, placement.organization_id):
        raise NotFound("That template is not available.")
    today = today or timezone.localdate()
    start = start or today
    doc = document_of(placement.version)
    if template.competency not in {c.key for c in doc.competencies}:
        raise Invalid(
            f"This template is for '{template.competency}', which {doc.name} does not have.",
            field="competency",
        )
    items = validate_objectives(template.objectives)
    built = []
    for i, o in enumerate(items):
        due_on = start + timedelta(weeks=o.timebox_weeks)
        if due_on < today:
            raise Invalid(
                f"Starting on {start}, objective {i + 1} would already be over.", field="start"
            )
        try:
            built.append(_build_from(template, o, placement, by, start=start, today=today))
        except Invalid as error:
            if error.field == "target_step":
                raise Invalid(error.message, field="to_step") from None
            raise _prefixed(error, f"objectives[{i}]") from None
    objectives = [save_objective(*parts, by=by) for parts in built]
    audit.record(
        template,
        AuditCode.ROADMAP_TEMPLATE_APPLIED,
        actor=by,
        organization=placement.organization,
        data={"placement": placement.pk, "objectives": [o.pk for o in objectives]},
    )
    return objectives


def _build_from(
    template: RoadmapTemplate,
    o: TemplateObjective,
    placement: Placement,
    by: User,
    *,
    start: date,
    today: date,
) -> tuple[Objective, Any, Any]:
    fields = {
        "title": o.title,
        "description": o.description,
        "kind": o.kind,
        "competencies": [template.competency],
        "target_step": template.to_step,
        "success_criteria": list(o.success_criteria),
        "due_on": start + timedelta(weeks=o.timebox_weeks),
        "quarter": "",
        "visibility": "manager",
    }
    return build_objective(
        owner=by,
        placement=placement,
        fields=fields,
        stakeholders=[StakeholderIn(name=name) for name in o.stakeholders],
        milestones=[
            MilestoneIn(title=m.title, due_on=start + timedelta(weeks=m.week)) for m in o.milestones
        ],
        template=template,
        today=today,
    )

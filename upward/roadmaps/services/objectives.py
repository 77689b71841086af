"""Writes for objectives and their status, and carrying them over to a new placement.

Every input is checked before anything is written (see `checks`), and each service
runs in one transaction, so a bad field leaves the roadmap as it was. Errors name the
field ("title", "competencies", "milestones[2].due_on", "stakeholders[0].email", ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import User
from upward.assessments.models import Placement
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.visibility import Tier
from upward.engine.links import link_problem
from upward.frameworks.selectors import document_of
from upward.roadmaps.models import (
    OPEN_STATUSES,
    Kind,
    Milestone,
    Objective,
    RoadmapTemplate,
    Stakeholder,
    Status,
)
from upward.roadmaps.services.checks import (
    MilestoneIn,
    StakeholderIn,
    check_competencies,
    check_kind,
    check_lines,
    check_milestones,
    check_stakeholders,
    check_step,
    check_text,
    check_timebox,
    check_title,
    check_visibility,
    default_step,
)

# Objectives --------------------------------------------------------------------------


@dataclass
class _Checked:
    title: str
    description: str
    kind: str
    competencies: list[str]
    target_step: str
    success_criteria: list[str]
    due_on: date | None
    quarter: str
    visibility: str


def _check_fields(
    placement: Placement, data: dict[str, Any], *, today: date, past_ok: date | None
) -> _Checked:
    doc = document_of(placement.version)
    competencies = check_competencies(doc, data["competencies"])
    step = data["target_step"].strip() or default_step(doc, placement, competencies)
    due_on, quarter = check_timebox(data["due_on"], data["quarter"], today=today, past_ok=past_ok)
    return _Checked(
        title=check_title(data["title"]),
        description=check_text(data["description"], field="description"),
        kind=check_kind(data["kind"]),
        competencies=competencies,
        target_step=check_step(doc, placement, competencies, step),
        success_criteria=check_lines(data["success_criteria"], field="success_criteria"),
        due_on=due_on,
        quarter=quarter,
        visibility=check_visibility(data["visibility"]),
    )


def _check_placement(owner: User, placement: Placement) -> None:
    if placement.user_id != owner.pk:
        raise Invalid("A roadmap belongs to the placement's member.", field="placement")
    if not placement.is_active:
        raise Invalid(
            "This placement has been replaced; plan on the current one.", field="placement"
        )


def build_objective(
    *,
    owner: User,
    placement: Placement,
    fields: dict[str, Any],
    stakeholders: Sequence[StakeholderIn],
    milestones: Sequence[MilestoneIn],
    template: RoadmapTemplate | None,
    today: date,
) -> tuple[Objective, list[Stakeholder], list[MilestoneIn]]:
    """Check everything an objective is made of; nothing is written."""
    _check_placement(owner, placement)
    checked = _check_fields(placement, fields, today=today, past_ok=None)
    people = check_stakeholders(stakeholders, placement)
    steps = check_milestones(milestones, checked.due_on)
    objective = Objective(
        owner=owner,
        organization_id=placement.organization_id,
        placement=placement,
        template=template,
        **checked.__dict__,
    )
    return objective, people, steps


def save_objective(
    objective: Objective, people: list[Stakeholder], steps: list[MilestoneIn], *, by: User
) -> Objective:
    """Write a checked objective with its stakeholders and milestones."""
    now = timezone.now()
    if any(m.done for m in steps):
        objective.status, objective.started_at = Status.ACTIVE, now
    objective.save()
    for person in people:
        person.objective = objective
    Stakeholder.objects.bulk_create(people)
    Milestone.objects.bulk_create(
        Milestone(
            objective=objective,
            title=m.title,
            due_on=m.due_on,
            done_at=now if m.done else None,
            position=i,
        )
        for i, m in enumerate(steps)
    )
    audit.record(
        objective,
        AuditCode.ROADMAP_OBJECTIVE_CREATED,
        actor=by,
        data={"competencies": objective.competencies, "template": objective.template_id},
    )
    return objective


@transaction.atomic
def create_objective(
    *,
    owner: User,
    placement: Placement,
    title: str,
    description: str = "",
    kind: str = Kind.INITIATIVE,
    competencies: Sequence[str],
    target_step: str = "",
    success_criteria: Sequence[str] = (),
    due_on: date | None = None,
    quarter: str = "",
    stakeholders: Sequence[StakeholderIn] = (),
    milestones: Sequence[MilestoneIn] = (),
    visibility: str = Tier.MANAGER,
    template: RoadmapTemplate | None = None,
    today: date | None = None,
) -> Objective:
    """Add an objective to the member's roadmap for this placement."""
    fields = {
        "title": title,
        "description": description,
        "kind": kind,
        "competencies": competencies,
        "target_step": target_step,
        "success_criteria": success_criteria,
        "due_on": due_on,
        "quarter": quarter,
        "visibility": visibility,
    }
    objective, people, steps = build_objective(
        owner=owner,
        placement=placement,
        fields=fields,
        stakeholders=stakeholders,
        milestones=milestones,
        template=template,
        today=today or timezone.localdate(),
    )
    return save_objective(objective, people, steps, by=owner)


EDITABLE = (
    "title",
    "description",
    "kind",
    "competencies",
    "target_step",
    "success_criteria",
    "due_on",
    "quarter",
    "visibility",
)


@transaction.atomic
def update_objective(*, objective: Objective, by: User, **changes: Any) -> Objective:
    """Change an objective's fields (any of EDITABLE, and `stakeholders` to replace them).

    A deadline already past may stay as it is; a new one must be to come, and no
    milestone may fall after it."""
    today = changes.pop("today", None) or timezone.localdate()
    stakeholders = changes.pop("stakeholders", None)
    for key in changes:
        if key not in EDITABLE:
            raise Invalid(f"'{key}' can't be changed here.", field=key)
    data = {key: changes.get(key, getattr(objective, key)) for key in EDITABLE}
    if "due_on" in changes and "quarter" not in changes:
        data["quarter"] = ""  # a day given alone replaces the quarter
    if "quarter" in changes and "due_on" not in changes:
        data["due_on"] = None  # a quarter given alone sets the deadline to its last day
    checked = _check_fields(objective.placement, data, today=today, past_ok=objective.due_on)
    _check_milestones_fit(objective, checked.due_on)
    people = (
        check_stakeholders(stakeholders, objective.placement) if stakeholders is not None else None
    )
    changed = [k for k in EDITABLE if getattr(objective, k) != getattr(checked, k)]
    for key in changed:
        setattr(objective, key, getattr(checked, key))
    objective.save(update_fields=[*changed, "updated_at"])
    if people is not None:
        objective.stakeholders.all().delete()
        for person in people:
            person.objective = objective
        Stakeholder.objects.bulk_create(people)
        changed.append("stakeholders")
    audit.record(objective, AuditCode.ROADMAP_OBJECTIVE_UPDATED, actor=by, data={"fields": changed})
    return objective


def _check_milestones_fit(objective: Objective, deadline: date | None) -> None:
    if deadline is None:
        return
    late = objective.milestones.filter(due_on__gt=deadline).order_by("due_on").first()
    if late is not None:
        raise Invalid(
            f"The milestone '{late.title}' is due {late.due_on}, after {deadline}; "
            "move it first or pick a later deadline.",
            field="due_on",
        )


@transaction.atomic
def delete_objective(*, objective: Objective, by: User) -> None:
    """Take an objective off the roadmap, with its milestones and stakeholders."""
    audit.record(
        objective,
        AuditCode.ROADMAP_OBJECTIVE_DELETED,
        actor=by,
        data={"title": objective.title, "status": objective.status},
    )
    objective.delete()


# Status ------------------------------------------------------------------------------


def _check_open(objective: Objective, doing: str) -> None:
    if objective.status not in OPEN_STATUSES:
        raise Conflict(
            f"This objective is {objective.get_status_display().lower()}; reopen it to {doing} it."
        )


@transaction.atomic
def start_objective(*, objective: Objective, by: User) -> Objective:
    """Mark a planned objective as in progress."""
    if objective.status != Status.PLANNED:
        raise Conflict(f"Only a planned objective can start; this one is {objective.status}.")
    objective.status, objective.started_at = Status.ACTIVE, timezone.now()
    objective.save(update_fields=["status", "started_at", "updated_at"])
    audit.record(objective, AuditCode.ROADMAP_OBJECTIVE_STARTED, actor=by)
    return objective


@transaction.atomic
def complete_objective(
    *, objective: Objective, by: User, link: str = "", note: str = ""
) -> Objective:
    """Mark an objective done, with what shows it: a link, a note, or both."""
    _check_open(objective, "complete")
    link, note = link.strip(), check_text(note, field="note")
    if not link and not note:
        raise Invalid("Add a link or a note that shows the work was done.", field="link")
    problem = link_problem(link)
    if problem:
        raise Invalid(f"The link {problem}.", field="link")
    if len(link) > 500:
        raise Invalid("Keep the link under 500 characters.", field="link")
    now = timezone.now()
    objective.status, objective.completed_at = Status.DONE, now
    objective.started_at = objective.started_at or now
    objective.completion_link, objective.completion_note = link, note
    objective.save(
        update_fields=[
            "status",
            "completed_at",
            "started_at",
            "completion_link",
            "completion_note",
            "updated_at",
        ]
    )
    audit.record(objective, AuditCode.ROADMAP_OBJECTIVE_COMPLETED, actor=by, data={"link": link})
    return objective


@transaction.atomic
def drop_objective(*, objective: Objective, by: User, reason: str) -> Objective:
    """Give up an objective, saying why."""
    _check_open(objective, "drop")
    reason = check_text(reason, field="reason")
    if not reason:
        raise Invalid("Say why you drop it: it helps you and your manager later.", field="reason")
    objective.status, objective.dropped_reason = Status.DROPPED, reason
    objective.save(update_fields=["status", "dropped_reason", "updated_at"])
    audit.record(objective, AuditCode.ROADMAP_OBJECTIVE_DROPPED, actor=by)
    return objective


@transaction.atomic
def reopen_objective(*, objective: Objective, by: User) -> Objective:
    """Put a done or dropped objective back on the roadmap (in progress if it had started)."""
    if objective.status in OPEN_STATUSES:
        raise Conflict("This objective is already open.")
    objective.status = Status.ACTIVE if objective.started_at else Status.PLANNED
    objective.completed_at = None
    objective.dropped_reason = ""
    objective.completion_link = objective.completion_note = ""
    objective.save(
        update_fields=[
            "status",
            "completed_at",
            "dropped_reason",
            "completion_link",
            "completion_note",
            "updated_at",
        ]
    )
    audit.record(objective, AuditCode.ROADMAP_OBJECTIVE_REOPENED, actor=by)
    return objective


# Moving with the member ---------------------------------------------------------------


@transaction.atomic
def carry_over(*, old: Placement | None, new: Placement) -> list[Objective]:
    """Move the open objectives of the member's previous placement to the new one.

    Competencies the new framework version lacks leave the objective's list; an
    objective left with none stays where it was. A step the new version's target
    track lacks becomes the step the new target level expects."""
    if old is None or old.pk == new.pk:
        return []
    if (old.user_id, old.organization_id) != (new.user_id, new.organization_id):
        return []
    doc = document_of(new.version)
    known = {c.key for c in doc.competencies}
    moved = []
    for objective in Objective.objects.filter(placement=old, status__in=OPEN_STATUSES):
        kept = [c for c in objective.competencies if c in known]
        if not kept:
            continue
        try:
            step = check_step(doc, new, kept, objective.target_step)
        except Invalid:
            step = default_step(doc, new, kept)
        objective.placement, objective.competencies, objective.target_step = new, kept, step
        objective.save(update_fields=["placement", "competencies", "target_step", "updated_at"])
        audit.record(
            objective,
            AuditCode.ROADMAP_OBJECTIVE_CARRIED_OVER,
            actor=new.user,
            data={"from": old.pk, "to": new.pk},
        )
        moved.append(objective)
    return moved

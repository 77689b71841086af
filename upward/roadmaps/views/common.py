"""What the roadmap pages share: objectives as cards, the specificity check as the
pages show it, and service errors placed on the field that shows them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from upward.accounts.current import current_membership
from upward.assessments.models import Placement
from upward.assessments.selectors import active_placement, step_code
from upward.core.http import AuthedRequest
from upward.engine.framework.models import FrameworkDocument
from upward.engine.specificity import MISSING_LABELS, Check, check_objective
from upward.roadmaps.models import OPEN_STATUSES, Objective, Status

# Status badges' tones.
STATUS_TONES = {
    Status.PLANNED: "neutral",
    Status.ACTIVE: "info",
    Status.DONE: "good",
    Status.DROPPED: "warn",
}


def my_placement(request: AuthedRequest) -> Placement | None:
    """The member's current placement in the organization they're working in."""
    membership = current_membership(request)
    if membership is None:
        return None
    return active_placement(request.user, membership.organization)


@dataclass
class Card:
    """One objective as a roadmap shows it: status, kind, timebox and milestone progress."""

    objective: Objective
    competencies: list[str]
    done: int
    total: int
    overdue: bool
    tone: str

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def timebox(self) -> str:
        return timebox_label(self.objective)


def timebox_label(objective: Objective) -> str:
    """`2027-Q3`, `by 4 May 2027`, or `no deadline`."""
    if objective.quarter:
        return objective.quarter
    if objective.due_on:
        return f"by {objective.due_on:%-d %b %Y}"
    return "no deadline"


def is_overdue(objective: Objective, today: date) -> bool:
    return (
        objective.status in OPEN_STATUSES
        and objective.due_on is not None
        and objective.due_on < today
    )


def cards(objectives: Iterable[Objective], doc: FrameworkDocument) -> list[Card]:
    """Cards from objectives whose milestones were prefetched (no query)."""
    names = {c.key: c.name for c in doc.competencies}
    today = timezone.localdate()
    out = []
    for objective in objectives:
        milestones = list(objective.milestones.all())
        out.append(
            Card(
                objective=objective,
                competencies=[names.get(k, k) for k in objective.competencies],
                done=sum(1 for m in milestones if m.done_at is not None),
                total=len(milestones),
                overdue=is_overdue(objective, today),
                tone=STATUS_TONES.get(Status(objective.status), "neutral"),
            )
        )
    return out


# --- The specificity check -------------------------------------------------------------------


@dataclass
class Shown:
    """A check's result as the pages show it: the missing elements by their labels."""

    check: Check
    missing: list[str] = field(default_factory=list)
    target: str = "check"

    @property
    def score(self) -> int:
        return int(self.check.score)


def shown(check: Check, *, target: str = "check") -> Shown:
    return Shown(check, [MISSING_LABELS.get(m, m) for m in check.missing], target)


def specificity(
    doc: FrameworkDocument | None,
    placement: Placement | None,
    *,
    title: str,
    competencies: Iterable[str] = (),
    stakeholders: Iterable[str] = (),
    timebox: str = "",
    success_criteria: Iterable[str] = (),
) -> Check:
    """The check, written against the target level's expectation of the first competency."""
    known = {c.key for c in doc.competencies} if doc else set()
    key = next((k for k in competencies if k in known), "")
    expectation, name = "", ""
    if doc is not None and placement is not None and key:
        found = doc.expectation(key, placement.target_level)
        expectation = found.summary if found else ""
        name = doc.competency(key).name
    return check_objective(
        title,
        stakeholders=tuple(stakeholders),
        timebox=timebox,
        success_criteria=tuple(success_criteria),
        expectation=expectation,
        competency=name,
    )


def step_label(doc: FrameworkDocument, competencies: list[str], step: str) -> str:
    """A step's short name, read on the objective's first competency."""
    known = [k for k in competencies if any(c.key == k for c in doc.competencies)]
    if not step:
        return ""
    return step_code(doc, known[0], step) if known else step

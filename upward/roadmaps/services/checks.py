"""Checks of what objectives are made of: each raises Invalid naming its field and
returns the value to store. Nothing here writes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from upward.accounts.models import Membership, Team
from upward.assessments.models import Placement
from upward.core.errors import Invalid
from upward.core.validators import email_address, single_line
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.engine.level_steps import step_for
from upward.roadmaps.models import Kind, Stakeholder

TITLE_MAX = 300
TEXT_MAX = 5000
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


@dataclass(frozen=True)
class StakeholderIn:
    """Someone an objective is for or with: a member, a team, an address or just a name."""

    name: str = ""
    user_id: int | None = None
    team_id: int | None = None
    email: str = ""


@dataclass(frozen=True)
class MilestoneIn:
    """A checkpoint to create with an objective."""

    title: str
    due_on: date | None = None
    done: bool = False


def quarter_end(quarter: str, *, field: str = "quarter") -> date:
    """The last day of a quarter written "YYYY-Qn" (Invalid naming `field` if not)."""
    match = QUARTER.match(quarter)
    if match is None:
        raise Invalid(
            f"Write the quarter as YYYY-Qn, like 2027-Q3; found {quarter!r}.", field=field
        )
    month, day = QUARTER_ENDS[int(match[2])]
    return date(int(match[1]), month, day)


def quarter_of(day: date) -> str:
    """The quarter a day falls in, as "YYYY-Qn"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def check_title(title: str, *, field: str = "title") -> str:
    """A non-empty, one-line title."""
    if "\n" in title.strip() or "\r" in title.strip():
        raise Invalid("Write the title on one line; put details in the description.", field=field)
    title = single_line(title, field=field)
    if not title:
        raise Invalid("Give it a title.", field=field)
    if len(title) > TITLE_MAX:
        raise Invalid(f"Keep the title under {TITLE_MAX} characters.", field=field)
    return title


def check_competencies(doc: FrameworkDocument, competencies: Sequence[str]) -> list[str]:
    """The competency keys, each of the framework version, in the order given, once each."""
    keys = list(dict.fromkeys(c.strip() for c in competencies if c and c.strip()))
    if not keys:
        raise Invalid("Pick at least one competency this work should show.", field="competencies")
    known = {c.key for c in doc.competencies}
    for key in keys:
        if key not in known:
            raise Invalid(f"'{key}' is not a competency of {doc.name}.", field="competencies")
    return keys


def default_step(doc: FrameworkDocument, placement: Placement, competencies: list[str]) -> str:
    """The step the placement's target level expects: of the one competency, or the
    target level itself (read as each competency's step) for several."""
    if len(competencies) == 1:
        return doc.required_step(competencies[0], placement.target_level) or placement.target_level
    return placement.target_level


def check_step(
    doc: FrameworkDocument, placement: Placement, competencies: list[str], step: str
) -> str:
    """`step` when it is a step of every competency (a level key counts as the step that
    level expects of a competency with its own scale)."""
    step = step.strip()
    for key in competencies:
        steps = [s.key for s in doc.steps(key, placement.target_track)]
        if step_for(doc, key, step) not in steps:
            raise Invalid(
                f"'{step}' is not a step of '{key}' (steps: {', '.join(steps)}).",
                field="target_step",
            )
    return step


def check_timebox(
    due_on: date | None, quarter: str, *, today: date, past_ok: date | None = None
) -> tuple[date | None, str]:
    """The deadline and quarter: a quarter sets the deadline to its last day (a day given
    with it must fall in it); neither may be over, unless unchanged (`past_ok`)."""
    quarter = quarter.strip()
    if quarter:
        last = quarter_end(quarter)
        if last < today and last != past_ok:
            raise Invalid(f"{quarter} is already over; pick a quarter to come.", field="quarter")
        if due_on is not None and quarter_of(due_on) != quarter:
            raise Invalid(f"The deadline {due_on} is not in {quarter}.", field="due_on")
        return due_on or last, quarter
    if due_on is not None and due_on < today and due_on != past_ok:
        raise Invalid(f"The deadline {due_on} is in the past; pick a day to come.", field="due_on")
    return due_on, ""


def check_visibility(visibility: str) -> str:
    if visibility not in Tier.values:
        raise Invalid(
            f"'{visibility}' is not a visibility; pick one of {', '.join(Tier.values)}.",
            field="visibility",
        )
    return visibility


def check_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise Invalid(
            f"'{kind}' is not a kind of objective; pick one of {', '.join(Kind.values)}.",
            field="kind",
        )
    return kind


def check_lines(values: Sequence[str], *, field: str) -> list[str]:
    """Short texts (success criteria): one line each, blank ones left out."""
    out = []
    for i, value in enumerate(values):
        text = single_line(str(value), field=f"{field}[{i}]")
        if len(text) > TITLE_MAX:
            raise Invalid(f"Keep it under {TITLE_MAX} characters.", field=f"{field}[{i}]")
        if text:
            out.append(text)
    return out


def check_text(value: str, *, field: str) -> str:
    if len(value) > TEXT_MAX:
        raise Invalid(f"Keep it under {TEXT_MAX} characters.", field=field)
    return value.strip()


def check_milestones(milestones: Sequence[MilestoneIn], deadline: date | None) -> list[MilestoneIn]:
    """Milestones with a title each, none due after the objective's deadline."""
    out = []
    for i, m in enumerate(milestones):
        title = check_title(m.title, field=f"milestones[{i}].title")
        if deadline is not None and m.due_on is not None and m.due_on > deadline:
            raise Invalid(
                f"Milestone {i + 1} is due {m.due_on}, after the objective's deadline {deadline}.",
                field=f"milestones[{i}].due_on",
            )
        out.append(MilestoneIn(title=title, due_on=m.due_on, done=m.done))
    return out


def check_stakeholders(
    stakeholders: Sequence[StakeholderIn], owner: Placement
) -> list[Stakeholder]:
    """Unsaved stakeholder rows: members and teams of the placement's organization, or an
    address, or a name; each named after the person or team unless a name is given."""
    org_id = owner.organization_id
    user_ids = {s.user_id for s in stakeholders if s.user_id is not None}
    team_ids = {s.team_id for s in stakeholders if s.team_id is not None}
    users = (
        {
            m.user_id: m.user
            for m in Membership.objects.filter(
                organization_id=org_id, user_id__in=user_ids
            ).select_related("user")
        }
        if user_ids
        else {}
    )
    teams = (
        {t.pk: t for t in Team.objects.filter(organization_id=org_id, pk__in=team_ids)}
        if team_ids
        else {}
    )
    out = []
    for i, s in enumerate(stakeholders):
        where = f"stakeholders[{i}]"
        name = single_line(s.name, field=f"{where}.name")[:200]
        user = users.get(s.user_id) if s.user_id is not None else None
        team = teams.get(s.team_id) if s.team_id is not None else None
        if s.user_id is not None and user is None:
            raise Invalid("Pick someone in this organization.", field=f"{where}.user_id")
        if s.team_id is not None and team is None:
            raise Invalid("Pick a team of this organization.", field=f"{where}.team_id")
        email = email_address(s.email, field=f"{where}.email") if s.email.strip() else ""
        name = name or (user.display_name if user else "") or (team.name if team else "") or email
        if not name:
            raise Invalid("Name the stakeholder, or pick a person or team.", field=f"{where}.name")
        out.append(Stakeholder(user=user, team=team, email=email, name=name, position=i))
    return out

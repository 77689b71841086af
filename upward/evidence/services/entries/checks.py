"""Checks for an entry's fields: each raises Invalid naming the field, or returns what to store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from upward.accounts.models import Membership, User
from upward.assessments.models import Placement
from upward.core.errors import Invalid, NotFound
from upward.core.validators import single_line
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.engine.level_steps import step_for
from upward.engine.links import is_safe_link
from upward.evidence.models import Entry
from upward.frameworks.selectors import document_of
from upward.roadmaps.models import Objective, Status

TITLE_MAX = 300
TEXT_MAX = 20_000
LINE_MAX = 200
LINKS_MAX = 20
VOUCHERS_MAX = 20
COLLABORATORS_MAX = 20
COMPETENCIES_MAX = 20
REQUESTS_MAX = 10
NOTE_MAX = 2000

ENTRY_FIELDS = (
    "title",
    "body",
    "impact",
    "scope",
    "metric",
    "metric_before",
    "metric_after",
    "links",
    "vouchers",
    "happened_on",
    "competencies",
    "objective",
    "collaborators",
    "visibility",
)


@dataclass
class _Checked:
    title: str
    body: str
    impact: str
    scope: str
    metric: str
    metric_before: str
    metric_after: str
    links: list[dict[str, str]]
    vouchers: list[str]
    happened_on: date
    competencies: list[dict[str, str]]
    objective: Objective | None
    visibility: str
    collaborators: list[User] = field(default_factory=list)

    def row_fields(self) -> dict[str, Any]:
        """The values that are columns of the entry (collaborators are rows of their own)."""
        values = dict(self.__dict__)
        del values["collaborators"]
        return values


def _title(value: str) -> str:
    if "\n" in value.strip() or "\r" in value.strip():
        raise Invalid("Write the title on one line; say more in what happened.", field="title")
    title = single_line(value, field="title")
    if not title:
        raise Invalid("Give the entry a title: what you did, in a few words.", field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"Keep the title under {TITLE_MAX} characters.", field="title")
    return title


def _text(value: str, *, name: str) -> str:
    if len(value) > TEXT_MAX:
        raise Invalid(f"Keep it under {TEXT_MAX:,} characters.", field=name)
    return value.strip()


def _line(value: str, *, name: str, limit: int = LINE_MAX) -> str:
    text = single_line(value, field=name)
    if len(text) > limit:
        raise Invalid(f"Keep it under {limit} characters.", field=name)
    return text


def _happened_on(value: date | None, today: date) -> date:
    if value is None:
        raise Invalid("Say when it happened.", field="happened_on")
    if value > today:
        raise Invalid(
            f"{value} is still to come: evidence is about work already done.", field="happened_on"
        )
    return value


def _steps_of(doc: FrameworkDocument, placement: Placement, competency: str) -> list[str]:
    return [s.key for s in doc.steps(competency, placement.target_track)]


def check_step(
    doc: FrameworkDocument, placement: Placement, competency: str, step: str, *, where: str
) -> str:
    """The stored step for `step` of `competency` (a level key counts as the step that
    level expects), or Invalid naming `where`."""
    steps = _steps_of(doc, placement, competency)
    found = step_for(doc, competency, step.strip())
    if found not in steps:
        raise Invalid(
            f"'{step}' is not a step of '{competency}' (steps: {', '.join(steps)}).", field=where
        )
    return found


def _competencies(placement: Placement, given: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Each {"competency", "step"} of the placement's version, once each, at least one."""
    if not given:
        raise Invalid("Pick at least one competency this work shows.", field="competencies")
    if len(given) > COMPETENCIES_MAX:
        raise Invalid(f"Pick at most {COMPETENCIES_MAX} competencies.", field="competencies")
    doc = document_of(placement.version)
    known = {c.key for c in doc.competencies}
    out: list[dict[str, str]] = []
    for i, item in enumerate(given):
        key = str(item.get("competency", "")).strip()
        if key not in known:
            raise Invalid(
                f"'{key}' is not a competency of {doc.name}.",
                field=f"competencies[{i}].competency",
            )
        if any(c["competency"] == key for c in out):
            raise Invalid(f"'{key}' is named twice.", field=f"competencies[{i}].competency")
        step = check_step(
            doc, placement, key, str(item.get("step", "")), where=f"competencies[{i}].step"
        )
        out.append({"competency": key, "step": step})
    return out


def _links(given: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    if len(given) > LINKS_MAX:
        raise Invalid(f"Add at most {LINKS_MAX} links.", field="links")
    out = []
    for i, item in enumerate(given):
        url = str(item.get("url", "")).strip()
        if not is_safe_link(url) or url.lower().startswith("mailto:") or len(url) > 2000:
            raise Invalid(
                "Give the artefact's web address, starting with http:// or https://.",
                field=f"links[{i}].url",
            )
        label = _line(str(item.get("label", "")), name=f"links[{i}].label")
        out.append({"url": url, "label": label})
    return out


def _vouchers(given: Sequence[str]) -> list[str]:
    if len(given) > VOUCHERS_MAX:
        raise Invalid(f"Name at most {VOUCHERS_MAX} people who can vouch.", field="vouchers")
    out = [_line(str(v), name=f"vouchers[{i}]") for i, v in enumerate(given)]
    return [v for v in out if v]


def _objective(
    owner: User, placement: Placement, objective: Objective | None, *, kept: int | None
) -> Objective | None:
    """One of the owner's objectives here, open or done (or the one the entry already
    names, even if it was dropped since)."""
    if objective is None:
        return None
    if objective.owner_id != owner.pk or objective.organization_id != placement.organization_id:
        raise Invalid("Pick one of your own objectives in this organization.", field="objective")
    if objective.status == Status.DROPPED and objective.pk != kept:
        raise Invalid("That objective was dropped; pick an open or done one.", field="objective")
    return objective


def _collaborators(owner: User, placement: Placement, given: Sequence[User]) -> list[User]:
    people = list({u.pk: u for u in given}.values())
    if len(people) > COLLABORATORS_MAX:
        raise Invalid(f"Name at most {COLLABORATORS_MAX} collaborators.", field="collaborators")
    if any(u.pk == owner.pk for u in people):
        raise Invalid("You are the entry's owner; name the others.", field="collaborators")
    members = set(
        Membership.objects.filter(
            organization_id=placement.organization_id, user_id__in=[u.pk for u in people]
        ).values_list("user_id", flat=True)
    )
    for person in people:
        if person.pk not in members:
            raise Invalid(
                f"{person.display_name} is not a member of this organization.",
                field="collaborators",
            )
    return people


def _visibility(value: str) -> str:
    if value not in Tier.values:
        raise Invalid(
            f"'{value}' is not a visibility; pick one of {', '.join(Tier.values)}.",
            field="visibility",
        )
    return value


def _check(
    owner: User,
    placement: Placement,
    data: dict[str, Any],
    *,
    today: date,
    kept_objective: int | None = None,
) -> _Checked:
    """Every field of an entry, checked in the order a form shows them."""
    return _Checked(
        title=_title(data["title"]),
        body=_text(data["body"], name="body"),
        impact=_text(data["impact"], name="impact"),
        scope=_line(data["scope"], name="scope", limit=100),
        metric=_line(data["metric"], name="metric"),
        metric_before=_line(data["metric_before"], name="metric_before", limit=100),
        metric_after=_line(data["metric_after"], name="metric_after", limit=100),
        links=_links(data["links"]),
        vouchers=_vouchers(data["vouchers"]),
        happened_on=_happened_on(data["happened_on"], today),
        competencies=_competencies(placement, data["competencies"]),
        objective=_objective(owner, placement, data["objective"], kept=kept_objective),
        visibility=_visibility(data["visibility"]),
        collaborators=_collaborators(owner, placement, data["collaborators"]),
    )


def _check_placement(owner: User, placement: Placement) -> None:
    if placement.user_id != owner.pk:
        raise Invalid("Evidence belongs to the placement's member.", field="placement")
    if not placement.is_active:
        raise Invalid(
            "This placement has been replaced; log evidence on the current one.", field="placement"
        )


def _check_owner(entry: Entry, by: User) -> None:
    if entry.owner_id != by.pk:
        raise NotFound("Only the entry's owner may change it.")

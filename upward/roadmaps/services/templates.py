"""Writes for roadmap templates: writing, review by a second person, publishing, rating.

An organization's admins, managers and mentors write its templates, and its admins
review them; site staff write and review the library's. Nobody reviews their own.
A template is published only when every objective title passes the specificity check
on its own (a template is applied at any time, by anyone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from upward.accounts.models import Organization, User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.validators import single_line
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of
from upward.roadmaps.access import may_author, may_curate
from upward.roadmaps.library import check_title, validate_objectives
from upward.roadmaps.models import Objective, RoadmapTemplate, TemplateRating, TemplateStatus
from upward.roadmaps.services.checks import check_text

EDITABLE = (
    "framework_key",
    "competency",
    "track",
    "from_step",
    "to_step",
    "title",
    "summary",
    "duration_weeks",
    "evidence",
    "objectives",
    "author_credentials",
)


def framework_document(framework_key: str, organization: Organization | None) -> FrameworkDocument:
    """The published document of the framework `framework_key` that templates of
    `organization` are written for: its own framework of that key, else the library's."""
    owners = Q(organization__isnull=True)
    if organization is not None:
        owners |= Q(organization=organization)
    framework = (
        Framework.objects.filter(owners, key=framework_key)
        .order_by(F("organization").asc(nulls_last=True))
        .first()
    )
    version = (
        FrameworkVersion.objects.filter(framework=framework, status=VersionStatus.PUBLISHED).first()
        if framework is not None
        else None
    )
    if version is None:
        raise Invalid(f"There is no published framework '{framework_key}'.", field="framework_key")
    return document_of(version)


def _check_steps(doc: FrameworkDocument, data: dict[str, Any]) -> None:
    if data["competency"] not in {c.key for c in doc.competencies}:
        raise Invalid(
            f"'{data['competency']}' is not a competency of {doc.name}.", field="competency"
        )
    if data["track"] not in {t.key for t in doc.tracks}:
        raise Invalid(f"'{data['track']}' is not a track of {doc.name}.", field="track")
    steps = [s.key for s in doc.steps(data["competency"], data["track"])]
    for attr in ("from_step", "to_step"):
        if data[attr] not in steps:
            raise Invalid(
                f"'{data[attr]}' is not a step of '{data['competency']}' "
                f"(steps: {', '.join(steps)}).",
                field=attr,
            )
    if steps.index(data["to_step"]) <= steps.index(data["from_step"]):
        raise Invalid(f"'{data['to_step']}' is not above '{data['from_step']}'.", field="to_step")


def check_template(data: dict[str, Any], organization: Organization | None) -> dict[str, Any]:
    """Every field of a template checked; returns the values to store."""
    for key in ("framework_key", "competency", "track", "from_step", "to_step"):
        data[key] = single_line(str(data[key]), field=key)
    data["title"] = single_line(str(data["title"]), field="title")
    if not data["title"]:
        raise Invalid("Give the template a title.", field="title")
    if len(data["title"]) > 200:
        raise Invalid("Keep the title under 200 characters.", field="title")
    data["summary"] = check_text(str(data["summary"]), field="summary")
    data["author_credentials"] = single_line(
        str(data["author_credentials"]), field="author_credentials"
    )[:300]
    weeks = data["duration_weeks"]
    if not isinstance(weeks, int) or not 1 <= weeks <= 104:
        raise Invalid("Give how many weeks it usually takes: 1 to 104.", field="duration_weeks")
    data["evidence"] = [
        single_line(str(e), field=f"evidence[{i}]") for i, e in enumerate(data["evidence"])
    ]
    data["evidence"] = [e for e in data["evidence"] if e]
    objectives = validate_objectives(data["objectives"])
    for i, o in enumerate(objectives):
        if o.timebox_weeks > weeks:
            raise Invalid(
                f"Objective {i + 1} takes {o.timebox_weeks} weeks, longer than the template's "
                f"{weeks}.",
                field=f"objectives[{i}].timebox_weeks",
            )
    data["objectives"] = [o.model_dump(mode="json") for o in objectives]
    _check_steps(framework_document(data["framework_key"], organization), data)
    return data


def _key_for(data: dict[str, Any], organization: Organization | None) -> str:
    base = slugify(f"{data['competency']}-{data['from_step']}-{data['to_step']}-{data['title']}")
    base = base[:100].strip("-") or "template"
    taken = set(
        RoadmapTemplate.objects.filter(organization=organization, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def create_template(
    *,
    by: User,
    organization: Organization | None,
    framework_key: str,
    competency: str,
    track: str,
    from_step: str,
    to_step: str,
    title: str,
    summary: str,
    duration_weeks: int,
    evidence: Sequence[str],
    objectives: list[dict[str, Any]],
    author_credentials: str = "",
) -> RoadmapTemplate:
    """Write a draft template for an organization (or, by site staff, for the library)."""
    if not may_author(by, organization):
        raise NotFound("You can't write templates there.")
    data = check_template(
        {
            "framework_key": framework_key,
            "competency": competency,
            "track": track,
            "from_step": from_step,
            "to_step": to_step,
            "title": title,
            "summary": summary,
            "duration_weeks": duration_weeks,
            "evidence": list(evidence),
            "objectives": objectives,
            "author_credentials": author_credentials,
        },
        organization,
    )
    template = RoadmapTemplate.objects.create(
        key=_key_for(data, organization),
        organization=organization,
        author=by,
        author_name=by.display_name,
        status=TemplateStatus.DRAFT,
        **data,
    )
    audit.record(template, AuditCode.ROADMAP_TEMPLATE_CREATED, actor=by)
    return template


@transaction.atomic
def update_template(*, template: RoadmapTemplate, by: User, **changes: Any) -> RoadmapTemplate:
    """Change a draft (any of EDITABLE); a published template is archived and written anew."""
    if template.status != TemplateStatus.DRAFT:
        raise Conflict(
            f"Only a draft can change; this template is {template.get_status_display().lower()}."
        )
    for key in changes:
        if key not in EDITABLE:
            raise Invalid(f"'{key}' can't be changed here.", field=key)
    data = check_template(
        {key: changes.get(key, getattr(template, key)) for key in EDITABLE},
        template.organization,
    )
    changed = [k for k in EDITABLE if getattr(template, k) != data[k]]
    for key in changed:
        setattr(template, key, data[key])
    template.save(update_fields=[*changed, "updated_at"])
    audit.record(template, AuditCode.ROADMAP_TEMPLATE_UPDATED, actor=by, data={"fields": changed})
    return template


@transaction.atomic
def submit_template(*, template: RoadmapTemplate, by: User) -> RoadmapTemplate:
    """Ask for a review: the draft waits for a second person."""
    if template.status != TemplateStatus.DRAFT:
        raise Conflict("Only a draft can be sent for review.")
    template.status, template.submitted_at = TemplateStatus.IN_REVIEW, timezone.now()
    template.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(template, AuditCode.ROADMAP_TEMPLATE_SUBMITTED, actor=by)
    return template


def check_publishable(template: RoadmapTemplate) -> None:
    """Invalid naming the first objective whose title fails the specificity check."""
    for i, o in enumerate(validate_objectives(template.objectives)):
        check = check_title(o.title, competency=template.competency)
        if not check.specific:
            hints = " ".join(check.suggestions[:1])
            raise Invalid(
                f"Objective {i + 1} is not specific enough to publish "
                f"(missing: {', '.join(check.missing) or 'detail'}). {hints}".strip(),
                field=f"objectives[{i}].title",
            )


@transaction.atomic
def review_template(
    *, template: RoadmapTemplate, by: User, approve: bool, note: str = ""
) -> RoadmapTemplate:
    """A second person approves (which publishes) or returns a template in review."""
    if template.status != TemplateStatus.IN_REVIEW:
        raise Conflict("Only a template in review can be reviewed.")
    if not may_curate(by, template.organization):
        raise NotFound("You can't review templates there.")
    if template.author_id == by.pk:
        raise Conflict("A second person reviews a template, never its author.")
    note = check_text(note, field="note")
    now = timezone.now()
    if approve:
        check_publishable(template)
        template.status, template.published_at = TemplateStatus.PUBLISHED, now
        code = AuditCode.ROADMAP_TEMPLATE_PUBLISHED
    else:
        if not note:
            raise Invalid("Say what to change, so the author can fix it.", field="note")
        template.status = TemplateStatus.DRAFT
        code = AuditCode.ROADMAP_TEMPLATE_RETURNED
    template.reviewed_by, template.reviewed_at, template.review_note = by, now, note
    template.save(
        update_fields=[
            "status",
            "published_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "updated_at",
        ]
    )
    audit.record(template, code, actor=by)
    return template


@transaction.atomic
def archive_template(*, template: RoadmapTemplate, by: User) -> RoadmapTemplate:
    """Take a template out of the library; objectives made from it stay as they are."""
    if template.status == TemplateStatus.ARCHIVED:
        raise Conflict("This template is already archived.")
    template.status = TemplateStatus.ARCHIVED
    template.save(update_fields=["status", "updated_at"])
    audit.record(template, AuditCode.ROADMAP_TEMPLATE_ARCHIVED, actor=by)
    return template


@transaction.atomic
def rate_template(
    *, template: RoadmapTemplate, by: User, stars: int, comment: str = ""
) -> TemplateRating:
    """Say how useful a template was (1 to 5 stars); only someone who applied it, once
    (rating again replaces the earlier one)."""
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise Invalid("Give 1 to 5 stars.", field="stars")
    comment = check_text(comment, field="comment")
    if not Objective.objects.filter(owner=by, template=template).exists():
        raise Conflict("Rate a template once you have applied it.")
    rating, _created = TemplateRating.objects.update_or_create(
        template=template, user=by, defaults={"stars": stars, "comment": comment}
    )
    audit.record(template, AuditCode.ROADMAP_TEMPLATE_RATED, actor=by, data={"stars": stars})
    return rating

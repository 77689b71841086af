"""Roadmap template content: its shape (pydantic), and the built-in library loader.

A template's objectives are plain data (`TemplateObjective`), validated here for the
library's YAML files and for templates written in an organization alike. The
built-in library lives in `library/<framework-key>/<competency-key>[.em].yaml`
(format: docs/roadmaps.md); `load_library` checks every file against the built-in
framework it names (competency, track and steps) and upserts its templates as
published library templates. Errors name the file and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from upward.core.errors import Invalid
from upward.engine.framework.models import FrameworkDocument
from upward.engine.specificity import Check, check_objective
from upward.frameworks.services import LIBRARY_DIR as FRAMEWORK_LIBRARY_DIR
from upward.roadmaps.models import RoadmapTemplate, TemplateStatus

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
LIBRARY_AUTHOR = "Upward library"
LIBRARY_CREDENTIALS = "Written for Upward's built-in frameworks"

KindName = Literal["initiative", "stretch", "visibility", "mentoring", "learning"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TemplateMilestone(_Model):
    """A checkpoint of a template objective, due `week` weeks after the template is applied."""

    title: str = Field(min_length=1, max_length=300)
    week: int = Field(ge=0, le=104)


class TemplateObjective(_Model):
    """One objective of a template, as applying the template creates it."""

    title: str = Field(min_length=1, max_length=300)
    kind: KindName = "initiative"
    description: str = ""
    success_criteria: list[str] = Field(default=[], max_length=6)
    stakeholders: list[str] = Field(default=[], max_length=6)
    timebox_weeks: int = Field(ge=1, le=104)
    milestones: list[TemplateMilestone] = Field(default=[], max_length=8)

    @model_validator(mode="after")
    def _milestones_fit_the_timebox(self) -> TemplateObjective:
        if "\n" in self.title:
            raise ValueError("title: write the objective as one line")
        weeks = [m.week for m in self.milestones]
        if weeks != sorted(weeks):
            raise ValueError("milestones: list them in the order of their weeks")
        if weeks and weeks[-1] > self.timebox_weeks:
            raise ValueError(
                f"milestones: week {weeks[-1]} is after the objective's timebox "
                f"of {self.timebox_weeks} weeks"
            )
        return self


class TemplateContent(_Model):
    """What a template says, whoever wrote it."""

    title: str = Field(min_length=1, max_length=200)
    summary: str = ""
    duration_weeks: int = Field(ge=1, le=104)
    evidence: list[str] = Field(default=[], max_length=8)
    objectives: list[TemplateObjective] = Field(min_length=1, max_length=5)

    @model_validator(mode="after")
    def _objectives_fit_the_duration(self) -> TemplateContent:
        for i, objective in enumerate(self.objectives):
            if objective.timebox_weeks > self.duration_weeks:
                raise ValueError(
                    f"objectives[{i}].timebox_weeks: {objective.timebox_weeks} is longer than "
                    f"the template's {self.duration_weeks} weeks"
                )
        return self


class LibraryTemplate(TemplateContent):
    """A built-in template: the file format's tighter bounds (see docs/roadmaps.md)."""

    key: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=90)
    track: str = Field(min_length=1)
    from_step: str = Field(min_length=1)
    to_step: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=80)
    summary: str = Field(min_length=1)
    duration_weeks: int = Field(ge=4, le=52)
    evidence: list[str] = Field(min_length=2, max_length=4)
    objectives: list[TemplateObjective] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _library_bounds(self) -> LibraryTemplate:
        for i, o in enumerate(self.objectives):
            where = f"objectives[{i}]"
            if not 1 <= len(o.success_criteria) <= 3:
                raise ValueError(f"{where}.success_criteria: give 1 to 3")
            if not 1 <= len(o.stakeholders) <= 3:
                raise ValueError(f"{where}.stakeholders: give 1 to 3")
            if not 2 <= len(o.milestones) <= 4:
                raise ValueError(f"{where}.milestones: give 2 to 4")
            if not o.description:
                raise ValueError(f"{where}.description: describe the objective")
        return self


class LibraryFile(_Model):
    """One file of the built-in library: a competency's templates."""

    framework: str = Field(min_length=1)
    competency: str = Field(min_length=1)
    templates: list[LibraryTemplate] = Field(min_length=1)


def _location(error: Any) -> str:
    loc = ""
    for part in error.get("loc", ()):
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    return loc


def _message(error: Any) -> str:
    return str(error.get("msg", "")).removeprefix("Value error, ")


def validate_objectives(data: Any, *, field: str = "objectives") -> list[TemplateObjective]:
    """Plain data as a template's objectives, or Invalid naming the first bad field
    (e.g. "objectives[1].title")."""
    if not isinstance(data, list) or not data:
        raise Invalid("Give the template at least one objective.", field=field)
    out = []
    for i, item in enumerate(data):
        try:
            out.append(TemplateObjective.model_validate(item))
        except ValidationError as exc:
            error = exc.errors()[0]
            loc = _location(error)
            where = f"{field}[{i}].{loc}" if loc else f"{field}[{i}]"
            # A validator's message starts with the field it is about.
            head, sep, rest = _message(error).partition(": ")
            if sep and not loc:
                where, message = f"{field}[{i}].{head}", rest
            else:
                message = _message(error)
            raise Invalid(f"{where}: {message}", field=where) from None
    return out


def check_title(title: str, *, competency: str = "") -> Check:
    """The specificity check of a template objective's title on its own: a template is
    applied at any time and by anyone, so the sentence must carry the whole plan."""
    return check_objective(title, competency=competency)


# The built-in library ---------------------------------------------------------------


class LibraryError(ValueError):
    """A library file is not valid; the message names the file and the field."""


def library_files(directory: Path = LIBRARY_DIR) -> list[Path]:
    """Every file of the built-in library, in a stable order."""
    return sorted(directory.glob("*/*.yaml"))


def read_file(path: Path, frameworks: dict[str, FrameworkDocument]) -> LibraryFile:
    """One library file, validated and checked against the framework it names."""
    name = f"{path.parent.name}/{path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        content = LibraryFile.model_validate(data)
    except yaml.YAMLError as exc:
        raise LibraryError(f"{name}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{_location(e)}: {_message(e)}" for e in exc.errors())
        raise LibraryError(f"{name}: {problems}") from None
    if content.framework != path.parent.name:
        raise LibraryError(f"{name}: framework: '{content.framework}' is not the folder's name")
    if path.name.split(".")[0] != content.competency:
        raise LibraryError(f"{name}: competency: '{content.competency}' is not the file's name")
    doc = frameworks.get(content.framework)
    if doc is None:
        raise LibraryError(f"{name}: framework: no built-in framework '{content.framework}'")
    _check_steps(name, doc, content)
    return content


def _check_steps(name: str, doc: FrameworkDocument, content: LibraryFile) -> None:
    try:
        doc.competency(content.competency)
    except KeyError:
        raise LibraryError(
            f"{name}: competency: '{content.competency}' is not in {doc.name}"
        ) from None
    for i, t in enumerate(content.templates):
        where = f"{name}: templates[{i}]"
        if t.track not in {track.key for track in doc.tracks}:
            raise LibraryError(f"{where}.track: '{t.track}' is not a track of {doc.name}")
        steps = [s.key for s in doc.steps(content.competency, t.track)]
        for attr in ("from_step", "to_step"):
            if getattr(t, attr) not in steps:
                raise LibraryError(
                    f"{where}.{attr}: '{getattr(t, attr)}' is not a step of "
                    f"'{content.competency}' on track '{t.track}' (steps: {', '.join(steps)})"
                )
        if steps.index(t.to_step) <= steps.index(t.from_step):
            raise LibraryError(f"{where}.to_step: '{t.to_step}' is not above '{t.from_step}'")


def builtin_frameworks() -> dict[str, FrameworkDocument]:
    """The built-in framework documents by key, read from their files."""
    out = {}
    for path in sorted(FRAMEWORK_LIBRARY_DIR.glob("*.yaml")):
        doc = FrameworkDocument.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        out[doc.key] = doc
    return out


def read_library(directory: Path = LIBRARY_DIR) -> list[LibraryFile]:
    """Every library file, validated; the first problem raises LibraryError."""
    frameworks = builtin_frameworks()
    files = [read_file(path, frameworks) for path in library_files(directory)]
    seen: dict[str, str] = {}
    for content in files:
        for t in content.templates:
            key = stored_key(content.framework, t.key)
            if key in seen:
                raise LibraryError(
                    f"{content.framework}/{content.competency}: key: '{t.key}' is used twice"
                )
            seen[key] = t.key
    return files


def stored_key(framework_key: str, key: str) -> str:
    """A library template's key in the database: unique across frameworks."""
    return f"{framework_key}-{key}"


@transaction.atomic
def load_library(
    *, directory: Path = LIBRARY_DIR, progress: Callable[[str], None] = lambda _m: None
) -> int:
    """Publish the built-in templates: new and changed ones are written, templates no
    longer in any file are archived. Returns how many were created or changed."""
    files = read_library(directory)
    now = timezone.now()
    existing = {t.key: t for t in RoadmapTemplate.objects.filter(organization=None)}
    changed, kept = 0, set()
    for content in files:
        for t in content.templates:
            key = stored_key(content.framework, t.key)
            kept.add(key)
            values = _values(content, t)
            row = existing.get(key)
            if row is None:
                RoadmapTemplate.objects.create(key=key, published_at=now, **values)
                changed += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
                changed += 1
    gone = [k for k, row in existing.items() if k not in kept and row.author_id is None]
    RoadmapTemplate.objects.filter(organization=None, key__in=gone).exclude(
        status=TemplateStatus.ARCHIVED
    ).update(status=TemplateStatus.ARCHIVED)
    total = sum(len(c.templates) for c in files)
    progress(f"roadmap templates: {total} in the library, {changed} new or changed")
    return changed


def _values(content: LibraryFile, t: LibraryTemplate) -> dict[str, Any]:
    return {
        "framework_key": content.framework,
        "competency": content.competency,
        "track": t.track,
        "from_step": t.from_step,
        "to_step": t.to_step,
        "title": t.title,
        "summary": t.summary,
        "duration_weeks": t.duration_weeks,
        "evidence": list(t.evidence),
        "objectives": [o.model_dump(mode="json") for o in t.objectives],
        "author_name": LIBRARY_AUTHOR,
        "author_credentials": LIBRARY_CREDENTIALS,
        "status": TemplateStatus.PUBLISHED,
    }

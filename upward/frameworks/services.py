"""Writes for frameworks and their versions. Published versions never change."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.engine.edit import EditError
from upward.engine.formats import read_many
from upward.engine.framework import ImportResult
from upward.engine.framework.models import FrameworkDocument
from upward.engine.issues import FrameworkError, Issue
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion, Owner, VersionStatus
from upward.frameworks.selectors import document_of

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


def _next_number(framework: Framework) -> int:
    latest = framework.versions.aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


@transaction.atomic
def create_version(
    *,
    document: FrameworkDocument,
    organization: Organization | None,
    by: User | None,
    source_format: str = "",
    source_name: str = "",
    warnings: list[dict[str, Any]] | None = None,
) -> FrameworkVersion:
    """Store a document as a new draft of its framework (created if new to the owner)."""
    owner = _owner_of(organization)
    framework, created = Framework.objects.get_or_create(
        organization=organization,
        key=document.key,
        defaults={
            "name": document.name,
            "description": document.description,
            "owner": owner,
            "created_by": by,
        },
    )
    if not created and framework.versions.filter(status=VersionStatus.DRAFT).exists():
        raise Conflict(
            f"'{framework.name}' already has a draft. Publish or discard it before importing again."
        )
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=_next_number(framework),
        document=document.to_dict(),
        content_hash=document.content_hash(),
        source_format=source_format,
        source_name=source_name[:255],
        warnings=warnings or [],
        created_by=by,
    )
    audit.record(
        version,
        AuditCode.FRAMEWORK_VERSION_IMPORTED
        if source_format
        else AuditCode.FRAMEWORK_DRAFT_CREATED,
        actor=by,
        organization=organization,
        data={"framework": framework.key, "version": version.number, "format": source_format},
    )
    return version


def _owner_of(organization: Organization | None) -> str:
    if organization is None:
        return Owner.LIBRARY
    return Owner.PERSON if organization.is_personal else Owner.ORGANIZATION


@transaction.atomic
def publish_version(*, version: FrameworkVersion, by: User | None) -> FrameworkVersion:
    """Freeze a draft; the version it replaces is archived (and stays readable)."""
    if version.status != VersionStatus.DRAFT:
        raise Conflict(
            f"Version {version.number} is {version.status}; only drafts can be published."
        )
    previous = version.framework.versions.filter(status=VersionStatus.PUBLISHED)
    previous.update(status=VersionStatus.ARCHIVED)
    document = document_of(version)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    framework = version.framework
    framework.name, framework.description = document.name, document.description
    framework.save(update_fields=["name", "description"])
    audit.record(
        version,
        AuditCode.FRAMEWORK_VERSION_PUBLISHED,
        actor=by,
        organization=framework.organization,
        data={"framework": framework.key, "version": version.number},
    )
    return version


@transaction.atomic
def start_draft(*, framework: Framework, by: User) -> FrameworkVersion:
    """Begin editing: a new draft copied from the current published version."""
    if framework.versions.filter(status=VersionStatus.DRAFT).exists():
        raise Conflict("This framework already has a draft; edit that one.")
    current = framework.versions.filter(status=VersionStatus.PUBLISHED).first()
    if current is None:
        raise Conflict("There is no published version to start a draft from.")
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=_next_number(framework),
        document=current.document,
        content_hash=current.content_hash,
        created_by=by,
        note=f"Edited from version {current.number}",
    )
    audit.record(
        version,
        AuditCode.FRAMEWORK_DRAFT_CREATED,
        actor=by,
        organization=framework.organization,
        data={"framework": framework.key, "version": version.number, "from": current.number},
    )
    return version


@transaction.atomic
def update_draft(*, version: FrameworkVersion, data: dict[str, Any], by: User) -> FrameworkVersion:
    """Replace a draft's document after validating it; the key can't change."""
    if version.status != VersionStatus.DRAFT:
        raise Conflict("Published versions never change; start a draft to edit.")
    document = validate_document(data)
    if document.key != version.framework.key:
        raise Invalid("The framework key can't change in a new version.", field="document.key")
    version.document = document.to_dict()
    version.content_hash = document.content_hash()
    version.save(update_fields=["document", "content_hash"])
    audit.record(
        version,
        AuditCode.FRAMEWORK_DRAFT_EDITED,
        actor=by,
        organization=version.framework.organization,
        data={"framework": version.framework.key, "version": version.number},
    )
    return version


@transaction.atomic
def discard_draft(*, version: FrameworkVersion, by: User) -> None:
    """Throw a draft away; a framework left with no versions goes with it."""
    if version.status != VersionStatus.DRAFT:
        raise Conflict("Only drafts can be discarded.")
    framework = version.framework
    audit.record(
        version,
        AuditCode.FRAMEWORK_DRAFT_DISCARDED,
        actor=by,
        organization=framework.organization,
        data={"framework": framework.key, "version": version.number},
    )
    version.delete()
    if not framework.versions.exists():
        framework.delete()


@transaction.atomic
def load_library(
    *, directory: Path = LIBRARY_DIR, progress: Callable[[str], None] = lambda _m: None
) -> list[FrameworkVersion]:
    """Publish the built-in frameworks; a file whose content changed becomes a new version."""
    published = []
    for path in sorted(directory.glob("*.yaml")):
        document = validate_document(yaml.safe_load(path.read_text(encoding="utf-8")))
        framework = Framework.objects.filter(organization=None, key=document.key).first()
        if framework is not None:
            current = framework.versions.filter(status=VersionStatus.PUBLISHED).first()
            if current is not None and current.content_hash == document.content_hash():
                progress(f"{document.name}: up to date (version {current.number})")
                continue
        version = create_version(
            document=document, organization=None, by=None, source_name=path.name
        )
        publish_version(version=version, by=None)
        progress(f"{document.name}: published version {version.number}")
        published.append(version)
    return published


def _issue_fields(issues: list[Issue]) -> list[dict[str, str]]:
    out = []
    for issue in issues:
        where = issue.file or ""
        if issue.line is not None:
            where = f"{where}:{issue.line}" if where else f"line {issue.line}"
        path = " ".join(part for part in (where, issue.path) if part)
        out.append({"path": path, "message": issue.message})
    return out


def read_upload(files: dict[str, bytes]) -> ImportResult:
    """Read uploaded files as a framework, or raise Invalid listing every located error."""
    try:
        return read_many(files)
    except FrameworkError as exc:
        raise Invalid(
            f"The framework could not be imported ({len(exc.issues)} "
            f"problem{'s' if len(exc.issues) != 1 else ''}):\n{exc.message}",
            field="file",
            issues=_issue_fields(exc.issues),
        ) from None


@transaction.atomic
def import_framework(
    *,
    files: dict[str, bytes],
    organization: Organization | None,
    by: User | None,
    mode: str = "new",
    target: Framework | None = None,
) -> FrameworkVersion:
    """Import uploaded files as a new framework or as the next draft of `target`
    (see `store_import`), warnings kept for the preview; all or nothing."""
    result = read_upload(files)
    return store_import(
        document=result.framework,
        organization=organization,
        by=by,
        mode=mode,
        target=target,
        source_format=result.format,
        source_name=", ".join(sorted(files)),
        warnings=[w.as_dict() for w in result.warnings],
    )


class ImportMode(StrEnum):
    NEW = "new"  # a new framework; its key must be free in the organization
    VERSION = "version"  # the next draft version of a chosen framework


@transaction.atomic
def store_import(
    *,
    document: FrameworkDocument,
    organization: Organization | None,
    by: User | None,
    mode: str,
    target: Framework | None = None,
    source_format: str,
    source_name: str,
    warnings: list[dict[str, Any]],
) -> FrameworkVersion:
    """Store a read framework as a new framework or as the next draft version of `target`."""
    if mode == ImportMode.NEW:
        _check_key_free(document, organization)
    elif mode == ImportMode.VERSION:
        document, warnings = _as_version_of(document, target, organization, warnings)
    else:
        raise Invalid("mode: choose 'new' or 'version'.", field="mode")
    return create_version(
        document=document,
        organization=organization,
        by=by,
        source_format=source_format,
        source_name=source_name,
        warnings=warnings,
    )


def _check_key_free(document: FrameworkDocument, organization: Organization | None) -> None:
    taken = Framework.objects.filter(organization=organization, key=document.key).first()
    if taken is not None:
        raise Conflict(
            f"mode: a framework with the key '{document.key}' already exists here"
            f" ({taken.name}). Import it as a new version of that framework"
            " (mode 'version'), or change the key in the file.",
            field="mode",
        )


def _as_version_of(
    document: FrameworkDocument,
    target: Framework | None,
    organization: Organization | None,
    warnings: list[dict[str, Any]],
) -> tuple[FrameworkDocument, list[dict[str, Any]]]:
    # A version keeps its framework's key, whatever the file calls it.
    if target is None:
        raise Invalid(
            "target_framework_id: choose the framework to add a version to.",
            field="target_framework_id",
        )
    if target.organization_id != (organization.pk if organization else None):
        raise Invalid(
            "target_framework_id: that framework belongs to another organization.",
            field="target_framework_id",
        )
    if document.key == target.key:
        return document, warnings
    note = Issue(
        "key",
        f"the file's key '{document.key}' became '{target.key}', the key of"
        " the framework it is a version of",
        severity="warning",
    ).as_dict()
    return validate_document({**document.to_dict(), "key": target.key}), [note, *warnings]


def edit_draft(
    *, version: FrameworkVersion, by: User, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> FrameworkVersion:
    """Apply one editor operation (see upward.engine.edit) to a draft and store the result."""
    try:
        data = change(version.document)
    except EditError as exc:
        raise Invalid(str(exc), field=exc.field) from None
    return update_draft(version=version, data=data, by=by)

"""API for career frameworks: the library, imports, drafts, publishing, export."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import Organization, User
from upward.core.errors import Invalid
from upward.core.schemas import ErrorOut, Id, Pages, VersionNumber
from upward.engine import edit
from upward.engine.diff import diff
from upward.engine.formats import FORMATS, writable_formats, write
from upward.engine.framework import framework_json_schema
from upward.frameworks import access, imports, selectors, services
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of

router = Router(tags=["frameworks"])


class FrameworkOut(Schema):
    id: int
    key: str
    name: str
    description: str
    owner: str
    organization: str | None = Field(None, description="Slug of the owning organization")
    current_version: int | None
    draft_version: int | None


class VersionOut(Schema):
    number: int
    status: str
    content_hash: str
    source_format: str
    source_name: str
    note: str
    created_at: datetime
    published_at: datetime | None


class VersionDetailOut(VersionOut):
    warnings: list[dict[str, Any]]
    document: dict[str, Any]


class FrameworkDetailOut(FrameworkOut):
    versions: list[VersionOut]


ImportModeName = Literal["new", "version"]
MODE_HELP = (
    "'new': a new framework (refused with 409 when its key is taken here);"
    " 'version': the next draft version of target_framework_id"
)
TARGET_HELP = "The framework to add a version to (with mode 'version')"


class ImportTargetOut(Schema):
    id: int
    key: str
    name: str


class ImportPreviewOut(Schema):
    token: str = Field(description="Send it to /frameworks/import/confirm to store the upload")
    expires_in: int = Field(description="Seconds the token stays valid")
    key: str
    name: str
    format: str
    source_name: str
    counts: dict[str, int] = Field(
        description="areas, competencies, tracks, levels and expectations"
    )
    warnings: list[dict[str, Any]]
    key_taken_by: int | None = Field(
        description="Id of the framework here that already has this key, if any"
    )
    targets: list[ImportTargetOut] = Field(
        description="Frameworks of the organization a new version may be added to"
    )


class ImportConfirmIn(Schema):
    token: str = Field(max_length=64)
    mode: ImportModeName
    target_framework_id: int | None = Field(None, description=TARGET_HELP)


class CellIn(Schema):
    competency: str
    level: str
    summary: str = Field("", max_length=4000)
    signals: list[str] = Field(default_factory=list, max_length=20)
    examples: list[str] = Field(default_factory=list, max_length=20)
    step: str | None = None


class DocumentIn(Schema):
    document: dict[str, Any]


def _framework_out(fw: Framework) -> FrameworkOut:
    current = getattr(fw, "current_number", None)
    draft = getattr(fw, "draft_number", None)
    if not hasattr(fw, "current_number"):
        published = selectors.current_version(fw)
        current = published.number if published else None
        found = fw.versions.filter(status="draft").first()
        draft = found.number if found else None
    return FrameworkOut(
        id=fw.pk,
        key=fw.key,
        name=fw.name,
        description=fw.description,
        owner=fw.owner,
        organization=fw.organization.slug if fw.organization else None,
        current_version=current,
        draft_version=draft,
    )


def _version_detail(version: FrameworkVersion) -> VersionDetailOut:
    return VersionDetailOut(
        number=version.number,
        status=version.status,
        content_hash=version.content_hash,
        source_format=version.source_format,
        source_name=version.source_name,
        note=version.note,
        created_at=version.created_at,
        published_at=version.published_at,
        warnings=version.warnings,
        document=version.document,
    )


@router.get("/frameworks", response=list[FrameworkOut])
@paginate(Pages, page_size=50)
def list_frameworks(request: HttpRequest) -> list[FrameworkOut]:
    """The library and your organizations' frameworks (drafts show only to their editors)."""
    user = api_caller(request)
    out = []
    for fw in selectors.visible_frameworks(user):
        item = _framework_out(fw)
        if item.draft_version is not None and not access.can_change(user, fw):
            item.draft_version = None
        out.append(item)
    return out


@router.get("/frameworks/schema", response=dict[str, Any])
def get_framework_schema(request: HttpRequest) -> dict[str, Any]:
    """JSON Schema of the framework document (Upward YAML/JSON)."""
    return framework_json_schema()


# Declared before /frameworks/{framework_id}, which would otherwise claim the path.
@router.post("/frameworks/import", response={201: VersionDetailOut, 404: ErrorOut, 409: ErrorOut})
def create_framework_import(
    request: HttpRequest,
    files: list[UploadedFile] = File(...),  # noqa: B008 (ninja's way of declaring uploads)
    organization: str = Form(..., description="Slug of the organization (admins only)"),
    mode: ImportModeName = Form("new", description=MODE_HELP),  # noqa: B008
    target_framework_id: int | None = Form(None, description=TARGET_HELP),
) -> Status:
    """Import a framework from files, a ZIP or several files, as a draft in one step."""
    user = api_caller(request)
    own = access_organization(user, organization, admin=True)
    target = _import_target(user, mode, target_framework_id)
    version = services.import_framework(
        files=_uploaded(files), organization=own.organization, by=user, mode=mode, target=target
    )
    return Status(201, _version_detail(version))


@router.post("/frameworks/import/preview", response={200: ImportPreviewOut, 404: ErrorOut})
def create_framework_import_preview(
    request: HttpRequest,
    files: list[UploadedFile] = File(...),  # noqa: B008 (ninja's way of declaring uploads)
    organization: str = Form(..., description="Slug of the organization (admins only)"),
) -> ImportPreviewOut:
    """Read an upload and say what it holds; confirm it with the token within the hour."""
    user = api_caller(request)
    own = access_organization(user, organization, admin=True)
    pending = imports.preview_import(files=_uploaded(files), organization=own.organization, by=user)
    return _preview_out(pending, own.organization)


@router.post(
    "/frameworks/import/confirm", response={201: VersionDetailOut, 404: ErrorOut, 409: ErrorOut}
)
def create_framework_import_confirm(request: HttpRequest, payload: ImportConfirmIn) -> Status:
    """Store a previewed upload as a new framework, or as a new draft version of one."""
    user = api_caller(request)
    pending = imports.pending_import(token=payload.token, by=user)
    own = access_organization(user, pending.organization_slug, admin=True)
    target = _import_target(user, payload.mode, payload.target_framework_id)
    version = imports.confirm_import(
        pending=pending, organization=own.organization, by=user, mode=payload.mode, target=target
    )
    return Status(201, _version_detail(version))


def _uploaded(files: list[UploadedFile]) -> dict[str, bytes]:
    return {f.name or f"upload-{i}": f.read() for i, f in enumerate(files)}


def _import_target(user: User, mode: str, framework_id: int | None) -> Framework | None:
    if mode != "version" or framework_id is None:
        return None
    return access.access_framework(user, framework_id, write=True)


def _preview_out(pending: imports.PendingImport, organization: Organization) -> ImportPreviewOut:
    document = pending.framework()
    targets = selectors.frameworks_in(organization)
    return ImportPreviewOut(
        token=pending.token,
        expires_in=imports.PENDING_SECONDS,
        key=document.key,
        name=document.name,
        format=pending.format,
        source_name=pending.source_name,
        counts=imports.counts(document),
        warnings=pending.warnings,
        key_taken_by=next((fw.pk for fw in targets if fw.key == document.key), None),
        targets=[ImportTargetOut(id=fw.pk, key=fw.key, name=fw.name) for fw in targets],
    )


@router.get("/frameworks/{framework_id}", response=FrameworkDetailOut)
def get_framework(request: HttpRequest, framework_id: Id) -> FrameworkDetailOut:
    """A framework and its versions (drafts only for those who may edit)."""
    user = api_caller(request)
    fw = access.access_framework(user, framework_id)
    editor = access.can_change(user, fw)
    versions = [
        VersionOut.model_validate(v, from_attributes=True)
        for v in selectors.versions_of(fw)
        if editor or v.status != "draft"
    ]
    return FrameworkDetailOut(**_framework_out(fw).model_dump(), versions=versions)


@router.get("/frameworks/{framework_id}/versions/{number}", response=VersionDetailOut)
def get_framework_version(
    request: HttpRequest, framework_id: Id, number: VersionNumber
) -> VersionDetailOut:
    """One version with its full document."""
    return _version_detail(access.access_version(api_caller(request), framework_id, number))


@router.post("/frameworks/{framework_id}/drafts", response={201: VersionDetailOut, 409: ErrorOut})
def create_framework_draft(request: HttpRequest, framework_id: Id) -> Status:
    """Start editing: a draft copied from the published version."""
    fw = access.access_framework(api_caller(request), framework_id, write=True)
    return Status(201, _version_detail(services.start_draft(framework=fw, by=api_caller(request))))


@router.put(
    "/frameworks/{framework_id}/versions/{number}",
    response={200: VersionDetailOut, 409: ErrorOut},
)
def update_framework_version(
    request: HttpRequest, framework_id: Id, number: VersionNumber, payload: DocumentIn
) -> VersionDetailOut:
    """Replace a draft's whole document (validated; published versions never change)."""
    version = access.access_version(api_caller(request), framework_id, number, write=True)
    services.update_draft(version=version, data=payload.document, by=api_caller(request))
    return _version_detail(version)


@router.patch(
    "/frameworks/{framework_id}/versions/{number}/cells",
    response={200: VersionDetailOut, 409: ErrorOut},
)
def update_framework_cell(
    request: HttpRequest, framework_id: Id, number: VersionNumber, payload: CellIn
) -> VersionDetailOut:
    """Edit one cell (competency x level) of a draft."""
    version = access.access_version(api_caller(request), framework_id, number, write=True)
    services.edit_draft(
        version=version,
        by=api_caller(request),
        change=lambda doc: edit.set_cell(
            doc,
            competency=payload.competency,
            level=payload.level,
            summary=payload.summary,
            signals=payload.signals,
            examples=payload.examples,
            step=payload.step,
        ),
    )
    return _version_detail(version)


@router.post(
    "/frameworks/{framework_id}/versions/{number}/publish",
    response={200: VersionDetailOut, 409: ErrorOut},
)
def create_framework_publication(
    request: HttpRequest, framework_id: Id, number: VersionNumber
) -> VersionDetailOut:
    """Publish a draft; it can never change again."""
    version = access.access_version(api_caller(request), framework_id, number, write=True)
    return _version_detail(services.publish_version(version=version, by=api_caller(request)))


@router.delete("/frameworks/{framework_id}/versions/{number}", response={204: None, 409: ErrorOut})
def delete_framework_version(
    request: HttpRequest, framework_id: Id, number: VersionNumber
) -> Status:
    """Discard a draft."""
    version = access.access_version(api_caller(request), framework_id, number, write=True)
    services.discard_draft(version=version, by=api_caller(request))
    return Status(204, None)


class DiffOut(Schema):
    old: int
    new: int
    summary: str
    changes: dict[str, Any]


@router.get("/frameworks/{framework_id}/diff", response=DiffOut)
def get_framework_diff(
    request: HttpRequest,
    framework_id: Id,
    old: VersionNumber | None = None,
    new: VersionNumber | None = None,
) -> DiffOut:
    """What changed between two versions: `new` defaults to the latest you may see,
    `old` to the version before it."""
    user = api_caller(request)
    fw = access.access_framework(user, framework_id)
    if new is None:
        versions = fw.versions.all()
        if not access.can_change(user, fw):
            versions = versions.exclude(status=VersionStatus.DRAFT)
        latest = versions.first()  # newest first
        if latest is None:
            raise Invalid("This framework has no version to compare.", field="new")
        new = latest.number
    after = access.access_version(user, framework_id, new)
    before = access.access_version(user, framework_id, old if old is not None else max(1, new - 1))
    changes = diff(document_of(before), document_of(after))
    return DiffOut(
        old=before.number,
        new=after.number,
        summary=changes.summary() if not changes.empty else "No differences.",
        changes=changes.to_dict(),
    )


# Every written format, as the schema's enum (a test keeps it equal to writable_formats()).
ExportFormat = Literal["case", "json", "yaml", "csv", "xlsx", "markdown", "html"]


def _export_body(media_type: str) -> dict[str, str]:
    """JSON and YAML exports are one document; the other formats are files."""
    if media_type in {"application/json", "application/yaml"}:
        return {"type": "object"}
    return {"type": "string", "format": "binary"}


@router.get(
    "/frameworks/{framework_id}/versions/{number}/export",
    openapi_extra={
        "responses": {
            200: {
                "description": "The version as a file in the asked format",
                "content": {
                    spec.media_type: {"schema": _export_body(spec.media_type)}
                    for spec in writable_formats()
                },
            }
        }
    },
)
def get_framework_export(
    request: HttpRequest, framework_id: Id, number: VersionNumber, format: ExportFormat = "yaml"
) -> HttpResponse:
    """Download a version in any written format (yaml, json, csv, xlsx, ...)."""
    version = access.access_version(api_caller(request), framework_id, number)
    spec = FORMATS[format]
    body = write(document_of(version), format)
    response = HttpResponse(body, content_type=spec.media_type)
    filename = f"{version.framework.key}-v{version.number}.{spec.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

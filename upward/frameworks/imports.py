"""Importing a framework in two steps: read the upload and show what it holds, then
store it as the person chooses (a new framework, or a new draft version of one of
theirs).

Between the two steps the parsed upload waits server-side in the shared cache for
PENDING_SECONDS under a random token, tied to the person and the organization; the
client only sends the token back, so nothing it holds is trusted. The stored
document is validated again when it is confirmed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction

from upward.accounts.models import Organization, User
from upward.core.errors import Invalid
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion
from upward.frameworks.services import read_upload, store_import

PENDING_SECONDS = 60 * 60
_CACHE_PREFIX = "framework-import:"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class PendingImport:
    """An upload read and waiting for the person's choice."""

    token: str
    user_id: int
    organization_id: int
    organization_slug: str
    document: dict[str, Any]
    format: str
    source_name: str
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def framework(self) -> FrameworkDocument:
        """The document, validated again (the cache is not trusted more than the upload)."""
        return validate_document(self.document)


def counts(document: FrameworkDocument) -> dict[str, int]:
    """How many areas, competencies, tracks, levels and expectations a framework holds."""
    levels = {lv.key for t in document.tracks for lv in document.levels_of(t.key)}
    return {
        "areas": len(document.areas),
        "competencies": len(document.competencies),
        "tracks": len(document.tracks),
        "levels": len(levels),
        "expectations": len(document.expectations),
    }


def preview_import(
    *, files: dict[str, bytes], organization: Organization, by: User
) -> PendingImport:
    """Read an upload and keep it for PENDING_SECONDS; nothing is stored as a framework yet."""
    result = read_upload(files)
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        user_id=by.pk,
        organization_id=organization.pk,
        organization_slug=organization.slug,
        document=result.framework.to_dict(),
        format=result.format,
        source_name=", ".join(sorted(files)),
        warnings=[w.as_dict() for w in result.warnings],
    )
    cache.set(_CACHE_PREFIX + pending.token, asdict(pending), PENDING_SECONDS)
    return pending


def pending_import(*, token: str, by: User) -> PendingImport:
    """The upload waiting under `token`, if it is this person's and has not expired."""
    data = cache.get(_CACHE_PREFIX + token) if _TOKEN.match(token) else None
    if data is None or data.get("user_id") != by.pk:
        raise Invalid(
            "This import has expired or was already used: upload the file again.", field="token"
        )
    return PendingImport(**data)


@transaction.atomic
def confirm_import(
    *,
    pending: PendingImport,
    organization: Organization,
    by: User,
    mode: str,
    target: Framework | None = None,
) -> FrameworkVersion:
    """Store a previewed upload as chosen; the preview can't be used twice."""
    if pending.organization_id != organization.pk:
        raise Invalid("This import was previewed for another organization.", field="token")
    version = store_import(
        document=pending.framework(),
        organization=organization,
        by=by,
        mode=mode,
        target=target,
        source_format=pending.format,
        source_name=pending.source_name,
        warnings=pending.warnings,
    )
    cache.delete(_CACHE_PREFIX + pending.token)  # the database cache: undone with a failure
    return version

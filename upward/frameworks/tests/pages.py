"""Helpers for the framework page tests: publishing a document, version addresses, a
snapshot of everything a framework write could touch.
"""

from __future__ import annotations

from pathlib import Path

from upward.core.models import AuditEvent
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion
from upward.frameworks.selectors import document_of

FIXTURES = Path(__file__).resolve().parents[2] / "engine" / "tests" / "fixtures"


def publish(document: dict, org, by) -> FrameworkVersion:
    version = services.create_version(document=validate_document(document), organization=org, by=by)
    return services.publish_version(version=version, by=by)


def fw_url(version: FrameworkVersion, tail: str = "") -> str:
    return f"/frameworks/{version.framework_id}/v/{version.number}/{tail}"


def snapshot() -> tuple[object, ...]:
    """Everything a framework write could touch."""
    return (
        Framework.objects.count(),
        tuple(FrameworkVersion.objects.values_list("number", "status", "content_hash")),
        AuditEvent.objects.count(),
    )


def fresh_document(version: FrameworkVersion):
    """The version's document as stored now."""
    version.refresh_from_db()
    return document_of(version)

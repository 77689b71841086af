"""Reads for frameworks: what a person can see, and versions with their documents."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from upward.accounts.models import Organization, User
from upward.engine.framework.models import STORED, FrameworkDocument
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus


def visible_frameworks(user: User) -> QuerySet[Framework]:
    """The library plus the frameworks of the user's organizations, with their current version."""
    current = FrameworkVersion.objects.filter(
        framework=OuterRef("pk"), status=VersionStatus.PUBLISHED
    ).order_by("-number")
    draft = FrameworkVersion.objects.filter(framework=OuterRef("pk"), status=VersionStatus.DRAFT)
    return (
        Framework.objects.filter(
            Q(organization__isnull=True) | Q(organization__memberships__user=user)
        )
        .select_related("organization")
        .annotate(
            current_number=Subquery(current.values("number")[:1]),
            draft_number=Subquery(draft.values("number")[:1]),
        )
        .distinct()
        .order_by("organization__name", "name")
    )


def current_version(framework: Framework) -> FrameworkVersion | None:
    """The published version, or None when nothing is published yet."""
    return framework.versions.filter(status=VersionStatus.PUBLISHED).first()


def current_versions(frameworks: Iterable[Framework]) -> dict[int, FrameworkVersion]:
    """The published version of each framework, documents included, in one query."""
    found = FrameworkVersion.objects.filter(
        framework__in=[fw.pk for fw in frameworks], status=VersionStatus.PUBLISHED
    )
    return {v.framework_id: v for v in found}


def versions_of(framework: Framework) -> QuerySet[FrameworkVersion]:
    """Every version, newest first, without their (large) documents."""
    return (
        framework.versions.defer("document")
        .select_related("created_by", "published_by")
        .order_by("-number")
    )


def document_of(version: FrameworkVersion) -> FrameworkDocument:
    """The parsed document of a stored version (cached: published versions never change)."""
    return _parse(version.pk, version.content_hash, _Frozen(version.document))


class _Frozen:
    """Carries the JSON into the cache without making it part of the key."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Frozen)


@lru_cache(maxsize=256)
def _parse(version_id: int, content_hash: str, data: _Frozen) -> FrameworkDocument:
    # The content hash is in the key, so an edited draft is parsed afresh.
    return FrameworkDocument.model_validate(data.data, context={STORED: True})


def frameworks_in(organization: Organization) -> QuerySet[Framework]:
    """An organization's own frameworks by name (an import may add a version to one)."""
    return Framework.objects.filter(organization=organization).order_by("name", "pk")

"""Framework documents as engine objects, parsed once per stored version."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from upward.core.errors import Invalid
from upward.engine.framework.models import STORED, FrameworkDocument
from upward.engine.limits import LimitExceeded, check_document
from upward.frameworks.models import FrameworkVersion


def validate_document(data: dict[str, Any]) -> FrameworkDocument:
    """Validate plain data as a framework document, or raise Invalid naming each problem."""
    try:
        check_document(data)
    except LimitExceeded as exc:
        raise Invalid(f"The framework is not valid: {exc}.", field="document") from None
    try:
        return FrameworkDocument.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors()]
        raise Invalid(
            "The framework is not valid: "
            + "; ".join(f"{loc}: {message}" if loc else message for loc, message in problems),
            field="document",
            issues=[
                {"path": f"body.document.{loc}" if loc else "body.document", "message": message}
                for loc, message in problems
            ],
        ) from None


def _describe(error: Any) -> tuple[str, str]:
    loc = ""
    for part in error.get("loc", ()):
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    return loc, str(error.get("msg", "")).removeprefix("Value error, ")


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

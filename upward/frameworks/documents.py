"""Framework documents from outside: plain data checked against the limits and the schema."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from upward.core.errors import Invalid
from upward.engine.framework.models import FrameworkDocument
from upward.engine.limits import LimitExceeded, check_document


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

"""Domain errors raised by services and translated once by the API and the views."""

from __future__ import annotations


class UpwardError(Exception):
    """Base for errors a user can act on; `message` is shown to them as is."""

    status = 400
    code = "error"

    def __init__(
        self, message: str, *, field: str | None = None, issues: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # Several located problems (an import's errors): each {"path": ..., "message": ...}.
        self.issues = issues or []


class Invalid(UpwardError):
    """The input is wrong; `field` names where, when one field is to blame."""

    status = 422
    code = "invalid"


class Conflict(UpwardError):
    """The request clashes with the current state (already done, duplicate, ...)."""

    status = 409
    code = "conflict"


class NotFound(UpwardError):
    """The thing does not exist, or the user may not know that it does."""

    status = 404
    code = "not_found"

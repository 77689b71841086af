"""The HTTP API: one NinjaAPI at /api/v1/, one router per app.

Errors always come back as
`{"error": {"code": ..., "message": ..., "fields": [{"path": ..., "message": ...}]}}`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer, SessionAuth

from upward.accounts.api import router as accounts_router
from upward.accounts.models import TokenScope, User
from upward.accounts.services import authenticate_token
from upward.assessments.api import public as feedback_links_router
from upward.assessments.api import router as assessments_router
from upward.core.errors import UpwardError
from upward.core.openapi import document_errors
from upward.core.uploads import LimitedJSONParser, UploadTooLarge
from upward.engine.limits import MAX_FILES, LimitExceeded, size_text
from upward.evidence.api import router as evidence_router
from upward.frameworks.api import router as frameworks_router
from upward.insights.api import router as insights_router
from upward.mentorship.api import router as mentorship_router
from upward.notifications.api import router as notifications_router
from upward.roadmaps.api import router as roadmaps_router

logger = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer upw_...` personal access tokens; read tokens can't write."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = authenticate_token(token)
        if found is None:
            raise AuthenticationError(401, "The access token is invalid, expired or revoked.")
        if request.method not in SAFE_METHODS and found.scope != TokenScope.WRITE:
            raise HttpError(403, "This access token is read-only; create one with write scope.")
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class UpwardAPI(NinjaAPI):
    """The NinjaAPI whose schema documents every error each operation can answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


api = UpwardAPI(
    title="Upward API",
    version="1",
    description=(
        "Competency-based career growth. Authenticate with a personal access token "
        "(`Authorization: Bearer upw_...`, created under Settings → API tokens) or, "
        "from the browser, with the session cookie and a CSRF token on writes."
    ),
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    parser=LimitedJSONParser(),
    urls_namespace="api",
)


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The one shape every API error has."""
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def _field_path(loc: Any) -> str:
    parts = [str(part) for part in loc] if isinstance(loc, list | tuple) else [str(loc)]
    # ninja puts the view's parameter name after "body" ("body.payload.name");
    # clients know the field as "body.name".
    if len(parts) > 2 and parts[0] == "body":
        del parts[1]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {"path": _field_path(e.get("loc", [])), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    message = "The request is not valid: " + "; ".join(
        f"{f['path']}: {f['message']}" for f in fields
    )
    return api.create_response(request, error_body("invalid", message, fields), status=422)


@api.exception_handler(UpwardError)
def _on_domain_error(request: HttpRequest, exc: UpwardError) -> HttpResponse:
    fields = [{"path": f"body.{exc.field}", "message": exc.message}] if exc.field else []
    fields += exc.issues
    return api.create_response(
        request, error_body(exc.code, exc.message, fields), status=exc.status
    )


@api.exception_handler(Http404)
def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "Not found."), status=404)


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja turns any failure to parse the body into a 400; the cause says why.
    if isinstance(exc.__cause__, UpwardError):
        return _on_domain_error(request, exc.__cause__)
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _on_too_big(request, exc.__cause__)
    if isinstance(exc.__cause__, LimitExceeded):
        message = f"The request body {exc.__cause__} (the limit for API requests)."
        return api.create_response(request, error_body("bad_request", message), status=400)
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        405: "method_not_allowed",
        429: "throttled",
    }
    code = codes.get(exc.status_code, "error")
    message = str(exc)
    if exc.status_code == 401 and message == "Unauthorized":
        message = "Sign in, or send a personal access token as 'Authorization: Bearer <token>'."
    if exc.status_code == 403 and message == "CSRF check Failed":
        code, message = (
            "csrf_failed",
            "CSRF check failed: send the X-CSRFToken header with session auth.",
        )
    return api.create_response(request, error_body(code, message), status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    message = str(exc)
    if not isinstance(exc, UploadTooLarge):
        limit = size_text(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        message = f"The request body is larger than {limit} (the limit for API requests)."
    return api.create_response(request, error_body("too_large", message), status=413)


@api.exception_handler(TooManyFilesSent)
def _on_too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    message = f"Upload at most {MAX_FILES} files at once (the limit for one import)."
    return api.create_response(request, error_body("bad_request", message), status=400)


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error", exc_info=exc)
    return api.create_response(
        request, error_body("server_error", "Something went wrong on our side."), status=500
    )


api.add_router("/", accounts_router)
api.add_router("/", frameworks_router)
api.add_router("/", assessments_router)
api.add_router("/", feedback_links_router)
api.add_router("/", notifications_router)
api.add_router("/", roadmaps_router)
api.add_router("/", evidence_router)
api.add_router("/", mentorship_router)
api.add_router("/", insights_router)

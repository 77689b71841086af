"""Documents in the OpenAPI schema every error an operation can answer.

Most errors follow from what an operation takes, so they are added here, once:
401 where auth applies, 403 on authenticated writes, 404 where the path names
an object, 400/413/422 where there is a body, 422 where a parameter can be
refused. Errors that depend on the operation's own rules (409 where a service
can raise `Conflict`, 404 for an object named in the body) are declared on the
route itself, as `409: ErrorOut`; this adds their description and body.
"""

from __future__ import annotations

from typing import Any

from upward.core.schemas import ErrorOut

ERROR_REF = "#/components/schemas/ErrorOut"

DESCRIPTIONS = {
    400: "The body could not be read (malformed JSON or form data).",
    401: "Not signed in, or the access token is invalid, expired or revoked.",
    403: (
        "Refused before running: a read-only token can't write, and a signed-in session "
        "writes only with its CSRF token (X-CSRFToken header)."
    ),
    404: "Not found, or not yours to see (the API never tells the two apart).",
    409: "The request clashes with the current state (already done, taken, or no longer open).",
    413: "The request body is too large.",
    422: "The input is not valid; `error.fields` names each problem.",
    429: "Too many requests; wait and try again.",
}
SESSION_ONLY_403 = (
    "Only a signed-in session (with its CSRF token) can do this; an access token can't. "
    "Tokens are made from a signed-in session, never by another token."
)
FREE_TEXT = {"type": "string"}
ANNOTATIONS = {"title", "description", "default", "examples"}


def document_errors(schema: dict[str, Any]) -> None:
    """Add to each operation of `schema` the error responses it can give, in the one error body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    _add_error_schemas(components)
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            for code in sorted(error_codes(method, operation)):
                operation["responses"][code] = _response(code, operation)


def error_codes(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses `operation` can answer: those its route declares and those its
    auth, path and input imply."""
    codes = {int(code) for code in operation["responses"] if int(code) >= 400}
    parameters = operation.get("parameters", [])
    if operation.get("security"):
        codes.add(401)
        if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
            codes.add(403)
    if any(p["in"] == "path" for p in parameters):
        codes.add(404)
    if "requestBody" in operation:
        codes |= {400, 413, 422}
    if any(_can_be_refused(p["schema"]) for p in parameters):
        codes.add(422)
    return codes


def _can_be_refused(parameter: dict[str, Any]) -> bool:
    """Whether validation can refuse a parameter: anything but free text can be."""
    rules = {key: value for key, value in parameter.items() if key not in ANNOTATIONS}
    return rules != FREE_TEXT


def _response(code: int, operation: dict[str, Any]) -> dict[str, Any]:
    description = DESCRIPTIONS.get(code, "An error.")
    if code == 403 and not _accepts_tokens(operation):
        description = SESSION_ONLY_403
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def _accepts_tokens(operation: dict[str, Any]) -> bool:
    return any("TokenAuth" in requirement for requirement in operation.get("security", []))


def _add_error_schemas(components: dict[str, Any]) -> None:
    body = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in body.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault("ErrorOut", body)

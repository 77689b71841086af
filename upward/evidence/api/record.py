"""The person's record through the API: export it (JSON or zip), import one into a new
personal space, and delete the account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from upward.accounts.current import api_caller
from upward.core.schemas import ErrorOut
from upward.evidence.selectors.record import export_record, record_zip
from upward.evidence.services import record as services

router = Router()


class ImportedOut(Schema):
    slug: str = Field(..., description="The new personal space the record went into")
    name: str


class DeleteMeIn(Schema):
    email: str = Field(..., description="Your email address, typed to confirm")


class SignedInOnly(SessionAuth):
    """The session cookie (with its CSRF token): an access token alone can't delete an
    account, whatever its scope."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            raise HttpError(
                403, "Deleting an account needs a signed-in session, not an access token."
            )
        return super().__call__(request)


@router.get("/me/record", response=dict[str, Any])
def get_record(request: HttpRequest) -> dict[str, Any]:
    """Everything you put in or received, as one JSON document (docs/record.schema.json).
    Anonymous feedback appears only as released aggregates, never one answer."""
    return export_record(api_caller(request))


@router.get("/me/record.zip", response={200: None})
def get_record_zip(request: HttpRequest) -> HttpResponse:
    """Your record as a zip: record.json, README.md, a readable record.html and one
    Markdown file per section."""
    response = HttpResponse(record_zip(api_caller(request)), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="upward-record.zip"'
    return response


@router.post("/me/record/import", response={201: ImportedOut, 413: ErrorOut, 422: ErrorOut})
def create_record_import(
    request: HttpRequest,
    record: UploadedFile = File(..., description="A record.json exported from Upward"),  # noqa: B008 (ninja's way of declaring uploads)
) -> Status:
    """Import a record exported from Upward (here or elsewhere) into a new personal space:
    frameworks by content hash, placements, ratings received, roadmap, evidence, your
    own posts and packets. Nothing is written unless all of it is right; errors name
    the JSON path."""
    org = services.import_record(
        user=api_caller(request), data=services.read_record_file(record.read())
    )
    return Status(201, ImportedOut(slug=org.slug, name=org.name))


# DELETE /me itself would be shadowed by the accounts router's GET /me (the first
# router to claim a path answers every method on it), so the account lives here.
@router.delete(
    "/me/account",
    response={204: None, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SignedInOnly(csrf=True),
)
def delete_account(request: HttpRequest, payload: DeleteMeIn) -> Status:
    """Delete your account and your own data; ratings, answers, confirmations and replies
    you gave others stay, anonymised. Type your email address to confirm. Only from a
    signed-in session: an access token can't delete the account."""
    user = api_caller(request)
    services.delete_account(user=user, by=user, email=payload.email)
    return Status(204, None)

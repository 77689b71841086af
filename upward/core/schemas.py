"""Types the API's schemas share: ids, version numbers, days, page numbers and the
error body.

Each declares its bounds in the OpenAPI schema, so a value the database can't
hold (an id past 2^63-1) or the engine can't work with (the year 1) is refused
with a 422 naming its field before any query runs.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, BeforeValidator

# The largest value a 64-bit signed integer column holds.
MAX_ID = 2**63 - 1
# Far past any real list, close enough that the offset stays a small number.
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
VersionNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    """Only a YYYY-MM-DD string (or a date) is a day: numbers are not timestamps here."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise ValueError("Use a date written as YYYY-MM-DD.")


def _in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"Use a date from {FIRST_DAY} to {LAST_DAY}.")
    return day


Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    AfterValidator(_in_range),
    Field(
        description=f"A date written as YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}.",
        json_schema_extra={"pattern": _ISO_DAY.pattern},
    ),
]


class Pages(PageNumberPagination):
    """Page-number pagination with declared bounds on `page` and `page_size`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class ErrorField(Schema):
    path: str = Field(..., description="Where the problem is, e.g. `body.email` or `query.page`")
    message: str


class ErrorDetail(Schema):
    code: str = Field(
        ...,
        description=(
            "Stable machine-readable reason: invalid, not_found, conflict, unauthenticated, "
            "forbidden, csrf_failed, bad_request, too_large, ..."
        ),
    )
    message: str = Field(..., description="A sentence to show the person")
    fields: list[ErrorField] = Field(..., description="Each located problem; may be empty")


class ErrorOut(Schema):
    error: ErrorDetail


class PersonOut(Schema):
    """Someone named in an answer: their id and how they are shown."""

    id: int
    name: str = Field(..., description="The person's name, or their address until they give one")

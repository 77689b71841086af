"""Request bodies and uploads refused early, before they cost memory or time.

Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and the number of files,
but not the bytes of the files themselves: this handler, first in
FILE_UPLOAD_HANDLERS, refuses a body whose declared length is too large before
reading any of it, and counts file bytes as they arrive for the rest. API
bodies are JSON: `LimitedJSONParser` refuses deep nesting before `json.loads`
recurses into it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja.parser import Parser

from upward.core.errors import Invalid
from upward.engine.limits import MAX_UPLOAD_BYTES, check_json_shape, size_text

# Room for the multipart framing and the small form fields around the files.
FORM_ALLOWANCE = 256 * 1024


class UploadTooLarge(RequestDataTooBig, MultiPartParserError):
    """The upload is past MAX_UPLOAD_BYTES.

    As a MultiPartParserError, Django marks the body unreadable (nothing reads it
    twice); as a RequestDataTooBig, pages and the API answer 413 with the message.
    """


def too_large_message() -> str:
    """The refusal people see, naming the limit."""
    limit = size_text(MAX_UPLOAD_BYTES)
    return f"The upload is larger than {limit} (the limit for all files together)."


class LimitedUploadHandler(FileUploadHandler):
    """Refuses uploads past `limit` bytes (MAX_UPLOAD_BYTES here; subclasses set their
    own): by the declared length before reading any of it, and by the bytes that
    arrive for the rest. Passes every chunk on unchanged."""

    limit = MAX_UPLOAD_BYTES

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def too_large(self) -> str:
        """The refusal people see, naming the limit."""
        return too_large_message()

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length > self.limit + FORM_ALLOWANCE:
            raise UploadTooLarge(self.too_large())

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(self.too_large())
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class LimitedJSONParser(Parser):
    """ninja's JSON body parser, refusing bodies past MAX_DEPTH or MAX_NODES first.

    ninja answers any parse failure with a 400 whose cause is the error raised
    here (a LimitExceeded naming the limit); upward/api.py shows its message.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        check_json_shape(request.body)
        data = super().parse_body(request)
        if not isinstance(data, dict):
            # ninja schemas also read attributes, so a list would pass as all defaults.
            message = "The body must be a JSON object."
            raise Invalid(message, issues=[{"path": "body", "message": message}])
        return data

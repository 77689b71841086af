"""Limits on what one upload or request may make the server read, hold or store.

Each limit sits far above what a real framework needs (the largest public ones
are a few hundred KB, a few hundred competencies, a few thousand expectations)
and far below what lets one upload cost seconds of CPU or hundreds of MB of
memory. Crossing one is refused before anything is written, with a message that
names the limit. docs/framework-format.md lists them for users.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MB = 1024 * 1024

# Uploads -------------------------------------------------------------------------
MAX_FILE_BYTES = 20 * MB  # one uploaded file
MAX_UPLOAD_BYTES = 20 * MB  # all files of one upload together, counted while it streams
MAX_FILES = 20  # files in one import (a ladder set or UNiDAYS export has about ten)
MAX_ZIP_MEMBERS = 200  # entries in an uploaded ZIP, folders and skipped files included
MAX_ZIP_UNPACKED_BYTES = 20 * MB  # all files of an uploaded ZIP, unpacked

# The framework document, as stored ----------------------------------------------
MAX_DOCUMENT_BYTES = 2 * MB  # the document serialised as JSON
MAX_COMPETENCIES = 2_000
MAX_EXPECTATIONS = 20_000

# Parsing --------------------------------------------------------------------------
MAX_DEPTH = 100  # nesting of JSON, YAML and JavaScript literals, and of API bodies
MAX_NODES = 200_000  # values (mappings, lists, texts, numbers) in one parsed file
MAX_ALIAS_NODES = 10_000  # values repeated by YAML aliases and merge keys, in all
MAX_TEXT_CHARS = 8_000_000  # characters of text in one parsed file, aliases expanded
MAX_YAML_REPAIR_CHARS = 1 * MB  # YAML read by the slower parser that repairs TABs, in all

# Spreadsheets (XLSX) --------------------------------------------------------------
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 1_000
MAX_CELLS = 400_000  # cells read from one workbook, empty ones included
MAX_XLSX_PART_BYTES = 16 * MB  # one part of the workbook (a sheet, the shared strings), unpacked
MAX_XLSX_UNPACKED_BYTES = 64 * MB  # the whole workbook, unpacked


class LimitExceeded(ValueError):
    """Input crossed one of the limits above; the message names the limit."""


def size_text(size: int) -> str:
    """`2 MB` or `64 KB`, for messages."""
    return f"{size // MB} MB" if size >= MB else f"{size // 1024} KB"


def check_document(data: Any) -> None:
    """Refuse a framework document (plain data) past the stored-document limits.

    Counts first, then the JSON size, measured piece by piece so an oversized
    document is refused before its JSON is ever held whole.
    """
    if not isinstance(data, dict):
        return
    _check_count(data, "competencies", MAX_COMPETENCIES)
    _check_count(data, "expectations", MAX_EXPECTATIONS)
    size = 0
    for chunk in _ENCODER.iterencode(data):
        size += len(chunk.encode("utf-8")) if not chunk.isascii() else len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            raise LimitExceeded(
                f"the framework is larger than {size_text(MAX_DOCUMENT_BYTES)} as JSON"
                f" (the limit for one framework)"
            )


def _check_count(data: dict[str, Any], field: str, limit: int) -> None:
    items = data.get(field)
    if isinstance(items, list) and len(items) > limit:
        raise LimitExceeded(f"{field}: more than {limit:,} (the limit for one framework)")


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)

# A JSON string, closed or running to the end: never fails, so the scan stays linear.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_STRUCTURE = re.compile(r"[^\[\]{},]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1, ",": 0}


def json_shape(text: str | bytes) -> tuple[int, int]:
    """How deeply a JSON text nests, and at most how many values it holds.

    Linear in the text and run in C, so it can guard a recursive or slow parser.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    structure = _NOT_STRUCTURE.sub("", _JSON_STRING.sub("", text))
    # Each value but a container's first follows a comma; containers are values too.
    opened = structure.count("[") + structure.count("{")
    values = structure.count(",") + 2 * opened + 1
    if len(structure) > 8 * MAX_NODES:
        return 0, values  # refused for its size anyway: spare the slower depth scan
    return max(accumulate(map(_DEPTH_STEP.__getitem__, structure)), default=0), values


def check_json_shape(text: str | bytes) -> None:
    """Refuse JSON holding more than MAX_NODES values or nested deeper than MAX_DEPTH.

    The message is a predicate (`nests values more than 100 levels deep`): callers
    say what nests (the file, the request body).
    """
    depth, values = json_shape(text)
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"nests values more than {MAX_DEPTH} levels deep")
    if values > MAX_NODES:
        raise LimitExceeded(f"has more than {MAX_NODES:,} values")

"""Which addresses a document may hold as links: absolute http, https and mailto.

Anything else (`javascript:`, `data:`, `vbscript:`, a relative path) would run
code or point somewhere unexpected once a page renders it as a link, so it is
refused when stored and never rendered as one.
"""

from __future__ import annotations

import re

LINK_SCHEMES = ("http", "https", "mailto")

# The scheme first, exactly (a browser strips leading spaces and control
# characters, so those are refused), then no spaces or control characters at all.
# Spelled without flags so JSON Schema readers (ECMA-262 regexes) can use it too.
LINK_PATTERN = r"^(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:)[^\s\x00-\x1f\x7f-\x9f]+$"
_SAFE_LINK = re.compile(LINK_PATTERN)


def is_safe_link(value: str) -> bool:
    """True when `value` is an absolute http, https or mailto address."""
    return _SAFE_LINK.fullmatch(value) is not None


def safe_link(value: str | None) -> str:
    """`value` when a page may render it as a link, else "" (for documents stored earlier)."""
    return value if value and is_safe_link(value) else ""


def link_problem(value: str) -> str | None:
    """Why `value` can't be stored as a link, or None when it can (empty means none)."""
    if not value or is_safe_link(value):
        return None
    return (
        "must be a web or email address starting with http://, https:// or mailto:, "
        f"found {value[:80]!r}"
    )

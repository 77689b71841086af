"""Checks for text people type that ends up in mail headers, links and page titles.

Every place that takes an email address or a one-line name goes through these,
so a value refused in one place is refused everywhere. They raise `Invalid`
naming the field, and return the value as it is to be stored.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.encoding import punycode

from upward.core.errors import Invalid

EMAIL_MAX = 254
EMAIL_LOCAL_MAX = 64
# A shape for API schemas; `email_address` decides.
EMAIL_PATTERN = r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$"

# Characters that turn one address into several, or into a display-name form.
_NOT_IN_ADDRESS = set(',;<>()[]"\\ ')
# No "localhost": an address needs a domain with a dot.
_validate_email = EmailValidator(allowlist=[])
# Bidirectional overrides and isolates reorder how text around them is shown.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_characters(value: str) -> bool:
    """Whether `value` holds NUL, tab, CR, LF, other control or line-breaking characters."""
    return any(
        unicodedata.category(ch) in {"Cc", "Cs", "Zl", "Zp"} or ch in _BIDI_CONTROLS for ch in value
    )


def single_line(value: str, *, field: str) -> str:
    """`value` without surrounding spaces, refused when it holds control characters."""
    if has_control_characters(value):
        raise Invalid(
            "Use one line of plain text: no line breaks, tabs or control characters.",
            field=field,
        )
    return value.strip()


def email_address(value: str, *, field: str = "email") -> str:
    """One email address that mail can be sent to, lowercased; `Invalid` naming `field` if not."""
    if has_control_characters(value):
        raise Invalid(
            "An email address is one line, without line breaks or control characters.",
            field=field,
        )
    address = value.strip()
    if not address:
        raise Invalid("Enter an email address.", field=field)
    if address.count("@") != 1 or _NOT_IN_ADDRESS.intersection(address):
        raise Invalid(
            "Enter one email address, like name@example.com (no lists, names or spaces).",
            field=field,
        )
    local, domain = address.split("@")
    ascii_domain, domain = _domain(domain, field)
    if len(local) > EMAIL_LOCAL_MAX or len(local) + 1 + len(ascii_domain) > EMAIL_MAX:
        raise Invalid(
            f"Use an email address of at most {EMAIL_LOCAL_MAX} characters before the @ "
            f"and {EMAIL_MAX} in all.",
            field=field,
        )
    try:
        _validate_email(f"{local}@{ascii_domain}")
    except ValidationError:
        raise Invalid(
            f"'{address}' is not an email address; write it like name@example.com.", field=field
        ) from None
    return f"{local}@{domain}".lower()


def _domain(domain: str, field: str) -> tuple[str, str]:
    """The domain as mail sends it (IDNA), and as IDNA reads that back (what is stored)."""
    try:
        ascii_domain = punycode(domain)
        stored = ascii_domain.encode("ascii").decode("idna")
    except UnicodeError:
        ascii_domain = stored = ""
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(labels):
        raise Invalid(
            f"'{domain}' is not a domain mail can be sent to; write it like example.com.",
            field=field,
        )
    return ascii_domain, stored

"""Secrets for links and API tokens: made here, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "upw_"  # noqa: S105 (a public marker, not a secret)


def digest(raw: str) -> str:
    """SHA-256 of a high-entropy secret; enough, as such secrets can't be guessed."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_link_secret() -> str:
    """A secret for a single-use emailed link."""
    return secrets.token_urlsafe(32)


def new_api_token() -> tuple[str, str]:
    """Return `(prefix, raw_token)`; the prefix is the public part of the token."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def prefix_of(raw: str) -> str | None:
    """The public prefix of a well-formed token, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, _secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or len(prefix) != 8:
        return None
    return prefix

"""The registry of notification kinds: each app registers the kinds it sends.

A kind is a stable dotted key (`feedback.answered`), a label people choose by on
the settings page, and the email choice it starts with. Kinds sent only to an
address (a link carrying a secret, to someone who may have no account) are
`transactional`: they are never stored, so they have no inbox entry and no choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Choice(models.TextChoices):
    """How a person wants email about one kind."""

    INSTANT = "instant", "Right away"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "No email"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default: Choice = Choice.INSTANT
    transactional: bool = False


_KINDS: dict[str, Kind] = {}


def register_kind(
    key: str, label: str, *, default: Choice = Choice.INSTANT, transactional: bool = False
) -> Kind:
    """Make `key` a kind; registering the same kind again (a reloaded app) is fine."""
    kind = Kind(key=key, label=label, default=default, transactional=transactional)
    known = _KINDS.get(key)
    if known is not None and known != kind:
        raise ValueError(f"Notification kind {key!r} is already registered differently.")
    _KINDS[key] = kind
    return kind


def kind(key: str) -> Kind:
    """The registered kind `key`; an unknown key is a programming error."""
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Notification kind {key!r} is not registered.") from None


def stored_kinds() -> list[Kind]:
    """The kinds a person has an inbox entry and an email choice for, in registration order."""
    return [k for k in _KINDS.values() if not k.transactional]


def all_kinds() -> list[Kind]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())

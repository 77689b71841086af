"""What a profile may hold: a person's name, an IANA time zone and a short list of languages.

Each check raises `Invalid` naming its field and returns the value as it is stored.
Languages are the ones Django knows (`django.conf.locale.LANG_INFO`), given by code
("pt-br") or by name ("Portuguese", "Deutsch").
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from functools import cache

from django.conf.locale import LANG_INFO

from upward.core.errors import Invalid
from upward.core.validators import single_line

NAME_MAX = 150
LANGUAGES_MAX = 10
NAME_REQUIRED = "Enter your name, as colleagues know you."


def person_name(value: str, *, field: str = "name") -> str:
    """A name to be called by: one line, not empty, at most NAME_MAX characters."""
    name = single_line(value, field=field)
    if not name:
        raise Invalid(NAME_REQUIRED, field=field)
    if len(name) > NAME_MAX:
        raise Invalid(f"Use at most {NAME_MAX} characters for your name.", field=field)
    return name


@cache
def _zones() -> dict[str, str]:
    # Looked up in the list of zone names, never opened from what was typed.
    return {zone.lower(): zone for zone in zoneinfo.available_timezones()}


def time_zone(value: str, *, field: str = "time_zone") -> str:
    """An IANA zone name as spelled in the tz database, or "" for none."""
    typed = single_line(value, field=field)
    if not typed:
        return ""
    zone = _zones().get(typed.lower())
    if zone is None:
        raise Invalid(
            f"'{typed[:64]}' is not a time zone; use a name like Europe/Paris or America/New_York.",
            field=field,
        )
    return zone


@cache
def _languages() -> dict[str, str]:
    # Codes, English names and local names, all lowercased, to the code.
    known: dict[str, str] = {}
    for code, info in LANG_INFO.items():
        if "name" not in info:
            continue  # an alias that only points at other codes
        for spelling in (code, info["name"], info.get("name_local", "")):
            if spelling:
                known.setdefault(spelling.lower(), code)
    return known


def languages(values: Iterable[str], *, field: str = "languages") -> list[str]:
    """Language codes for `values` (codes or names), without repeats, in the given order."""
    codes: list[str] = []
    for value in values:
        typed = single_line(value, field=field)
        if not typed:
            continue
        code = _languages().get(typed.lower().replace("_", "-"))
        if code is None:
            raise Invalid(
                f"'{typed[:40]}' is not a language we know; use a code like en or pt-br, "
                "or a name like French.",
                field=field,
            )
        if code not in codes:
            codes.append(code)
    if len(codes) > LANGUAGES_MAX:
        raise Invalid(f"List at most {LANGUAGES_MAX} languages.", field=field)
    return codes


def language_names(codes: Iterable[str]) -> list[str]:
    """How the stored codes read: the language's English name (the code if unknown)."""
    return [LANG_INFO.get(code, {}).get("name", code) for code in codes]

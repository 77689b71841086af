"""Checks for one value of a record's JSON, each failing with the value's JSON path."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from upward.core.errors import Invalid
from upward.core.validators import email_address
from upward.engine.links import is_safe_link


def _fail(path: str, message: str) -> Invalid:
    return Invalid(f"{path}: {message}", field=path)


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "expected an object.")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, "expected a list.")
    return value


def _text(
    item: dict[str, Any], key: str, path: str, *, limit: int = 0, required: bool = False
) -> str:
    value = item.get(key, "")
    where = f"{path}.{key}"
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail(where, "expected text.")
    if required and not value.strip():
        raise _fail(where, "must not be empty.")
    if limit and len(value) > limit:
        raise _fail(where, f"use at most {limit} characters.")
    return value


def _choice(item: dict[str, Any], key: str, path: str, allowed: Iterable[str], default: str) -> str:
    value = item.get(key, default)
    options = list(allowed)
    if value not in options:
        raise _fail(f"{path}.{key}", f"'{value}' is not one of {', '.join(options)}.")
    return str(value)


def _day(item: dict[str, Any], key: str, path: str, *, required: bool = False) -> date | None:
    value = item.get(key)
    if value in (None, ""):
        if required:
            raise _fail(f"{path}.{key}", "a date (YYYY-MM-DD) is required.")
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(f"{path}.{key}", f"'{value}' is not a date (YYYY-MM-DD).") from None


def _moment(item: dict[str, Any], key: str, path: str) -> datetime | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise _fail(f"{path}.{key}", f"'{value}' is not a date and time (ISO 8601).") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _web_address(item: dict[str, Any], key: str, path: str) -> str:
    """An http or https address a page may render as a link, or ""."""
    url = _text(item, key, path, limit=2000).strip()
    if url and (not is_safe_link(url) or url.lower().startswith("mailto:")):
        raise _fail(f"{path}.{key}", "must be a web address starting with http:// or https://.")
    return url


def _email(item: dict[str, Any], path: str) -> str:
    value = _text(item, "email", path, limit=254).strip()
    return email_address(value, field=f"{path}.email") if value else ""


def _links(item: dict[str, Any], path: str) -> list[dict[str, str]]:
    out = []
    for j, raw in enumerate(_list(item.get("links"), f"{path}.links")):
        where = f"{path}.links[{j}]"
        link = _obj(raw, where)
        out.append({"url": _web_address(link, "url", where), "label": _text(link, "label", where)})
    return out


def _strings(item: dict[str, Any], key: str, path: str) -> list[str]:
    values = _list(item.get(key), f"{path}.{key}")
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise _fail(f"{path}.{key}[{i}]", "expected text.")
    return values

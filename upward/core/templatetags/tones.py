"""Which tone a status, role or kind shows in: `{{ value|tone }}` -> good, warn, bad, ...

Badges are styled by tone (`badge badge--{{ value|tone }}`, see css/badges.css),
so a new status picks a tone here instead of getting a CSS class of its own.
One table for every app: the same word always reads the same way.
"""

from __future__ import annotations

from django import template

register = template.Library()

NEUTRAL = "neutral"

TONES: dict[str, str] = {
    # Roles in an organization
    "admin": "accent",
    "manager": "info",
    "mentor": "warn",
    "member": NEUTRAL,
    # API token scopes and states
    "read": NEUTRAL,
    "write": "info",
    "active": "good",
    "revoked": "bad",
    # Framework versions
    "draft": "warn",
    "published": "good",
    "archived": NEUTRAL,
    # Where a competency stands in a delta
    "met": "good",
    "unconfirmed": "info",
    "gap": "warn",
    "unassessed": NEUTRAL,
    # Competency kinds
    "impact": "accent",
    "behavior": "info",
    "skill": NEUTRAL,
    # Feedback requests (and anything else that expires)
    "pending": "info",
    "answered": "good",
    "declined": NEUTRAL,
    "withdrawn": NEUTRAL,
    "expired": "warn",
}


@register.filter
def tone(value: object) -> str:
    """The tone `value` shows in; neutral for anything the table doesn't name."""
    return TONES.get(str(value), NEUTRAL)

"""Template filters for showing people: the signed link to a person's photo."""

from __future__ import annotations

from django import template

from upward.accounts import access
from upward.accounts.models import User

register = template.Library()


@register.filter
def photo_link(person: User) -> str:
    """The token of `person`'s photo for pages seen without an account (see access.photo_link)."""
    return access.photo_link(person)

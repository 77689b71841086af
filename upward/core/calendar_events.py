"""Events other apps add to a person's calendar feed.

The roadmap app serves the feed (`/calendar/<secret>.ics`); apps with dated things
of their own (mentoring sessions) register a function here from their
`AppConfig.ready`, and the feed asks each of them for the person's events. Core
imports no app, so this registry is where the two meet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import icalendar

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# (person) -> their events; one or two queries each, whatever their number.
Provider = Callable[["AbstractBaseUser"], Iterable[icalendar.Event]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add `provider`'s events to every person's feed."""
    if provider not in _providers:
        _providers.append(provider)


def events_for(person: AbstractBaseUser) -> list[icalendar.Event]:
    """Every registered app's events for `person`."""
    return [event for provider in _providers for event in provider(person)]

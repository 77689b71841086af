"""Roadmap dates as iCalendar: a person's secret feed and one objective's download.

Each objective with a deadline is an all-day event on that day, and so is each
open milestone with a date. An event's UID is made of the row's id and the
site's host, so a calendar that polls the feed updates the events it already has
instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse

from upward.roadmaps.models import Milestone, Objective, Status

PRODID = "-//Upward//Roadmap//EN"
# How often a calendar app should fetch the feed again (a hint; most apps honour one of them).
REFRESH = timedelta(hours=6)
CONTENT_TYPE = "text/calendar; charset=utf-8"
# What an objective's event is called by its status; open ones are deadlines.
PREFIXES: dict[str, str] = {Status.DONE: "Done", Status.DROPPED: "Dropped"}


def build(
    objectives: Iterable[Objective], *, name: str, extra: Iterable[icalendar.Event] = ()
) -> bytes:
    """The calendar of `objectives`' deadlines and their open milestones' dates, and
    `extra` events (other apps' dated things, see `upward.core.calendar_events`).

    Milestones are read through `objective.milestones.all()`: prefetch them.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    for objective in objectives:
        for event in events_of(objective):
            cal.add_component(event)
    for event in extra:
        cal.add_component(event)
    return cal.to_ical()


def events_of(objective: Objective) -> list[icalendar.Event]:
    """The objective's deadline (when it has one) and each open milestone with a date."""
    events = []
    if objective.due_on is not None:
        events.append(_objective_event(objective, objective.due_on))
    for milestone in objective.milestones.all():
        if milestone.due_on is not None and milestone.done_at is None:
            events.append(_milestone_event(milestone, objective, milestone.due_on))
    return events


def objective_url(objective: Objective) -> str:
    return settings.SITE_URL + reverse("roadmaps:objective", args=[objective.pk])


def uid(kind: str, pk: int) -> str:
    """A UID that stays the same for the same row: calendars match events by it."""
    host = urlsplit(settings.SITE_URL).hostname or "upward"
    return f"roadmap-{kind}-{pk}@{host}"


def _objective_event(objective: Objective, day: date) -> icalendar.Event:
    lines = [objective.description] if objective.description else []
    if objective.success_criteria:
        lines.append("Success criteria:")
        lines += [f"- {criterion}" for criterion in objective.success_criteria]
    lines.append(f"Status: {Status(objective.status).label}")
    title = f"{PREFIXES.get(objective.status, 'Deadline')}: {objective.title}"
    return _event(uid("objective", objective.pk), day, title, "\n".join(lines), objective)


def _milestone_event(milestone: Milestone, objective: Objective, day: date) -> icalendar.Event:
    summary = f"Milestone: {milestone.title}"
    description = f"A milestone of the objective “{objective.title}”."
    return _event(uid("milestone", milestone.pk), day, summary, description, objective)


def _event(
    event_uid: str, day: date, summary: str, description: str, objective: Objective
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", event_uid)
    # When this version of the event was made: the objective's last change.
    event.add("dtstamp", objective.updated_at)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", objective_url(objective))
    event.add("transp", "TRANSPARENT")  # a deadline doesn't make the person busy
    return event

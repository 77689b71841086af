"""Routes of the signed-in person rather than of an organization: the specificity check and
their calendar address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from upward.accounts.current import api_caller
from upward.engine.specificity import check_objective
from upward.roadmaps import services
from upward.roadmaps.api.common import (
    check_out,
)
from upward.roadmaps.api.schemas import (
    CalendarFeedOut,
    CheckIn,
    CheckOut,
)

router = Router(tags=["roadmaps"])


# --- The specificity check and the calendar ----------------------------------------------


@router.post("/roadmap/check", response=CheckOut)
def create_check(request: HttpRequest, payload: CheckIn) -> CheckOut:
    """How specific an objective is: a score from 0 to 100, whether it is specific, what
    it lacks (action, outcome, context) and suggestions. Nothing is stored."""
    check = check_objective(
        payload.text,
        stakeholders=payload.stakeholders,
        timebox=payload.timebox,
        success_criteria=payload.success_criteria,
    )
    return check_out(check)


@router.post("/roadmap/calendar-feed", response={201: CalendarFeedOut})
def create_calendar_feed(request: HttpRequest) -> Status:
    """A new secret address of your calendar of deadlines and milestones. It is shown only
    now; making a new one ends the previous one."""
    raw = services.create_calendar_feed(user=api_caller(request))
    url = settings.SITE_URL + reverse("roadmaps_calendar:calendar_feed", args=[raw])
    return Status(201, CalendarFeedOut(url=url))


@router.delete("/roadmap/calendar-feed", response={204: None})
def delete_calendar_feed(request: HttpRequest) -> Status:
    """End your calendar address: it answers 404 from now on."""
    services.revoke_calendar_feed(user=api_caller(request))
    return Status(204, None)

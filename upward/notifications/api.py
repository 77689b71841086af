"""API for the signed-in person's notifications and email choices."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from upward.accounts.current import api_caller
from upward.core.schemas import ErrorOut, Id, Pages
from upward.notifications import access, selectors, services
from upward.notifications.kinds import kind, stored_kinds
from upward.notifications.models import Notification

router = Router(tags=["notifications"])

ChoiceName = Literal["instant", "daily", "weekly", "off"]


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str = Field(..., description="The page it is about, relative to the site; may be empty")
    created_at: datetime
    read_at: datetime | None


class MarkedOut(Schema):
    marked: int = Field(..., description="How many notifications were unread and are now read")


class PreferenceOut(Schema):
    kind: str
    label: str
    choice: ChoiceName


class PreferenceIn(Schema):
    kind: str = Field(..., min_length=1, max_length=60, description="A kind from the list")
    choice: ChoiceName


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pages, page_size=50)
def list_notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    """My notifications, newest first; `unread=true` for only the unread ones."""
    found = selectors.inbox(api_caller(request))
    return found.filter(read_at__isnull=True) if unread else found


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def mark_notification_read(request: HttpRequest, notification_id: Id) -> Notification:
    """Mark one of my notifications read."""
    notification = access.access_notification(api_caller(request), notification_id)
    return services.mark_read(notification=notification)


@router.post("/notifications/read", response=MarkedOut)
def mark_all_notifications_read(request: HttpRequest) -> MarkedOut:
    """Mark all my notifications read."""
    return MarkedOut(marked=services.mark_all_read(user=api_caller(request)))


@router.get("/notifications/preferences", response=list[PreferenceOut])
def list_notification_preferences(request: HttpRequest) -> list[PreferenceOut]:
    """How I get email about each kind of notification."""
    choices = selectors.choices_of(api_caller(request))
    return [
        PreferenceOut(kind=k.key, label=k.label, choice=cast(ChoiceName, choices[k.key].value))
        for k in stored_kinds()
    ]


@router.put("/notifications/preferences", response={200: PreferenceOut, 422: ErrorOut})
def update_notification_preference(request: HttpRequest, payload: PreferenceIn) -> PreferenceOut:
    """Choose how I get email about one kind: instant, daily, weekly or off."""
    user = api_caller(request)
    preference = services.set_choice(
        user=user, kind_key=payload.kind, choice=payload.choice, by=user
    )
    return PreferenceOut(
        kind=preference.kind,
        label=kind(preference.kind).label,
        choice=cast(ChoiceName, preference.choice),
    )

"""Django admin for site staff: placements and feedback requests, read-only.

A request's link hash never shows, and an anonymous request never names its rater: staff
can't search or filter by rater, and the rater fields are hidden on anonymous requests.
Answers and signals are not here at all; they are read through the delta pages' rules."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from upward.assessments.models import FeedbackRequest, Placement
from upward.core.admin import ReadOnlyAdmin

REQUEST_FIELDS = (
    "requester",
    "organization",
    "placement",
    "relationship",
    "anonymous",
    "status",
    "competencies",
    "created_at",
    "expires_at",
)
# Who answered, and when: only for named requests.
NAMED_REQUEST_FIELDS = ("rater", "rater_email", "message", "reminded_at", "closed_at")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "version", "current_level", "target_level", "is_active")
    list_filter = ("is_active",)
    search_fields = ("user__email", "organization__slug")
    list_select_related = ("user", "organization", "version__framework")


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "requester", "organization", "relationship", "anonymous", "status")
    list_filter = ("status", "relationship", "anonymous")
    search_fields = ("requester__email", "organization__slug")
    list_select_related = ("requester", "organization")

    def get_fields(
        self, request: HttpRequest, obj: FeedbackRequest | None = None
    ) -> tuple[str, ...]:
        if obj is not None and obj.anonymous:
            return REQUEST_FIELDS
        return REQUEST_FIELDS + NAMED_REQUEST_FIELDS

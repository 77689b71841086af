"""Django admin for site staff: who mentors whom and in what state, read-only.

A room shows its two people, dates and status, never its goals, sessions, notes,
action items or messages: only the mentor and the mentee read those."""

from __future__ import annotations

from django.contrib import admin

from upward.core.admin import ReadOnlyAdmin
from upward.mentorship.models import MentorProfile, Programme, Room


@admin.register(MentorProfile)
class MentorProfileAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "organization", "capacity", "reach", "accepting")
    search_fields = ("user__email", "organization__slug")
    list_select_related = ("user", "organization")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "organization", "starts_on", "ends_on", "status")
    list_select_related = ("organization",)


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ("id", "mentor", "mentee", "organization", "status", "opened_at", "ended_at")
    list_filter = ("status",)
    list_select_related = ("mentor", "mentee", "organization")
    fields = ("mentor", "mentee", "organization", "status", "opened_at", "ended_at")

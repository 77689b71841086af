"""Django admin for site staff: roadmap templates and objectives, read-only.

Templates are shown whole. An objective shows who, where, its status and dates, but
not what it says: a private objective is its owner's alone, and staff read content
through the app's pages and their rules, like everyone else. Calendar feeds are
not here (their hash is a secret's)."""

from __future__ import annotations

from django.contrib import admin

from upward.core.admin import ReadOnlyAdmin
from upward.roadmaps.models import Objective, RoadmapTemplate


@admin.register(RoadmapTemplate)
class RoadmapTemplateAdmin(ReadOnlyAdmin):
    list_display = ("title", "framework_key", "competency", "from_step", "to_step", "status")
    list_filter = ("status", "framework_key")
    search_fields = ("title", "key", "competency", "organization__slug")
    list_select_related = ("organization",)


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ("id", "owner", "organization", "status", "visibility", "due_on")
    list_filter = ("status", "visibility", "kind")
    search_fields = ("owner__email", "organization__slug")
    list_select_related = ("owner", "organization")
    fields = (
        "owner",
        "organization",
        "placement",
        "kind",
        "competencies",
        "target_step",
        "status",
        "visibility",
        "due_on",
        "quarter",
        "created_at",
        "started_at",
        "completed_at",
    )

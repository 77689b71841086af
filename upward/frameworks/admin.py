"""Django admin for site staff: frameworks and their versions, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from upward.core.admin import ReadOnlyAdmin
from upward.frameworks.models import Framework, FrameworkVersion


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    fields = ("number", "status", "source_format", "created_at", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("name", "key", "owner", "organization", "created_at")
    list_filter = ("owner",)
    search_fields = ("name", "key", "organization__slug")
    list_select_related = ("organization",)
    inlines = (VersionInline,)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    """A version's facts; the document itself is read on the framework's pages."""

    list_display = ("framework", "number", "status", "source_format", "published_at")
    list_filter = ("status",)
    search_fields = ("framework__name", "framework__key", "content_hash")
    list_select_related = ("framework",)
    fields = (
        "framework",
        "number",
        "status",
        "content_hash",
        "source_format",
        "source_name",
        "warnings",
        "note",
        "created_by",
        "created_at",
        "published_at",
        "published_by",
    )

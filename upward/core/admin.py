"""Django admin for site staff: the audit log, read-only, and a read-only base for other apps."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from upward.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, not write: rows are changed through the app, where rules and audit live."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "code", "organization", "actor_label", "target_label")
    list_filter = ("code",)
    search_fields = ("code", "actor_label", "target_label", "organization__slug")
    list_select_related = ("organization",)
    date_hierarchy = "created_at"

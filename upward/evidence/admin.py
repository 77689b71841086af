"""Django admin for site staff: evidence entries and confirmations, read-only.

An entry shows who, where, when, its tier and how many signals it wrote, but not
what it says: evidence may be private, and staff read content through the app's
pages and their rules, like everyone else."""

from __future__ import annotations

from django.contrib import admin

from upward.core.admin import ReadOnlyAdmin
from upward.evidence.models import Confirmation, Entry


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "owner", "organization", "happened_on", "visibility", "created_at")
    list_filter = ("visibility",)
    search_fields = ("owner__email", "organization__slug")
    list_select_related = ("owner", "organization")
    fields = (
        "owner",
        "organization",
        "placement",
        "competencies",
        "happened_on",
        "visibility",
        "objective",
        "post",
        "created_at",
        "updated_at",
    )


@admin.register(Confirmation)
class ConfirmationAdmin(ReadOnlyAdmin):
    list_display = ("id", "entry_id", "by", "relation", "created_at")
    list_filter = ("relation",)
    search_fields = ("by__email",)
    list_select_related = ("by",)
    fields = ("entry", "by", "relation", "steps", "created_at")

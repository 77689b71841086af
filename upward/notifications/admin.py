"""Django admin for site staff: email deliveries, read-only, to find stuck or refused ones."""

from __future__ import annotations

from django.contrib import admin

from upward.core.admin import ReadOnlyAdmin
from upward.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("claimed_at", "key", "recipient", "status", "finished_at")
    list_filter = ("status",)
    search_fields = ("key", "recipient__email")
    list_select_related = ("recipient",)
    date_hierarchy = "claimed_at"

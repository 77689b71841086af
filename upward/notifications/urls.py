"""Routes for the inbox, email settings and the unsubscribe link."""

from __future__ import annotations

from django.urls import path

from upward.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notification_read_all, name="read_all"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="read"),
    path("notifications/settings/", views.notification_settings, name="settings"),
    path(
        "notifications/unsubscribe/<str:signed>/",
        views.notification_unsubscribe,
        name="unsubscribe",
    ),
]

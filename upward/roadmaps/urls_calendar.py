"""Routes for the roadmap's calendar files, mounted beside the roadmap pages."""

from __future__ import annotations

from django.urls import path

from upward.roadmaps import views_calendar

app_name = "roadmaps_calendar"

urlpatterns = [
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path(
        "roadmap/objectives/<int:objective_id>.ics",
        views_calendar.objective_ics,
        name="objective_ics",
    ),
]

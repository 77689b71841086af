"""Routes for the mentoring hub, the mentor dashboard, ending a room and rating it."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.mentorship.views import dashboard

urlpatterns: list[URLPattern] = [
    path("mentoring/", dashboard.home, name="home"),
    path("mentoring/dashboard/", dashboard.dashboard, name="dashboard"),
    path("mentoring/rooms/<int:room_id>/end/", dashboard.room_end, name="room_end"),
    path("mentoring/rooms/<int:room_id>/rate/", dashboard.room_rate, name="room_rate"),
]

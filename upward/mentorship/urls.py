"""Routes for mentorship: profiles, the directory and requests, rooms, the mentor
dashboard, programmes."""

from __future__ import annotations

from upward.mentorship import urls_dashboard, urls_profiles, urls_programmes, urls_rooms

app_name = "mentorship"

urlpatterns = [
    *urls_profiles.urlpatterns,
    *urls_rooms.urlpatterns,
    *urls_dashboard.urlpatterns,
    *urls_programmes.urlpatterns,
]

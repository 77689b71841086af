"""Routes for mentor profiles, the directory, matches, requests, verification and settings."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.mentorship.views import profiles as views

MENTOR = "mentoring/mentors/<int:profile_id>/"
REQUEST = "mentoring/requests/<int:ask_id>/"

urlpatterns: list[URLPattern] = [
    path("mentoring/profile/", views.profile_edit, name="profile_edit"),
    path("mentoring/profile/delete/", views.profile_delete, name="profile_delete"),
    path("mentoring/mentors/", views.directory, name="directory"),
    path(MENTOR, views.mentor, name="mentor"),
    path(MENTOR + "request/", views.request_new, name="request_new"),
    path(MENTOR + "verify/", views.verify, name="verify"),
    path("mentoring/matches/", views.matches, name="matches"),
    path("mentoring/requests/", views.requests, name="requests"),
    path(REQUEST, views.request_detail, name="request"),
    path(REQUEST + "accept/", views.request_accept, name="request_accept"),
    path(REQUEST + "decline/", views.request_decline, name="request_decline"),
    path(REQUEST + "withdraw/", views.request_withdraw, name="request_withdraw"),
    path("mentoring/settings/", views.settings, name="settings"),
]

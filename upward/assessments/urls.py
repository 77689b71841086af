"""Routes for the delta pages: placement, my growth, ratings, feedback requests and answers,
and a manager's team."""

from __future__ import annotations

from django.urls import path

from upward.assessments import views

PLACEMENT = "growth/placement/<int:placement_id>/"

app_name = "assessments"

urlpatterns = [
    path("growth/", views.my_delta, name="my_delta"),
    path("growth/placement/", views.placement_edit, name="placement_edit"),
    path(PLACEMENT, views.placement_delta, name="placement_delta"),
    path(PLACEMENT + "signals/<str:competency>/", views.delta_signals, name="delta_signals"),
    path(PLACEMENT + "assess/", views.placement_assess, name="placement_assess"),
    path(PLACEMENT + "rate/", views.placement_rate, name="placement_rate"),
    path(PLACEMENT + "feedback/new/", views.feedback_new, name="feedback_new"),
    path("growth/feedback/", views.feedback_requests, name="feedback_requests"),
    path(
        "growth/feedback/anonymous/withdraw/",
        views.feedback_withdraw_anonymous,
        name="feedback_withdraw_anonymous",
    ),
    path(
        "growth/feedback/<int:request_id>/answer/",
        views.feedback_answer,
        name="feedback_answer",
    ),
    path(
        "growth/feedback/<int:request_id>/withdraw/",
        views.feedback_withdraw,
        name="feedback_withdraw",
    ),
    path("growth/team/", views.team_deltas, name="team_deltas"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    path("feedback/<str:secret>/", views.feedback_link, name="feedback_link"),
]

"""Routes for cohort programmes: the list, a programme, joining and leaving, and (its
admins) the proposal with proposing, pairing by hand, publishing and closing."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.mentorship.views import programmes as views

PROGRAMME = "mentoring/programmes/<int:programme_id>/"

urlpatterns: list[URLPattern] = [
    path("mentoring/programmes/", views.programmes, name="programmes"),
    path("mentoring/programmes/new/", views.programme_new, name="programme_new"),
    path(PROGRAMME, views.programme, name="programme"),
    path(PROGRAMME + "join/", views.programme_join, name="programme_join"),
    path(PROGRAMME + "leave/", views.programme_leave, name="programme_leave"),
    path(PROGRAMME + "close/", views.programme_close, name="programme_close"),
    path(PROGRAMME + "proposal/", views.programme_proposal, name="programme_proposal"),
    path(PROGRAMME + "propose/", views.programme_propose, name="programme_propose"),
    path(PROGRAMME + "pairs/", views.programme_pair_add, name="programme_pair_add"),
    path(PROGRAMME + "publish/", views.programme_publish, name="programme_publish"),
    path(
        "mentoring/pairs/<int:pair_id>/delete/",
        views.programme_pair_delete,
        name="programme_pair_delete",
    ),
]

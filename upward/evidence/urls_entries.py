"""Routes for evidence entries: the logs, an entry and what may be done to it."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.evidence.views import entries as views

ENTRY = "evidence/<int:entry_id>/"

urlpatterns: list[URLPattern] = [
    path("evidence/", views.log, name="log"),
    path("evidence/new/", views.entry_new, name="entry_new"),
    path(ENTRY, views.entry, name="entry"),
    path(ENTRY + "edit/", views.entry_edit, name="entry_edit"),
    path(ENTRY + "delete/", views.entry_delete, name="entry_delete"),
    path(ENTRY + "confirm/", views.entry_confirm, name="entry_confirm"),
    path(
        ENTRY + "confirmations/<int:confirmation_id>/withdraw/",
        views.confirmation_withdraw,
        name="confirmation_withdraw",
    ),
    path(ENTRY + "request/", views.entry_request, name="entry_request"),
    path(ENTRY + "collaborate/", views.entry_collaborate, name="entry_collaborate"),
    path("people/<int:user_id>/evidence/", views.person_log, name="person_log"),
]

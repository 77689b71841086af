"""Routes for the framework pages: library, matrix, levels, competencies, import,
the draft editor, publishing, history and diffs."""

from __future__ import annotations

from django.urls import path

from upward.frameworks import views

VERSION = "frameworks/<int:framework_id>/v/<int:number>/"

app_name = "frameworks"

urlpatterns = [
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:framework_id>/history/", views.framework_history, name="framework_history"
    ),
    path("frameworks/<int:framework_id>/diff/", views.framework_diff, name="framework_diff"),
    path("frameworks/<int:framework_id>/draft/", views.framework_draft, name="framework_draft"),
    path(VERSION, views.framework_version, name="framework_version"),
    path(VERSION + "export/", views.framework_export, name="framework_export"),
    path(VERSION + "levels/<str:level>/", views.framework_level, name="framework_level"),
    path(
        VERSION + "competencies/<str:competency>/",
        views.framework_competency,
        name="framework_competency",
    ),
    path(VERSION + "edit/", views.framework_edit, name="framework_edit"),
    path(VERSION + "edit/cell/", views.framework_cell, name="framework_cell"),
    path(VERSION + "edit/step/", views.framework_step, name="framework_step"),
    path(
        VERSION + "edit/competencies/",
        views.framework_competency_add,
        name="framework_competency_add",
    ),
    path(
        VERSION + "edit/competencies/change/",
        views.framework_competency_change,
        name="framework_competency_change",
    ),
    path(VERSION + "edit/levels/", views.framework_level_add, name="framework_level_add"),
    path(
        VERSION + "edit/levels/change/",
        views.framework_level_change,
        name="framework_level_change",
    ),
    path(VERSION + "publish/", views.framework_publish, name="framework_publish"),
    path(VERSION + "discard/", views.framework_discard, name="framework_discard"),
]

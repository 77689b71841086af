"""Routes for roadmaps: my roadmap, building it from the gaps, objectives and their
milestones, the template library, a manager's view of a report's roadmap, and the
calendar feed."""

from __future__ import annotations

from django.urls import path

from upward.roadmaps import views

OBJECTIVE = "roadmap/objectives/<int:objective_id>/"
TEMPLATE = "roadmap/templates/<int:template_id>/"

app_name = "roadmaps"

urlpatterns = [
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/build/", views.build, name="build"),
    path("roadmap/check/", views.check, name="check"),
    path("roadmap/objectives/new/", views.objective_new, name="objective_new"),
    path(OBJECTIVE, views.objective, name="objective"),
    path(OBJECTIVE + "start/", views.objective_start, name="objective_start"),
    path(OBJECTIVE + "complete/", views.objective_complete, name="objective_complete"),
    path(OBJECTIVE + "drop/", views.objective_drop, name="objective_drop"),
    path(OBJECTIVE + "reopen/", views.objective_reopen, name="objective_reopen"),
    path(OBJECTIVE + "delete/", views.objective_delete, name="objective_delete"),
    path(OBJECTIVE + "milestones/", views.milestone_add, name="milestone_add"),
    path(
        "roadmap/milestones/<int:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path(
        "roadmap/milestones/<int:milestone_id>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("roadmap/templates/", views.templates, name="templates"),
    path("roadmap/templates/new/", views.template_new, name="template_new"),
    path(TEMPLATE, views.template, name="template"),
    path(TEMPLATE + "edit/", views.template_edit, name="template_edit"),
    path(TEMPLATE + "apply/", views.template_apply, name="template_apply"),
    path(TEMPLATE + "rate/", views.template_rate, name="template_rate"),
    path(TEMPLATE + "submit/", views.template_submit, name="template_submit"),
    path(TEMPLATE + "review/", views.template_review, name="template_review"),
    path("roadmap/reports/<int:placement_id>/", views.report, name="report"),
    path("roadmap/calendar/", views.calendar, name="calendar"),
]

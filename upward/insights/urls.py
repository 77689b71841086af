"""Routes for org insights: the gap heatmap, the readiness pipeline, calibration,
settings and exports."""

from __future__ import annotations

from django.urls import path

from upward.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.heatmap, name="heatmap"),
    path("insights/pipeline/", views.pipeline, name="pipeline"),
    path("insights/calibration/", views.calibration, name="calibration"),
    path("insights/settings/", views.insight_settings, name="settings"),
    path("insights/heatmap.<str:fmt>", views.heatmap_export, name="heatmap_export"),
    path("insights/pipeline.<str:fmt>", views.pipeline_export, name="pipeline_export"),
    path("insights/calibration.<str:fmt>", views.calibration_export, name="calibration_export"),
]

"""The insight pages: heatmap, pipeline, calibration, settings and their exports."""

from upward.insights.views.calibration import calibration
from upward.insights.views.exports import calibration_export, heatmap_export, pipeline_export
from upward.insights.views.heatmap import heatmap
from upward.insights.views.pipeline import pipeline
from upward.insights.views.settings import insight_settings

__all__ = [
    "calibration",
    "calibration_export",
    "heatmap",
    "heatmap_export",
    "insight_settings",
    "pipeline",
    "pipeline_export",
]

"""The framework document: models, validation with precise errors, JSON Schema."""

from __future__ import annotations

from upward.engine.framework.models import (
    KEY_PATTERN,
    KINDS,
    Area,
    Attribution,
    Competency,
    Expectation,
    FrameworkDocument,
    Kind,
    Level,
    LevelRef,
    PointsRule,
    PointsThreshold,
    PointsTitle,
    Step,
    Track,
)
from upward.engine.framework.parse import ImportResult, parse_framework, parse_path
from upward.engine.framework.schema import framework_json_schema

__all__ = [
    "KEY_PATTERN",
    "KINDS",
    "Area",
    "Attribution",
    "Competency",
    "Expectation",
    "FrameworkDocument",
    "ImportResult",
    "Kind",
    "Level",
    "LevelRef",
    "PointsRule",
    "PointsThreshold",
    "PointsTitle",
    "Step",
    "Track",
    "framework_json_schema",
    "parse_framework",
    "parse_path",
]

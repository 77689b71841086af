"""The JSON Schema of the framework document (committed as docs/framework.schema.json)."""

from __future__ import annotations

from typing import Any

from upward.engine.framework.models import FrameworkDocument

SCHEMA_ID = "urn:upward:schema:framework:1"


def framework_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for a framework document, format version 1.

    Cross-references (an expectation's competency exists, keys are unique, ...) are
    beyond JSON Schema; `validate` checks them.
    """
    schema = FrameworkDocument.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Upward career framework",
        "description": (
            "A career growth model: areas, competencies (optionally with their own"
            " scale), tracks of levels, per-level expectations and an optional"
            " points-based level rule."
        ),
    }

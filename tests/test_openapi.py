"""The committed OpenAPI schema matches the API, so API changes are reviewed."""

from __future__ import annotations

import json
from pathlib import Path

from upward.api import api

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"
REGENERATE = (
    "UPWARD_DEBUG=1 uv run upward manage export_openapi_schema "
    "--api upward.api.api --output docs/openapi.json --indent 2 --sorted"
)


def test_the_committed_openapi_schema_matches_the_api(db):
    committed = json.loads(SCHEMA_FILE.read_text())
    current = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    assert current == committed, (
        f"The API changed but docs/openapi.json did not. Review the change, then run:\n"
        f"  {REGENERATE}"
    )


def test_the_schema_is_served_and_documents_token_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schemes = response.json()["components"]["securitySchemes"]
    assert {"TokenAuth", "SessionAuth"} <= set(schemes)
    assert schemes["TokenAuth"]["scheme"] == "bearer"

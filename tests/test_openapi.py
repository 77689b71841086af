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


def _operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_its_errors_in_the_one_error_body(db):
    for name, operation in _operations():
        errors = {int(code): r for code, r in operation["responses"].items() if int(code) >= 400}
        params = {p["in"] for p in operation.get("parameters", [])}
        expected = set()
        if operation.get("security"):
            expected.add(401)
        if "path" in params:
            expected.add(404)
        if "requestBody" in operation:
            expected |= {400, 413, 422}
        assert expected <= set(errors), f"{name} leaves out {expected - set(errors)}"
        for code, response in errors.items():
            body = response["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ErrorOut"}, f"{name} {code}"
            assert response["description"], f"{name} {code}"


def test_operations_document_only_the_errors_they_can_give(db):
    documented = {name: {int(c) for c in op["responses"]} for name, op in _operations()}
    assert documented["GET /api/v1/me"] == {200, 401}
    assert documented["GET /api/v1/feedback-links/{secret}"] == {200, 404, 409}
    assert documented["DELETE /api/v1/orgs/{slug}/teams/{team_id}"] == {204, 401, 403, 404, 422}
    assert documented["POST /api/v1/placements"] == {201, 400, 401, 403, 404, 413, 422}


def test_the_error_schema_describes_the_error_body():
    from upward.api import error_body
    from upward.core.schemas import ErrorOut

    body = error_body("invalid", "Bad.", [{"path": "body.name", "message": "Too long."}])
    assert ErrorOut.model_validate(body).model_dump() == body


def test_business_rules_are_declared_in_the_schema(db):
    schema = api.get_openapi_schema()
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/frameworks/{framework_id}/versions/{number}/export"][
            "get"
        ]["parameters"]
    }
    assert set(parameters["format"]["enum"]) >= {"yaml", "json", "csv", "xlsx"}
    components = schema["components"]["schemas"]
    assert "pattern" in components["OrganizationIn"]["properties"]["slug"]
    assert "pattern" in components["InvitationIn"]["properties"]["email"]


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("upward."):
            found.append(sub)
        found.extend(_schemas(sub))
    return found


def test_every_api_schema_has_its_own_name():
    # The OpenAPI document names each schema by its class name: two classes of one
    # name would show as one, and an operation would document the other's fields.
    from ninja import Schema

    names: dict[str, list[str]] = {}
    for schema in set(_schemas(Schema)):
        names.setdefault(schema.__name__, []).append(schema.__module__)
    assert len(names) > 100
    assert {name: mods for name, mods in names.items() if len(mods) > 1} == {}

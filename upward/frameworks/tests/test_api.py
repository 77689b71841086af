"""The frameworks API as clients use it."""

from __future__ import annotations

import json
from typing import get_args

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from upward.engine.formats import writable_formats, write
from upward.frameworks import services
from upward.frameworks.api import ExportFormat
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion
from upward.frameworks.tests.factories import small_document


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, name, data, org="acme"):
    return client.post(
        "/api/v1/frameworks/import",
        {"files": [SimpleUploadedFile(name, data)], "organization": org},
    )


@pytest.fixture
def library(db):
    version = services.create_version(
        document=validate_document(small_document(key="lib", name="Library Ladder")),
        organization=None,
        by=None,
    )
    return services.publish_version(version=version, by=None).framework


def test_an_admin_imports_edits_and_publishes_a_framework(ada, alice):
    client = session(ada)
    data = write(validate_document(small_document()), "yaml")
    response = upload(client, "ladder.yaml", data)
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["status"]) == (1, "draft")
    framework_id = Framework.objects.get(key="tiny").pk

    # Alice (a member) can't see the draft yet.
    assert session(alice).get(f"/api/v1/frameworks/{framework_id}/versions/1").status_code == 404

    cell = {
        "competency": "reviews",
        "level": "l2",
        "summary": "Reviews whole features",
        "signals": ["asks for tests", "explains why"],
        "examples": ["reviewed the search rewrite"],
    }
    response = client.patch(
        f"/api/v1/frameworks/{framework_id}/versions/1/cells",
        json.dumps(cell),
        content_type="application/json",
    )
    assert response.status_code == 200
    cells = response.json()["document"]["expectations"]
    assert cell in cells

    response = client.post(f"/api/v1/frameworks/{framework_id}/versions/1/publish")
    assert response.json()["status"] == "published"
    seen = session(alice).get(f"/api/v1/frameworks/{framework_id}/versions/1").json()
    assert any(c["summary"] == "Reviews whole features" for c in seen["document"]["expectations"])


def test_a_member_cannot_import(alice):
    response = upload(
        session(alice), "ladder.yaml", write(validate_document(small_document()), "yaml")
    )
    assert response.status_code == 404
    assert not Framework.objects.exists()


def test_a_broken_upload_lists_every_problem_with_its_line(ada):
    text = write(validate_document(small_document()), "yaml").decode()
    text = text.replace("area: craft", "area: nowhere").replace("level: l3", "level: l9", 1)
    response = upload(session(ada), "bad.yaml", text.encode())
    assert response.status_code == 422
    error = response.json()["error"]
    paths = [f["path"] for f in error["fields"]]
    located = [p for p in paths if p != "body.file"]
    assert len(located) == 2
    assert all(p.startswith("bad.yaml:") for p in located)
    assert "nowhere" in error["message"]
    assert "l9" in error["message"]
    assert not FrameworkVersion.objects.exists()


def test_published_versions_cannot_be_edited_through_the_api(ada):
    version = services.publish_version(
        version=services.create_version(
            document=validate_document(small_document()),
            organization=ada.memberships.get(organization__slug="acme").organization,
            by=ada,
        ),
        by=ada,
    )
    response = session(ada).put(
        f"/api/v1/frameworks/{version.framework_id}/versions/1",
        json.dumps({"document": small_document(name="Sneaky")}),
        content_type="application/json",
    )
    assert response.status_code == 409
    version.refresh_from_db()
    assert version.document["name"] == "Tiny Ladder"


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx"])
def test_every_written_format_downloads(alice, library, fmt):
    response = session(alice).get(f"/api/v1/frameworks/{library.pk}/versions/1/export?format={fmt}")
    assert response.status_code == 200
    assert 'filename="lib-v1.' in response["Content-Disposition"]
    if fmt == "yaml":
        assert yaml.safe_load(response.content)["key"] == "lib"


def test_an_unknown_export_format_names_the_field(alice, library):
    response = session(alice).get(f"/api/v1/frameworks/{library.pk}/versions/1/export?format=docx")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "query.format"


def test_the_export_formats_declared_in_the_schema_are_the_written_ones():
    assert set(get_args(ExportFormat)) == {f.name for f in writable_formats()}


def test_the_library_is_listed_for_everyone_and_org_frameworks_for_members(
    alice, eve, ada, acme, library
):
    services.create_version(document=validate_document(small_document()), organization=acme, by=ada)
    names = lambda user: {f["key"] for f in session(user).get("/api/v1/frameworks").json()["items"]}  # noqa: E731
    assert names(eve) == {"lib"}
    assert names(alice) == {"lib", "tiny"}


def test_listing_frameworks_costs_the_same_queries_however_many_there_are(
    alice, library, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = session(alice)
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/frameworks")
    for i in range(10):
        v = services.create_version(
            document=validate_document(small_document(key=f"lib{i}")), organization=None, by=None
        )
        services.publish_version(version=v, by=None)
    # session, user, count, page of frameworks with current and draft numbers
    with django_assert_num_queries(len(first)):
        assert client.get("/api/v1/frameworks").json()["count"] == 11


def test_the_document_schema_is_served(alice):
    schema = session(alice).get("/api/v1/frameworks/schema").json()
    assert "competencies" in schema["properties"]


def test_the_diff_between_versions_shows_renamed_competencies(ada, alice, acme):
    first = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    services.publish_version(version=first, by=ada)
    renamed = small_document()
    renamed["competencies"][1]["name"] = "Code Reviews"
    second = services.create_version(document=validate_document(renamed), organization=acme, by=ada)
    url = f"/api/v1/frameworks/{first.framework_id}/diff?old=1"
    # Alice doesn't see the draft, so her latest is version 1 itself.
    assert session(alice).get(url).json()["summary"] == "No differences."
    body = session(ada).get(url).json()
    assert body["new"] == second.number
    assert "Code Reviews" in body["summary"]
    assert session(alice).get(url + "&new=2").status_code == 404


def test_the_diff_defaults_to_the_latest_version_against_the_one_before(ada, acme):
    first = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    services.publish_version(version=first, by=ada)
    services.create_version(
        document=validate_document(small_document(name="Tiny Ladder Two")),
        organization=acme,
        by=ada,
    )
    body = session(ada).get(f"/api/v1/frameworks/{first.framework_id}/diff").json()
    assert (body["old"], body["new"]) == (1, 2)


# --- Links in documents ------------------------------------------------------------------


UNSAFE_URL = "javascript:alert(1)"


def _attributed(url: str) -> dict:
    return small_document(attribution={"source": "Orbit", "url": url})


def test_an_import_with_an_unsafe_attribution_url_is_refused_naming_the_field(ada):
    data = yaml.safe_dump(_attributed(UNSAFE_URL)).encode()
    response = upload(session(ada), "ladder.yaml", data)
    assert response.status_code == 422
    error = response.json()["error"]
    assert any("attribution.url" in f["path"] for f in error["fields"])
    assert "must be a web or email address" in error["message"]
    assert not FrameworkVersion.objects.exists()


def test_a_draft_edit_with_an_unsafe_attribution_url_is_refused(ada, acme):
    draft = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    response = session(ada).put(
        f"/api/v1/frameworks/{draft.framework_id}/versions/{draft.number}",
        json.dumps({"document": _attributed(UNSAFE_URL)}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "attribution.url" in json.dumps(response.json()["error"])
    draft.refresh_from_db()
    assert "attribution" not in draft.document


def test_a_draft_edit_with_a_web_address_is_kept(ada, acme):
    draft = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    response = session(ada).put(
        f"/api/v1/frameworks/{draft.framework_id}/versions/{draft.number}",
        json.dumps({"document": _attributed("https://example.org/ladder")}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["document"]["attribution"]["url"] == "https://example.org/ladder"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"competency": "nope"}, "body.competency"),
        ({"level": "l9"}, "body.level"),
        ({"step": "s9"}, "body.step"),
    ],
)
def test_a_cell_edit_naming_something_unknown_names_the_field(ada, acme, change, path):
    draft = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    cell = {"competency": "reviews", "level": "l2", "summary": "x", **change}
    response = session(ada).patch(
        f"/api/v1/frameworks/{draft.framework_id}/versions/{draft.number}/cells",
        json.dumps(cell),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [f["path"] for f in response.json()["error"]["fields"]] == [path]
    draft.refresh_from_db()
    assert all(e.get("summary") != "x" for e in draft.document["expectations"])


def test_an_invalid_document_names_each_field_it_gets_wrong(ada, acme):
    draft = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    document = small_document()
    document["competencies"][0]["kind"] = "wizardry"
    response = session(ada).put(
        f"/api/v1/frameworks/{draft.framework_id}/versions/{draft.number}",
        json.dumps({"document": document}),
        content_type="application/json",
    )
    assert response.status_code == 422
    paths = [f["path"] for f in response.json()["error"]["fields"]]
    assert "body.document" in paths
    assert "body.document.competencies[0].kind" in paths

"""Hostile uploads and bodies through the API and the import page: a clear 4xx,
fast, in little memory, and nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from upward.core.models import AuditEvent
from upward.engine import limits
from upward.engine.tests.test_limits import (
    cheap,
    nested_json,
    shared_string_workbook,
    snowflake_comments,
    yaml_alias_bomb,
)
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion
from upward.frameworks.tests.factories import small_document

IMPORT_API = "/api/v1/frameworks/import"
IMPORT_PAGE = "/frameworks/import/"
MULTIPART = "multipart/form-data; boundary=BoUnDaRy"

HOSTILE_FILES = {
    "bomb.yaml": (yaml_alias_bomb, "through aliases"),
    "strings.xlsx": (shared_string_workbook, "characters of text"),
    "constants.js": (snowflake_comments, "comment that never ends"),
    "deep.json": (nested_json, f"more than {limits.MAX_DEPTH} levels deep"),
}


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def nothing_written(db):
    """Checks, after the test's request, that no framework or audit event was added."""
    events = AuditEvent.objects.count()
    return lambda: not Framework.objects.exists() and AuditEvent.objects.count() == events


class Endless:
    """A request body that makes up bytes as they are read, and counts them."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else min(size, 64 * 1024)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def post_stream(client: Client, url: str, body: Endless, length: int) -> Any:
    """POST a multipart body read from `body`, declaring `length` bytes."""
    environ: dict[str, Any] = {
        "wsgi.input": body,
        "CONTENT_LENGTH": str(length),
        "CONTENT_TYPE": MULTIPART,
    }
    return client.generic("POST", url, b"", **environ)


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_a_hostile_file_is_refused_by_the_api(ada, name, nothing_written):
    make, expected = HOSTILE_FILES[name]
    data = make()
    client = session(ada)
    response = cheap(
        lambda: client.post(
            IMPORT_API, {"files": [SimpleUploadedFile(name, data)], "organization": "acme"}
        )
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert expected in error["message"]
    assert name in error["message"]
    assert nothing_written()


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_a_hostile_file_is_refused_on_the_import_page(ada, name, nothing_written):
    make, expected = HOSTILE_FILES[name]
    data = make()
    client = session(ada)
    response = cheap(
        lambda: client.post(
            IMPORT_PAGE, {"upload": [SimpleUploadedFile(name, data)], "organization": "acme"}
        )
    )
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert nothing_written()


def test_an_import_of_150_files_is_refused_by_the_api(ada, nothing_written):
    files = [SimpleUploadedFile(f"f{i}.md", b"# x\n") for i in range(150)]
    response = session(ada).post(IMPORT_API, {"files": files, "organization": "acme"})
    assert response.status_code == 400
    assert f"at most {limits.MAX_FILES} files" in response.json()["error"]["message"]
    assert nothing_written()


def test_an_import_of_150_files_is_refused_on_the_import_page(ada, nothing_written):
    files = [SimpleUploadedFile(f"f{i}.md", b"# x\n") for i in range(150)]
    response = session(ada).post(IMPORT_PAGE, {"upload": files, "organization": "acme"})
    assert response.status_code == 400
    assert f"at most {limits.MAX_FILES} files" in response.content.decode()
    assert nothing_written()


def test_just_over_the_file_limit_is_refused_in_the_form_with_its_reason(ada, nothing_written):
    files = [SimpleUploadedFile(f"f{i}.md", b"# x\n") for i in range(limits.MAX_FILES + 1)]
    response = session(ada).post(IMPORT_API, {"files": files, "organization": "acme"})
    assert response.status_code == 400
    assert nothing_written()


@pytest.mark.parametrize("url", [IMPORT_API, IMPORT_PAGE])
def test_a_body_declared_too_large_is_refused_before_it_is_read(ada, url, nothing_written):
    body = Endless()
    client = session(ada)
    response = cheap(lambda: post_stream(client, url, body, 50 * limits.MB))
    assert response.status_code == 413
    assert "larger than 20 MB" in response.content.decode()
    assert body.read_bytes < 1024 * 1024
    assert nothing_written()


def test_file_bytes_are_counted_as_they_stream_in(ada, nothing_written):
    # The declared length is within the allowance, but the file part runs past the limit.
    head = (
        b'--BoUnDaRy\r\nContent-Disposition: form-data; name="files"; filename="a.yaml"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n"
    )

    class Streaming(Endless):
        def read(self, size: int = -1) -> bytes:
            if self.read_bytes == 0:
                self.read_bytes = len(head)
                return head
            return super().read(size)

    body = Streaming()
    length = limits.MAX_UPLOAD_BYTES + 128 * 1024
    response = post_stream(session(ada), IMPORT_API, body, length)
    assert response.status_code == 413
    assert "larger than 20 MB" in response.json()["error"]["message"]
    assert body.read_bytes <= limits.MAX_UPLOAD_BYTES + 256 * 1024
    assert nothing_written()


@pytest.fixture
def draft(ada, acme):
    return services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )


def test_a_json_body_nested_100000_deep_gets_a_400_naming_the_limit(ada, draft):
    client = session(ada)
    body = '{"document": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001
    url = f"/api/v1/frameworks/{draft.framework_id}/versions/{draft.number}"
    response = cheap(lambda: client.put(url, body, content_type="application/json"))
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert f"more than {limits.MAX_DEPTH} levels deep" in message
    assert FrameworkVersion.objects.get(pk=draft.pk).document == draft.document


def test_a_json_body_nested_100000_deep_is_refused_on_any_endpoint(ada):
    body = "[" * 100_000 + "]" * 100_000
    response = session(ada).post("/api/v1/orgs", body, content_type="application/json")
    assert response.status_code == 400
    assert "levels deep" in response.json()["error"]["message"]


def test_a_document_past_the_size_limits_is_refused_when_a_draft_is_replaced(ada, draft):
    document = dict(draft.document, description="z" * (3 * limits.MB))
    url = f"/api/v1/frameworks/{draft.framework_id}/versions/{draft.number}"
    client = session(ada)
    response = client.put(url, json.dumps({"document": document}), content_type="application/json")
    # Past the API body limit, or past the document limit: refused either way, by name.
    assert response.status_code in (413, 422)
    assert "MB" in response.json()["error"]["message"]
    assert FrameworkVersion.objects.get(pk=draft.pk).document == draft.document

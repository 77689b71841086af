"""Import in two steps: upload and preview, then an explicit choice of a new framework
or a new draft version; ZIPs and folders; UNiDAYS exactly as published."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from upward.cli import main
from upward.engine import limits
from upward.engine.tests.test_limits import cheap
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.frameworks.tests.pages import snapshot

PUBLISHED_UNIDAYS = Path(__file__).resolve().parents[3].parent / "shared/frameworks/unidays"
needs_unidays = pytest.mark.skipif(
    not PUBLISHED_UNIDAYS.is_dir(), reason="the published UNiDAYS folder is not here"
)
PREVIEW = "/api/v1/frameworks/import/preview"
CONFIRM = "/api/v1/frameworks/import/confirm"
IMPORT = "/api/v1/frameworks/import"
PAGE = "/frameworks/import/"


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def small_yaml(**changes) -> bytes:
    return yaml.safe_dump(small_document(**changes), sort_keys=False).encode()


def zipped(folder: Path, prefix: str = "unidays") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{prefix}/{path.relative_to(folder)}")
    return out.getvalue()


def token_in(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def preview(client: Client, name: str, data: bytes, org: str = "acme"):
    return client.post(PREVIEW, {"files": [SimpleUploadedFile(name, data)], "organization": org})


def confirm(client: Client, token: str, mode: str, target: int | None = None):
    body = {"token": token, "mode": mode, "target_framework_id": target}
    return client.post(CONFIRM, json.dumps(body), content_type="application/json")


@pytest.fixture
def globex_fw(globex, eve) -> Framework:
    version = services.create_version(
        document=validate_document(small_document(key="gx")), organization=globex, by=eve
    )
    return version.framework


# --- API: preview, then choose --------------------------------------------------------------


def test_a_preview_counts_what_the_upload_holds_and_stores_nothing(ada, acme):
    before = snapshot()
    response = preview(session(ada), "t.yaml", small_yaml())
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {
        "areas": 2,
        "competencies": 2,
        "tracks": 1,
        "levels": 3,
        "expectations": len(small_document()["expectations"]),
    }
    assert (body["key"], body["format"], body["key_taken_by"]) == ("tiny", "yaml", None)
    assert body["expires_in"] == 3600
    assert snapshot() == before


def test_a_confirmed_preview_becomes_a_new_framework_once(ada, acme):
    client = session(ada)
    token = preview(client, "t.yaml", small_yaml()).json()["token"]
    response = confirm(client, token, "new")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert Framework.objects.get(organization=acme).key == "tiny"
    again = confirm(client, token, "new")
    assert again.status_code == 422
    assert again.json()["error"]["fields"][0]["path"] == "body.token"


def test_a_key_already_used_is_refused_as_new_naming_the_mode(ada, tiny):
    client = session(ada)
    body = preview(client, "t.yaml", small_yaml()).json()
    assert body["key_taken_by"] == tiny.framework_id
    assert [t["id"] for t in body["targets"]] == [tiny.framework_id]
    before = snapshot()
    response = confirm(client, body["token"], "new")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["fields"][0]["path"] == "body.mode"
    assert "already exists" in error["message"]
    assert snapshot() == before


def test_an_upload_becomes_the_next_draft_of_the_framework_chosen(ada, tiny):
    client = session(ada)
    token = preview(client, "t.yaml", small_yaml(key="renamed")).json()["token"]
    response = confirm(client, token, "version", tiny.framework_id)
    assert response.status_code == 201
    assert response.json()["number"] == 2
    assert response.json()["document"]["key"] == "tiny"
    assert "became 'tiny'" in response.json()["warnings"][0]["message"]


def test_a_version_needs_a_framework_to_add_to(ada, tiny):
    client = session(ada)
    token = preview(client, "t.yaml", small_yaml()).json()["token"]
    response = confirm(client, token, "version")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.target_framework_id"


def test_a_version_of_another_organizations_framework_is_not_found(ada, acme, globex_fw):
    client = session(ada)
    token = preview(client, "t.yaml", small_yaml()).json()["token"]
    before = snapshot()
    assert confirm(client, token, "version", globex_fw.pk).status_code == 404
    assert snapshot() == before


def test_a_token_is_only_good_for_the_person_who_previewed(ada, bob, acme):
    token = preview(session(ada), "t.yaml", small_yaml()).json()["token"]
    response = confirm(session(bob), token, "new")
    assert response.status_code == 422
    assert "expired" in response.json()["error"]["message"]
    assert not Framework.objects.exists()


@pytest.mark.parametrize("token", ["", "x" * 32, "../../etc", "a" * 64])
def test_a_made_up_token_is_refused(ada, acme, token):
    response = confirm(session(ada), token, "new")
    assert response.status_code == 422


def test_a_preview_of_a_broken_file_names_the_line(ada, acme):
    broken = b"key: x\nname: X\nlevels:\n  - key: a\n   name: b\n"
    response = preview(session(ada), "broken.yaml", broken)
    assert response.status_code == 422
    assert "broken.yaml:5" in response.json()["error"]["message"]


def test_the_one_step_import_refuses_a_taken_key_unless_a_version_is_chosen(ada, tiny):
    client = session(ada)
    files = {"files": [SimpleUploadedFile("t.yaml", small_yaml())], "organization": "acme"}
    assert client.post(IMPORT, files).status_code == 409
    files["files"] = [SimpleUploadedFile("t.yaml", small_yaml())]
    response = client.post(
        IMPORT, {**files, "mode": "version", "target_framework_id": tiny.framework_id}
    )
    assert response.status_code == 201
    assert FrameworkVersion.objects.filter(framework=tiny.framework).count() == 2


# --- The web page ------------------------------------------------------------------------------


def test_the_page_previews_then_imports_as_chosen(ada, tiny):
    client = session(ada)
    before = snapshot()
    page = client.post(
        PAGE, {"organization": "acme", "upload": SimpleUploadedFile("t.yaml", small_yaml())}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Check before importing: Tiny Ladder" in html
    assert "already has a framework with the key" in html
    assert re.search(r'value="version"[^>]*checked', html)
    assert snapshot() == before
    token = token_in(html)
    done = client.post(PAGE, {"token": token, "mode": "version", "target": tiny.framework_id})
    assert done.status_code == 302
    assert FrameworkVersion.objects.filter(framework=tiny.framework).count() == 2


def test_the_page_refuses_a_taken_key_as_new_in_place(ada, tiny):
    client = session(ada)
    page = client.post(
        PAGE, {"organization": "acme", "upload": SimpleUploadedFile("t.yaml", small_yaml())}
    )
    token = token_in(page.content.decode())
    before = snapshot()
    response = client.post(PAGE, {"token": token, "mode": "new"})
    assert response.status_code == 409
    assert "already exists" in response.content.decode()
    assert snapshot() == before


def test_the_page_sends_an_expired_preview_back_to_the_upload(ada, acme):
    response = session(ada).post(PAGE, {"token": "x" * 32, "mode": "new"}, follow=True)
    assert "has expired" in response.content.decode()
    assert not Framework.objects.exists()


def test_the_page_names_the_line_of_a_yaml_syntax_error(ada, acme):
    broken = b"key: x\nname: X\nlevels:\n  - key: a\n   name: b\n"
    response = session(ada).post(
        PAGE, {"organization": "acme", "upload": SimpleUploadedFile("broken.yaml", broken)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "broken.yaml:5" in html
    assert "unrecognised framework format" not in html


# --- Hostile archives ----------------------------------------------------------------------


def test_a_zip_bomb_is_refused_by_the_api_cheaply(ada, acme):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.json", b"\0" * (limits.MAX_FILE_BYTES + 1))
    client = session(ada)
    before = snapshot()
    response = cheap(lambda: preview(client, "bomb.zip", out.getvalue()))
    assert response.status_code == 422
    assert "unpacks to more than" in response.json()["error"]["message"]
    assert snapshot() == before


def test_a_zip_of_too_many_members_is_refused_on_the_page_cheaply(ada, acme):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for i in range(limits.MAX_ZIP_MEMBERS + 1):
            zf.writestr(f"f{i}.md", b"# x\n")
    client = session(ada)
    upload = {"organization": "acme", "upload": SimpleUploadedFile("many.zip", out.getvalue())}
    response = cheap(lambda: client.post(PAGE, upload))
    assert response.status_code == 422
    assert f"more than {limits.MAX_ZIP_MEMBERS} entries" in response.content.decode()


# --- UNiDAYS as published ------------------------------------------------------------------


@needs_unidays
def test_the_published_unidays_folder_imports_as_a_zip_on_the_page(ada, acme):
    client = session(ada)
    upload = SimpleUploadedFile("unidays.zip", zipped(PUBLISHED_UNIDAYS))
    page = client.post(PAGE, {"organization": "acme", "upload": upload})
    html = page.content.decode()
    assert page.status_code == 200, html[:2000]
    assert "skipped: a JSON Schema, not framework content" in html
    token = token_in(html)
    assert client.post(PAGE, {"token": token, "mode": "new"}).status_code == 302
    version = FrameworkVersion.objects.get(framework__organization=acme)
    assert version.source_format == "unidays"
    assert len(version.document["competencies"]) == 25


@needs_unidays
def test_the_published_unidays_folder_imports_as_a_zip_through_the_api(ada, acme):
    body = preview(session(ada), "unidays.zip", zipped(PUBLISHED_UNIDAYS)).json()
    assert body["format"] == "unidays"
    assert body["counts"]["competencies"] == 25
    skipped = [w["file"] for w in body["warnings"] if w["message"].startswith("skipped")]
    assert skipped == ["unidays/competencies-schema.json", "unidays/roles-schema.json"]


@needs_unidays
def test_the_published_unidays_folder_validates_and_imports_from_the_cli(db, capsys):
    assert main(["framework", "validate", str(PUBLISHED_UNIDAYS)]) == 0
    assert "ok: Product and Engineering (unidays): 25 competencies" in capsys.readouterr().out
    assert main(["framework", "import", str(PUBLISHED_UNIDAYS)]) == 0
    assert Framework.objects.get(organization=None).versions.get().source_format == "unidays"
    assert main(["framework", "import", str(PUBLISHED_UNIDAYS)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["framework", "import", str(PUBLISHED_UNIDAYS), "--new-version"]) == 1
    assert "already has a draft" in capsys.readouterr().err

"""Framework editing pages: import, starting, publishing and discarding drafts, and
changing a draft's competencies and levels.

Drafts stay with their editors (everyone else gets 404), bad input comes back in
place with every located problem and writes nothing, and published versions never
change.
"""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus
from upward.frameworks.tests.factories import small_document
from upward.frameworks.tests.pages import FIXTURES, fresh_document, fw_url, snapshot
from upward.testing import client_for

EDITOR_PAGES = [
    "",
    "edit/",
    "edit/cell/?competency=shipping&level=l1",
    "publish/",
    "discard/",
    "export/?format=yaml",
    "levels/l1/",
    "competencies/shipping/",
]


EDITOR_ACTIONS = [
    ("edit/cell/", {"competency": "shipping", "level": "l1", "summary": "x"}),
    ("edit/competencies/", {"key": "new", "name": "New", "area": "craft", "kind": "skill"}),
    ("edit/competencies/change/", {"competency": "shipping", "action": "remove"}),
    ("edit/levels/", {"track": "ic", "key": "l4", "title": "Level 4"}),
    ("edit/levels/change/", {"track": "ic", "level": "l1", "action": "remove"}),
    ("publish/", {}),
    ("discard/", {}),
]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def small_yaml(**changes) -> bytes:
    return yaml.safe_dump(small_document(**changes), sort_keys=False).encode()


# --- Drafts stay with their editors ---------------------------------------------------------


@pytest.mark.parametrize("tail", EDITOR_PAGES)
@pytest.mark.parametrize("persona", ["alice", "bob", "maya", "eve"])
def test_a_draft_is_404_to_everyone_but_its_editors(request, draft, persona, tail):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(fw_url(draft, tail)).status_code == 404


@pytest.mark.parametrize(("tail", "data"), EDITOR_ACTIONS)
@pytest.mark.parametrize("persona", ["alice", "bob", "maya", "eve"])
def test_only_editors_may_change_a_draft(request, draft, persona, tail, data):
    client = client_for(request.getfixturevalue(persona))
    before = snapshot()
    assert client.post(fw_url(draft, tail), data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["alice", "eve"])
def test_only_editors_may_start_a_draft(request, tiny, persona):
    client = client_for(request.getfixturevalue(persona))
    before = snapshot()
    assert client.post(f"/frameworks/{tiny.framework_id}/draft/").status_code == 404
    assert snapshot() == before


# --- Import --------------------------------------------------------------------------------


def test_the_import_page_offers_the_organizations_i_administer(as_ada, ada):
    response = as_ada.get("/frameworks/import/")
    assert response.status_code == 200
    page = text(response)
    assert '<option value="acme" selected>Acme</option>' in page
    assert "Your personal space" in page
    assert 'enctype="multipart/form-data"' in page
    assert_no_inline_code(response)


def test_a_member_cannot_import_into_their_organization(as_alice, acme):
    before = snapshot()
    response = as_alice.post(
        "/frameworks/import/", {"organization": "acme", "upload": upload("t.yaml", small_yaml())}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in text(response)
    assert snapshot() == before


def test_another_organizations_admin_cannot_import_into_acme(as_eve, acme):
    before = snapshot()
    response = as_eve.post(
        "/frameworks/import/", {"organization": "acme", "upload": upload("t.yaml", small_yaml())}
    )
    assert response.status_code == 422
    assert "Acme" not in text(response)
    assert snapshot() == before


def test_importing_a_file_creates_a_draft_and_shows_its_preview(as_ada, acme):
    response = as_ada.post(
        "/frameworks/import/",
        {"organization": "acme", "upload": upload("t.yaml", small_yaml()), "mode": "new"},
    )
    version = FrameworkVersion.objects.get(framework__organization=acme, framework__key="tiny")
    assert version.status == VersionStatus.DRAFT
    assert response.status_code == 302
    assert response["Location"] == fw_url(version)
    page = words(as_ada.get(response["Location"]))
    assert "Imported Tiny Ladder as a draft (version 1)" in page
    assert "Draft preview" in page
    assert "Competencies 2" in page
    assert "Levels 3" in page
    assert "No warnings" in page
    assert "shipping at l3" in page  # the matrix
    for button in ("Publish", "Open in editor", "Discard"):
        assert button in page


def test_the_preview_lists_the_imports_warnings_with_where_they_are(as_ada, acme):
    text_yaml = small_yaml().decode()
    cut = text_yaml[: text_yaml.index("- competency: reviews")]  # no final cells, no newline?
    as_ada.post(
        "/frameworks/import/",
        {
            "organization": "acme",
            "upload": upload("cut.yaml", cut.rstrip("\n").encode()),
            "mode": "new",
        },
    )
    version = FrameworkVersion.objects.get(framework__key="tiny")
    page = words(as_ada.get(fw_url(version)))
    assert "warning" in page
    assert "cut.yaml" in page
    assert "has no expectation at any level" in page


def test_several_files_can_be_imported_together(as_ada, acme):
    ladders = FIXTURES / "ladders"
    files = [upload(p.name, p.read_bytes()) for p in sorted(ladders.glob("*.md"))]
    response = as_ada.post(
        "/frameworks/import/", {"organization": "acme", "upload": files, "mode": "new"}
    )
    assert response.status_code == 302
    assert FrameworkVersion.objects.filter(framework__organization=acme).count() == 1


@pytest.mark.parametrize(
    ("name", "data", "located"),
    [
        ("junk.yaml", bytes(range(256)) * 8, "junk.yaml"),
        (
            "cut.yaml",
            small_yaml().decode().split("scope number 1")[0].encode(),
            "cut.yaml:",
        ),
        (
            "ref.yaml",
            small_yaml(
                competencies=[
                    {"key": "shipping", "name": "S", "area": "nope", "kind": "impact"},
                    {"key": "reviews", "name": "R", "area": "craft", "kind": "skill"},
                ]
            ),
            "ref.yaml:",
        ),
    ],
    ids=["binary junk", "truncated yaml", "unknown reference"],
)
def test_a_bad_file_comes_back_with_every_located_issue_and_writes_nothing(
    as_ada, acme, name, data, located
):
    before = snapshot()
    response = as_ada.post(
        "/frameworks/import/", {"organization": "acme", "upload": upload(name, data)}
    )
    assert response.status_code == 422
    page = text(response)
    assert "could not be imported" in page
    assert '<ul class="issues">' in page
    assert located in page
    assert "Nothing was imported" in page
    assert snapshot() == before
    assert_no_inline_code(response)


def test_an_unknown_reference_names_its_line_and_path(as_ada, acme):
    bad = small_yaml(
        competencies=[
            {"key": "shipping", "name": "S", "area": "nope", "kind": "impact"},
            {"key": "reviews", "name": "R", "area": "craft", "kind": "skill"},
        ]
    )
    response = as_ada.post(
        "/frameworks/import/", {"organization": "acme", "upload": upload("ref.yaml", bad)}
    )
    assert re.search(r"ref\.yaml:\d+ competencies\[0\]\.area", text(response))
    assert "unknown area 'nope'" in text(response)


def test_importing_again_while_a_draft_exists_is_refused_in_place(as_ada, draft):
    before = snapshot()
    response = as_ada.post(
        "/frameworks/import/",
        {
            "organization": "acme",
            "upload": upload("t.yaml", small_yaml()),
            "mode": "version",
            "target": draft.framework_id,
        },
    )
    assert response.status_code == 409
    assert "already has a draft" in text(response)
    assert snapshot() == before


def test_an_import_needs_a_file(as_ada, acme):
    response = as_ada.post("/frameworks/import/", {"organization": "acme"})
    assert response.status_code == 422
    assert "This field is required." in text(response)


# --- Starting, publishing and discarding drafts ---------------------------------------------------


def test_edit_starts_a_draft_and_opens_the_editor(as_ada, tiny):
    response = as_ada.post(f"/frameworks/{tiny.framework_id}/draft/")
    draft = tiny.framework.versions.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == fw_url(draft, "edit/")
    editor = as_ada.get(response["Location"])
    assert editor.status_code == 200
    assert "Editing Tiny Ladder" in words(editor)
    assert_no_inline_code(editor)


def test_a_second_draft_is_refused_on_the_framework_page(as_ada, draft):
    before = snapshot()
    response = as_ada.post(f"/frameworks/{draft.framework_id}/draft/")
    assert response.status_code == 409
    assert "already has a draft" in text(response)
    assert snapshot() == before


def test_publishing_asks_first_then_freezes_the_version(as_ada, draft):
    confirm = as_ada.get(fw_url(draft, "publish/"))
    assert confirm.status_code == 200
    assert "Publish version 2?" in words(confirm)
    assert_no_inline_code(confirm)
    response = as_ada.post(fw_url(draft, "publish/"))
    assert response.status_code == 302
    assert response["Location"] == fw_url(draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.framework.versions.get(number=1).status == VersionStatus.ARCHIVED


def test_htmx_publishing_redirects_the_whole_page(as_ada, draft):
    response = as_ada.post(fw_url(draft, "publish/"), **HTMX)
    assert response["HX-Redirect"] == fw_url(draft)


def test_a_published_version_can_no_longer_be_edited(as_ada, draft, ada):
    services.publish_version(version=draft, by=ada)
    before = snapshot()
    assert as_ada.get(fw_url(draft, "edit/")).status_code == 409
    assert as_ada.get(fw_url(draft, "edit/cell/?competency=shipping&level=l1")).status_code == 409
    for tail, data in EDITOR_ACTIONS:
        assert as_ada.post(fw_url(draft, tail), data).status_code == 409, tail
    assert as_ada.get(fw_url(draft, "publish/")).status_code == 409
    assert snapshot() == before
    locked = as_ada.get(fw_url(draft, "edit/"))
    assert "Version 2 is published" in words(locked)


def test_discarding_asks_first_then_throws_the_draft_away(as_ada, draft):
    confirm = as_ada.get(fw_url(draft, "discard/"))
    assert "Discard draft version 2?" in words(confirm)
    response = as_ada.post(fw_url(draft, "discard/"))
    assert response.status_code == 302
    assert response["Location"] == f"/frameworks/{draft.framework_id}/"
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_discarding_a_frameworks_only_version_goes_back_to_the_library(as_ada, acme, ada):
    version = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    response = as_ada.post(fw_url(version, "discard/"))
    assert response["Location"] == "/frameworks/"
    assert not Framework.objects.filter(pk=version.framework_id).exists()


def test_an_editor_opening_an_unpublished_framework_lands_on_its_draft(as_ada, acme, ada):
    version = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    response = as_ada.get(f"/frameworks/{version.framework_id}/")
    assert response.status_code == 302
    assert response["Location"] == fw_url(version)


# --- The draft editor: competencies and levels ---------------------------------------------------


def test_adding_moving_and_removing_a_competency(as_ada, draft):
    url = fw_url(draft, "edit/competencies/")
    data = {"key": "docs", "name": "Docs", "area": "craft", "kind": "skill"}
    assert as_ada.post(url, data).status_code == 302
    assert [c.key for c in fresh_document(draft).competencies] == ["shipping", "reviews", "docs"]
    change = fw_url(draft, "edit/competencies/change/")
    as_ada.post(change, {"competency": "docs", "action": "up"})
    assert [c.key for c in fresh_document(draft).competencies] == ["shipping", "docs", "reviews"]
    as_ada.post(change, {"competency": "shipping", "action": "remove"})
    doc = fresh_document(draft)
    assert [c.key for c in doc.competencies] == ["docs", "reviews"]
    assert doc.expectation("shipping", "l1") is None


def test_a_duplicate_competency_is_refused_in_place(as_ada, draft):
    before = snapshot()
    data = {"key": "shipping", "name": "Again", "area": "craft", "kind": "skill"}
    response = as_ada.post(fw_url(draft, "edit/competencies/"), data)
    assert response.status_code == 422
    assert "shipping" in words(response)
    assert "That change didn't go through" in words(response)
    assert snapshot() == before


def test_htmx_structure_changes_come_back_as_the_editor_fragment(as_ada, draft):
    response = as_ada.post(
        fw_url(draft, "edit/competencies/change/"),
        {"competency": "reviews", "action": "up"},
        **HTMX,
    )
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="editor"')
    assert [c.key for c in fresh_document(draft).competencies] == ["reviews", "shipping"]


def test_adding_moving_and_removing_a_level(as_ada, draft):
    data = {"track": "ic", "key": "l4", "code": "L4", "title": "Level 4"}
    assert as_ada.post(fw_url(draft, "edit/levels/"), data).status_code == 302
    doc = fresh_document(draft)
    assert [lv.key for lv in doc.levels_of("ic")] == ["l1", "l2", "l3", "l4"]
    change = fw_url(draft, "edit/levels/change/")
    as_ada.post(change, {"track": "ic", "level": "l4", "action": "up"})
    assert [lv.key for lv in fresh_document(draft).levels_of("ic")] == ["l1", "l2", "l4", "l3"]
    as_ada.post(change, {"track": "ic", "level": "l1", "action": "remove"})
    doc = fresh_document(draft)
    assert [lv.key for lv in doc.levels_of("ic")] == ["l2", "l4", "l3"]
    assert doc.expectation("shipping", "l1") is None


def test_removing_an_unknown_level_is_refused_in_place(as_ada, draft):
    before = snapshot()
    response = as_ada.post(
        fw_url(draft, "edit/levels/change/"), {"track": "ic", "level": "l9", "action": "remove"}
    )
    assert response.status_code == 422
    assert "has no level 'l9'" in text(response)
    assert snapshot() == before


def test_structure_action_urls_opened_by_get_go_back_to_the_editor(as_ada, draft):
    for tail in ("edit/competencies/", "edit/levels/change/"):
        response = as_ada.get(fw_url(draft, tail))
        assert response.status_code == 302
        assert response["Location"] == fw_url(draft, "edit/")


# --- Links in documents ------------------------------------------------------------------


def test_an_import_with_an_unsafe_attribution_url_comes_back_naming_it(as_ada, acme):
    before = snapshot()
    data = small_yaml(attribution={"source": "Orbit", "url": "javascript:alert(1)"})
    response = as_ada.post(
        "/frameworks/import/", {"organization": "acme", "upload": upload("t.yaml", data)}
    )
    assert response.status_code == 422
    said = words(response)
    assert "attribution.url" in said
    assert "must be a web or email address" in said
    assert snapshot() == before

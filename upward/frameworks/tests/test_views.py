"""Framework pages: the library, the matrix, levels, competencies, import, the
draft editor, publishing, history and diffs.

Who sees which page (drafts only for editors; strangers get 404), that bad
input comes back in place with every located problem and writes nothing, that
published versions never change, and that the matrix costs the same number of
queries however big the framework is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import client_for
from upward.core.models import AuditEvent
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.engine.formats import writable_formats
from upward.frameworks import services
from upward.frameworks.documents import document_of, validate_document
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus
from upward.frameworks.tests.factories import small_document

FIXTURES = Path(__file__).resolve().parents[2] / "engine" / "tests" / "fixtures"


def publish(document: dict, org, by) -> FrameworkVersion:
    version = services.create_version(document=validate_document(document), organization=org, by=by)
    return services.publish_version(version=version, by=by)


@pytest.fixture
def tiny(acme, ada) -> FrameworkVersion:
    """Acme's published three-level framework (version 1)."""
    return publish(small_document(), acme, ada)


@pytest.fixture
def draft(tiny, ada) -> FrameworkVersion:
    """Version 2 of Acme's framework: a draft, seen only by its editors."""
    return services.start_draft(framework=tiny.framework, by=ada)


def fw_url(version: FrameworkVersion, tail: str = "") -> str:
    return f"/frameworks/{version.framework_id}/v/{version.number}/{tail}"


def snapshot() -> tuple[object, ...]:
    """Everything a framework write could touch."""
    return (
        Framework.objects.count(),
        tuple(FrameworkVersion.objects.values_list("number", "status", "content_hash")),
        AuditEvent.objects.count(),
    )


# --- The library -------------------------------------------------------------------------


def test_the_library_lists_the_built_in_and_my_organizations_frameworks(as_alice, tiny, eve):
    publish(small_document("library-one", "Library One"), None, None)
    response = as_alice.get("/frameworks/")
    assert response.status_code == 200
    page = words(response)
    assert "Upward library" in page
    assert "Library One" in page
    assert "Tiny Ladder" in page
    assert "3 levels · 2 competencies" in page
    assert "Version 1" in page
    assert f'href="/frameworks/{tiny.framework_id}/"' in text(response)
    assert_no_inline_code(response)


def test_members_see_no_draft_badge_and_no_import_link_for_acme(as_alice, draft):
    page = text(as_alice.get("/frameworks/"))
    assert "Draft 2" not in page
    # Alice administers only her personal space, so she may import there.
    assert 'href="/frameworks/import/"' in page


def test_editors_see_the_draft_badge(as_ada, draft):
    assert "Draft 2" in text(as_ada.get("/frameworks/"))


def test_a_framework_with_only_a_draft_is_hidden_from_members(as_alice, as_ada, acme, ada):
    services.create_version(
        document=validate_document(small_document("secret", "Secret Plan")),
        organization=acme,
        by=ada,
    )
    assert "Secret Plan" not in text(as_alice.get("/frameworks/"))
    assert "Secret Plan" in text(as_ada.get("/frameworks/"))
    assert "Not published yet" in text(as_ada.get("/frameworks/"))


def test_another_organizations_frameworks_are_not_listed(as_eve, tiny):
    assert "Tiny Ladder" not in text(as_eve.get("/frameworks/"))


def test_the_library_costs_the_same_queries_however_many_frameworks(
    as_ada, tiny, acme, ada, django_assert_num_queries
):
    # session, user, the visible frameworks with their current and draft numbers,
    # the admin memberships that decide which ones ada may edit, the published
    # versions (for counts), her memberships (import link, nav), her current
    # organization and its memberships (nav).
    with django_assert_num_queries(8):
        assert as_ada.get("/frameworks/").status_code == 200
    for n in range(5):
        publish(small_document(f"more-{n}", f"More {n}"), acme, ada)
    with django_assert_num_queries(8):
        assert "More 4" in text(as_ada.get("/frameworks/"))


# --- The matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "maya", "ada"])
def test_every_member_reads_the_matrix(request, persona, tiny):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(f"/frameworks/{tiny.framework_id}/")
    assert response.status_code == 200
    page = words(response)
    assert "Tiny Ladder" in page
    for heading in ("L1 Level 1", "L2 Level 2", "L3 Level 3", "Delivery", "Craft"):
        assert heading in page
    assert "shipping at l2: scope number 1" in page
    assert "shipping signal 1a" in page  # inside the expandable details
    assert "Signals and examples" in page
    assert f'href="{fw_url(tiny, "levels/l2/")}?track=ic"' in text(response)
    assert f'href="{fw_url(tiny, "competencies/reviews/")}"' in text(response)
    assert_no_inline_code(response)


def test_the_matrix_links_every_export_format(as_alice, tiny):
    page = text(as_alice.get(f"/frameworks/{tiny.framework_id}/"))
    for fmt in writable_formats():
        assert f'href="{fw_url(tiny, "export/")}?format={fmt.name}"' in page


def test_editors_get_an_edit_button_and_members_do_not(as_alice, as_ada, tiny):
    edit_form = f'action="/frameworks/{tiny.framework_id}/draft/"'
    assert edit_form in text(as_ada.get(f"/frameworks/{tiny.framework_id}/"))
    assert edit_form not in text(as_alice.get(f"/frameworks/{tiny.framework_id}/"))


def test_an_editor_with_a_draft_is_offered_to_continue_it(as_ada, draft):
    page = text(as_ada.get(f"/frameworks/{draft.framework_id}/"))
    assert f'href="{fw_url(draft, "edit/")}"' in page
    assert "Continue draft (version 2)" in page


def test_the_matrix_filters_by_area_without_javascript(as_alice, tiny):
    page = words(as_alice.get(f"/frameworks/{tiny.framework_id}/?area=craft"))
    assert "reviews at l1" in page
    assert "shipping at l1" not in page


def test_an_unknown_track_or_area_falls_back_to_everything(as_alice, tiny):
    response = as_alice.get(f"/frameworks/{tiny.framework_id}/?track=nope&area=nope")
    assert response.status_code == 200
    assert "shipping at l1" in words(response)
    assert "reviews at l1" in words(response)


def test_htmx_gets_only_the_matrix_back_when_filtering(as_alice, tiny):
    response = as_alice.get(f"/frameworks/{tiny.framework_id}/?area=delivery", **HTMX)
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="matrix"')
    assert "<html" not in html
    assert "shipping at l3" in html
    assert "reviews at l3" not in html


def test_a_second_track_is_chosen_with_the_track_filter(as_alice, acme, ada):
    doc = small_document()
    doc["tracks"].append(
        {
            "key": "mgmt",
            "name": "Management",
            "levels": [{"ref": "l1"}, {"key": "m1", "code": "M1", "title": "Manager"}],
        }
    )
    doc["expectations"].append({"competency": "shipping", "level": "m1", "summary": "leads"})
    version = publish(doc, acme, ada)
    page = words(as_alice.get(f"/frameworks/{version.framework_id}/?track=mgmt"))
    assert "M1 Manager" in page
    assert "L2 Level 2" not in page
    assert "leads" in page


def test_an_archived_version_points_to_the_current_one(as_alice, draft, ada):
    services.publish_version(version=draft, by=ada)
    response = as_alice.get(fw_url(draft.framework.versions.get(number=1)))
    assert response.status_code == 200
    page = words(response)
    assert "Archived" in page
    assert "Read the current version (2)" in page


def test_the_matrix_costs_the_same_queries_however_big_the_framework(
    as_alice, tiny, acme, ada, django_assert_num_queries
):
    url = f"/frameworks/{tiny.framework_id}/"
    # session, user, the framework with its organization (access), alice's
    # membership (may read), the published version with its document, whether
    # alice may edit (admin membership), the version list for the switcher
    # (without documents), her current organization and her memberships (nav).
    # The document is one JSON column, parsed once and cached: its size costs
    # no queries.
    with django_assert_num_queries(9):
        assert as_alice.get(url).status_code == 200
    big = publish(_big_document(competencies=40, levels=12), acme, ada)
    with django_assert_num_queries(9):
        response = as_alice.get(f"/frameworks/{big.framework_id}/")
    assert "c39 at v11" in words(response)


def test_the_history_costs_the_same_queries_however_many_versions(
    as_alice, tiny, ada, django_assert_num_queries
):
    url = f"/frameworks/{tiny.framework_id}/history/"
    # session, user, the framework with its organization (access), alice's membership
    # (may read), whether she may edit, the versions with their authors (no
    # documents), her current organization and her memberships (nav).
    with django_assert_num_queries(8):
        assert as_alice.get(url).status_code == 200
    for _ in range(4):
        services.publish_version(
            version=services.start_draft(framework=tiny.framework, by=ada), by=ada
        )
    with django_assert_num_queries(8):
        response = as_alice.get(url)
    assert "Version 5" in words(response)


def test_a_version_page_costs_the_same_queries_as_the_framework_page(
    as_alice, tiny, django_assert_num_queries
):
    # The same nine: the version is looked up by number instead of as the published one.
    with django_assert_num_queries(9):
        assert as_alice.get(fw_url(tiny)).status_code == 200


def _big_document(*, competencies: int, levels: int) -> dict:
    doc = small_document("big", "Big Ladder")
    keys = [f"v{n}" for n in range(levels)]
    doc["tracks"][0]["levels"] = [{"key": k, "code": k.upper(), "title": k} for k in keys]
    doc["competencies"] = [
        {"key": f"c{n}", "name": f"C {n}", "area": "craft", "kind": "skill"}
        for n in range(competencies)
    ]
    doc["expectations"] = [
        {"competency": f"c{n}", "level": k, "summary": f"c{n} at {k}", "signals": ["s"]}
        for n in range(competencies)
        for k in keys
    ]
    return doc


# --- Points-based frameworks ------------------------------------------------------------------


@pytest.fixture
def snowflake(acme, ada) -> FrameworkVersion:
    data = (FIXTURES / "tiny_constants.js").read_bytes()
    version = services.import_framework(files={"constants.js": data}, organization=acme, by=ada)
    return services.publish_version(version=version, by=ada)


def test_a_points_framework_shows_each_competencys_steps_and_the_points_rule(as_alice, snowflake):
    response = as_alice.get(f"/frameworks/{snowflake.framework_id}/")
    assert response.status_code == 200
    page = words(response)
    assert "Competencies and their steps" in page
    assert "Milestone 1 2 points" in page
    assert "Cleans the lens on schedule" in page
    assert "Points rule" in page
    assert "6 points 1.2 Keeper" in page
    assert "Head Keeper, Harbour Lead" in page
    assert_no_inline_code(response)


def test_a_points_frameworks_level_page_names_its_threshold(as_alice, snowflake):
    response = as_alice.get(fw_url(snowflake, "levels/1.2/"))
    assert response.status_code == 200
    assert "Reached from 6 points" in words(response)


def test_a_points_frameworks_competency_page_lists_its_scale(as_alice, snowflake):
    response = as_alice.get(fw_url(snowflake, "competencies/lamps/"))
    page = words(response)
    assert "Milestone 3" in page
    assert "9 points" in page
    assert "Designs the backup lamp circuit" in page


# --- Level and competency pages -------------------------------------------------------------


def test_the_level_page_says_what_it_takes_and_what_changes(as_alice, tiny):
    response = as_alice.get(fw_url(tiny, "levels/l2/"))
    assert response.status_code == 200
    page = words(response)
    assert "What it takes to be L2 Level 2" in page
    assert "What changes from L1 Level 1 to L2 Level 2" in page
    assert "shipping at l1: scope number 0" in page  # the previous level, side by side
    assert "shipping at l2: scope number 1" in page
    assert "reviews at l2: scope number 1" in page
    assert_no_inline_code(response)


def test_the_first_level_has_nothing_below_it(as_alice, tiny):
    page = words(as_alice.get(fw_url(tiny, "levels/l1/")))
    assert "L1 Level 1 is the first level" in page


def test_an_unknown_level_or_competency_is_404(as_alice, tiny):
    assert as_alice.get(fw_url(tiny, "levels/l9/")).status_code == 404
    assert as_alice.get(fw_url(tiny, "competencies/juggling/")).status_code == 404


def test_the_competency_page_shows_it_at_every_level(as_alice, tiny):
    response = as_alice.get(fw_url(tiny, "competencies/reviews/"))
    assert response.status_code == 200
    page = words(response)
    assert "Reviews" in page
    for n in range(3):
        assert f"reviews at l{n + 1}: scope number {n}" in page
    assert_no_inline_code(response)


# --- Export ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [f.name for f in writable_formats()])
def test_every_written_format_downloads(as_alice, tiny, fmt):
    response = as_alice.get(fw_url(tiny, "export/"), {"format": fmt})
    assert response.status_code == 200
    spec = next(f for f in writable_formats() if f.name == fmt)
    assert response["Content-Type"].startswith(spec.media_type)
    assert response["Content-Disposition"] == (f'attachment; filename="tiny-v1.{spec.extension}"')
    assert len(response.content) > 100


def test_an_unknown_export_format_is_404(as_alice, tiny):
    assert as_alice.get(fw_url(tiny, "export/"), {"format": "pdf"}).status_code == 404


def test_the_yaml_export_reads_back_as_the_same_framework(as_alice, tiny):
    body = as_alice.get(fw_url(tiny, "export/"), {"format": "yaml"}).content
    assert validate_document(yaml.safe_load(body)).content_hash() == tiny.content_hash


# --- Drafts stay with their editors ---------------------------------------------------------


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


@pytest.mark.parametrize("tail", EDITOR_PAGES)
@pytest.mark.parametrize("persona", ["alice", "bob", "maya", "eve"])
def test_a_draft_is_404_to_everyone_but_its_editors(request, draft, persona, tail):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(fw_url(draft, tail)).status_code == 404


EDITOR_ACTIONS = [
    ("edit/cell/", {"competency": "shipping", "level": "l1", "summary": "x"}),
    ("edit/competencies/", {"key": "new", "name": "New", "area": "craft", "kind": "skill"}),
    ("edit/competencies/change/", {"competency": "shipping", "action": "remove"}),
    ("edit/levels/", {"track": "ic", "key": "l4", "title": "Level 4"}),
    ("edit/levels/change/", {"track": "ic", "level": "l1", "action": "remove"}),
    ("publish/", {}),
    ("discard/", {}),
]


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


@pytest.mark.parametrize(
    "url", ["/frameworks/{fw}/", "/frameworks/{fw}/history/", "/frameworks/{fw}/diff/"]
)
def test_another_organizations_user_gets_404_for_the_framework(as_eve, tiny, url):
    assert as_eve.get(url.format(fw=tiny.framework_id)).status_code == 404


def test_the_pages_need_a_signed_in_person(tiny):
    response = Client().get(f"/frameworks/{tiny.framework_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Import --------------------------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def small_yaml(**changes) -> bytes:
    return yaml.safe_dump(small_document(**changes), sort_keys=False).encode()


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
        "/frameworks/import/", {"organization": "acme", "upload": upload("t.yaml", small_yaml())}
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
        {"organization": "acme", "upload": upload("cut.yaml", cut.rstrip("\n").encode())},
    )
    version = FrameworkVersion.objects.get(framework__key="tiny")
    page = words(as_ada.get(fw_url(version)))
    assert "warning" in page
    assert "cut.yaml" in page
    assert "has no expectation at any level" in page


def test_several_files_can_be_imported_together(as_ada, acme):
    ladders = FIXTURES / "ladders"
    files = [upload(p.name, p.read_bytes()) for p in sorted(ladders.glob("*.md"))]
    response = as_ada.post("/frameworks/import/", {"organization": "acme", "upload": files})
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
        "/frameworks/import/", {"organization": "acme", "upload": upload("t.yaml", small_yaml())}
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


# --- The draft editor: cells -----------------------------------------------------------------


def test_the_editor_shows_every_cell_with_an_edit_link(as_ada, draft):
    response = as_ada.get(fw_url(draft, "edit/"))
    page = text(response)
    assert response.status_code == 200
    assert f'href="{fw_url(draft, "edit/cell/")}?competency=reviews&level=l3"' in page
    assert 'hx-target="closest td"' in page
    assert 'id="cell-reviews-l3"' in page


def test_htmx_filters_the_editors_matrix_and_keeps_the_edit_links(as_ada, draft):
    response = as_ada.get(fw_url(draft, "edit/"), {"area": "craft"}, **HTMX)
    html = text(response)
    assert html.lstrip().startswith('<div id="matrix"')
    assert 'id="cell-reviews-l2"' in html
    assert 'id="cell-shipping-l2"' not in html


def test_the_cell_page_works_without_javascript(as_ada, draft):
    response = as_ada.get(fw_url(draft, "edit/cell/"), {"competency": "shipping", "level": "l2"})
    assert response.status_code == 200
    page = text(response)
    assert "Shipping at L2 Level 2" in page
    assert "shipping at l2: scope number 1</textarea>" in page
    assert "shipping signal 1a\nshipping signal 1b</textarea>" in page
    assert "hx-post" not in page  # a plain form on a page of its own
    assert_no_inline_code(response)


def test_saving_a_cell_without_javascript_goes_back_to_it_in_the_editor(as_ada, draft):
    response = as_ada.post(
        fw_url(draft, "edit/cell/"),
        {
            "competency": "shipping",
            "level": "l2",
            "summary": "  Ships weekly  ",
            "signals": "one\n\n two \n",
            "examples": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == fw_url(draft, "edit/#cell-shipping-l2")
    draft.refresh_from_db()
    cell = document_of(draft).expectation("shipping", "l2")
    assert cell is not None
    assert (cell.summary, cell.signals, cell.examples) == ("Ships weekly", ["one", "two"], [])


def test_htmx_edits_a_cell_in_place(as_ada, draft):
    form = as_ada.get(fw_url(draft, "edit/cell/"), {"competency": "reviews", "level": "l1"}, **HTMX)
    assert "<html" not in text(form)
    assert 'hx-post="' in text(form)
    assert "autofocus" in text(form)
    saved = as_ada.post(
        fw_url(draft, "edit/cell/"),
        {"competency": "reviews", "level": "l1", "summary": "Reviews kindly", "signals": "s"},
        **HTMX,
    )
    assert saved.status_code == 200
    html = text(saved)
    assert html.lstrip().startswith('<div class="cell-editable" id="cell-reviews-l1">')
    assert "Reviews kindly" in html


def test_htmx_cancel_brings_the_cell_back(as_ada, draft):
    response = as_ada.get(
        fw_url(draft, "edit/cell/"),
        {"competency": "reviews", "level": "l1", "view": "1"},
        **HTMX,
    )
    assert 'id="cell-reviews-l1"' in text(response)
    assert "reviews at l1: scope number 0" in text(response)


def test_an_unknown_level_is_refused_in_the_cell_and_changes_nothing(as_ada, draft):
    before = snapshot()
    response = as_ada.post(
        fw_url(draft, "edit/cell/"),
        {"competency": "shipping", "level": "l9", "summary": "x"},
    )
    assert response.status_code == 422
    assert "unknown level 'l9'" in text(response)
    assert snapshot() == before
    assert_no_inline_code(response)


def test_a_cell_error_comes_back_in_place_for_htmx(as_ada, draft):
    response = as_ada.post(
        fw_url(draft, "edit/cell/"),
        {"competency": "shipping", "level": "l1", "signals": "\n".join("x" * 30)},
        **HTMX,
    )
    assert response.status_code == 422
    html = text(response)
    assert "<html" not in html
    assert "Keep it to 20 lines at most." in html


def test_a_link_to_an_unknown_cell_is_404(as_ada, draft):
    url = fw_url(draft, "edit/cell/")
    assert as_ada.get(url, {"competency": "juggling", "level": "l1"}).status_code == 404
    assert as_ada.get(url, {"competency": "shipping", "level": "l9"}).status_code == 404


# --- The draft editor: competencies and levels ---------------------------------------------------


def _doc(version: FrameworkVersion):
    version.refresh_from_db()
    return document_of(version)


def test_adding_moving_and_removing_a_competency(as_ada, draft):
    url = fw_url(draft, "edit/competencies/")
    data = {"key": "docs", "name": "Docs", "area": "craft", "kind": "skill"}
    assert as_ada.post(url, data).status_code == 302
    assert [c.key for c in _doc(draft).competencies] == ["shipping", "reviews", "docs"]
    change = fw_url(draft, "edit/competencies/change/")
    as_ada.post(change, {"competency": "docs", "action": "up"})
    assert [c.key for c in _doc(draft).competencies] == ["shipping", "docs", "reviews"]
    as_ada.post(change, {"competency": "shipping", "action": "remove"})
    doc = _doc(draft)
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
    assert [c.key for c in _doc(draft).competencies] == ["reviews", "shipping"]


def test_adding_moving_and_removing_a_level(as_ada, draft):
    data = {"track": "ic", "key": "l4", "code": "L4", "title": "Level 4"}
    assert as_ada.post(fw_url(draft, "edit/levels/"), data).status_code == 302
    doc = _doc(draft)
    assert [lv.key for lv in doc.levels_of("ic")] == ["l1", "l2", "l3", "l4"]
    change = fw_url(draft, "edit/levels/change/")
    as_ada.post(change, {"track": "ic", "level": "l4", "action": "up"})
    assert [lv.key for lv in _doc(draft).levels_of("ic")] == ["l1", "l2", "l4", "l3"]
    as_ada.post(change, {"track": "ic", "level": "l1", "action": "remove"})
    doc = _doc(draft)
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


# --- History and diff -------------------------------------------------------------------------


@pytest.fixture
def second(draft, ada) -> FrameworkVersion:
    """Version 2, published with one cell rewritten and a competency renamed."""

    def change(doc: dict) -> dict:
        doc = dict(doc)
        doc["competencies"] = [
            {**c, "name": "Code review"} if c["key"] == "reviews" else c
            for c in doc["competencies"]
        ]
        return doc

    services.edit_draft(version=draft, by=ada, change=change)
    from upward.engine import edit

    services.edit_draft(
        version=draft,
        by=ada,
        change=lambda d: edit.set_cell(
            d, competency="shipping", level="l2", summary="Ships weekly", signals=[], examples=[]
        ),
    )
    return services.publish_version(version=draft, by=ada)


def test_the_history_lists_every_version(as_alice, second):
    response = as_alice.get(f"/frameworks/{second.framework_id}/history/")
    assert response.status_code == 200
    page = words(response)
    assert "Version 2" in page
    assert "Version 1" in page
    assert "Published" in page
    assert "Archived" in page
    assert "Edited from version 1" in page
    assert "Ada" in page
    assert f"/frameworks/{second.framework_id}/diff/?from=1&to=2" in text(response)
    assert_no_inline_code(response)


def test_the_history_shows_drafts_only_to_editors(as_alice, as_ada, draft):
    url = f"/frameworks/{draft.framework_id}/history/"
    assert "Draft" not in words(as_alice.get(url))
    assert "Draft" in words(as_ada.get(url))


def test_the_diff_compares_the_previous_and_current_versions_by_default(as_alice, second):
    response = as_alice.get(f"/frameworks/{second.framework_id}/diff/")
    assert response.status_code == 200
    page = words(response)
    assert "Changes from version 1 to version 2" in page
    assert "Renamed Reviews → to Code review" in page
    assert "Shipping at L2 Level 2" in page
    assert "shipping at l2: scope number 1" in page  # the old text
    assert "Ships weekly" in page  # the new one
    assert_no_inline_code(response)


def test_the_diff_between_chosen_versions(as_alice, second):
    response = as_alice.get(f"/frameworks/{second.framework_id}/diff/?from=2&to=1")
    assert "Changes from version 2 to version 1" in words(response)


def test_the_same_version_twice_has_no_changes(as_alice, second):
    response = as_alice.get(f"/frameworks/{second.framework_id}/diff/?from=2&to=2")
    assert "No changes" in words(response)


def test_a_single_version_has_nothing_to_compare(as_alice, tiny):
    response = as_alice.get(f"/frameworks/{tiny.framework_id}/diff/")
    assert response.status_code == 200
    assert "Nothing to compare yet" in words(response)


def test_a_diff_against_a_draft_is_for_editors_only(as_alice, as_ada, draft):
    url = f"/frameworks/{draft.framework_id}/diff/?from=1&to=2"
    assert as_alice.get(url).status_code == 404
    assert as_ada.get(url).status_code == 200


def test_a_diff_with_an_unknown_version_is_404(as_alice, tiny):
    assert as_alice.get(f"/frameworks/{tiny.framework_id}/diff/?from=1&to=7").status_code == 404


# --- Navigation -------------------------------------------------------------------------------


def test_the_main_nav_and_the_dashboard_lead_to_the_library(as_alice):
    page = text(as_alice.get("/dashboard/"))
    assert page.count('href="/frameworks/"') >= 2
    current = text(as_alice.get("/frameworks/"))
    assert '<a href="/frameworks/" aria-current="page">Frameworks</a>' in current


# --- The draft editor: steps of a points framework ---------------------------------------------


@pytest.fixture
def snowflake_draft(snowflake, ada) -> FrameworkVersion:
    """Version 2 of the imported lighthouse framework: a draft, its steps editable."""
    return services.start_draft(framework=snowflake.framework, by=ada)


def _step(version: FrameworkVersion, competency: str, key: str):
    return next(s for s in _doc(version).competency(competency).scale if s.key == key)


def test_the_points_editor_offers_an_edit_link_on_every_step(as_ada, snowflake_draft):
    response = as_ada.get(fw_url(snowflake_draft, "edit/"))
    assert response.status_code == 200
    page = text(response)
    assert f'href="{fw_url(snowflake_draft, "edit/step/")}?competency=lamps&step=1"' in page
    assert 'id="step-rescue-3"' in page
    assert "Choose Edit in a step" in words(response)
    assert "can't be edited" not in page
    assert_no_inline_code(response)


def test_the_step_page_works_without_javascript(as_ada, snowflake_draft):
    response = as_ada.get(
        fw_url(snowflake_draft, "edit/step/"), {"competency": "lamps", "step": "1"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Lamps: Milestone 1" in words(response)
    assert "Cleans the lens on schedule</textarea>" in page
    assert 'Logs each cleaning\nReports "cloudy" glass</textarea>' in page
    assert "hx-post" not in page  # a plain form on a page of its own
    assert_no_inline_code(response)


def test_saving_a_step_without_javascript_goes_back_to_it_in_the_editor(as_ada, snowflake_draft):
    points = _doc(snowflake_draft).level_rule
    response = as_ada.post(
        fw_url(snowflake_draft, "edit/step/"),
        {
            "competency": "lamps",
            "step": "1",
            "name": "  Lens care  ",
            "description": " Cleans the lens every night ",
            "signals": "one\n\n two \n",
            "examples": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == fw_url(snowflake_draft, "edit/#step-lamps-1")
    step = _step(snowflake_draft, "lamps", "1")
    assert (step.name, step.description, step.signals, step.examples) == (
        "Lens care",
        "Cleans the lens every night",
        ["one", "two"],
        [],
    )
    assert _doc(snowflake_draft).level_rule == points  # the key, so the points, stay


def test_htmx_edits_a_step_in_place(as_ada, snowflake_draft):
    url = fw_url(snowflake_draft, "edit/step/")
    form = as_ada.get(url, {"competency": "lamps", "step": "2"}, **HTMX)
    assert form.status_code == 200
    assert "<html" not in text(form)
    assert f'hx-post="{url}"' in text(form)
    assert "autofocus" in text(form)
    assert "Lamps · Milestone 2" in words(form)
    assert_no_inline_code(form)
    saved = as_ada.post(
        url,
        {"competency": "lamps", "step": "2", "name": "Milestone 2", "description": "Oils gears"},
        **HTMX,
    )
    assert saved.status_code == 200
    html = text(saved)
    assert html.lstrip().startswith('<div class="cell-editable" id="step-lamps-2">')
    assert "Oils gears" in html
    assert f'hx-get="{url}?competency=lamps&step=2"' in html
    assert_no_inline_code(saved)
    assert _step(snowflake_draft, "lamps", "2").description == "Oils gears"


def test_htmx_cancel_brings_the_step_back(as_ada, snowflake_draft):
    before = snapshot()
    response = as_ada.get(
        fw_url(snowflake_draft, "edit/step/"),
        {"competency": "lamps", "step": "3", "view": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'id="step-lamps-3"' in text(response)
    assert "Designs the backup lamp circuit" in text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("competency", "step", "message"),
    [
        ("lamps", "9", "competency 'lamps' has no step '9'"),
        ("juggling", "1", "unknown competency 'juggling'"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_an_unknown_step_is_refused_in_place_and_changes_nothing(
    as_ada, snowflake_draft, competency, step, message, headers
):
    before = snapshot()
    response = as_ada.post(
        fw_url(snowflake_draft, "edit/step/"),
        {"competency": competency, "step": step, "name": "New name"},
        **headers,
    )
    assert response.status_code == 422
    assert message in text(response)
    assert ("<html" in text(response)) is not bool(headers)
    assert snapshot() == before
    assert_no_inline_code(response)


def test_a_competency_without_its_own_scale_has_no_steps_to_edit(as_ada, draft):
    before = snapshot()
    url = fw_url(draft, "edit/step/")
    assert as_ada.get(url, {"competency": "shipping", "step": "l1"}).status_code == 404
    response = as_ada.post(url, {"competency": "shipping", "step": "l1", "name": "x"})
    assert response.status_code == 422
    assert "competency 'shipping' has no scale of its own" in text(response)
    assert snapshot() == before


def test_a_step_needs_a_name_and_says_so_in_place(as_ada, snowflake_draft):
    before = snapshot()
    response = as_ada.post(
        fw_url(snowflake_draft, "edit/step/"),
        {"competency": "lamps", "step": "1", "name": "  ", "description": "x"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "<html" not in text(response)
    assert "This field is required." in text(response)
    assert snapshot() == before


def test_a_link_to_an_unknown_step_is_404(as_ada, snowflake_draft):
    url = fw_url(snowflake_draft, "edit/step/")
    assert as_ada.get(url, {"competency": "juggling", "step": "1"}).status_code == 404
    assert as_ada.get(url, {"competency": "lamps", "step": "9"}).status_code == 404
    assert as_ada.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "bob", "maya", "eve"])
def test_only_editors_may_open_or_change_a_step(request, snowflake_draft, persona):
    client = client_for(request.getfixturevalue(persona))
    url = fw_url(snowflake_draft, "edit/step/")
    before = snapshot()
    assert client.get(url, {"competency": "lamps", "step": "1"}).status_code == 404
    htmx = {"HX-Request": "true"}  # HTMX as headers: client_for's client is typed
    assert client.get(url, {"competency": "lamps", "step": "1"}, headers=htmx).status_code == 404
    data = {"competency": "lamps", "step": "1", "name": "Taken over"}
    assert client.post(url, data).status_code == 404
    assert client.post(url, data, headers=htmx).status_code == 404
    assert snapshot() == before


def test_a_published_versions_steps_can_no_longer_be_edited(as_ada, snowflake):
    url = fw_url(snowflake, "edit/step/")
    before = snapshot()
    assert as_ada.get(url, {"competency": "lamps", "step": "1"}).status_code == 409
    response = as_ada.post(url, {"competency": "lamps", "step": "1", "name": "Too late"})
    assert response.status_code == 409
    assert "Version 1 is published" in words(response)
    assert snapshot() == before


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


def test_the_attribution_is_a_link_only_for_a_web_or_email_address(as_alice, acme, ada):
    doc = small_document(attribution={"source": "Orbit Ltd", "url": "https://example.org/l"})
    version = publish(doc, acme, ada)
    page = text(as_alice.get(f"/frameworks/{version.framework_id}/"))
    assert '<a href="https://example.org/l" rel="noopener">Orbit Ltd</a>' in page


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "/admin/"]
)
def test_an_unsafe_url_stored_earlier_is_never_rendered_as_a_link(as_alice, acme, ada, url):
    version = publish(small_document(attribution={"source": "Orbit Ltd"}), acme, ada)
    # As a document stored before links were checked would hold it.
    stored = {**version.document, "attribution": {"source": "Orbit Ltd", "url": url}}
    FrameworkVersion.objects.filter(pk=version.pk).update(document=stored, content_hash="old")
    response = as_alice.get(f"/frameworks/{version.framework_id}/")
    assert response.status_code == 200
    page = text(response)
    assert "From Orbit Ltd" in words(response)
    assert "Orbit Ltd</a>" not in page
    assert url.strip() not in page

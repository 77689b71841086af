"""Framework reading pages: the library, the matrix, levels, competencies, export,
history and diffs.

Who sees which page (strangers get 404), that unsafe links are never rendered, and
that the matrix costs the same number of queries however big the framework is.
"""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.engine.formats import writable_formats
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.frameworks.tests.pages import fw_url, publish
from upward.testing import client_for


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
    # organization and its memberships (nav), the unread count (the bell).
    with django_assert_num_queries(9):
        assert as_ada.get("/frameworks/").status_code == 200
    for n in range(5):
        publish(small_document(f"more-{n}", f"More {n}"), acme, ada)
    with django_assert_num_queries(9):
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
    # (without documents), her current organization and her memberships (nav), the
    # unread count (the bell).
    # The document is one JSON column, parsed once and cached: its size costs
    # no queries.
    with django_assert_num_queries(10):
        assert as_alice.get(url).status_code == 200
    big = publish(_big_document(competencies=40, levels=12), acme, ada)
    with django_assert_num_queries(10):
        response = as_alice.get(f"/frameworks/{big.framework_id}/")
    assert "c39 at v11" in words(response)


def test_the_history_costs_the_same_queries_however_many_versions(
    as_alice, tiny, ada, django_assert_num_queries
):
    url = f"/frameworks/{tiny.framework_id}/history/"
    # session, user, the framework with its organization (access), alice's membership
    # (may read), whether she may edit, the versions with their authors (no
    # documents), her current organization and her memberships (nav), the unread
    # count (the bell).
    with django_assert_num_queries(9):
        assert as_alice.get(url).status_code == 200
    for _ in range(4):
        services.publish_version(
            version=services.start_draft(framework=tiny.framework, by=ada), by=ada
        )
    with django_assert_num_queries(9):
        response = as_alice.get(url)
    assert "Version 5" in words(response)


def test_a_version_page_costs_the_same_queries_as_the_framework_page(
    as_alice, tiny, django_assert_num_queries
):
    # The same ten: the version is looked up by number instead of as the published one.
    with django_assert_num_queries(10):
        assert as_alice.get(fw_url(tiny)).status_code == 200


# --- Points-based frameworks ------------------------------------------------------------------


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


# --- Strangers and visitors ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/frameworks/{fw}/", "/frameworks/{fw}/history/", "/frameworks/{fw}/diff/"]
)
def test_another_organizations_user_gets_404_for_the_framework(as_eve, tiny, url):
    assert as_eve.get(url.format(fw=tiny.framework_id)).status_code == 404


def test_the_pages_need_a_signed_in_person(tiny):
    response = Client().get(f"/frameworks/{tiny.framework_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- History and diff -------------------------------------------------------------------------


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


# --- Links in documents ------------------------------------------------------------------


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

"""The draft editor's cells: edited in place with htmx or on their own page without
JavaScript; bad input comes back in place and changes nothing.
"""

from __future__ import annotations

from upward.core.tests.pages import HTMX, assert_no_inline_code, text
from upward.frameworks.selectors import document_of
from upward.frameworks.tests.pages import fw_url, snapshot

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

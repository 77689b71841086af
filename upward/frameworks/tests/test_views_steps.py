"""The draft editor's scale steps in a points framework: edited in place with htmx or
on their own page; only editors open them, published versions stay frozen.
"""

from __future__ import annotations

import pytest

from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.frameworks import services
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.pages import fresh_document, fw_url, snapshot
from upward.testing import client_for


@pytest.fixture
def snowflake_draft(snowflake, ada) -> FrameworkVersion:
    """Version 2 of the imported lighthouse framework: a draft, its steps editable."""
    return services.start_draft(framework=snowflake.framework, by=ada)


def _step(version: FrameworkVersion, competency: str, key: str):
    return next(s for s in fresh_document(version).competency(competency).scale if s.key == key)


# --- The draft editor: steps of a points framework ---------------------------------------------


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
    points = fresh_document(snowflake_draft).level_rule
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
    assert fresh_document(snowflake_draft).level_rule == points  # the key, so the points, stay


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

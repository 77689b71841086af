"""An admin brings in the company framework, in a real browser: import a file,
read its matrix, publish it, edit a cell of a new draft in place, publish that,
and read what changed."""

from __future__ import annotations

import pytest
import yaml

from upward.frameworks.tests.factories import small_document
from upward.testing import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("[name=login]", email)
    page.fill("[name=password]", PASSWORD)
    page.locator("main form:has([name=password]) [type=submit]").first.click()
    page.wait_for_url("**/dashboard/")


def test_an_admin_imports_publishes_edits_and_compares_a_framework(page, ada, tmp_path):
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())  # htmx's hx-confirm
    source = tmp_path / "tiny.yaml"
    source.write_text(yaml.safe_dump(small_document(), sort_keys=False), encoding="utf-8")

    sign_in(page, ada.email)
    page.get_by_role("link", name="Frameworks", exact=True).click()
    page.get_by_role("link", name="Import a framework").click()
    page.select_option("main [name=organization]", "acme")
    page.set_input_files("[name=upload]", str(source))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Check before importing: Tiny Ladder").wait_for()
    page.get_by_role("button", name="Import as a draft").click()

    # The draft's preview: counts, no warnings, the matrix.
    page.wait_for_url("**/frameworks/*/v/1/")
    assert page.get_by_role("heading", name="Draft preview").is_visible()
    matrix = page.locator("#matrix")
    assert "shipping at l2: scope number 1" in matrix.inner_text()
    page.locator("#matrix details summary").first.click()
    assert page.get_by_text("shipping signal 0a").is_visible()

    page.locator(".draft-preview").get_by_role("link", name="Publish").click()
    page.wait_for_url("**/frameworks/*/v/1/")
    page.get_by_text("Version 1 is published").wait_for()

    # A new draft, edited in place.
    page.get_by_role("button", name="Edit").click()
    page.wait_for_url("**/frameworks/*/v/2/edit/")
    page.get_by_role("link", name="Edit Shipping at L2 Level 2").click()
    summary = page.locator("td [name=summary]")
    summary.wait_for()
    assert page.url.endswith("/v/2/edit/")  # htmx: still the editor, the form is in the cell
    summary.fill("Ships every week, behind a flag")
    page.locator("td form").get_by_role("button", name="Save").click()
    cell = page.locator("#cell-shipping-l2")
    cell.get_by_text("Ships every week, behind a flag").wait_for()

    page.locator("header").get_by_role("link", name="Publish").click()
    page.wait_for_url("**/frameworks/*/v/2/")
    page.get_by_text("Version 2 is published").wait_for()

    # What changed, from the history.
    page.locator("details.menu > summary", has_text="Version 2").click()
    page.get_by_role("link", name="History and changes").click()
    page.get_by_role("link", name="Changes from version 1 to 2").click()
    page.wait_for_url("**/diff/?from=1&to=2")
    changes = page.locator("main").inner_text()
    assert "Changes from version 1 to version 2" in changes
    assert "shipping at l2: scope number 1" in changes
    assert "Ships every week, behind a flag" in changes
    assert server_errors == []
    assert console_errors == []

"""Importing in a real browser: UNiDAYS as published, zipped, previewed with its skipped
schemas, imported as a new framework; the same file again becomes a new draft version
only when chosen; the preview fits a phone."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.browser.test_framework_flow import sign_in
from upward.frameworks import services
from upward.frameworks.models import FrameworkVersion

pytestmark = pytest.mark.browser

PUBLISHED_UNIDAYS = Path(__file__).resolve().parents[2].parent / "shared/frameworks/unidays"


def unidays_zip(tmp_path: Path) -> Path:
    path = tmp_path / "unidays.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(PUBLISHED_UNIDAYS.rglob("*")):
            if file.is_file():
                zf.write(file, f"unidays/{file.relative_to(PUBLISHED_UNIDAYS)}")
    return path


def upload(page, path: Path) -> None:
    page.goto("/frameworks/import/")
    page.select_option("main [name=organization]", "acme")
    page.set_input_files("[name=upload]", str(path))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Check before importing: Product and Engineering").wait_for()


@pytest.mark.skipif(not PUBLISHED_UNIDAYS.is_dir(), reason="the published UNiDAYS folder is absent")
def test_unidays_zip_is_previewed_then_imported_then_versioned_by_choice(page, ada, tmp_path):
    archive = unidays_zip(tmp_path)
    sign_in(page, ada.email)
    upload(page, archive)
    preview = page.locator(".import-preview")
    assert "skipped: a JSON Schema, not framework content" in preview.inner_text()
    assert "competencies" in preview.inner_text().lower()
    page.get_by_role("button", name="Import as a draft").click()
    page.wait_for_url("**/frameworks/*/v/1/")
    services.publish_version(version=FrameworkVersion.objects.get(), by=ada)

    # Again: the key is taken, so the page proposes a new version of that framework.
    upload(page, archive)
    assert page.get_by_text("already has a framework with the key").is_visible()
    page.get_by_label("A new framework").check()
    page.get_by_role("button", name="Import as a draft").click()
    page.get_by_text("already exists").first.wait_for()
    page.get_by_label("A new draft version of an existing framework").check()
    page.get_by_role("button", name="Import as a draft").click()
    page.wait_for_url("**/frameworks/*/v/2/")


@pytest.mark.skipif(not PUBLISHED_UNIDAYS.is_dir(), reason="the published UNiDAYS folder is absent")
def test_the_import_preview_fits_a_phone(page, ada, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, ada.email)
    upload(page, unidays_zip(tmp_path))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

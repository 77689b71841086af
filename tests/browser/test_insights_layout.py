"""The insight pages fit a phone: at 390 px wide the page never scrolls sideways; a
wide heatmap and its table scroll inside their own containers instead."""

from __future__ import annotations

import pytest

from upward.accounts.tests.factories import TeamFactory
from upward.insights.selectors import ROWS_PER_PAGE
from upward.insights.tests.pages_data import add_people, build_acme, rate_for_calibration
from upward.testing import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
URLS = [
    "/insights/",
    "/insights/?by=level",
    "/insights/?by=nonsense",
    "/insights/pipeline/",
    "/insights/calibration/",
    "/insights/settings/",
]


def test_the_insight_pages_fit_a_phone(page, acme, ada, alice, platform, bob, maya):
    built = build_acme(acme, ada, alice, platform)
    add_people(built, "Apps", 3)
    rate_for_calibration(built, bob, maya)
    page.set_viewport_size(PHONE)
    log_in(page, "ada@acme.test")
    for url in URLS:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)


def test_the_heatmaps_pages_of_rows_fit_a_phone(page, acme, ada, alice, platform):
    built = build_acme(acme, ada, alice, platform)
    for i in range(ROWS_PER_PAGE + 1):  # one team past the first page
        name = f"Squad{i:02}"
        built.teams[name] = TeamFactory.create(organization=acme, name=name)
        add_people(built, name, 1)
    page.set_viewport_size(PHONE)
    log_in(page, "ada@acme.test")
    page.goto("/insights/")
    nav = page.locator("nav.pagination")
    assert nav.is_visible()
    assert "Page 1 of 2" in nav.inner_text()
    page.locator("a[rel=next]").click()
    assert "Page 2 of 2" in page.locator("nav.pagination").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width

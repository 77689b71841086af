"""The dashboard in a real browser, on the demo: each person's next actions lead
somewhere useful, at desktop and phone widths."""

from __future__ import annotations

import pytest

from upward.demo import DEMO_PASSWORD, load_demo
from upward.testing import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_each_demo_person_follows_their_next_action(page, live_server):
    load_demo()
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)

    log_in(page, "maya@example.com", DEMO_PASSWORD)
    to_answer = page.locator("section[aria-labelledby=to-answer]")
    to_answer.get_by_role("link", name="Alice Moreau asks for your feedback").click()
    page.wait_for_url("**/growth/feedback/*/answer/")
    page.context.clear_cookies()

    page.set_viewport_size(PHONE)
    log_in(page, "bob@example.com", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Your team").is_visible()
    assert _fits(page)
    page.get_by_role("link", name="Rate Sam Ortiz").click()
    page.wait_for_url("**/growth/placement/*/rate/")
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "alice@example.com", DEMO_PASSWORD)
    gaps = page.locator("section[aria-labelledby=top-gaps] a")
    assert gaps.count() == 3
    first = gaps.first
    key = first.get_attribute("href").rsplit("=", 1)[1]
    first.click()
    page.wait_for_url("**/feedback/new/?competency=*")
    assert page.locator(f"input[name=competencies][value='{key}']").is_checked()
    assert server_errors == []

"""The profile in a real browser: reached from the account menu, a bad time zone is
refused under its field, and a good one is kept."""

from __future__ import annotations

import pytest

from upward.accounts.models import User
from upward.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser


def test_a_demo_person_edits_their_profile_from_the_account_menu(page, live_server):
    load_demo()
    page.goto("/accounts/login/")
    page.fill("[name=login]", "alice@example.com")
    page.fill("[name=password]", DEMO_PASSWORD)
    page.locator("main form:has([name=password]) [type=submit]").first.click()
    page.wait_for_url("**/dashboard/")

    assert page.locator("header a[href='/settings/profile/']").count() >= 1
    page.goto("/settings/profile/")
    assert page.input_value("[name=name]") == "Alice Moreau"
    assert page.input_value("[name=time_zone]") == "Europe/Paris"
    assert page.input_value("[name=languages]") == "fr, en"
    assert page.locator("svg.avatar text").text_content() == "AM"

    page.fill("[name=time_zone]", "Mars/Olympus")
    page.get_by_role("button", name="Save profile").click()
    assert "is not a time zone" in page.locator("#id_time_zone_error").inner_text()

    page.fill("[name=time_zone]", "america/new_york")
    page.fill("[name=languages]", "French, English, Spanish")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/settings/profile/")
    alice = User.objects.get(email="alice@example.com")
    assert (alice.time_zone, alice.languages) == ("America/New_York", ["fr", "en", "es"])
    assert page.input_value("[name=time_zone]") == "America/New_York"

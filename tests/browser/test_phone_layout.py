"""Every main page fits a phone: at 390 x 844 nothing scrolls sideways, for the demo's
member, manager and admin. The compact menu opens and its links work without
JavaScript, and on a laptop a long email address never pushes a Withdraw button out
of its card."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from upward.accounts.demo import DEMO_PASSWORD
from upward.accounts.models import Team
from upward.assessments import services as assessments
from upward.assessments.models import Placement
from upward.demo import load_demo
from upward.frameworks.models import FrameworkVersion, VersionStatus

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
LONG_EMAIL = "a.very.long.mailbox.name.for.an.outside.rater@research-partner.example"


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("[name=login]", email)
    page.fill("[name=password]", DEMO_PASSWORD)
    page.locator("main form:has([name=password]) [type=submit]").first.click()
    page.wait_for_url("**/dashboard/")


def _framework_pages() -> list[str]:
    """The library, one framework, its matrix and one of its levels and competencies."""
    version = (
        FrameworkVersion.objects.filter(
            framework__organization__slug="acme", status=VersionStatus.PUBLISHED
        )
        .select_related("framework")
        .order_by("pk")
        .first()
    )
    assert version is not None
    document = version.document
    at = {"framework_id": version.framework_id, "number": version.number}
    return [
        reverse("frameworks:framework_list"),
        reverse("frameworks:framework_detail", args=[version.framework_id]),
        reverse("frameworks:framework_version", kwargs=at),
        reverse(
            "frameworks:framework_level",
            kwargs=at | {"level": document["tracks"][0]["levels"][-1]["key"]},
        ),
        reverse(
            "frameworks:framework_competency",
            kwargs=at | {"competency": document["competencies"][0]["key"]},
        ),
    ]


def _pages(persona: str) -> list[str]:
    """The main pages each persona reaches from the header and their dashboard."""
    alice = Placement.objects.get(user__email="alice@example.com", is_active=True)
    everyone = [
        reverse("dashboard"),
        reverse("accounts:org_list"),
        reverse("accounts:org_detail", args=["acme"]),
        reverse("accounts:token_list"),
        reverse("notifications:list"),
        reverse("notifications:settings"),
        reverse("accounts:profile"),
        *_framework_pages(),
    ]
    if persona == "alice":
        return [
            *everyone,
            reverse("assessments:my_delta"),
            reverse("assessments:placement_edit"),
            reverse("assessments:placement_assess", args=[alice.pk]),
            reverse("assessments:feedback_new", args=[alice.pk]),
            reverse("assessments:feedback_requests"),
            reverse(
                "assessments:delta_signals",
                args=[alice.pk, alice.version.document["competencies"][0]["key"]],
            ),
        ]
    if persona == "bob":
        return [
            *everyone,
            reverse("assessments:team_deltas"),
            reverse("assessments:placement_delta", args=[alice.pk]),
            reverse("assessments:placement_rate", args=[alice.pk]),
        ]
    team = Team.objects.get(organization__slug="acme", name="Platform")
    return [
        *everyone,
        reverse("accounts:audit_log", args=["acme"]),
        reverse("accounts:team_detail", args=["acme", team.pk]),
        reverse("frameworks:framework_import"),
    ]


def _ask_from_a_long_address() -> None:
    """An open request to an outside rater whose address has no place to break."""
    placement = Placement.objects.get(user__email="alice@example.com", is_active=True)
    assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], email=LONG_EMAIL
    )


def _too_wide(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


@pytest.mark.parametrize("persona", ["alice", "bob", "ada"])
def test_every_main_page_fits_a_phone_without_scrolling_sideways(page, persona):
    load_demo()
    _ask_from_a_long_address()
    pages = _pages(persona)
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    page.set_viewport_size(PHONE)
    _log_in(page, f"{persona}@example.com")

    too_wide = {}
    for url in pages:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        if overflow := _too_wide(page):
            too_wide[url] = overflow
    assert too_wide == {}
    assert server_errors == []


def test_the_pages_for_people_without_an_account_fit_a_phone(page, mailoutbox):
    load_demo()
    _ask_from_a_long_address()
    found = re.search(r"https?://[^/\s]+(/feedback/[A-Za-z0-9_-]+/)", mailoutbox[-1].body)
    assert found, mailoutbox[-1].body
    page.set_viewport_size(PHONE)

    too_wide = {}
    for url in ["/", reverse("account_login"), reverse("account_signup"), found.group(1)]:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        if overflow := _too_wide(page):
            too_wide[url] = overflow
    assert too_wide == {}


def test_the_header_on_a_phone_is_one_row_with_a_menu(page):
    load_demo()
    page.set_viewport_size(PHONE)
    _log_in(page, "bob@example.com")

    header = page.locator("header.topbar").bounding_box()
    assert header is not None
    assert header["height"] < 80
    assert page.locator("nav.nav-wide").is_hidden()
    assert page.locator(".topbar-end > .org-switcher").is_hidden()
    compact = page.locator("details.nav-compact")
    compact.locator("summary").click()
    assert compact.get_by_role("link", name="Team").is_visible()
    # Bob works in Acme and his own space: the picker is whole, inside the screen.
    picker = compact.locator("select[name=organization]")
    box = picker.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert picker.evaluate("s => s.scrollWidth <= s.clientWidth")
    assert compact.get_by_role("button", name="Log out").is_visible()
    assert _too_wide(page) == 0


def test_the_compact_menu_opens_and_its_links_work_without_javascript(page, live_server):
    load_demo()
    context = page.context.browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    phone = context.new_page()
    _log_in(phone, "alice@example.com")

    compact = phone.locator("details.nav-compact")
    assert compact.get_by_role("link", name="My growth").is_hidden()
    compact.locator("summary").click()
    compact.get_by_role("link", name="My growth").click()
    phone.wait_for_url("**/growth/")
    assert phone.locator("h1").first.is_visible()
    phone.locator("details.nav-compact summary").click()
    phone.locator("details.nav-compact").get_by_role("link", name="Frameworks").click()
    phone.wait_for_url("**/frameworks/")
    assert _too_wide(phone) == 0
    context.close()


def test_a_long_email_never_pushes_withdraw_out_of_its_card_on_a_laptop(page):
    load_demo()
    _ask_from_a_long_address()
    page.set_viewport_size(LAPTOP)
    _log_in(page, "alice@example.com")
    page.goto(reverse("assessments:feedback_requests"))

    withdraw = page.locator("#sent tr", has_text=LONG_EMAIL).get_by_role("button")
    card = page.locator("#sent").bounding_box()
    button = withdraw.bounding_box()
    assert card is not None
    assert button is not None
    assert button["x"] >= card["x"]
    assert button["x"] + button["width"] <= card["x"] + card["width"]
    # Nothing scrolls inside the card either (a scrolled table would hide the button).
    assert page.locator("#sent .table-wrap").evaluate("t => t.scrollWidth <= t.clientWidth")
    assert _too_wide(page) == 0

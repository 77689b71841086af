"""The competency delta in a real browser: a member places themselves, rates
themselves (one competency through htmx, the rest with the whole form), asks an
outside peer for feedback by email, the peer answers through the emailed link
without an account, and the member sees their top three gaps."""

from __future__ import annotations

import re

import pytest

from upward.accounts.models import Membership, Organization, Role
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.testing import log_in, make_user

pytestmark = pytest.mark.browser

COMPETENCIES = [
    ("shipping", "Shipping", "impact"),
    ("reviews", "Reviews", "skill"),
    ("testing", "Testing", "skill"),
    ("mentoring", "Mentoring", "behavior"),
]


def _framework(org: Organization, admin) -> None:
    """A small published ladder (L1-L3) with four competencies."""
    doc = small_document(key="flow", name="Flow Ladder")
    doc["areas"] = [{"key": "craft", "name": "Craft"}]
    doc["competencies"] = [
        {"key": key, "name": name, "area": "craft", "kind": kind}
        for key, name, kind in COMPETENCIES
    ]
    doc["expectations"] = [
        {"competency": key, "level": level, "summary": f"{name} at {level.upper()}"}
        for key, name, _kind in COMPETENCIES
        for level in ("l1", "l2", "l3")
    ]
    version = frameworks.create_version(document=validate_document(doc), organization=org, by=admin)
    frameworks.publish_version(version=version, by=admin)


def _feedback_link(mailoutbox) -> str:
    """The path of the emailed link (the email's host is the configured site, not the test's)."""
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    found = re.search(r"https?://[^/\s]+(/feedback/[A-Za-z0-9_-]+/)", mailoutbox[0].body)
    assert found, mailoutbox[0].body
    return found.group(1)


def test_a_member_places_themselves_gets_feedback_and_sees_their_top_gaps(
    page, live_server, mailoutbox
):
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    member = make_user("riley@example.com", "Riley")
    org = Organization.objects.create(name="Initech", slug="initech")
    Membership.objects.create(organization=org, user=member, role=Role.ADMIN)
    _framework(org, member)
    log_in(page, member.email)

    page.goto("/growth/")
    page.get_by_role("link", name="Place yourself").click()
    page.wait_for_url("**/growth/placement/")
    page.select_option("[name=current_level]", "ic:l1")
    page.get_by_role("button", name="Save placement").click()
    page.wait_for_url("**/growth/")
    assert "Towards L2 Level 2" in page.content()

    # One competency saved on its own (htmx swaps its card), then the rest at once.
    page.get_by_role("link", name="Rate yourself").first.click()
    page.wait_for_url("**/assess/")
    card = page.locator("#competency-shipping")
    card.locator("input[value=l1]").check()
    card.get_by_role("button", name="Save Shipping").click()
    page.locator("#competency-shipping [role=status]").wait_for()
    assert page.url.endswith("/assess/")
    for key, _name, _kind in COMPETENCIES[1:]:
        page.locator(f"#competency-{key} input[value=l1]").check()
    page.get_by_role("button", name="Save all").click()
    page.wait_for_url("**/growth/")

    page.get_by_role("link", name="Ask for feedback").first.click()
    page.fill("[name=email]", "pat@partner.example")
    page.check("input[name=relationship][value=peer]")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/growth/feedback/")
    assert "pat@partner.example" in page.content()

    # The rater, without an account, in a browser of their own.
    rater = page.context.browser.new_context(base_url=live_server.url).new_page()
    rater.goto(_feedback_link(mailoutbox))
    assert "where is Riley operating consistently" in rater.content()
    for key, _name, _kind in COMPETENCIES:
        rater.locator(f"#competency-{key} input[value=l1]").check()
    rater.fill("[name=biggest_gap]", "Mentoring the new hires.")
    rater.get_by_role("button", name="Send").click()
    rater.wait_for_url("**/feedback/thanks/")
    rater.context.close()

    page.goto("/growth/")
    gaps = page.locator(".gap-card h3")
    assert gaps.count() == 3
    assert gaps.all_inner_texts() == ["Shipping", "Mentoring", "Reviews"]
    assert "Mentoring the new hires." in page.content()
    assert server_errors == []

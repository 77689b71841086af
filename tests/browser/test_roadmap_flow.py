"""Roadmaps in a real browser: a member with top gaps builds a roadmap from templates,
edits an objective until the live specificity check passes, ticks a milestone off,
marks the objective done and asks its stakeholders for feedback, prefilled. And every
roadmap page fits a phone (390 px) without scrolling sideways."""

from __future__ import annotations

import pytest

from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.engine.specificity import check_objective
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.roadmaps import services as roadmaps
from upward.roadmaps.tests.factories import SPECIFIC, TemplateFactory
from upward.testing import log_in, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
VAGUE = "Improve my communication"
CONCRETE = (
    "Lead the payment retries rollout with the Payments team within six weeks, "
    "halving failed charges"
)


def _world():
    """Riley, placed at L1 of a small ladder, rated L1 everywhere by Sam, their manager:
    two top gaps. The library has a template for the first one."""
    riley = make_user("riley@example.com", "Riley")
    sam = make_user("sam@initech.test", "Sam Okafor")
    org = Organization.objects.create(name="Initech", slug="initech")
    Membership.objects.create(organization=org, user=riley, role=Role.ADMIN)
    Membership.objects.create(organization=org, user=sam, role=Role.MANAGER)
    team = Team.objects.create(organization=org, name="Payments", manager=sam)
    TeamMembership.objects.create(team=team, user=riley, organization=org)
    doc = validate_document(small_document(key="flow", name="Flow Ladder"))
    version = frameworks.publish_version(
        version=frameworks.create_version(document=doc, organization=org, by=riley), by=riley
    )
    placement = assessments.place(
        user=riley, organization=org, version=version, track="ic", current_level="l1"
    )
    ratings = [Rating("shipping", "l1"), Rating("reviews", "l1")]
    assessments.rate_as_manager(placement=placement, manager=sam, ratings=ratings)
    template = TemplateFactory.create(framework_key="flow", title="Ship a feature end to end")
    return riley, sam, placement, template


def test_a_member_builds_a_roadmap_closes_an_objective_and_asks_its_stakeholders(page):
    assert not check_objective(VAGUE).specific
    assert check_objective(CONCRETE).specific
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    riley, sam, placement, _template = _world()
    log_in(page, riley.email)

    page.get_by_role("navigation", name="Main").first.get_by_role("link", name="Roadmap").click()
    page.wait_for_url("**/roadmap/")
    assert "No plan yet for 2 of your top gaps" in page.content()

    # Build it: the template's objective for Shipping, one written for Reviews.
    page.get_by_role("link", name="Build my roadmap").first.click()
    page.wait_for_url("**/roadmap/build/")
    assert SPECIFIC in page.content()
    page.get_by_role("button", name="Add the kept ones to my roadmap").click()
    page.wait_for_url("**/roadmap/")
    assert "No plan yet" not in page.content()

    # Edit the template's objective; the check answers while typing.
    page.get_by_role("link", name=SPECIFIC).first.click()
    page.wait_for_url("**/roadmap/objectives/*/")
    objective_url = page.url
    page.fill("[name=title]", VAGUE)
    page.locator("#check", has_text="Still vague").wait_for()
    assert "Missing:" in page.locator("#check").inner_text()
    page.fill("[name=title]", CONCRETE)
    page.locator("#check", has_text="Specific").wait_for()
    page.fill("[name=stakeholders]", "Payments team\nsam@initech.test")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(objective_url)
    assert "Objective saved." in page.content()
    assert CONCRETE in page.locator("h1").inner_text()

    # Tick the first milestone off: htmx swaps the checklist in place.
    milestones = page.locator("#milestones")
    milestones.get_by_role("button", name="Mark done").first.click()
    milestones.get_by_role("button", name="Undo").first.wait_for()
    assert page.url == objective_url

    # Mark it done with a link, then ask its stakeholders.
    page.locator("#complete summary").click()
    page.fill("[name=link]", "https://docs.initech.test/payment-retries")
    page.fill("[name=note]", "Failed charges went from 4% to 1.8%.")
    page.get_by_role("button", name="Mark it done").click()
    page.wait_for_url(objective_url + "#feedback")
    assert "Done" in page.locator(".page-header .badge").inner_text()
    page.get_by_role("link", name="Ask its stakeholders for feedback").click()
    page.wait_for_url(f"**/growth/placement/{placement.pk}/feedback/new/?*")
    assert page.locator("select[name=rater] option:checked").all_inner_texts() == [
        "Sam Okafor (sam@initech.test)"
    ]
    assert page.locator("input[name=competencies][value=shipping]").is_checked()
    assert not page.locator("input[name=competencies][value=reviews]").is_checked()
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/growth/feedback/")
    assert "Sam Okafor" in page.content()

    # The delta page shows where each top gap's plan stands, and Sam's new rating of
    # Shipping after the objective was done closes its loop.
    page.goto("/growth/")
    shipping = page.locator('article[aria-labelledby="gap-shipping"]')
    reviews = page.locator('article[aria-labelledby="gap-reviews"]')
    assert shipping.locator(".loop [aria-current=step]").inner_text() == "Done"
    assert reviews.locator(".loop [aria-current=step]").inner_text() == "Planned"
    assert "No plan yet" not in page.content()
    assessments.rate_as_manager(
        placement=placement, manager=sam, ratings=[Rating("shipping", "l1")]
    )
    page.reload()
    assert shipping.locator(".loop [aria-current=step]").inner_text() == "Re-assessed"
    assert server_errors == []


def _too_wide(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def test_every_roadmap_page_fits_a_phone(page, live_server):
    riley, sam, placement, template = _world()
    made = roadmaps.apply_template(template=template, placement=placement, by=riley)
    objective = made[0]
    roadmaps.set_milestone_done(milestone=objective.milestones.first(), by=riley, done=True)
    page.set_viewport_size(PHONE)
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    log_in(page, riley.email)
    urls = [
        "/roadmap/",
        "/roadmap/?view=quarter",
        "/roadmap/build/",
        f"/roadmap/objectives/{objective.pk}/",
        "/roadmap/objectives/new/",
        "/roadmap/templates/",
        f"/roadmap/templates/{template.pk}/",
        "/roadmap/templates/new/",
        "/roadmap/calendar/",
        "/dashboard/",
    ]
    too_wide = {}
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        # Open what folds away, so what it holds is measured too.
        for details in page.locator("main details").all():
            details.evaluate("element => { element.open = true; }")
        if overflow := _too_wide(page):
            too_wide[url] = overflow
    manager = page.context.browser.new_context(base_url=live_server.url)
    other = manager.new_page()
    other.set_viewport_size(PHONE)
    log_in(other, sam.email)
    other.goto(f"/roadmap/reports/{placement.pk}/")
    assert template.objectives[0]["title"] in other.content()
    if overflow := _too_wide(other):
        too_wide["report"] = overflow
    manager.close()
    assert too_wide == {}
    assert server_errors == []

"""Feedback the way people ask for it, in a real browser, on a phone (390 x 844) and a
laptop: several people asked in one go (one request and one link each), a warning
before asking someone twice, a decline's reason shown to the requester, who
"sometimes reaches" higher on the delta page, a readiness trend that starts at the
placement, and the gap colour in the chart's legend."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import Membership, Organization, Role, User
from upward.assessments import services as assessments
from upward.assessments.models import FeedbackRequest, Placement
from upward.assessments.services.placements import Rating
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.testing import log_in, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(LAPTOP, id="laptop")]
COMPETENCIES = [("shipping", "Shipping", "impact"), ("reviews", "Reviews", "skill")]


def _framework(org: Organization, admin: User) -> FrameworkVersion:
    """A small published ladder (L1-L3) with two competencies."""
    doc = small_document(key="ask", name="Ask Ladder")
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
    return version


def _world() -> dict[str, object]:
    """Riley (placed at L1, aiming at L2) in Initech with two colleagues and a manager."""
    org = Organization.objects.create(name="Initech", slug="initech")
    riley = make_user("riley@example.com", "Riley Chen")
    Membership.objects.create(organization=org, user=riley, role=Role.ADMIN)
    people = {"riley": riley}
    for key, name, role in [
        ("casey", "Casey Brooks", Role.MEMBER),
        ("drew", "Drew Patel", Role.MEMBER),
        ("morgan", "Morgan Diaz", Role.MANAGER),
    ]:
        people[key] = make_user(f"{key}@example.com", name)
        Membership.objects.create(organization=org, user=people[key], role=role)
    version = _framework(org, riley)
    placement = assessments.place(
        user=riley, organization=org, version=version, track="ic", current_level="l1"
    )
    return {"org": org, "placement": placement, **people}


def _links(mailoutbox) -> list[str]:
    """The paths of the emailed answer links (the email's host is the configured site)."""
    found = [re.search(r"https?://[^/\s]+(/feedback/[A-Za-z0-9_-]+/)", m.body) for m in mailoutbox]
    return [f.group(1) for f in found if f]


def _too_wide(page) -> int:
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def _ask_page(page, placement: Placement) -> None:
    page.goto(reverse("assessments:feedback_new", args=[placement.pk]))
    page.locator("[name=rater]").wait_for()


@pytest.mark.parametrize("size", SIZES)
def test_asking_several_people_at_once_sends_one_request_each_with_its_own_link(
    page, live_server, mailoutbox, size
):
    world = _world()
    page.set_viewport_size(size)
    log_in(page, "riley@example.com")
    _ask_page(page, world["placement"])
    assert _too_wide(page) == 0

    page.select_option("[name=rater]", [str(world["casey"].pk), str(world["drew"].pk)])
    page.fill("[name=email]", "pat@partner.example\nsam@partner.example")
    page.check("input[name=relationship][value=peer]")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/growth/feedback/")

    assert "4 requests sent, one each to" in page.locator("main").inner_text()
    sent = page.locator("#sent")
    for who in ["Casey Brooks", "Drew Patel", "pat@partner.example", "sam@partner.example"]:
        assert sent.get_by_text(who).first.is_visible(), who
    assert _too_wide(page) == 0
    requests = FeedbackRequest.objects.filter(placement=world["placement"])
    assert requests.count() == 4
    # Each outside rater got their own single-use link, and each opens their own request.
    links = _links([m for m in mailoutbox if "partner.example" in " ".join(m.to)])
    assert len(links) == 2
    assert len(set(links)) == 2
    rater = page.context.browser.new_context(base_url=live_server.url, viewport=size).new_page()
    for link in links:
        rater.goto(link)
        assert "where is Riley Chen operating consistently" in rater.content()
        assert _too_wide(rater) == 0
    rater.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_asking_someone_again_while_their_request_waits_warns_first(page, size):
    world = _world()
    assessments.request_feedback(
        placement=world["placement"], relationship="peer", competencies=[], rater=world["casey"]
    )
    page.set_viewport_size(size)
    log_in(page, "riley@example.com")
    _ask_page(page, world["placement"])

    page.select_option("[name=rater]", [str(world["casey"].pk)])
    page.check("input[name=relationship][value=peer]")
    page.get_by_role("button", name="Send request").click()

    warning = page.locator(".alert-warning[role=alert]")
    assert "already asked them" in warning.inner_text()
    assert warning.is_visible()
    assert _too_wide(page) == 0
    assert FeedbackRequest.objects.filter(rater=world["casey"]).count() == 1

    warning.locator("[name=allow_duplicate]").check()
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/growth/feedback/")
    assert FeedbackRequest.objects.filter(rater=world["casey"]).count() == 2


@pytest.mark.parametrize("size", SIZES)
def test_the_requester_reads_why_a_rater_declined(page, live_server, mailoutbox, size):
    world = _world()
    assessments.request_feedback(
        placement=world["placement"],
        relationship="peer",
        competencies=[],
        email="pat@partner.example",
    )
    (link,) = _links(mailoutbox)
    rater = page.context.browser.new_context(base_url=live_server.url, viewport=size).new_page()
    rater.goto(link)
    rater.locator("details.decline-reason summary").click()
    rater.fill("[name=decline_reason]", "We have not worked together since March.")
    rater.get_by_role("button", name="Decline").click()
    rater.wait_for_url("**/feedback/thanks/")
    rater.context.close()

    page.set_viewport_size(size)
    log_in(page, "riley@example.com")
    page.goto("/growth/feedback/")
    reason = page.locator("#sent .decline-reason")
    assert reason.inner_text() == "“We have not worked together since March.”"
    assert reason.is_visible()
    assert _too_wide(page) == 0


@pytest.mark.parametrize("size", SIZES)
def test_the_delta_page_says_who_sometimes_reaches_higher(page, size):
    world = _world()
    assessments.rate_as_manager(
        placement=world["placement"],
        manager=world["morgan"],
        ratings=[Rating("shipping", "l1", sometimes="l2")],
    )
    page.set_viewport_size(size)
    log_in(page, "riley@example.com")
    page.goto("/growth/")
    row = page.locator("#row-shipping")
    row.locator("details.said summary").click()
    row.get_by_role("link", name="Who said so").click()
    sometimes = row.locator(".said-sometimes")
    sometimes.wait_for()
    assert sometimes.inner_text() == "sometimes reaches L2"
    assert "Morgan Diaz" in row.inner_text()
    assert _too_wide(page) == 0


@pytest.mark.parametrize("size", SIZES)
def test_the_readiness_trend_starts_at_the_placement_not_months_before(page, size):
    world = _world()
    placed = timezone.now() - timedelta(days=70)
    Placement.objects.filter(pk=world["placement"].pk).update(created_at=placed)
    assessments.rate_self(placement=world["placement"], ratings=[Rating("shipping", "l2")])
    page.set_viewport_size(size)
    log_in(page, "riley@example.com")
    page.goto("/growth/")

    # The chart's title lists its points: "Readiness over the last six months: 23 Sep 0%, ...".
    title = page.locator("#trend-svg-title").text_content() or ""
    points = re.findall(r"(\d{1,2} \w{3}) (\d+)%", title)
    day = timezone.localtime(placed).date()
    assert points[0][0] == f"{day.day} {day:%b}"
    # 70 days: the placement's day and the month-ends since, never six months of 0%.
    assert 2 <= len(points) <= 4
    assert page.locator(".trend-dot").count() == len(points)
    assert _too_wide(page) == 0


@pytest.mark.parametrize("size", SIZES)
def test_the_chart_legend_shows_the_gap_colour_the_bars_use(page, size):
    world = _world()
    assessments.rate_self(
        placement=world["placement"],
        ratings=[Rating("shipping", "l1"), Rating("reviews", "l1")],
    )
    page.set_viewport_size(size)
    log_in(page, "riley@example.com")
    page.goto("/growth/")

    swatch = page.locator(".chart-legend .swatch-gap")
    assert swatch.is_visible()
    legend_item = page.locator(".chart-legend li:has(.swatch-gap)")
    assert "gap" in legend_item.inner_text()
    bar = page.locator(".chart-row.is-gap .bar-operating").first
    colour = swatch.evaluate("e => getComputedStyle(e).backgroundColor")
    fill = bar.evaluate("e => getComputedStyle(e).fill")
    assert colour == fill
    assert colour not in ("rgba(0, 0, 0, 0)", "")
    assert _too_wide(page) == 0


@pytest.mark.parametrize("size", SIZES)
def test_an_outside_rater_sees_the_requesters_photo_without_an_account(
    page, live_server, mailoutbox, size
):
    from upward.accounts.demo import geometric_picture
    from upward.accounts.services import set_photo

    world = _world()
    set_photo(user=world["riley"], data=geometric_picture())
    assessments.request_feedback(
        placement=world["placement"],
        relationship="peer",
        competencies=[],
        email="pat@partner.example",
    )
    (link,) = _links(mailoutbox)
    page.set_viewport_size(size)
    page.goto(link)

    photo = page.locator("header img.avatar-photo")
    assert photo.get_attribute("alt") == "Riley Chen"
    assert (photo.get_attribute("src") or "").startswith("/people/photo/")
    assert photo.evaluate("i => i.decode().then(() => i.naturalWidth)") == 256
    # The same person's photo by id is for their organizations only, not for the rater.
    assert page.request.get(f"/people/{world['riley'].pk}/photo/").status == 404
    assert _too_wide(page) == 0

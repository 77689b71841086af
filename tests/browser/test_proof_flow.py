"""Proof in a real browser, end to end: a member logs two pieces of evidence for a gap,
two colleagues confirm them and the delta shows the step demonstrated; the member
posts three updates in a growth thread, keeps one as evidence, builds a promotion
packet, downloads its PDF and shares a link that opens for someone not signed in.
Each step at phone width, where people log evidence the day it happens."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.evidence.models import Entry, Post, ShareOpen
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.testing import log_in, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
UPDATES = [
    "Week one: wrote down the three releases that slipped and why.",
    "Week three: the release checklist is in the repository and two teams use it.",
    "Week six: shipped the billing release a day early with the checklist.",
]


def _world() -> tuple[str, int]:
    """Riley at L1 aiming for L2, with Sam (manager) rating shipping at L1: a gap.
    Pat is a peer on the same team. Returns the framework's name and Riley's placement."""
    riley = make_user("riley@example.com", "Riley Park")
    sam = make_user("sam@initech.test", "Sam Okafor")
    pat = make_user("pat@initech.test", "Pat Lee")
    org = Organization.objects.create(name="Initech", slug="initech")
    Membership.objects.create(organization=org, user=riley, role=Role.MEMBER)
    Membership.objects.create(organization=org, user=sam, role=Role.MANAGER)
    Membership.objects.create(organization=org, user=pat, role=Role.MEMBER)
    team = Team.objects.create(organization=org, name="Billing", manager=sam)
    for person in (riley, pat):
        TeamMembership.objects.create(team=team, user=person, organization=org)
    doc = validate_document(small_document(key="proof", name="Proof Ladder"))
    version = frameworks.publish_version(
        version=frameworks.create_version(document=doc, organization=org, by=sam), by=sam
    )
    placement = assessments.place(
        user=riley, organization=org, version=version, track="ic", current_level="l1"
    )
    assessments.rate_as_manager(
        placement=placement,
        manager=sam,
        ratings=[Rating("shipping", "l1"), Rating("reviews", "l2")],
    )
    return "Proof Ladder", placement.pk


def _log_evidence(page, title: str, impact: str, days_ago: int) -> None:
    page.goto("/evidence/new/")
    page.get_by_label("What you did").fill(title)
    day = timezone.localdate() - timedelta(days=days_ago)
    page.get_by_label("When").fill(day.isoformat())
    page.get_by_label("The impact").fill(impact)
    page.locator("[name=step__shipping]").select_option("l2")
    page.locator("[name=visibility][value=organization]").check()
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url("**/evidence/*/")
    assert title in page.content()


def _confirm(page, who: str, relation: str, title: str) -> None:
    log_in(page, who)
    entry = Entry.objects.get(title=title)
    page.goto(f"/evidence/{entry.pk}/")
    page.locator(f"[name=confirm-relation][value={relation}]").check()
    page.locator("[name=confirm-step__shipping]").select_option("l2")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert entry.confirmations.count() == 1
    page.context.clear_cookies()


def test_from_evidence_to_a_shared_packet(page, live_server):
    framework, placement_id = _world()
    page.set_viewport_size(PHONE)
    log_in(page, "riley@example.com")
    _log_evidence(page, "Cut the release checklist to one page", "Two slipped releases fewer", 20)
    _log_evidence(page, "Shipped the billing release early", "Invoices out a day sooner", 4)
    page.context.clear_cookies()

    _confirm(page, "sam@initech.test", "manager", "Cut the release checklist to one page")
    _confirm(page, "pat@initech.test", "peer", "Shipped the billing release early")

    log_in(page, "riley@example.com")
    page.goto(f"/growth/placement/{placement_id}/")
    row = page.locator("tr", has_text="Shipping").first
    assert row.locator("td[data-label=Demonstrated]").inner_text().strip() == "L2"
    assert row.locator("td[data-label=Status]").inner_text().strip() == "Met"

    # A growth thread with three updates, the last kept as evidence.
    page.goto("/threads/new/")
    page.get_by_label("What are you working on?").fill("Shipping on time, every time")
    page.locator("[name=visibility][value=organization]").check()
    page.get_by_role("button", name="Open the thread").click()
    page.wait_for_url("**/threads/*/")
    for body in UPDATES:
        page.locator("#update textarea").fill(body)
        page.get_by_role("button", name="Post the update").click()
        page.wait_for_load_state()
        assert body in page.content()
    last = Post.objects.get(body=UPDATES[-1])
    promote = page.locator(f"#promote-{last.pk}")
    promote.locator("summary").click()
    promote.locator(f"[name=promote-{last.pk}-competency_0]").select_option("shipping")
    promote.locator(f"[name=promote-{last.pk}-step_0]").select_option("l2")
    promote.get_by_role("button", name="Make it an evidence entry").click()
    page.wait_for_load_state()
    kept = Entry.objects.get(post=last)
    assert kept.competencies == [{"competency": "shipping", "step": "l2"}]

    # The packet: built, downloaded as a PDF, shared by a link.
    page.goto("/packets/new/")
    page.locator("[name=title]").fill("Riley Park for L2")
    page.get_by_role("button", name="Create the packet").click()
    page.wait_for_url("**/packets/*/")
    assert "Cut the release checklist to one page" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(_bytes(download.value))).pages)
    for name in ("Shipping", "Reviews", "Missing proof"):
        assert name in text, name

    page.locator("[name=label]").fill("Promotion committee")
    page.get_by_role("button", name="Make a link").click()
    page.wait_for_load_state()
    shared = page.locator("#new-link").inner_text().strip()
    assert "/shared/" in shared

    page.context.clear_cookies()
    page.goto(shared)
    assert page.get_by_role("heading", name="Riley Park for L2").count() >= 1
    assert "Shipping" in page.content()
    assert page.locator("form[action*='/packets/']").count() == 0  # read-only
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    opened = ShareOpen.objects.get()
    assert opened.viewer is None
    assert framework in page.content()


def _bytes(download) -> bytes:  # type: ignore[no-untyped-def]
    with open(download.path(), "rb") as handle:
        return handle.read()

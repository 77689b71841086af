"""Every main page fits a phone: at 390 x 844 nothing scrolls sideways, for the demo's
member, manager and admin, and neither does it at the widths of a small tablet (640,
700), a tablet (768) and a laptop (1366); nor does any table scroll inside its card.
The compact menu opens and its links work without JavaScript, on a laptop a long
email address never pushes a Withdraw button out of its card, and on a phone the
framework matrix reads as a ladder per competency with no empty gaps."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from upward.accounts.demo import DEMO_PASSWORD
from upward.accounts.models import Team
from upward.assessments import services as assessments
from upward.assessments.models import Placement
from upward.demo import load_demo
from upward.evidence.models import Entry, Packet, Thread
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.mentorship.models import (
    MentoringSession,
    MentorProfile,
    MentorshipRequest,
    Programme,
    Room,
)
from upward.testing import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# The phone layout's last width (40rem), a width between it and a tablet where tables
# are tables again but narrow, a tablet, and a laptop.
WIDTHS = [
    PHONE,
    {"width": 640, "height": 900},
    {"width": 700, "height": 900},
    {"width": 768, "height": 1024},
    LAPTOP,
]
LONG_EMAIL = "a.very.long.mailbox.name.for.an.outside.rater@research-partner.example"


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
            *_proof_pages(),
            *_mentoring_pages("alice"),
        ]
    if persona == "bob":
        return [
            *everyone,
            reverse("assessments:team_deltas"),
            reverse("assessments:placement_delta", args=[alice.pk]),
            reverse("assessments:placement_rate", args=[alice.pk]),
            reverse("evidence:person_log", args=[alice.user_id]),
            reverse("evidence:threads"),
            *_mentoring_pages("bob"),
        ]
    team = Team.objects.get(organization__slug="acme", name="Platform")
    return [
        *everyone,
        reverse("accounts:audit_log", args=["acme"]),
        reverse("accounts:team_detail", args=["acme", team.pk]),
        reverse("frameworks:framework_import"),
        *_mentoring_pages("ada"),
    ]


def _proof_pages() -> list[str]:
    """Alice's evidence, threads, packet, record and public profile pages."""
    entry = Entry.objects.filter(owner__email="alice@example.com").order_by("pk").first()
    thread = Thread.objects.filter(owner__email="alice@example.com").order_by("pk").first()
    packet = Packet.objects.get(owner__email="alice@example.com")
    public = Thread.objects.get(owner__email="alice@example.com", visibility="public")
    assert entry
    assert thread
    return [
        reverse("evidence:log"),
        reverse("evidence:entry", args=[entry.pk]),
        reverse("evidence:entry_new"),
        reverse("evidence:entry_edit", args=[entry.pk]),
        reverse("evidence:threads"),
        reverse("evidence:thread", args=[thread.pk]),
        reverse("evidence:thread_new"),
        reverse("evidence:packet_list"),
        reverse("evidence:packet", args=[packet.pk]),
        reverse("evidence:packet_links", args=[packet.pk]),
        reverse("evidence:record"),
        reverse("evidence:public_profile", args=[entry.owner_id]),
        reverse("evidence:public_thread", args=[entry.owner_id, public.pk]),
    ]


def _mentoring_pages(persona: str) -> list[str]:
    """Alice's room with Maya and what leads to it; Bob's mentor dashboard and profile;
    Ada's programme review, verification and settings."""
    maya = MentorProfile.objects.get(user__email="maya@example.com")
    programme = Programme.objects.get(organization__slug="acme")
    common = [
        reverse("mentorship:home"),
        reverse("mentorship:directory"),
        reverse("mentorship:mentor", args=[maya.pk]),
        reverse("mentorship:programmes"),
        reverse("mentorship:programme", args=[programme.pk]),
    ]
    if persona == "alice":
        room = Room.objects.get(mentee__email="alice@example.com", status="active")
        asked = MentorshipRequest.objects.get(mentee__email="alice@example.com")
        coming = MentoringSession.objects.filter(room=room).order_by("-starts_at").first()
        assert coming
        return [
            *common,
            reverse("mentorship:matches"),
            reverse("mentorship:requests"),
            reverse("mentorship:request", args=[asked.pk]),
            reverse("mentorship:room", args=[room.pk]),
            reverse("mentorship:session", args=[coming.pk]),
            reverse("mentorship:room_end", args=[room.pk]),
        ]
    if persona == "bob":
        return [*common, reverse("mentorship:dashboard"), reverse("mentorship:profile_edit")]
    return [
        *common,
        reverse("mentorship:programme_proposal", args=[programme.pk]),
        reverse("mentorship:verify", args=[maya.pk]),
        reverse("mentorship:settings"),
    ]


def _ask_from_a_long_address() -> None:
    """An open request to an outside rater whose address has no place to break."""
    placement = Placement.objects.get(user__email="alice@example.com", is_active=True)
    assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], email=LONG_EMAIL
    )


def _tables_scrolling(page) -> list[int]:
    """How far each table that scrolls inside its card hides its right edge (its buttons)."""
    return page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".map(w => w.scrollWidth - w.clientWidth).filter(px => px > 0)"
    )


def _too_wide(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


@pytest.mark.parametrize("persona", ["alice", "bob", "ada"])
def test_every_main_page_fits_every_width_without_scrolling_sideways(page, persona):
    load_demo()
    _ask_from_a_long_address()
    pages = _pages(persona)
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    log_in(page, f"{persona}@example.com", DEMO_PASSWORD)

    too_wide = {}
    for url in pages:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        for size in WIDTHS:
            page.set_viewport_size(size)
            if overflow := _too_wide(page):
                too_wide[f"{url} at {size['width']}"] = overflow
            if hidden := _tables_scrolling(page):
                too_wide[f"{url} at {size['width']}: tables"] = hidden
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
    log_in(page, "bob@example.com", DEMO_PASSWORD)

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


@pytest.mark.parametrize("width", [1366, 1440])
def test_the_header_on_a_laptop_is_one_row_with_every_link(page, width):
    load_demo()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "bob@example.com", DEMO_PASSWORD)  # a manager: the most links

    nav = page.locator("nav.nav-wide")
    for name in ("Dashboard", "My growth", "Roadmap", "Proof", "Mentoring", "Team"):
        assert nav.get_by_role("link", name=name).is_visible()
    header = page.locator("header.topbar").bounding_box()
    assert header is not None
    assert header["height"] < 80
    assert _too_wide(page) == 0


def test_the_compact_menu_opens_and_its_links_work_without_javascript(page, live_server):
    load_demo()
    context = page.context.browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    phone = context.new_page()
    log_in(phone, "alice@example.com", DEMO_PASSWORD)

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
    log_in(page, "alice@example.com", DEMO_PASSWORD)
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


# Each matrix cell's empty space below its last line, in px (padding and border excluded).
CELL_BLANKS = """() => [...document.querySelectorAll('.matrix td')]
  .filter(td => td.offsetParent !== null && td.children.length)
  .map(td => {
    const style = getComputedStyle(td);
    const bottom = Math.max(...[...td.children].map(c => c.getBoundingClientRect().bottom));
    return td.getBoundingClientRect().bottom - bottom
      - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
  })"""


def test_the_matrix_on_a_phone_leaves_no_empty_gaps_below_its_cells(page):
    load_demo()
    page.set_viewport_size(PHONE)
    log_in(page, "alice@example.com", DEMO_PASSWORD)
    page.goto(_framework_pages()[2])

    blanks = page.evaluate(CELL_BLANKS)
    assert len(blanks) >= 20
    # Side by side, a cell was as tall as the longest one in its row: 60 px and more
    # of nothing under most of them. Now each is as tall as what it says.
    assert max(blanks) < 4
    first = page.locator(".matrix tr:not(.matrix-area) td").first
    assert first.locator(".matrix-cell-level").is_visible()  # it says which level it is
    box = first.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    wrap = page.locator(".matrix-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    assert _too_wide(page) == 0


def test_the_matrix_on_a_laptop_is_still_a_grid_with_levels_across(page):
    load_demo()
    page.set_viewport_size(LAPTOP)
    log_in(page, "alice@example.com", DEMO_PASSWORD)
    page.goto(_framework_pages()[2])

    header = page.locator(".matrix thead th")
    assert header.count() > 3
    assert header.nth(1).is_visible()
    assert page.locator(".matrix .matrix-cell-level").first.is_hidden()
    row = page.locator(".matrix tbody tr:not(.matrix-area)").first
    tops = row.locator("td").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().top)")
    assert len(set(tops)) == 1  # one row, levels side by side
    assert _too_wide(page) == 0


def test_a_photo_uploaded_on_a_phone_replaces_the_initials_where_people_are_listed(page):
    from upward.accounts.demo import geometric_picture

    load_demo()
    page.set_viewport_size(PHONE)
    log_in(page, "alice@example.com", DEMO_PASSWORD)
    page.goto(reverse("accounts:profile"))
    page.set_input_files(
        "[name=photo]", {"name": "me.png", "mimeType": "image/png", "buffer": geometric_picture()}
    )
    page.get_by_role("button", name="Upload photo").click()
    page.wait_for_url("**/settings/profile/")

    photo = page.locator("header img.avatar-photo")
    assert photo.is_visible()
    # Served by the photo view and allowed by the page's CSP: it decodes at 256 px.
    assert photo.evaluate("i => i.decode().then(() => i.naturalWidth)") == 256
    assert page.get_by_role("button", name="Remove photo").is_visible()
    assert _too_wide(page) == 0
    # On the member list, Alice's new photo and the demo's photo of Maya both load.
    page.goto(reverse("accounts:org_detail", args=["acme"]))
    for name in ["Alice Moreau", "Maya Lindqvist"]:
        img = page.locator(f"#members img.avatar-photo[alt='{name}']")
        assert img.evaluate("i => i.decode().then(() => i.naturalWidth)") == 256, name
    assert _too_wide(page) == 0

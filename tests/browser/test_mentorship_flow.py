"""Mentorship in a real browser, end to end, at phone width: a mentee finds a verified
mentor who covers their top gap (never their own manager), asks them, the mentor
accepts; a session booked with a generated agenda is held; action items are set and
one goes overdue as time moves on, which the room's state shows; then both end the
room and rate it, each seeing the other's rating only once both have."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership, User
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.core.visibility import Tier
from upward.evidence.services.entries import confirm_entry, create_entry
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.mentorship import services as mentorship
from upward.mentorship.models import ActionItem, MentoringSession, MentorshipRequest, Room
from upward.roadmaps import services as roadmaps
from upward.roadmaps.tests.factories import SPECIFIC
from upward.testing import log_in, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _world() -> dict[str, User]:
    """Riley at L1 aiming for L2 with a gap in shipping (Sam, her manager, rated L1);
    Morgan at L2 has demonstrated shipping at L2 (her entry, confirmed by Pat and Sam)
    and mentors it; Sam offers shipping too, verified by Ada, but he is Riley's manager."""
    people = {
        "riley": make_user("riley@example.com", "Riley Park"),
        "morgan": make_user("morgan@initech.test", "Morgan Reyes"),
        "sam": make_user("sam@initech.test", "Sam Okafor"),
        "pat": make_user("pat@initech.test", "Pat Lee"),
        "ada": make_user("ada@initech.test", "Ada Quist"),
    }
    org = Organization.objects.create(name="Initech", slug="initech")
    roles = {"sam": Role.MANAGER, "ada": Role.ADMIN, "morgan": Role.MENTOR}
    for key, person in people.items():
        Membership.objects.create(organization=org, user=person, role=roles.get(key, Role.MEMBER))
    team = Team.objects.create(organization=org, name="Billing", manager=people["sam"])
    for key in ("riley", "pat"):
        TeamMembership.objects.create(team=team, user=people[key], organization=org)
    doc = validate_document(small_document(key="mentoring", name="Mentoring Ladder"))
    version = frameworks.publish_version(
        version=frameworks.create_version(document=doc, organization=org, by=people["ada"]),
        by=people["ada"],
    )
    riley = assessments.place(
        user=people["riley"], organization=org, version=version, track="ic", current_level="l1"
    )
    assessments.rate_as_manager(
        placement=riley, manager=people["sam"], ratings=[Rating("shipping", "l1")]
    )
    roadmaps.create_objective(
        owner=people["riley"], placement=riley, title=SPECIFIC, competencies=["shipping"]
    )
    morgan = assessments.place(
        user=people["morgan"], organization=org, version=version, track="ic", current_level="l2"
    )
    entry = create_entry(
        owner=people["morgan"],
        placement=morgan,
        title="Ran the billing release train for a quarter",
        happened_on=timezone.localdate() - timedelta(days=20),
        competencies=[{"competency": "shipping", "step": "l2"}],
        visibility=Tier.ORGANIZATION,
    )
    for confirmer in ("pat", "sam"):
        confirm_entry(entry=entry, by=people[confirmer], relation="peer", steps={"shipping": "l2"})
    mentorship.save_profile(
        user=people["morgan"],
        organization=org,
        bio="I run release trains and like to teach them.",
        offers=[mentorship.OfferIn("shipping", "l2")],
    )
    assessments.place(
        user=people["sam"], organization=org, version=version, track="ic", current_level="l2"
    )
    sams = mentorship.save_profile(
        user=people["sam"], organization=org, offers=[mentorship.OfferIn("shipping", "l2")]
    )
    mentorship.verify_offer(offer=sams.offers.get(), by=people["ada"], basis="Led releases.")
    return people


def test_a_mentee_finds_a_mentor_and_they_see_it_through(page):
    people = _world()
    page.set_viewport_size(PHONE)

    # Riley finds Morgan among her matches, for her top gap; never Sam, her manager.
    log_in(page, "riley@example.com")
    page.goto("/mentoring/matches/")
    matches = page.locator("main").inner_text()
    assert "Morgan Reyes" in matches
    assert "Shipping" in matches
    assert "Sam Okafor" not in matches
    page.get_by_role("link", name="Morgan Reyes").first.click()
    page.wait_for_url("**/mentoring/mentors/*/")
    assert "Demonstrated" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Ask to mentor me").click()
    asked = MentorshipRequest.objects.get()
    assert asked.mentee == people["riley"]
    assert asked.status == "pending"

    # Morgan accepts: the room opens.
    log_in(page, "morgan@initech.test")
    page.goto(f"/mentoring/requests/{asked.pk}/")
    page.get_by_role("button", name="Accept and open the room").click()
    page.wait_for_url("**/mentoring/rooms/*/")
    room = Room.objects.get()
    assert (room.mentor, room.mentee) == (people["morgan"], people["riley"])

    # She books a session with no agenda: one is generated from Riley's open objective.
    starts = timezone.localtime() + timedelta(days=1)
    page.get_by_text("Book a session…").click()
    page.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.get_by_role("button", name="Book it").click()
    session = MentoringSession.objects.get()
    assert SPECIFIC in session.agenda
    page.goto(f"/mentoring/sessions/{session.pk}/")
    assert SPECIFIC in page.locator("main").inner_text()

    # A day and a half later the session has taken place: Morgan marks it held.
    MentoringSession.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at - timedelta(days=2)
    )
    page.reload()
    page.locator("textarea[name=notes]").fill("Walked through the release checklist together.")
    page.get_by_label("We held this session").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    session.refresh_from_db()
    assert session.held_at is not None

    # Two action items; the state is on track until one of them passes its day.
    page.goto(f"/mentoring/rooms/{room.pk}/")
    for title, who, days in (
        ("Write the checklist", "riley", 3),
        ("Review it", "morgan", 5),
    ):
        page.get_by_text("Add an action item…").click()
        form = page.locator("form[action$='/actions/']")
        form.get_by_label("Action").fill(title)
        form.get_by_label("Who").select_option(str(people[who].pk))
        form.get_by_label("Due").fill((timezone.localdate() + timedelta(days=days)).isoformat())
        with page.expect_navigation():
            form.get_by_role("button", name="Add it").click()
    assert ActionItem.objects.filter(room=room).count() == 2
    assert "On track" in page.locator(".room-state").inner_text()
    ActionItem.objects.filter(title="Write the checklist").update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    page.reload()
    state = page.locator(".room-state").inner_text()
    assert "Overdue" in state
    assert "1 action item overdue" in state

    # Riley ends the room and rates it; Morgan's rating shows to her once Morgan rates.
    log_in(page, "riley@example.com")
    page.goto(f"/mentoring/rooms/{room.pk}/end/")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, end it").click()
    room.refresh_from_db()
    assert room.status == "ended"
    page.goto(f"/mentoring/rooms/{room.pk}/rate/")
    page.locator("[name=stars][value='5']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my rating").click()
    page.goto(f"/mentoring/rooms/{room.pk}/")
    assert "Morgan Reyes has not rated yet" in page.locator(".room-ending").inner_text()

    log_in(page, "morgan@initech.test")
    page.goto(f"/mentoring/rooms/{room.pk}/rate/")
    page.locator("[name=stars][value='4']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my rating").click()
    page.goto(f"/mentoring/rooms/{room.pk}/")
    ending = page.locator(".room-ending").inner_text()
    assert "Riley Park's rating: 5 of 5" in ending

    log_in(page, "riley@example.com")
    page.goto(f"/mentoring/rooms/{room.pk}/")
    assert "Morgan Reyes's rating: 4 of 5" in page.locator(".room-ending").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

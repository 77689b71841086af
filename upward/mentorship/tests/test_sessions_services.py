"""Sessions: booked in the future only, with an agenda generated from the open objectives,
the overdue action items and the evidence shared since the last check-in; edited by either
side; cancelled; in both people's calendar feeds and downloadable as a file."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from upward.core.errors import Conflict, Invalid
from upward.core.visibility import Tier
from upward.evidence.models import Entry
from upward.evidence.tests.factories import EntryFactory
from upward.mentorship.models import MentoringSession, Room
from upward.mentorship.selectors.rooms import agenda_for, last_check_in
from upward.mentorship.services import sessions as services
from upward.mentorship.tests.factories import ActionItemFactory, RoomFactory, SessionFactory
from upward.notifications.models import Notification
from upward.roadmaps.services import create_calendar_feed
from upward.roadmaps.tests.factories import ObjectiveFactory

TODAY = timezone.localdate()


@pytest.fixture
def room(maya, alice, acme, placement) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme)


def later(days: int = 3):
    return timezone.now() + timedelta(days=days)


# --- Booking ----------------------------------------------------------------------------


@pytest.mark.parametrize("when", [None, -1, 0])
def test_a_session_in_the_past_or_now_is_invalid_and_nothing_is_written(room, alice, when):
    starts_at = None if when is None else timezone.now() + timedelta(minutes=when)
    with pytest.raises(Invalid) as caught:
        services.schedule_session(room=room, by=alice, starts_at=starts_at)
    assert caught.value.field == "starts_at"
    assert not MentoringSession.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("minutes", [0, 4, 481])
def test_a_session_lasts_a_sensible_time(room, alice, minutes):
    with pytest.raises(Invalid) as caught:
        services.schedule_session(room=room, by=alice, starts_at=later(), minutes=minutes)
    assert caught.value.field == "minutes"
    assert not MentoringSession.objects.exists()


def test_booking_tells_the_other_side_and_keeps_a_given_agenda(room, alice, maya):
    made = services.schedule_session(room=room, by=maya, starts_at=later(), agenda="- My list")
    assert (made.agenda, made.created_by, made.minutes) == ("- My list", maya, 45)
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (alice, "mentorship.session_scheduled")
    assert note.title.startswith("Maya booked a mentoring session on ")
    assert note.url == f"/mentoring/sessions/{made.pk}/"


def test_a_blank_agenda_is_generated(room, alice, placement):
    ObjectiveFactory.create(placement=placement, title="Run the Q3 incident review")
    made = services.schedule_session(room=room, by=alice, starts_at=later(), agenda="  ")
    assert "Run the Q3 incident review" in made.agenda


# --- The generated agenda ---------------------------------------------------------------


def test_without_goals_the_agenda_lists_the_mentees_open_objectives_shared_with_mentors(
    room, placement
):
    ObjectiveFactory.create(placement=placement, title="Own the billing export")
    ObjectiveFactory.create(
        placement=placement, title="Quietly job hunting", visibility=Tier.PRIVATE
    )
    agenda = agenda_for(room)
    assert "### Objectives" in agenda
    assert "Own the billing export" in agenda
    assert "job hunting" not in agenda


def test_with_goals_the_agenda_lists_the_objectives_they_link_to(room, alice, placement):
    linked = ObjectiveFactory.create(placement=placement, title="Lead the platform RFC")
    ObjectiveFactory.create(placement=placement, title="Own the billing export")
    room.goals.create(title="Write more", objective=linked)
    agenda = agenda_for(room)
    assert "Lead the platform RFC" in agenda
    assert "billing export" not in agenda


def test_the_agenda_lists_overdue_action_items_with_owner_and_due_date(room, alice, maya):
    due = TODAY - timedelta(days=2)
    ActionItemFactory.create(room=room, owner=alice, title="Send the doc", due_on=due)
    ActionItemFactory.create(
        room=room, owner=maya, title="Already done", due_on=due, done_at=timezone.now()
    )
    ActionItemFactory.create(room=room, owner=maya, title="Not due yet")
    agenda = agenda_for(room)
    assert "### Overdue action items" in agenda
    assert f"- Send the doc (Alice, due {due.isoformat()})" in agenda
    assert "Already done" not in agenda
    assert "Not due yet" not in agenda


def test_the_agenda_lists_evidence_shared_with_mentors_since_the_last_check_in(
    room, alice, placement
):
    before = SessionFactory.create(room=room, starts_at=timezone.now() - timedelta(days=5))
    SessionFactory.create(  # cancelled: not a check-in
        room=room, starts_at=timezone.now() - timedelta(days=1), cancelled_at=timezone.now()
    )
    old = EntryFactory.create(placement=placement, title="Old news", visibility=Tier.MENTORS)
    Entry.objects.filter(pk=old.pk).update(created_at=before.starts_at - timedelta(days=1))
    EntryFactory.create(placement=placement, title="Shipped the queue", visibility=Tier.MENTORS)
    EntryFactory.create(placement=placement, title="Org wide win", visibility=Tier.ORGANIZATION)
    EntryFactory.create(placement=placement, title="Private diary", visibility=Tier.PRIVATE)
    assert last_check_in(room) == before
    agenda = agenda_for(room)
    assert "### Evidence since the last check-in" in agenda
    assert "Shipped the queue" in agenda
    assert "Org wide win" in agenda
    assert "Old news" not in agenda
    assert "Private diary" not in agenda


def test_an_agenda_with_nothing_to_list_still_gives_a_starting_point(room):
    assert agenda_for(room).startswith("### Check-in")


def test_titles_with_markdown_marks_stay_plain_text(room, placement):
    ObjectiveFactory.create(placement=placement, title="Fix [the] *build* <script>")
    assert "Fix \\[the\\] \\*build\\* \\<script\\>" in agenda_for(room)


# --- Editing and cancelling -------------------------------------------------------------


def test_either_side_edits_the_agenda_and_notes(room, alice, maya):
    session = SessionFactory.create(room=room)
    services.update_session(session=session, by=alice, agenda="- One thing")
    services.update_session(session=session, by=maya, notes="We agreed on **two** things")
    session.refresh_from_db()
    assert (session.agenda, session.notes) == ("- One thing", "We agreed on **two** things")


def test_a_session_is_held_only_once_it_has_started(room, alice):
    future = SessionFactory.create(room=room)
    with pytest.raises(Invalid) as caught:
        services.update_session(session=future, by=alice, held=True)
    assert caught.value.field == "held"
    past = SessionFactory.create(room=room, starts_at=timezone.now() - timedelta(hours=1))
    services.update_session(session=past, by=alice, held=True)
    assert past.held_at is not None


def test_a_session_is_cancelled_once(room, alice):
    session = SessionFactory.create(room=room)
    services.cancel_session(session=session, by=alice)
    assert session.cancelled_at is not None
    with pytest.raises(Conflict):
        services.cancel_session(session=session, by=alice)
    with pytest.raises(Conflict):
        services.update_session(session=session, by=alice, notes="Too late")


# --- Calendars --------------------------------------------------------------------------


def _uids(content: bytes) -> set[str]:
    cal = icalendar.Calendar.from_ical(content)
    return {str(event["UID"]) for event in cal.walk("VEVENT")}


@pytest.mark.parametrize("person", ["alice", "maya"])
def test_sessions_are_in_both_peoples_calendar_feeds(room, people, client, person):
    session = SessionFactory.create(room=room)
    gone = SessionFactory.create(room=room, cancelled_at=timezone.now())
    secret = create_calendar_feed(user=people[person])
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    uids = _uids(response.content)
    assert any(uid.startswith(f"mentoring-session-{session.pk}@") for uid in uids)
    assert not any(uid.startswith(f"mentoring-session-{gone.pk}@") for uid in uids)


def test_someone_else_s_feed_has_no_session_of_the_room(room, bob, client):
    SessionFactory.create(room=room)
    secret = create_calendar_feed(user=bob)
    uids = _uids(client.get(f"/calendar/{secret}.ics").content)
    assert not any(uid.startswith("mentoring-session-") for uid in uids)


def test_a_session_downloads_as_a_calendar_file(room, as_alice):
    session = SessionFactory.create(room=room, minutes=30)
    response = as_alice.get(f"/mentoring/sessions/{session.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mentoring-session-{session.pk}.ics"'
    )
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert end - start == timedelta(minutes=30)
    assert str(event["SUMMARY"]) == "Mentoring: Maya and Alice"


def test_the_booking_notice_gives_the_time_in_the_recipients_time_zone(room, alice, maya):
    from datetime import UTC, datetime

    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    starts = datetime(2030, 1, 15, 15, 0, tzinfo=UTC)
    services.schedule_session(room=room, by=maya, starts_at=starts)
    note = Notification.objects.get()
    assert note.title == (
        "Maya booked a mentoring session on Tue 15 Jan 2030, 10:00 (America/New_York)"
    )

"""Rooms' accountability states read from their dates, and the daily reminder sweep.

Dates are moved, never waited for: rooms are opened on a fixed Monday and judged
with `today=` / `now=`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.engine.accountability import State
from upward.mentorship.models import Room, RoomStatus
from upward.mentorship.selectors import states_of
from upward.mentorship.services import remind_rooms
from upward.mentorship.tests.factories import ActionItemFactory, RoomFactory, SessionFactory
from upward.notifications.models import Notification
from upward.testing import make_user

OPENED = date(2030, 1, 7)  # a Monday; a weekly room's first check-in is due on the 14th


def day(n: int) -> date:
    """The day `n` days after the room opened."""
    return OPENED + timedelta(days=n)


def at(n: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day(n), time(hour)))


def opened(mentor: User, mentee: User, org: Organization, cadence: str = "weekly") -> Room:
    """A room opened on OPENED (the factory stamps today; the date is moved back)."""
    room = RoomFactory.create(mentor=mentor, mentee=mentee, organization=org, cadence=cadence)
    Room.objects.filter(pk=room.pk).update(opened_at=at(0))
    room.refresh_from_db()
    return room


@pytest.fixture
def room(maya: User, alice: User, acme: Organization) -> Room:
    return opened(maya, alice, acme)


def state_on(room: Room, n: int) -> State:
    return states_of([room], today=day(n))[room.pk].state


# --- States ------------------------------------------------------------------------------


def test_a_weekly_room_is_on_track_then_due_then_overdue_after_the_grace(room):
    assert state_on(room, 6) == State.ON_TRACK
    assert state_on(room, 7) == State.DUE
    assert state_on(room, 10) == State.DUE  # the third day of grace
    assert state_on(room, 11) == State.OVERDUE
    assert states_of([room], today=day(11))[room.pk].due_on == day(7)


def test_a_monthly_room_is_due_a_month_after_it_opened(maya, alice, acme):
    monthly = opened(maya, alice, acme, cadence="monthly")
    assert state_on(monthly, 29) == State.ON_TRACK
    assert state_on(monthly, 30) == State.DUE


def test_a_session_held_moves_the_next_check_in(room):
    SessionFactory.create(room=room, starts_at=at(5))
    found = states_of([room], today=day(8))[room.pk]
    assert found.state == State.ON_TRACK
    assert found.due_on == day(12)


def test_a_cancelled_session_is_no_check_in(room):
    SessionFactory.create(room=room, starts_at=at(5), cancelled_at=at(4))
    assert state_on(room, 8) == State.DUE


def test_a_session_booked_within_the_grace_keeps_the_room_on_track(room):
    SessionFactory.create(room=room, starts_at=at(9))
    assert state_on(room, 8) == State.ON_TRACK
    # Once it has taken place it is the last check-in: due again a week later.
    found = states_of([room], today=day(10))[room.pk]
    assert (found.state, found.due_on) == (State.ON_TRACK, day(16))


def test_a_session_booked_past_the_grace_does_not_help(room):
    SessionFactory.create(room=room, starts_at=at(20))
    assert state_on(room, 8) == State.DUE
    assert state_on(room, 11) == State.OVERDUE


def test_a_session_later_today_is_still_to_come_when_only_the_day_is_given(room):
    SessionFactory.create(room=room, starts_at=at(7, hour=15))
    found = states_of([room], today=day(7))[room.pk]
    assert (found.state, found.due_on) == (State.ON_TRACK, day(7))
    # After it started, it is the last check-in.
    later = states_of([room], now=at(7, hour=16))[room.pk]
    assert later.due_on == day(14)


def test_an_open_action_item_past_due_makes_the_room_overdue(room, alice):
    ActionItemFactory.create(room=room, owner=alice, due_on=day(3))
    ActionItemFactory.create(room=room, owner=alice, due_on=day(2), done_at=at(2))
    found = states_of([room], today=day(4))[room.pk]
    assert found.state == State.OVERDUE
    assert found.overdue_items == 1
    assert "1 action item is past its due date." in found.reasons


def test_an_item_due_today_is_not_overdue_yet(room, alice):
    ActionItemFactory.create(room=room, owner=alice, due_on=day(4))
    assert state_on(room, 4) == State.ON_TRACK


def test_states_cost_two_queries_however_many_rooms(maya, alice, acme, django_assert_num_queries):
    rooms = [opened(maya, alice, acme)]
    for n in range(4):
        mentee = make_user(f"mentee{n}@acme.test")
        rooms.append(opened(maya, mentee, acme))
        SessionFactory.create(room=rooms[-1], starts_at=at(n))
        ActionItemFactory.create(room=rooms[-1], owner=mentee, due_on=day(n))
    # the sessions' last and next per room, the open action items
    with django_assert_num_queries(2):
        found = states_of(rooms, today=day(8))
    assert len(found) == 5
    assert found[rooms[0].pk].state == State.DUE
    assert found[rooms[1].pk].state == State.OVERDUE  # its item was due on day 0
    with django_assert_num_queries(0):
        assert states_of([], today=day(8)) == {}


# --- Reminders ---------------------------------------------------------------------------


def reminders() -> list[tuple[str, str]]:
    found = Notification.objects.filter(kind="mentorship.check_in_due")
    return sorted(found.values_list("recipient__email", "title"))


def test_both_sides_are_reminded_the_day_the_check_in_falls_due(room):
    assert remind_rooms(today=day(6)) == 0
    assert remind_rooms(today=day(7)) == 1
    assert reminders() == [
        ("alice@acme.test", "A check-in with Maya is due"),
        ("maya@acme.test", "A check-in with Alice is due"),
    ]
    notification = Notification.objects.filter(kind="mentorship.check_in_due").first()
    assert notification is not None
    assert notification.url == f"/mentoring/rooms/{room.pk}/"
    room.refresh_from_db()
    assert room.reminded_on == day(7)


def test_a_room_is_reminded_at_most_once_a_day(room):
    assert remind_rooms(today=day(7)) == 1
    assert remind_rooms(today=day(7)) == 0
    assert len(reminders()) == 2


def test_a_room_still_due_is_not_reminded_again_the_next_days(room):
    remind_rooms(today=day(7))
    assert remind_rooms(today=day(8)) == 0
    assert remind_rooms(today=day(10)) == 0


def test_a_room_turning_overdue_is_reminded_again(room):
    remind_rooms(today=day(7))
    assert remind_rooms(today=day(11)) == 1
    titles = {title for _, title in reminders()}
    assert "Your mentoring with Maya is overdue" in titles
    assert remind_rooms(today=day(12)) == 0


def test_a_room_staying_overdue_is_reminded_weekly(room):
    remind_rooms(today=day(11))
    assert remind_rooms(today=day(17)) == 0
    assert remind_rooms(today=day(18)) == 1


def test_a_new_overdue_action_item_is_reminded_even_the_day_after_a_reminder(room, alice):
    ActionItemFactory.create(room=room, owner=alice, due_on=day(7))
    assert remind_rooms(today=day(7)) == 1  # the check-in fell due
    assert remind_rooms(today=day(8)) == 1  # the item went past due
    ActionItemFactory.create(room=room, owner=alice, due_on=day(8))
    assert remind_rooms(today=day(9)) == 1  # another one did
    assert remind_rooms(today=day(10)) == 0


def test_a_booked_session_spares_the_reminder(room):
    SessionFactory.create(room=room, starts_at=at(9))
    assert remind_rooms(today=day(7)) == 0


def test_ended_rooms_and_rooms_on_track_are_not_reminded(room, maya, acme):
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.ENDED, ended_at=at(2))
    fresh = opened(maya, make_user("newbie@acme.test"), acme)
    SessionFactory.create(room=fresh, starts_at=at(6))
    assert remind_rooms(today=day(8)) == 0
    assert reminders() == []


def test_the_sweep_runs_as_a_command_on_today(maya, alice, acme):
    room = RoomFactory.create(mentor=maya, mentee=alice, organization=acme, cadence="weekly")
    Room.objects.filter(pk=room.pk).update(opened_at=timezone.now() - timedelta(days=7))
    out = StringIO()
    call_command("remind_mentoring", stdout=out)
    assert out.getvalue().strip() == "reminded 1 room(s)"
    call_command("remind_mentoring", stdout=out)
    assert out.getvalue().strip().endswith("reminded 0 room(s)")

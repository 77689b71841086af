"""Ending a room, rating it once, blind ratings, and what the directory sees of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.core.audit import AuditEvent
from upward.core.errors import Conflict, Invalid
from upward.mentorship.models import MentorProfile, Room, RoomRating, RoomStatus
from upward.mentorship.selectors import ending_of, rating_summaries
from upward.mentorship.selectors.ratings import RatingSummary
from upward.mentorship.services import end_room, rate_room
from upward.mentorship.tests.factories import ProfileFactory, RoomFactory, SessionFactory
from upward.notifications.models import Notification
from upward.testing import make_user

ENDED = datetime(2030, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def room(maya: User, alice: User, acme: Organization) -> Room:
    return RoomFactory.create(mentor=maya, mentee=alice, organization=acme)


def ended(room: Room, when: datetime = ENDED) -> Room:
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.ENDED, ended_at=when)
    room.refresh_from_db()
    return room


def rated(room: Room, rater: User, stars: int, when: datetime) -> RoomRating:
    rating = RoomRating.objects.create(room=room, rater=rater, stars=stars)
    RoomRating.objects.filter(pk=rating.pk).update(created_at=when)
    rating.refresh_from_db()
    return rating


# --- Ending ------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["mentee", "mentor"])
def test_either_side_ends_a_room_and_the_other_is_told(room, side):
    by = getattr(room, side)
    other = room.mentor if side == "mentee" else room.mentee
    end_room(room=room, by=by, now=ENDED)
    room.refresh_from_db()
    assert (room.status, room.ended_at, room.ended_by_id) == (RoomStatus.ENDED, ENDED, by.pk)
    told = Notification.objects.get(kind="mentorship.room_ended")
    assert told.recipient == other
    assert told.title == f"{by.display_name} ended your mentorship"
    assert told.url == f"/mentoring/rooms/{room.pk}/rate/"
    event = AuditEvent.objects.get(code="mentorship.room.ended")
    assert (event.actor_id, event.data) == (by.pk, {"by": side})


def test_ending_a_room_twice_is_a_conflict_and_changes_nothing(room, alice, maya):
    end_room(room=room, by=alice, now=ENDED)
    with pytest.raises(Conflict, match="already ended"):
        end_room(room=room, by=maya)
    room.refresh_from_db()
    assert (room.ended_at, room.ended_by_id) == (ENDED, alice.pk)
    assert Notification.objects.filter(kind="mentorship.room_ended").count() == 1
    assert AuditEvent.objects.filter(code="mentorship.room.ended").count() == 1


def test_ending_a_room_cancels_the_sessions_still_to_come(room, alice):
    past = SessionFactory.create(room=room, starts_at=timezone.now() - timedelta(days=3))
    coming = SessionFactory.create(room=room, starts_at=timezone.now() + timedelta(days=3))
    end_room(room=room, by=alice)
    past.refresh_from_db()
    coming.refresh_from_db()
    assert coming.cancelled_at is not None
    assert past.cancelled_at is None


def test_a_third_person_cannot_end_a_room(room, bob):
    with pytest.raises(Invalid) as raised:
        end_room(room=room, by=bob)
    assert raised.value.field == "by"
    room.refresh_from_db()
    assert room.status == RoomStatus.ACTIVE


# --- Rating ------------------------------------------------------------------------------


def test_each_side_rates_an_ended_room_once(room, alice, maya):
    ended(room)
    rating = rate_room(room=room, by=alice, stars=5, comment="  Changed how I plan.  ")
    assert (rating.rater, rating.stars, rating.comment) == (alice, 5, "Changed how I plan.")
    rate_room(room=room, by=maya, stars=4)
    assert RoomRating.objects.filter(room=room).count() == 2


def test_the_audit_log_says_who_rated_but_never_the_stars(room, alice):
    ended(room)
    rate_room(room=room, by=alice, stars=2, comment="Rarely showed up.")
    event = AuditEvent.objects.get(code="mentorship.room.rated")
    assert event.data == {"by": "mentee"}


def test_rating_twice_is_a_conflict_and_keeps_the_first(room, alice):
    ended(room)
    rate_room(room=room, by=alice, stars=5)
    with pytest.raises(Conflict, match="already rated"):
        rate_room(room=room, by=alice, stars=1)
    assert list(RoomRating.objects.values_list("stars", flat=True)) == [5]


def test_an_active_room_cannot_be_rated(room, alice):
    with pytest.raises(Conflict, match="once it has ended"):
        rate_room(room=room, by=alice, stars=4)
    assert not RoomRating.objects.exists()


@pytest.mark.parametrize("stars", [0, 6, -1, True])
def test_stars_outside_one_to_five_are_refused(room, alice, stars):
    ended(room)
    with pytest.raises(Invalid) as raised:
        rate_room(room=room, by=alice, stars=stars)
    assert raised.value.field == "stars"
    assert not RoomRating.objects.exists()
    assert not AuditEvent.objects.filter(code="mentorship.room.rated").exists()


def test_a_long_comment_is_refused(room, alice):
    ended(room)
    with pytest.raises(Invalid) as raised:
        rate_room(room=room, by=alice, stars=4, comment="x" * 2001)
    assert raised.value.field == "comment"
    assert not RoomRating.objects.exists()


def test_a_third_person_cannot_rate(room, bob):
    ended(room)
    with pytest.raises(Invalid) as raised:
        rate_room(room=room, by=bob, stars=5)
    assert raised.value.field == "by"
    assert not RoomRating.objects.exists()


# --- Blind ratings -----------------------------------------------------------------------


def test_before_both_rated_each_side_sees_only_their_own(room, alice, maya):
    ended(room)
    rated(room, alice, 5, ENDED + timedelta(days=1))
    now = ENDED + timedelta(days=2)
    mentor_sees = ending_of(room, maya, now=now)
    assert (mentor_sees.theirs, mentor_sees.they_rated, mentor_sees.may_rate) == (None, True, True)
    mentee_sees = ending_of(room, alice, now=now)
    assert mentee_sees.mine is not None
    assert mentee_sees.mine.stars == 5
    assert (mentee_sees.theirs, mentee_sees.they_rated, mentee_sees.may_rate) == (
        None,
        False,
        False,
    )
    assert mentee_sees.opens_at == ENDED + timedelta(days=14)


def test_once_both_rated_both_see_the_other(room, alice, maya):
    ended(room)
    rated(room, alice, 5, ENDED + timedelta(days=1))
    rated(room, maya, 3, ENDED + timedelta(days=3))
    now = ENDED + timedelta(days=3, hours=1)
    assert ending_of(room, maya, now=now).theirs.stars == 5  # type: ignore[union-attr]
    assert ending_of(room, alice, now=now).theirs.stars == 3  # type: ignore[union-attr]


def test_fourteen_days_after_the_end_a_lone_rating_shows(room, alice, maya):
    ended(room)
    rated(room, alice, 4, ENDED + timedelta(days=1))
    just_before = ENDED + timedelta(days=14) - timedelta(minutes=1)
    assert ending_of(room, maya, now=just_before).theirs is None
    shown = ending_of(room, maya, now=ENDED + timedelta(days=14)).theirs
    assert shown is not None
    assert shown.stars == 4


def test_an_active_room_may_be_ended_not_rated(room, alice):
    ending = ending_of(room, alice)
    assert (ending.may_end, ending.may_rate, ending.ended, ending.opens_at) == (
        True,
        False,
        False,
        None,
    )
    assert ending.other == room.mentor


# --- What the directory sees -------------------------------------------------------------


@pytest.fixture
def profile(maya: User, acme: Organization) -> MentorProfile:
    return ProfileFactory.create(user=maya, organization=acme)


def mentee_ratings(profile: MentorProfile, stars: list[int], *, start: int = 0) -> list[Room]:
    """Ended rooms of the profile, each rated by its mentee 15 days ago (released)."""
    long_ago = timezone.now() - timedelta(days=30)
    rooms = []
    for n, given in enumerate(stars, start=start):
        mentee = make_user(f"mentee{n}@acme.test")
        room = RoomFactory.create(
            mentor=profile.user, mentee=mentee, organization=profile.organization, profile=profile
        )
        ended(room, long_ago + timedelta(hours=n))
        rated(room, mentee, given, long_ago + timedelta(days=1, hours=n))
        rooms.append(room)
    return rooms


def test_below_the_anonymity_threshold_only_the_count_shows(profile):
    mentee_ratings(profile, [5, 4, 5, 1])
    assert rating_summaries([profile]) == {profile.pk: RatingSummary(count=4, mean=None)}


def test_at_the_threshold_the_mean_shows(profile):
    mentee_ratings(profile, [5, 4, 5, 1, 3])
    assert rating_summaries([profile])[profile.pk] == RatingSummary(count=5, mean=3.6)


def test_the_mean_and_its_count_move_only_by_whole_batches(profile):
    mentee_ratings(profile, [5, 4, 5, 1, 3, 1, 1])
    # Two more ratings are left out until a second batch of 5 fills.
    assert rating_summaries([profile])[profile.pk] == RatingSummary(count=5, mean=3.6)
    mentee_ratings(profile, [1, 1, 1], start=7)
    assert rating_summaries([profile])[profile.pk] == RatingSummary(count=10, mean=2.3)


def test_the_threshold_is_the_mentee_organizations(profile, acme):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    mentee_ratings(profile, [5, 4, 3])
    assert rating_summaries([profile])[profile.pk] == RatingSummary(count=3, mean=4.0)


def test_the_strictest_mentee_organization_sets_the_threshold(profile, acme, globex):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    rooms = mentee_ratings(profile, [5, 4, 3])
    Room.objects.filter(pk=rooms[0].pk).update(organization=globex)  # threshold 5
    assert rating_summaries([profile])[profile.pk].mean is None


def test_only_mentee_ratings_that_are_released_count(profile):
    rooms = mentee_ratings(profile, [5, 5, 5, 5, 5])
    # The mentor's own ratings of their mentees never count.
    rated(rooms[0], profile.user, 1, timezone.now() - timedelta(days=20))
    # A rating still blind (ended yesterday, the mentor has not rated) does not count yet.
    fresh = RoomFactory.create(
        mentor=profile.user, mentee=make_user("fresh@acme.test"), organization=profile.organization
    )
    ended(fresh, timezone.now() - timedelta(days=1))
    rated(fresh, fresh.mentee, 1, timezone.now() - timedelta(hours=2))
    assert rating_summaries([profile])[profile.pk] == RatingSummary(count=5, mean=5.0)
    # Once the mentor rates too, it is released (and waits for its batch to fill).
    rated(fresh, profile.user, 4, timezone.now() - timedelta(hours=1))
    profile.organization.anonymity_threshold = 3
    profile.organization.save(update_fields=["anonymity_threshold"])
    assert rating_summaries([profile])[profile.pk] == RatingSummary(count=6, mean=4.3)


def test_a_programme_room_counts_for_the_mentors_profile_in_its_organization(profile, globex, maya):
    rooms = mentee_ratings(profile, [4, 4, 4, 4, 4])
    Room.objects.filter(pk=rooms[0].pk).update(profile=None)  # opened by a programme
    elsewhere = ProfileFactory.create(user=maya, organization=globex)
    Room.objects.filter(pk=rooms[1].pk).update(profile=None, organization=globex)
    found = rating_summaries([profile, elsewhere])
    assert found[profile.pk].count == 4
    assert found[elsewhere.pk].count == 1


def test_summaries_cost_one_query_however_many_profiles(profile, globex, django_assert_num_queries):
    mentee_ratings(profile, [5, 4, 5, 1, 3])
    others = [
        ProfileFactory.create(user=make_user(f"m{n}@globex.test"), organization=globex)
        for n in range(3)
    ]
    for n, other in enumerate(others):
        mentee_ratings(other, [3], start=10 + n)
    with django_assert_num_queries(1):
        found = rating_summaries([profile, *others])
    assert [found[p.pk].count for p in [profile, *others]] == [5, 1, 1, 1]
    with django_assert_num_queries(0):
        assert rating_summaries([]) == {}

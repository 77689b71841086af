"""Reads for ending a room and its blind ratings: what each side sees, and what the
directory may show of a mentor.

Blind: a side's rating shows to the other once both have rated, or once 14 days
have passed since the room ended, whichever comes first. Until then each side sees
only their own rating and whether the other has rated.

The directory sees a mentor's ratings (given by their mentees) only as a count and
a mean, never one by one. The mean follows the anonymity rule of
`upward.core.anonymity`: ratings are averaged in whole batches of the mentee
organization's threshold (the strictest one when mentees came from several),
earliest released first, so one more rating never moves the mean or its count on
its own. Below the threshold only the number of ratings shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from upward.core import anonymity
from upward.mentorship.models import MentorProfile, Room, RoomRating, RoomStatus

__all__ = [
    "BLIND_FOR",
    "Ending",
    "RatingSummary",
    "ending_of",
    "rating_summaries",
    "release_at",
]

BLIND_FOR = timedelta(days=14)


def release_at(
    *, ended_at: datetime, rated_at: datetime, other_rated_at: datetime | None
) -> datetime:
    """When a rating shows to the other side: when both have rated, or `BLIND_FOR` after
    the room ended, whichever is first."""
    opens = ended_at + BLIND_FOR
    if other_rated_at is None:
        return opens
    return min(opens, max(rated_at, other_rated_at))


@dataclass(frozen=True)
class RatingSummary:
    """What the directory shows of a mentor's ratings by their mentees."""

    # The ratings the mean is over (whole batches of the threshold); while there are
    # too few for a mean, all the released ones.
    count: int
    mean: float | None  # None while fewer than the anonymity threshold


NO_RATINGS = RatingSummary(count=0, mean=None)


def rating_summaries(
    profiles: list[MentorProfile], *, now: datetime | None = None
) -> dict[int, RatingSummary]:
    """Each profile's released ratings by mentees of its ended rooms, by profile id: 1 query.

    A room counts for the profile it was opened from; a room opened without one (a
    programme's) counts for the mentor's profile in the room's organization."""
    now = now or timezone.now()
    out = dict.fromkeys((p.pk for p in profiles), NO_RATINGS)
    if not profiles:
        return out
    by_person = {(p.user_id, p.organization_id): p.pk for p in profiles}
    found: dict[int, list[tuple[datetime, int, int, int]]] = defaultdict(list)
    for row in _mentee_ratings(profiles):
        (pk, stars, rated_at, ended_at, profile_id, mentor_id, org_id, org_threshold, other_at) = (
            row
        )
        key = profile_id if profile_id is not None else by_person.get((mentor_id, org_id))
        if key is None or key not in out or ended_at is None:
            continue
        opens = release_at(ended_at=ended_at, rated_at=rated_at, other_rated_at=other_at)
        if opens <= now:
            found[key].append((opens, pk, stars, anonymity.threshold(org_threshold)))
    for key, ratings in found.items():
        out[key] = _summary(ratings)
    return out


def _mentee_ratings(profiles: list[MentorProfile]) -> list[tuple[Any, ...]]:
    """Ratings by mentees of ended rooms of these profiles, with the time the mentor rated."""
    mentor_rating = RoomRating.objects.filter(
        room_id=OuterRef("room_id"), rater_id=OuterRef("room__mentor_id")
    ).values("created_at")[:1]
    of_profiles = Q(room__profile_id__in=[p.pk for p in profiles]) | Q(
        room__profile__isnull=True,
        room__mentor_id__in={p.user_id for p in profiles},
        room__organization_id__in={p.organization_id for p in profiles},
    )
    return list(
        RoomRating.objects.filter(of_profiles, room__status=RoomStatus.ENDED)
        .filter(rater_id=F("room__mentee_id"))
        .annotate(other_at=Subquery(mentor_rating))
        .values_list(
            "pk",
            "stars",
            "created_at",
            "room__ended_at",
            "room__profile_id",
            "room__mentor_id",
            "room__organization_id",
            "room__organization__anonymity_threshold",
            "other_at",
        )
    )


def _summary(ratings: list[tuple[datetime, int, int, int]]) -> RatingSummary:
    """The earliest released whole batches of the threshold, averaged; or, while there
    are too few, only how many there are."""
    ratings.sort()
    threshold = max(r[3] for r in ratings)
    averaged = anonymity.released_count(len(ratings), threshold)
    if averaged == 0:
        return RatingSummary(count=len(ratings), mean=None)
    mean = sum(r[2] for r in ratings[:averaged]) / averaged
    return RatingSummary(count=averaged, mean=round(mean, 1))


@dataclass(frozen=True)
class Ending:
    """What the room page shows one side about ending the room and rating it."""

    other: AbstractBaseUser  # the other side
    ended: bool
    ended_at: datetime | None
    ended_by_me: bool
    may_end: bool  # the room is active
    may_rate: bool  # the room ended and the viewer has not rated yet
    mine: RoomRating | None
    theirs: RoomRating | None  # only once released
    they_rated: bool
    opens_at: datetime | None  # when ratings show whatever happens (ended + 14 days)


def ending_of(room: Room, viewer: AbstractBaseUser, *, now: datetime | None = None) -> Ending:
    """Ending and rating `room` as `viewer` (its mentor or mentee) sees it: 1 query."""
    now = now or timezone.now()
    ratings = {r.rater_id: r for r in RoomRating.objects.filter(room=room)}
    other = room.mentee if room.mentor_id == viewer.pk else room.mentor
    mine = ratings.get(viewer.pk)
    theirs = ratings.get(other.pk)
    ended = room.status == RoomStatus.ENDED
    shown = None
    if theirs is not None and room.ended_at is not None:
        opens = release_at(
            ended_at=room.ended_at,
            rated_at=theirs.created_at,
            other_rated_at=mine.created_at if mine is not None else None,
        )
        shown = theirs if opens <= now else None
    return Ending(
        other=other,
        ended=ended,
        ended_at=room.ended_at,
        ended_by_me=room.ended_by_id == viewer.pk,
        may_end=room.status == RoomStatus.ACTIVE,
        may_rate=ended and mine is None,
        mine=mine,
        theirs=shown,
        they_rated=theirs is not None,
        opens_at=room.ended_at + BLIND_FOR if room.ended_at is not None else None,
    )

"""Ending a room and rating it.

Either side ends an active room; the other side is told. Once it has ended, each
side rates it once (1 to 5 stars and an optional comment). Ratings are blind (see
`selectors.ratings`). Every input is checked before anything is written; errors
name the field ("stars", "comment", "by").
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, router, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from upward.accounts.models import User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.mentorship import emails_accountability
from upward.mentorship.models import MentoringSession, Room, RoomRating, RoomStatus

__all__ = ["COMMENT_MAX", "end_room", "rate_room"]

COMMENT_MAX = 2000


def _side(room: Room, by: User) -> str:
    """Which side `by` is on; Invalid for anyone else (views and endpoints 404 before)."""
    if room.mentor_id == by.pk:
        return "mentor"
    if room.mentee_id == by.pk:
        return "mentee"
    raise Invalid("Only the mentor and the mentee take part in this room.", field="by")


@transaction.atomic
def end_room(*, room: Room, by: User, now: datetime | None = None) -> Room:
    """End an active room (either side): sessions booked for later are cancelled, the
    other side is told and both may rate it."""
    side = _side(room, by)
    # Claim the room with a conditional update, so two ends at once end it once.
    now = now or timezone.now()
    ended = Room.objects.filter(pk=room.pk, status=RoomStatus.ACTIVE).update(
        status=RoomStatus.ENDED, ended_at=now, ended_by_id=by.pk
    )
    if not ended:
        raise Conflict("This mentorship has already ended.")
    room.status, room.ended_at, room.ended_by_id = RoomStatus.ENDED, now, by.pk
    # Saved by an update: tell listeners as `save` would (insights count active rooms).
    post_save.send(
        sender=Room,
        instance=room,
        created=False,
        update_fields=frozenset({"status", "ended_at", "ended_by"}),
        raw=False,
        using=router.db_for_write(Room),
    )
    # Sessions booked for later won't take place: cancel them.
    MentoringSession.objects.filter(
        room=room, starts_at__gt=now, cancelled_at__isnull=True, held_at__isnull=True
    ).update(cancelled_at=now)
    audit.record(room, AuditCode.MENTORSHIP_ROOM_ENDED, actor=by, data={"by": side})
    emails_accountability.notify_room_ended(room=room, by=by)
    return room


def check_stars(stars: object) -> int:
    """A whole number of stars from 1 to 5."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise Invalid("Give 1 to 5 stars.", field="stars")
    return stars


def check_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise Invalid(f"Keep the comment under {COMMENT_MAX:,} characters.", field="comment")
    return comment


@transaction.atomic
def rate_room(*, room: Room, by: User, stars: int, comment: str = "") -> RoomRating:
    """Rate an ended room, once per side. Rating twice is a Conflict."""
    side = _side(room, by)
    stars = check_stars(stars)
    comment = check_comment(comment)
    if room.status != RoomStatus.ENDED:
        raise Conflict("Rate the mentorship once it has ended.")
    if RoomRating.objects.filter(room=room, rater_id=by.pk).exists():
        raise Conflict("You have already rated this mentorship.")
    try:
        with transaction.atomic():
            rating = RoomRating.objects.create(
                room=room, rater_id=by.pk, stars=stars, comment=comment
            )
    except IntegrityError:  # the same side rating twice at once
        raise Conflict("You have already rated this mentorship.") from None
    # The stars stay out of the audit log: the organization's admins read it, and
    # ratings are blind to the other side and never shown one by one to anyone else.
    audit.record(room, AuditCode.MENTORSHIP_ROOM_RATED, actor=by, data={"by": side})
    return rating

"""Writes for cohort programmes: opening one, joining and leaving, proposing the optimal
matching, adjusting it, publishing it (which opens the rooms) and closing it.

Only the organization's admins open, propose, adjust, publish and close; anyone else
gets NotFound, as if the programme did not exist. Every input is checked before
anything is written, and each service runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.accounts.models import Membership, Organization, User
from upward.assessments.selectors import active_placement
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.validators import single_line
from upward.engine import matching as engine
from upward.mentorship import emails_programmes
from upward.mentorship.access.programmes import may_run_programmes
from upward.mentorship.models import (
    Cadence,
    MentorProfile,
    Pair,
    PairOrigin,
    Participant,
    ParticipantRole,
    Programme,
    ProgrammeStatus,
    Room,
)
from upward.mentorship.selectors.profiles import open_capacity
from upward.mentorship.selectors.programmes import Cohort, cohort
from upward.mentorship.services.rooms import open_room

__all__ = [
    "add_pair",
    "close_programme",
    "join_programme",
    "leave_programme",
    "open_programme",
    "propose_matching",
    "publish_programme",
    "remove_pair",
]

NAME_MAX = 200
DESCRIPTION_MAX = 5_000
AVOID_MAX = 50


# --- Checks (nothing here writes) ------------------------------------------------------


def _runs(programme: Programme | Organization, by: User) -> None:
    organization = programme.organization if isinstance(programme, Programme) else programme
    if not may_run_programmes(by, organization):
        raise NotFound("There is no such programme.")


def check_name(name: str) -> str:
    name = single_line(name, field="name")
    if not name:
        raise Invalid("Give the programme a name.", field="name")
    if len(name) > NAME_MAX:
        raise Invalid(f"Keep the name under {NAME_MAX} characters.", field="name")
    return name


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on <= starts_on:
        raise Invalid("The programme must end after it starts.", field="ends_on")


def check_cadence(cadence: str) -> str:
    if cadence not in Cadence.values:
        raise Invalid(
            f"'{cadence}' is not a cadence; pick one of {', '.join(Cadence.values)}.",
            field="cadence",
        )
    return cadence


def _still_open(programme: Programme) -> None:
    if programme.status != ProgrammeStatus.OPEN:
        raise Conflict(f"“{programme.name}” is no longer open for joining or leaving.")


def _adjustable(programme: Programme) -> None:
    if programme.status == ProgrammeStatus.OPEN:
        raise Conflict("Propose a matching first; then adjust its pairs.")
    if programme.status != ProgrammeStatus.PROPOSED:
        raise Conflict(f"“{programme.name}” is {programme.get_status_display().lower()}.")


# --- Opening and closing ---------------------------------------------------------------


@transaction.atomic
def open_programme(
    *,
    organization: Organization,
    by: User,
    name: str,
    starts_on: date,
    ends_on: date,
    cadence: str = Cadence.FORTNIGHTLY,
    description: str = "",
) -> Programme:
    """Open a programme that members of `organization` join as mentees or mentors."""
    _runs(organization, by)
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(
            f"Keep the description under {DESCRIPTION_MAX:,} characters.", field="description"
        )
    programme = Programme(
        organization=organization,
        name=check_name(name),
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        cadence=check_cadence(cadence),
        created_by=by,
    )
    check_dates(starts_on, ends_on)
    programme.save()
    audit.record(
        programme,
        AuditCode.MENTORSHIP_PROGRAMME_OPENED,
        actor=by,
        data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return programme


@transaction.atomic
def close_programme(*, programme: Programme, by: User) -> Programme:
    """Close a programme: nobody joins it any more; its published rooms carry on."""
    _runs(programme, by)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status == ProgrammeStatus.CLOSED:
        raise Conflict(f"“{programme.name}” is already closed.")
    programme.status = ProgrammeStatus.CLOSED
    programme.save(update_fields=["status"])
    audit.record(programme, AuditCode.MENTORSHIP_PROGRAMME_CLOSED, actor=by)
    return programme


# --- Joining and leaving ---------------------------------------------------------------


def _check_avoid(programme: Programme, user: User, avoid: Iterable[int]) -> list[int]:
    """Members of the organization (user ids), once each, never the person themselves."""
    ids = list(dict.fromkeys(avoid))
    if len(ids) > AVOID_MAX:
        raise Invalid(f"Name at most {AVOID_MAX} people to avoid.", field="avoid")
    members = set(
        Membership.objects.filter(
            organization_id=programme.organization_id, user_id__in=ids
        ).values_list("user_id", flat=True)
    )
    for i, pk in enumerate(ids):
        if pk == user.pk:
            raise Invalid("You can't avoid yourself.", field=f"avoid[{i}]")
        if pk not in members:
            raise Invalid(
                f"Person {pk} is not a member of {programme.organization.name}.",
                field=f"avoid[{i}]",
            )
    return ids


def _mentor_capacity(programme: Programme, user: User, capacity: int | None) -> int:
    """The places a mentor pledges: 1 up to their open places now."""
    profile = MentorProfile.objects.filter(
        user=user, organization_id=programme.organization_id
    ).first()
    if profile is None:
        raise Invalid("Write your mentor profile first, then join as a mentor.", field="role")
    if not profile.accepting:
        raise Invalid(
            "Your mentor profile is paused; take new mentees again to join.", field="role"
        )
    free = open_capacity([profile])[profile.pk]
    if free < 1:
        raise Invalid("You have no open places: your mentees fill your capacity.", field="capacity")
    if capacity is None or not 1 <= capacity <= free:
        raise Invalid(
            f"Take between 1 and {free} mentee{'s' if free != 1 else ''} (your open places).",
            field="capacity",
        )
    return capacity


@transaction.atomic
def join_programme(
    *,
    programme: Programme,
    user: User,
    role: str,
    capacity: int | None = None,
    avoid: Iterable[int] = (),
) -> Participant:
    """Join as a mentee (with a current placement here; naming mentors to avoid, if any)
    or as a mentor (with a mentor profile here, taking 1 up to their open places)."""
    if not Membership.objects.filter(organization_id=programme.organization_id, user=user).exists():
        raise NotFound("There is no such programme.")
    programme = _locked(programme)  # an admin proposing now closes joining
    _still_open(programme)
    if Participant.objects.filter(programme=programme, user=user).exists():
        raise Conflict(f"You have already joined “{programme.name}”.")
    avoid = list(avoid)
    if role == ParticipantRole.MENTEE:
        if active_placement(user, programme.organization) is None:
            raise Invalid(
                "Place yourself on a framework first: matching works on your gaps.", field="role"
            )
        place = Participant(
            programme=programme, user=user, role=role, avoid=_check_avoid(programme, user, avoid)
        )
    elif role == ParticipantRole.MENTOR:
        if avoid:
            raise Invalid("Only mentees name mentors to avoid.", field="avoid")
        place = Participant(
            programme=programme,
            user=user,
            role=role,
            capacity=_mentor_capacity(programme, user, capacity),
        )
    else:
        raise Invalid("Join as a mentee or as a mentor.", field="role")
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError:  # joined at the same moment from another tab
        raise Conflict(f"You have already joined “{programme.name}”.") from None
    audit.record(
        programme,
        AuditCode.MENTORSHIP_PROGRAMME_JOINED,
        actor=user,
        data={"role": role, "capacity": place.capacity},
    )
    return place


@transaction.atomic
def leave_programme(*, programme: Programme, user: User) -> None:
    """Leave a programme while it is still open for joining."""
    place = Participant.objects.filter(programme=programme, user=user).first()
    if place is None:
        raise Conflict(f"You are not in “{programme.name}”.")
    _still_open(_locked(programme))
    place.delete()
    audit.record(
        programme, AuditCode.MENTORSHIP_PROGRAMME_LEFT, actor=user, data={"role": place.role}
    )


# --- Proposing and adjusting -----------------------------------------------------------


@transaction.atomic
def propose_matching(*, programme: Programme, by: User) -> engine.Assignment:
    """Solve the programme's matching exactly (the highest total score under capacities
    and exclusions) and store its pairs, replacing any earlier proposal."""
    _runs(programme, by)
    programme = _locked(programme)
    if programme.status not in (ProgrammeStatus.OPEN, ProgrammeStatus.PROPOSED):
        raise Conflict(f"“{programme.name}” is {programme.get_status_display().lower()}.")
    found = cohort(programme)
    if not found.mentees:
        raise Conflict("Nobody with a placement here has joined as a mentee yet.")
    if not found.mentors:
        raise Conflict("No mentor with a profile here has joined yet.")
    assignment = engine.solve(
        [found.mentees[k] for k in sorted(found.mentees)],
        [found.mentors[k] for k in sorted(found.mentors)],
    )
    programme.pairs.all().delete()
    Pair.objects.bulk_create(
        Pair(
            programme=programme,
            mentee_id=int(p.mentee),
            mentor_id=int(p.mentor),
            score=p.score,
            covers=list(p.covers),
            origin=PairOrigin.SOLVER,
        )
        for p in assignment.pairs
    )
    programme.status = ProgrammeStatus.PROPOSED
    programme.proposed_at = timezone.now()
    programme.save(update_fields=["status", "proposed_at"])
    audit.record(
        programme,
        AuditCode.MENTORSHIP_PROGRAMME_PROPOSED,
        actor=by,
        data={
            "pairs": len(assignment.pairs),
            "unmatched": len(assignment.unmatched),
            "total": assignment.total,
        },
    )
    return assignment


def _locked(programme: Programme) -> Programme:
    """The programme re-read under a row lock, so two admins don't publish it twice."""
    locked = Programme.objects.select_for_update().select_related("organization")
    return locked.get(pk=programme.pk)


def _pair_checks(found: Cohort, mentee_id: int, mentor_id: int) -> engine.PairScore:
    """The pair's score, if the hard constraints allow it (else Invalid naming the side)."""
    mentee = found.mentees.get(mentee_id)
    if found.role_of(mentee_id) != ParticipantRole.MENTEE:
        raise Invalid("Pick someone who joined as a mentee.", field="mentee")
    if mentee is None:
        raise Invalid(
            "They have no current placement here, so there are no gaps to match on.",
            field="mentee",
        )
    mentor = found.mentors.get(mentor_id)
    if found.role_of(mentor_id) != ParticipantRole.MENTOR or mentor is None:
        raise Invalid("Pick someone who joined as a mentor.", field="mentor")
    mentee_name = found.users[mentee_id].display_name
    mentor_name = found.users[mentor_id].display_name
    if mentor.key in mentee.avoid:
        place = found.place_of(mentee_id)
        asked = place is not None and mentor_id in [int(pk) for pk in place.avoid]
        why = "asked not to be matched with them" if asked else "is their manager"
        subject = mentee_name if asked else mentor_name
        raise Invalid(f"{mentor_name} can't mentor {mentee_name}: {subject} {why}.", field="mentor")
    scored = engine.pair_score(mentee, mentor)
    if scored.score <= 0:
        raise Invalid(
            f"{mentor_name} covers none of {mentee_name}'s gaps (score 0), so the pair "
            "can't be made.",
            field="mentor",
        )
    return scored


@transaction.atomic
def add_pair(*, programme: Programme, by: User, mentee_id: int, mentor_id: int) -> Pair:
    """Pair a mentee with a mentor by hand, replacing the mentee's pair if they have one.

    The hard constraints still hold: the mentor's capacity, never the mentee's own
    manager or anyone on their avoid list, and never a pair that covers no gap."""
    _runs(programme, by)
    programme = _locked(programme)
    _adjustable(programme)
    found = cohort(programme)
    scored = _pair_checks(found, mentee_id, mentor_id)
    current = programme.pairs.filter(mentee_id=mentee_id).first()
    if current is not None and current.mentor_id == mentor_id:
        raise Conflict("They are already paired.")
    taken = programme.pairs.filter(mentor_id=mentor_id).exclude(mentee_id=mentee_id).count()
    capacity = found.mentors[mentor_id].capacity
    if taken >= capacity:
        raise Invalid(
            f"{found.users[mentor_id].display_name} is full: {capacity} "
            f"mentee{'s' if capacity != 1 else ''} in this programme.",
            field="mentor",
        )
    if current is not None:
        current.delete()
    pair = Pair.objects.create(
        programme=programme,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        score=scored.score,
        covers=list(scored.covers),
        origin=PairOrigin.ADMIN,
    )
    audit.record(
        programme,
        AuditCode.MENTORSHIP_PROGRAMME_ADJUSTED,
        actor=by,
        data={"added": [mentee_id, mentor_id], "replaced": current is not None},
    )
    return pair


@transaction.atomic
def remove_pair(*, pair: Pair, by: User) -> None:
    """Take a pair out of the proposal (its mentee is then unmatched)."""
    _runs(pair.programme, by)
    programme = _locked(pair.programme)
    _adjustable(programme)
    pair.delete()
    audit.record(
        programme,
        AuditCode.MENTORSHIP_PROGRAMME_ADJUSTED,
        actor=by,
        data={"removed": [pair.mentee_id, pair.mentor_id]},
    )


# --- Publishing ------------------------------------------------------------------------


@transaction.atomic
def publish_programme(*, programme: Programme, by: User) -> list[Room]:
    """Open one room per pair (at the programme's cadence), tell both sides, and mark the
    programme published. Publishing twice is refused."""
    _runs(programme, by)
    programme = _locked(programme)
    if programme.status == ProgrammeStatus.PUBLISHED:
        raise Conflict(f"“{programme.name}” is already published.")
    _adjustable(programme)
    pairs = list(programme.pairs.select_related("mentee", "mentor"))
    if not pairs:
        raise Conflict("There are no pairs to publish: propose or add some first.")
    profiles = {
        p.user_id: p
        for p in MentorProfile.objects.filter(
            organization_id=programme.organization_id, user_id__in=[p.mentor_id for p in pairs]
        )
    }
    rooms = []
    for pair in pairs:
        pair.programme = programme
        room = open_room(
            mentor=pair.mentor,
            mentee=pair.mentee,
            organization=programme.organization,
            cadence=programme.cadence,
            profile=profiles.get(pair.mentor_id),
            programme=programme,
        )
        pair.room = room
        pair.save(update_fields=["room"])
        emails_programmes.notify_matched(pair=pair)
        rooms.append(room)
    programme.status = ProgrammeStatus.PUBLISHED
    programme.published_at = timezone.now()
    programme.save(update_fields=["status", "published_at"])
    audit.record(
        programme, AuditCode.MENTORSHIP_PROGRAMME_PUBLISHED, actor=by, data={"rooms": len(rooms)}
    )
    return rooms

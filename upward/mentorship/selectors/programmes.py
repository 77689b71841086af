"""Reads for cohort programmes: the list, one programme as a member sees it, the engine's
view of its participants (the cohort), and the proposal an admin reviews.

The proposal page costs the same number of queries however many pairs it has: the
participants, their placements and deltas, and the mentors' profiles and abilities
are each read once for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from upward.accounts.models import Organization, User
from upward.assessments.models import Placement
from upward.assessments.selectors import active_placements
from upward.engine import matching as engine
from upward.frameworks.selectors import document_of
from upward.mentorship.models import (
    MentorProfile,
    Offer,
    Pair,
    Participant,
    ParticipantRole,
    Programme,
    ProgrammeStatus,
)
from upward.mentorship.selectors.matching import mentees_for, mentor_for
from upward.mentorship.selectors.profiles import Ability, abilities_of, open_capacity

__all__ = [
    "Cohort",
    "Covered",
    "PairShown",
    "ProgrammeRow",
    "ProgrammeView",
    "Proposal",
    "UnmatchedShown",
    "cohort",
    "mentor_choices",
    "programme_view",
    "programmes_of",
    "proposal",
    "unmatched_reason",
]


# --- The list and one programme -----------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    mentees: int
    mentors: int
    my_role: str  # "" when the viewer hasn't joined


def programmes_of(viewer: User, organization: Organization) -> list[ProgrammeRow]:
    """The organization's programmes, newest first, with who joined: 2 queries."""
    found = list(
        Programme.objects.filter(organization=organization).annotate(
            mentee_count=Count("participants", filter=Q(participants__role=ParticipantRole.MENTEE)),
            mentor_count=Count("participants", filter=Q(participants__role=ParticipantRole.MENTOR)),
        )
    )
    mine = dict(
        Participant.objects.filter(programme__in=found, user=viewer).values_list(
            "programme_id", "role"
        )
    )
    return [ProgrammeRow(p, p.mentee_count, p.mentor_count, mine.get(p.pk, "")) for p in found]


@dataclass(frozen=True)
class ProgrammeView:
    """A programme as one member sees it: their place, and their own match once published."""

    programme: Programme
    place: Participant | None
    mentees: int
    mentors: int
    match: Pair | None  # the viewer's pair (as mentee) once published
    mentees_of_mine: list[Pair]  # the viewer's pairs as mentor once published
    open_places: int | None  # a would-be mentor's open places; None without a profile


def programme_view(programme: Programme, viewer: User) -> ProgrammeView:
    """What the programme's page shows `viewer`: at most 4 queries (participants, the
    viewer's pairs once published, their mentor profile, its open places)."""
    places = list(programme.participants.all())
    place = next((p for p in places if p.user_id == viewer.pk), None)
    match: Pair | None = None
    mine: list[Pair] = []
    if programme.status == ProgrammeStatus.PUBLISHED and place is not None:
        pairs = list(
            programme.pairs.filter(Q(mentee=viewer) | Q(mentor=viewer)).select_related(
                "mentee", "mentor", "room"
            )
        )
        match = next((p for p in pairs if p.mentee_id == viewer.pk), None)
        mine = [p for p in pairs if p.mentor_id == viewer.pk]
    profile = MentorProfile.objects.filter(
        user=viewer, organization_id=programme.organization_id
    ).first()
    return ProgrammeView(
        programme=programme,
        place=place,
        mentees=sum(1 for p in places if p.role == ParticipantRole.MENTEE),
        mentors=sum(1 for p in places if p.role == ParticipantRole.MENTOR),
        match=match,
        mentees_of_mine=mine,
        open_places=open_capacity([profile])[profile.pk] if profile else None,
    )


def mentor_choices(programme: Programme, viewer: User) -> list[tuple[int, str]]:
    """Whom a mentee may name to avoid: the organization's mentors but themselves (1 query)."""
    profiles = (
        MentorProfile.objects.filter(organization_id=programme.organization_id)
        .exclude(user=viewer)
        .select_related("user")
    )
    return sorted(((p.user_id, p.user.display_name) for p in profiles), key=lambda c: c[1])


# --- The cohort, as the engine sees it -----------------------------------------------------


@dataclass
class Cohort:
    """A programme's participants and their engine inputs, by user id.

    Mentees without a current placement in the organization, and mentors without a
    profile there, are participants but have no engine input."""

    participants: list[Participant]
    placements: dict[int, Placement]
    mentees: dict[int, engine.Mentee]
    profiles: dict[int, MentorProfile]
    abilities: dict[int, dict[str, Ability]]
    mentors: dict[int, engine.Mentor]
    users: dict[int, User] = field(default_factory=dict)

    def role_of(self, user_id: int) -> str:
        place = next((p for p in self.participants if p.user_id == user_id), None)
        return place.role if place else ""

    def place_of(self, user_id: int) -> Participant | None:
        return next((p for p in self.participants if p.user_id == user_id), None)


def cohort(programme: Programme) -> Cohort:
    """The engine's mentees and mentors for a programme: at most 11 queries, whatever its size.

    A mentor's capacity is what they pledged, and (before publishing) no more than
    their open places now; a mentee avoids their own managers and their avoid list."""
    places = list(programme.participants.select_related("user"))  # 1
    users = {p.user_id: p.user for p in places}
    mentee_places = [p for p in places if p.role == ParticipantRole.MENTEE]
    mentor_places = [p for p in places if p.role == ParticipantRole.MENTOR]
    placements = active_placements([p.user for p in mentee_places], programme.organization)  # 1
    mentees = mentees_for(
        list(placements.values()),
        avoid={p.user_id: [int(pk) for pk in p.avoid] for p in mentee_places},
    )  # 3
    profiles = {
        p.user_id: p
        for p in MentorProfile.objects.filter(
            organization_id=programme.organization_id,
            user_id__in=[p.user_id for p in mentor_places],
        ).prefetch_related(Prefetch("offers", Offer.objects.select_related("verified_by")))  # 2
    }
    abilities = _abilities(profiles)  # 3 (placements, the delta's 2)
    free = open_capacity(profiles.values())  # 1
    published = programme.status in (ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED)
    mentors = {}
    for place in mentor_places:
        profile = profiles.get(place.user_id)
        if profile is None:
            continue
        capacity = place.capacity if published else min(place.capacity, free[profile.pk])
        mentors[place.user_id] = mentor_for(
            profile, abilities.get(place.user_id, {}), capacity=capacity
        )
    return Cohort(places, placements, mentees, profiles, abilities, mentors, users)


def _abilities(profiles: dict[int, MentorProfile]) -> dict[int, dict[str, Ability]]:
    """Each mentor's abilities, by user id."""
    by_profile = abilities_of(list(profiles.values()))
    return {user_id: by_profile.get(p.pk, {}) for user_id, p in profiles.items()}


# --- The proposal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Covered:
    """One competency a pair covers: its name, the mentee's gap score, and what the
    mentor showed in it (their demonstrated step, or the verification's basis)."""

    key: str
    name: str
    gap_score: float
    mentor_step: str
    basis_text: str


@dataclass(frozen=True)
class PairShown:
    pair: Pair
    covered: list[Covered]


@dataclass(frozen=True)
class UnmatchedShown:
    user: User
    reason: str


@dataclass(frozen=True)
class MentorLoad:
    user: User
    capacity: int
    used: int


@dataclass(frozen=True)
class Proposal:
    programme: Programme
    pairs: list[PairShown]
    unmatched: list[UnmatchedShown]
    mentors: list[MentorLoad]
    total: float
    cohort: Cohort


def proposal(programme: Programme) -> Proposal:
    """The stored pairs with their reasons, the mentees left unmatched and why, each
    mentor's load, and the total score: the cohort's queries plus 1 (the pairs)."""
    found = cohort(programme)
    pairs = list(programme.pairs.select_related("mentee", "mentor", "room"))
    used: dict[int, int] = {}
    for pair in pairs:
        used[pair.mentor_id] = used.get(pair.mentor_id, 0) + 1
    paired = {p.mentee_id for p in pairs}
    unmatched = [
        UnmatchedShown(place.user, unmatched_reason(found, place.user_id, used))
        for place in found.participants
        if place.role == ParticipantRole.MENTEE and place.user_id not in paired
    ]
    loads = [
        MentorLoad(
            place.user,
            found.mentors[place.user_id].capacity if place.user_id in found.mentors else 0,
            used.get(place.user_id, 0),
        )
        for place in found.participants
        if place.role == ParticipantRole.MENTOR
    ]
    return Proposal(
        programme=programme,
        pairs=[PairShown(p, _covered(found, p)) for p in pairs],
        unmatched=unmatched,
        mentors=loads,
        total=round(sum(p.score for p in pairs), 2),
        cohort=found,
    )


def _covered(found: Cohort, pair: Pair) -> list[Covered]:
    placement = found.placements.get(pair.mentee_id)
    names = (
        {c.key: c.name for c in document_of(placement.version).competencies} if placement else {}
    )
    mentee = found.mentees.get(pair.mentee_id)
    abilities = found.abilities.get(pair.mentor_id, {})
    out = []
    for key in pair.covers:
        ability = abilities.get(key)
        out.append(
            Covered(
                key=key,
                name=names.get(key) or (ability.name if ability else key),
                gap_score=round(mentee.gaps.get(key, 0.0), 2) if mentee else 0.0,
                mentor_step=_step(ability),
                basis_text=ability.basis_text if ability else "",
            )
        )
    return out


def _step(ability: Ability | None) -> str:
    """The mentor's step in a competency: demonstrated, else the verified offer's."""
    if ability is None:
        return ""
    if ability.basis == "demonstrated":
        return ability.demonstrated_name
    return ability.offered_name


def unmatched_reason(found: Cohort, mentee_id: int, used: dict[int, int]) -> str:
    """Why a mentee has no pair, given how many mentees each mentor has (`used`), in the
    engine's words."""
    mentee = found.mentees.get(mentee_id)
    if mentee is None:
        return "They have no current placement here, so there are no gaps to match on."
    if not mentee.gaps:
        return _sentence(engine.NO_GAPS)
    covering = [
        (user_id, mentor)
        for user_id, mentor in found.mentors.items()
        if engine.pair_score(mentee, mentor).score > 0
    ]
    if not covering:
        return _sentence(engine.NO_COVER)
    allowed = [(u, m) for u, m in covering if m.key not in mentee.avoid]
    if not allowed:
        return _sentence(engine.EXCLUDED)[:-1] + ": their manager, or on their avoid list."
    if all(used.get(u, 0) >= m.capacity for u, m in allowed):
        return _sentence(engine.FULL)
    return "A mentor who covers their gaps still has a place: pair them by hand."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")

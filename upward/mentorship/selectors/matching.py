"""From the database to the matching engine: a mentee from their delta (gaps and the
steps their target expects), a mentor from their verified offers; and one member's
ranked mentors, with the reasons shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import F, Prefetch, Q

from upward.accounts.models import Organization, TeamMembership, User
from upward.assessments.models import Placement
from upward.assessments.selectors import DeltaReport, active_placement, deltas_for
from upward.engine import matching as engine
from upward.mentorship.access.profiles import findable_profiles
from upward.mentorship.models import MentorProfile, Offer
from upward.mentorship.selectors.profiles import (
    Ability,
    DirectoryFilters,
    MentorCard,
    matches_filters,
    mentor_cards,
    steps_of,
)

__all__ = [
    "Match",
    "Matches",
    "managers_of",
    "match_reason",
    "matches_for",
    "mentee_for",
    "mentees_for",
    "mentor_for",
]


def managers_of(placements: Sequence[Placement]) -> dict[int, set[int]]:
    """The managers (user ids) of each placement's member in its organization, by the
    member's user id: everyone leading a team of that organization they are on (1 query)."""
    out: dict[int, set[int]] = {p.user_id: set() for p in placements}
    if not placements:
        return out
    wanted = Q()
    for p in placements:
        wanted |= Q(user_id=p.user_id, organization_id=p.organization_id)
    rows = (
        TeamMembership.objects.filter(wanted, team__manager__isnull=False)
        .filter(team__organization_id=F("organization_id"))
        .values_list("user_id", "team__manager_id")
    )
    for user_id, manager_id in rows:
        out[user_id].add(manager_id)
    return out


def _mentee(report: DeltaReport, avoid: Iterable[int]) -> engine.Mentee:
    placement = report.placement
    gaps: dict[str, float] = {}
    needs: dict[str, int] = {}
    for c in report.delta.competencies:
        if c.gap > 0 and c.score > 0:
            gaps[c.key] = c.score
        if c.expected is not None:
            steps = steps_of(report.document, placement, c.key)
            if c.expected in steps:
                needs[c.key] = steps.index(c.expected)
    return engine.Mentee(
        key=str(placement.user_id),
        gaps=gaps,
        needs=needs,
        avoid=frozenset(str(pk) for pk in avoid),
    )


def mentees_for(
    placements: list[Placement],
    *,
    avoid: Mapping[int, Iterable[int]] | None = None,
    today: date | None = None,
) -> dict[int, engine.Mentee]:
    """The engine's mentees for several placements, by the member's user id.

    Each avoids their own managers in the placement's organization, plus the user ids
    in `avoid[user id]`. 3 queries whatever their number (the delta's 2, managers)."""
    if not placements:
        return {}
    reports = deltas_for(placements, today=today)
    managers = managers_of(placements)
    avoid = avoid or {}
    return {
        p.user_id: _mentee(reports[p.pk], managers[p.user_id] | set(avoid.get(p.user_id, ())))
        for p in placements
    }


def mentee_for(
    placement: Placement, *, avoid: Iterable[int] = (), today: date | None = None
) -> engine.Mentee:
    """The engine's mentee for one placement, never to be paired with their own manager
    nor with anyone in `avoid` (user ids): 3 queries."""
    return mentees_for([placement], avoid={placement.user_id: avoid}, today=today)[
        placement.user_id
    ]


def mentor_for(
    profile: MentorProfile, abilities: Mapping[str, Ability], *, capacity: int
) -> engine.Mentor:
    """The engine's mentor for a profile: the rank of each verified offer (see `Ability`)."""
    return engine.Mentor(
        key=str(profile.user_id),
        capacity=max(0, capacity),
        demonstrated={c: a.rank for c, a in abilities.items() if a.rank is not None},
    )


# --- One member's matches ---------------------------------------------------------------


@dataclass
class Match:
    """A mentor ranked for a member: the card, the pair's score, what it covers and why."""

    card: MentorCard
    score: float
    covers: tuple[str, ...]
    reason: str


@dataclass
class Matches:
    """A member's ranked mentors, with the delta they were ranked on (None: not placed)."""

    report: DeltaReport | None
    matches: list[Match]


def matches_for(
    viewer: User,
    organization: Organization,
    filters: DirectoryFilters | None = None,
    *,
    today: date | None = None,
    limit: int | None = None,
) -> Matches:
    """The mentors `viewer` finds in `organization` ranked by how much of their gaps each
    covers: never themselves, their own managers, a paused or full mentor; `filters`
    narrow by time zone overlap and language. 10 queries whatever the number of mentors
    (placement, the delta's 2, managers, settings, profiles, offers, the mentors'
    placements, the mentors' delta's 2 and rooms: fewer when nobody is found)."""
    placement = active_placement(viewer, organization)
    if placement is None:
        return Matches(None, [])
    report = deltas_for([placement], today=today)[placement.pk]
    mentee = _mentee(report, managers_of([placement])[viewer.pk])
    found = (
        findable_profiles(organization)
        .filter(accepting=True)
        .exclude(user_id=viewer.pk)
        .select_related("user", "organization")
        .prefetch_related(Prefetch("offers", queryset=Offer.objects.select_related("verified_by")))
        .order_by("id")
    )
    narrowed = replace(
        filters or DirectoryFilters(), competency="", step="", verified=False, open_only=True
    )
    cards: dict[str, MentorCard] = {}
    for card in mentor_cards(list(found), viewer=viewer, organization=organization, today=today):
        key = str(card.profile.user_id)
        if matches_filters(card, narrowed) and key not in cards:
            cards[key] = card
    mentors = [
        mentor_for(c.profile, {a.competency: a for a in c.abilities}, capacity=c.open)
        for c in cards.values()
    ]
    ranked = engine.rank_mentors(mentee, mentors, limit=limit)
    return Matches(
        report,
        [
            Match(
                cards[p.mentor], p.score, p.covers, match_reason(report, cards[p.mentor], p.covers)
            )
            for p in ranked
        ],
    )


def _names(names: Sequence[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _how(ability: Ability | None) -> str:
    if ability is None:
        return ""
    if ability.basis == "demonstrated":
        return f"demonstrated at {ability.demonstrated_name}"
    return f"verified at {ability.offered_name}"


def match_reason(report: DeltaReport, card: MentorCard, covers: Sequence[str]) -> str:
    """Why a mentor is ranked: "Covers your top gaps Shipping and Reviews: demonstrated
    at L3", each competency's own basis when they differ."""
    named = {c.key: c.name for c in report.delta.competencies}
    abilities = {a.competency: a for a in card.abilities}
    top = all(key in report.delta.top_gaps for key in covers)
    what = ("your top gap" if top else "your gap") + ("s" if len(covers) > 1 else "")
    hows = [_how(abilities.get(key)) for key in covers]
    if len(set(hows)) == 1:
        return f"Covers {what} {_names([named.get(k, k) for k in covers])}: {hows[0]}"
    parts = [f"{named.get(k, k)} ({how})" for k, how in zip(covers, hows, strict=True)]
    return f"Covers {what} {_names(parts)}"

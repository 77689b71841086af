"""Reads for mentor profiles: what each mentor is verified for (and on what basis), their
open places, and the directory of mentors a viewer may find."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments.models import Placement
from upward.assessments.selectors import DeltaReport, deltas_for, step_code
from upward.engine.delta import CompetencyDelta
from upward.engine.framework.models import FrameworkDocument
from upward.mentorship.access.profiles import findable_profiles
from upward.mentorship.models import (
    MentorProfile,
    MentorshipRequest,
    MentorshipSettings,
    Offer,
    RequestStatus,
    Room,
    RoomStatus,
)
from upward.mentorship.selectors.ratings import RatingSummary, rating_summaries

__all__ = [
    "Ability",
    "DirectoryFilters",
    "DirectoryPage",
    "MentorCard",
    "abilities_of",
    "directory",
    "matches_filters",
    "mentor_card",
    "mentor_cards",
    "offers_of",
    "open_capacity",
    "overlap_hours",
    "own_profile",
    "pending_request",
    "requests_received",
    "requests_sent",
    "room_of_request",
    "settings_of",
    "steps_of",
]

PAGE_SIZE = 20
WORK_STARTS, WORK_ENDS = 9, 17  # working hours, local time

Basis = Literal["demonstrated", "verified", ""]


@dataclass(frozen=True)
class Ability:
    """One offered competency of a mentor, with what verifies it (if anything) now."""

    competency: str
    name: str  # the competency's display name
    offered: str  # the step offered to mentor towards
    offered_name: str
    demonstrated: str | None  # the mentor's demonstrated step in their delta now
    demonstrated_name: str
    basis: Basis  # "" = not verified
    basis_text: str
    rank: int | None  # used for matching; None when not verified
    steps: tuple[str, ...] = ()  # the competency's steps in the mentor's framework

    @property
    def verified(self) -> bool:
        return bool(self.basis)


def steps_of(doc: FrameworkDocument, placement: Placement, competency: str) -> list[str]:
    """A competency's step keys, lowest first, on the placement's target track."""
    return [s.key for s in doc.steps(competency, placement.target_track)]


def _offers(profiles: Sequence[MentorProfile]) -> dict[int, list[Offer]]:
    """Each profile's offers: from a prefetch when there is one, else 1 query."""
    if all("offers" in getattr(p, "_prefetched_objects_cache", {}) for p in profiles):
        return {p.pk: list(p.offers.all()) for p in profiles}
    out: dict[int, list[Offer]] = {p.pk: [] for p in profiles}
    for offer in Offer.objects.filter(profile__in=[p.pk for p in profiles]).select_related(
        "verified_by"
    ):
        out[offer.profile_id].append(offer)
    return out


def _placements(profiles: Sequence[MentorProfile]) -> dict[tuple[int, int], Placement]:
    """Each mentor's active placement in their profile's organization: 1 query."""
    wanted = Q()
    for p in profiles:
        wanted |= Q(user_id=p.user_id, organization_id=p.organization_id)
    rows = Placement.objects.filter(wanted, is_active=True).select_related(
        "version__framework", "organization"
    )
    return {(p.user_id, p.organization_id): p for p in rows}


def abilities_of(
    profiles: Sequence[MentorProfile], *, today: date | None = None
) -> dict[int, dict[str, Ability]]:
    """What each profile (by id) offers, each offer verified or not: by their delta today
    (it lapses with its signals) or by a person's recorded verification.

    4 queries whatever the number of profiles: offers (none when prefetched with their
    `verified_by`), placements, and the delta's 2."""
    if not profiles:
        return {}
    offers = _offers(profiles)
    placements = _placements(profiles)
    reports = deltas_for(list(placements.values()), today=today)
    out: dict[int, dict[str, Ability]] = {}
    for profile in profiles:
        placement = placements.get((profile.user_id, profile.organization_id))
        report = reports.get(placement.pk) if placement else None
        out[profile.pk] = {
            offer.competency: _ability(offer, report) for offer in offers[profile.pk]
        }
    return out


def _ability(offer: Offer, report: DeltaReport | None) -> Ability:
    """One offer judged against the mentor's delta (None: they are not placed)."""
    scale = _Scale.of(report, offer.competency)
    offered = scale.rank(offer.step)
    row = scale.row
    shown = row.demonstrated if row is not None else None
    reached = scale.rank(shown)
    basis: Basis = ""
    rank: int | None = None
    text = "Not verified yet"
    if row is not None and reached is not None and offered is not None and reached >= offered:
        voices = _voices(row, scale.steps, reached)
        text = f"Demonstrated at {scale.code(shown)}: {voices} independent signals"
        basis, rank = "demonstrated", reached
    elif offer.verified_at is not None:
        who = offer.verified_by.display_name if offer.verified_by else "a former member"
        when = timezone.localdate(offer.verified_at).isoformat()
        text = f"Verified by {who} on {when}: {offer.verified_basis}"
        basis, rank = "verified", offered
    return Ability(
        competency=offer.competency,
        name=scale.name,
        offered=offer.step,
        offered_name=scale.code(offer.step),
        demonstrated=shown,
        demonstrated_name=scale.code(shown),
        basis=basis,
        basis_text=text,
        rank=rank,
        steps=tuple(scale.steps),
    )


@dataclass(frozen=True)
class _Scale:
    """A competency as one person's framework has it: name, steps, delta row."""

    competency: str
    name: str
    steps: list[str]
    doc: FrameworkDocument | None
    row: CompetencyDelta | None

    @classmethod
    def of(cls, report: DeltaReport | None, competency: str) -> _Scale:
        if report is None:
            return cls(competency, competency, [], None, None)
        doc = report.document
        try:
            name = doc.competency(competency).name
        except KeyError:
            return cls(competency, competency, [], None, None)
        steps = steps_of(doc, report.placement, competency)
        row = next((c for c in report.delta.competencies if c.key == competency), None)
        return cls(competency, name, steps, doc, row)

    def rank(self, step: str | None) -> int | None:
        return self.steps.index(step) if step in self.steps else None

    def code(self, step: str | None) -> str:
        if not step:
            return ""
        if self.doc is None or step not in self.steps:
            return step
        return step_code(self.doc, self.competency, step)


def _voices(row: CompetencyDelta, steps: list[str], reached: int) -> int:
    """How many independent voices reach the demonstrated step."""
    return len({s.rater for s in row.counted if s.step in steps and steps.index(s.step) >= reached})


def open_capacity(profiles: Iterable[MentorProfile]) -> dict[int, int]:
    """Each profile's open places (by id): its capacity less the active rooms its user
    mentors, never below 0: 1 query."""
    profiles = list(profiles)
    if not profiles:
        return {}
    busy = dict(
        Room.objects.filter(mentor_id__in={p.user_id for p in profiles}, status=RoomStatus.ACTIVE)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    return {p.pk: max(0, p.capacity - busy.get(p.user_id, 0)) for p in profiles}


# --- The directory ----------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    """What a viewer narrows the directory (or their matches) to; empty means any."""

    competency: str = ""
    step: str = ""  # with `competency`: offered at least up to this step
    verified: bool = False  # verified for `competency`, or for anything without one
    overlap: int = 0  # hours of working day shared with the viewer, at least
    language: str = ""
    open_only: bool = False  # with a place open


@dataclass
class MentorCard:
    """A mentor as the directory shows them."""

    profile: MentorProfile
    abilities: list[Ability]
    open: int  # open places
    overlap: float | None  # shared working hours with the viewer; None: a time zone is unknown
    outside: bool  # from another organization than the viewer's
    rating: RatingSummary | None = None  # on the directory page's cards

    @property
    def verified(self) -> list[Ability]:
        return [a for a in self.abilities if a.verified]


@dataclass
class DirectoryPage:
    page: Page[MentorCard]
    filters: DirectoryFilters

    @property
    def cards(self) -> list[MentorCard]:
        return list(self.page.object_list)


def _zone(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _working_day(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, WORK_STARTS, tzinfo=zone)
    end = datetime(day.year, day.month, day.day, WORK_ENDS, tzinfo=zone)
    return start, end


def overlap_hours(zone_a: str, zone_b: str, *, on: date | None = None) -> float | None:
    """Hours the working days (9 to 17 local) of two time zones share on a day: None when
    either zone is unknown."""
    a, b = _zone(zone_a), _zone(zone_b)
    if a is None or b is None:
        return None
    day = on or timezone.localdate()
    start_a, end_a = _working_day(a, day)
    best = 0.0
    for shift in (-1, 0, 1):  # the other's working day may fall on the day before or after
        start_b, end_b = _working_day(b, day + timedelta(days=shift))
        shared = (min(end_a, end_b) - max(start_a, start_b)).total_seconds() / 3600
        best = max(best, shared)
    return best


def mentor_cards(
    profiles: Sequence[MentorProfile],
    *,
    viewer: User,
    organization: Organization,
    today: date | None = None,
) -> list[MentorCard]:
    """Cards for profiles (with their user), verified and counted: 5 queries in all."""
    abilities = abilities_of(profiles, today=today)
    places = open_capacity(profiles)
    day = today or timezone.localdate()
    return [
        MentorCard(
            profile=p,
            abilities=list(abilities[p.pk].values()),
            open=places[p.pk] if p.accepting else 0,
            overlap=overlap_hours(viewer.time_zone, p.time_zone, on=day),
            outside=p.organization_id != organization.pk,
        )
        for p in profiles
    ]


def matches_filters(card: MentorCard, filters: DirectoryFilters) -> bool:
    """Whether a card passes the filters."""
    wanted = [a for a in card.abilities if a.competency == filters.competency]
    if filters.competency and not wanted:
        return False
    if filters.competency and filters.step and not _reaches(wanted[0], filters.step):
        return False
    considered = wanted if filters.competency else card.abilities
    if filters.verified and not any(a.verified for a in considered):
        return False
    if filters.overlap and (card.overlap is None or card.overlap < filters.overlap):
        return False
    languages = [lang.lower() for lang in card.profile.languages]
    if filters.language and filters.language.lower() not in languages:
        return False
    return not (filters.open_only and card.open <= 0)


def _reaches(ability: Ability, step: str) -> bool:
    """Whether the offer goes at least up to `step` on the mentor's scale."""
    if step not in ability.steps or ability.offered not in ability.steps:
        return False
    return ability.steps.index(ability.offered) >= ability.steps.index(step)


def directory(
    viewer: User,
    organization: Organization,
    filters: DirectoryFilters,
    *,
    page: int | str | None = 1,
    today: date | None = None,
) -> DirectoryPage:
    """The mentors `viewer`, working in `organization`, finds, filtered, a page of 20
    with their rating summaries: 8 queries whatever their number (settings, profiles,
    offers, placements, the delta's 2, rooms, ratings)."""
    found = findable_profiles(organization).select_related("user", "organization")
    if filters.competency:
        found = found.filter(offers__competency=filters.competency)
    profiles = list(
        found.prefetch_related(
            Prefetch("offers", queryset=Offer.objects.select_related("verified_by"))
        ).order_by("user__name", "user__email", "id")
    )
    cards = mentor_cards(profiles, viewer=viewer, organization=organization, today=today)
    shown = Paginator([c for c in cards if matches_filters(c, filters)], PAGE_SIZE).get_page(page)
    summaries = rating_summaries([c.profile for c in shown.object_list])
    for card in shown.object_list:
        card.rating = summaries.get(card.profile.pk)
    return DirectoryPage(page=shown, filters=filters)


# --- One profile, requests, settings ----------------------------------------------------


def own_profile(user: User, organization: Organization) -> MentorProfile | None:
    """The user's profile in the organization, with its offers: 2 queries."""
    return (
        MentorProfile.objects.filter(user=user, organization=organization)
        .select_related("user", "organization")
        .prefetch_related(Prefetch("offers", queryset=Offer.objects.select_related("verified_by")))
        .first()
    )


def mentor_card(
    profile: MentorProfile, *, viewer: User, organization: Organization, today: date | None = None
) -> MentorCard:
    """One mentor's card with their rating summary (see `mentor_cards`): 6 queries."""
    card = mentor_cards([profile], viewer=viewer, organization=organization, today=today)[0]
    card.rating = rating_summaries([profile])[profile.pk]
    return card


def requests_received(user: User) -> list[MentorshipRequest]:
    """Requests to the user's profiles, waiting ones first, then newest: 1 query."""
    rows = MentorshipRequest.objects.filter(profile__user=user).select_related(
        "mentee", "organization", "profile__user", "profile__organization"
    )
    return sorted(rows, key=lambda r: r.status != RequestStatus.PENDING)


def requests_sent(user: User) -> list[MentorshipRequest]:
    """The user's requests to mentors, waiting ones first, then newest: 1 query."""
    rows = MentorshipRequest.objects.filter(mentee=user).select_related(
        "mentee", "organization", "profile__user", "profile__organization"
    )
    return sorted(rows, key=lambda r: r.status != RequestStatus.PENDING)


def room_of_request(request: MentorshipRequest) -> Room | None:
    """The room an accepted request opened (its active room, else the latest): 1 query."""
    if request.status != RequestStatus.ACCEPTED:
        return None
    return (
        Room.objects.filter(
            mentor_id=request.profile.user_id,
            mentee_id=request.mentee_id,
            organization_id=request.organization_id,
        )
        .order_by("status", "-opened_at")
        .first()
    )


def settings_of(organization: Organization) -> MentorshipSettings:
    """The organization's mentorship settings (the defaults when never saved): 1 query."""
    found = MentorshipSettings.objects.filter(organization=organization).first()
    return found or MentorshipSettings(organization=organization)


def offers_of(profile: MentorProfile) -> list[Offer]:
    """A profile's offers with who verified them: 1 query."""
    return list(profile.offers.select_related("verified_by"))


def pending_request(mentee: User, profile: MentorProfile) -> MentorshipRequest | None:
    """The member's request to this mentor that waits for an answer: 1 query."""
    return MentorshipRequest.objects.filter(
        mentee=mentee, profile=profile, status=RequestStatus.PENDING
    ).first()

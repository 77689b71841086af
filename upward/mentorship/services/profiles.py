"""Changes to mentor profiles: saving one with its offers, deleting it, recording or
removing a person's verification of an offer, and an organization's mentorship settings.

Offers name a competency and a step of the mentor's own framework (their active
placement in the profile's organization), so their delta can verify them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments.selectors import active_placement
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.frameworks.selectors import document_of
from upward.mentorship.models import (
    PROFILE_TIERS,
    Cadence,
    MentorProfile,
    MentorshipSettings,
    Offer,
    Reach,
    Room,
    RoomStatus,
)

__all__ = [
    "BASIS_MAX",
    "BIO_MAX",
    "CAPACITY_MAX",
    "OfferIn",
    "active_mentees",
    "delete_profile",
    "save_profile",
    "unverify_offer",
    "update_settings",
    "verify_offer",
]

BIO_MAX = 2000
BASIS_MAX = 500
CAPACITY_MAX = 50
LANGUAGES_MAX = 10
OFFERS_MAX = 30


@dataclass(frozen=True)
class OfferIn:
    """One competency offered, up to a step of the mentor's framework."""

    competency: str
    step: str


def active_mentees(user: User) -> int:
    """How many active rooms `user` mentors, in any organization: 1 query."""
    return Room.objects.filter(mentor=user, status=RoomStatus.ACTIVE).count()


def _check_capacity(user: User, capacity: int) -> None:
    if capacity < 0:
        raise Invalid("Capacity can't be negative.", field="capacity")
    if capacity > CAPACITY_MAX:
        raise Invalid(f"Capacity is at most {CAPACITY_MAX} mentees.", field="capacity")
    busy = active_mentees(user)
    if capacity < busy:
        raise Invalid(
            f"You mentor {busy} people now: capacity can't be below that.", field="capacity"
        )


def _check_choices(*, cadence: str, reach: str, visibility: str, time_zone: str) -> None:
    if cadence not in Cadence.values:
        raise Invalid("Choose weekly, fortnightly or monthly.", field="cadence")
    if reach not in Reach.values:
        raise Invalid("Choose whom you mentor.", field="reach")
    if visibility not in PROFILE_TIERS:
        raise Invalid("Show the profile to your organization or to anyone.", field="visibility")
    if time_zone:
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(
                f"“{time_zone}” is not a time zone (try Europe/Paris).", field="time_zone"
            ) from None


def _languages(languages: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in languages:
        code = raw.strip().lower()
        if not code or len(code) > 16 or not code.replace("-", "").isalpha():
            raise Invalid(f"“{raw}” is not a language code (en, fr, pt-br).", field="languages")
        if code not in out:
            out.append(code)
    if len(out) > LANGUAGES_MAX:
        raise Invalid(f"At most {LANGUAGES_MAX} languages.", field="languages")
    return out


def _check_offers(user: User, organization: Organization, offers: Sequence[OfferIn]) -> None:
    """Each offer names a competency and a step of the mentor's framework, once each."""
    if not offers:
        return
    if len(offers) > OFFERS_MAX:
        raise Invalid(f"At most {OFFERS_MAX} competencies.", field="offers")
    placement = active_placement(user, organization)
    if placement is None:
        raise Invalid(
            "Place yourself on a framework here first: offers name its competencies.",
            field="offers[0].competency",
        )
    doc = document_of(placement.version)
    seen: set[str] = set()
    for n, offer in enumerate(offers):
        if not offer.competency:
            raise Invalid("Pick a competency for this step.", field=f"offers[{n}].competency")
        try:
            steps = [s.key for s in doc.steps(offer.competency, placement.target_track)]
        except (KeyError, ValueError):
            raise Invalid(
                f"“{offer.competency}” is not a competency of your framework.",
                field=f"offers[{n}].competency",
            ) from None
        if offer.competency in seen:
            raise Invalid(
                f"“{offer.competency}” is offered twice.", field=f"offers[{n}].competency"
            )
        seen.add(offer.competency)
        if not offer.step:
            raise Invalid("Pick the step you mentor towards.", field=f"offers[{n}].step")
        if offer.step not in steps:
            raise Invalid(
                f"“{offer.step}” is not a step of {doc.competency(offer.competency).name}.",
                field=f"offers[{n}].step",
            )


@transaction.atomic
def save_profile(
    *,
    user: User,
    organization: Organization,
    bio: str = "",
    capacity: int = 2,
    cadence: str = Cadence.FORTNIGHTLY,
    time_zone: str = "",
    languages: Sequence[str] = (),
    reach: str = Reach.ORGANIZATION,
    visibility: str = "organization",
    accepting: bool = True,
    offers: Sequence[OfferIn] = (),
) -> MentorProfile:
    """Create or replace `user`'s profile in `organization` with its offers.

    An offer kept at the same step keeps a person's verification of it; one whose step
    changed loses it (it verified another step)."""
    if len(bio) > BIO_MAX:
        raise Invalid(f"Keep the bio under {BIO_MAX} characters.", field="bio")
    _check_capacity(user, capacity)
    _check_choices(cadence=cadence, reach=reach, visibility=visibility, time_zone=time_zone)
    codes = _languages(languages)
    _check_offers(user, organization, offers)
    fields = {
        "bio": bio.strip(),
        "capacity": capacity,
        "cadence": cadence,
        "time_zone": time_zone,
        "languages": codes,
        "reach": reach,
        "visibility": visibility,
        "accepting": accepting,
    }
    profile, created = MentorProfile.objects.select_for_update().update_or_create(
        user=user, organization=organization, defaults=fields
    )
    _save_offers(profile, offers)
    code = AuditCode.MENTORSHIP_PROFILE_CREATED if created else AuditCode.MENTORSHIP_PROFILE_UPDATED
    audit.record(profile, code, actor=user, data={"offers": [o.competency for o in offers]})
    return profile


def _save_offers(profile: MentorProfile, offers: Sequence[OfferIn]) -> None:
    kept = {o.competency: o for o in profile.offers.all()}
    wanted = {o.competency: o.step for o in offers}
    Offer.objects.filter(profile=profile).exclude(competency__in=list(wanted)).delete()
    for competency, step in wanted.items():
        existing = kept.get(competency)
        if existing is None:
            Offer.objects.create(profile=profile, competency=competency, step=step)
        elif existing.step != step:
            existing.step = step
            existing.verified_by = None
            existing.verified_basis = ""
            existing.verified_at = None
            existing.save(update_fields=["step", "verified_by", "verified_basis", "verified_at"])


@transaction.atomic
def delete_profile(*, profile: MentorProfile, by: User) -> None:
    """Delete a profile (its offers and requests go with it); refused while its mentor
    has active rooms from it or in its organization."""
    active = Room.objects.filter(
        Q(profile=profile) | Q(organization=profile.organization),
        mentor_id=profile.user_id,
        status=RoomStatus.ACTIVE,
    )
    if active.exists():
        raise Conflict("End your active mentorships first: the profile is still in use.")
    audit.record(profile, AuditCode.MENTORSHIP_PROFILE_DELETED, actor=by)
    profile.delete()


@transaction.atomic
def verify_offer(*, offer: Offer, by: User, basis: str) -> Offer:
    """Record that `by` (an admin or site staff: see access) verified the offer, and why."""
    basis = basis.strip()
    if not basis:
        raise Invalid("Say what the verification rests on.", field="basis")
    if len(basis) > BASIS_MAX:
        raise Invalid(f"Keep the basis under {BASIS_MAX} characters.", field="basis")
    offer.verified_by = by
    offer.verified_basis = basis
    offer.verified_at = timezone.now()
    offer.save(update_fields=["verified_by", "verified_basis", "verified_at"])
    audit.record(
        offer,
        AuditCode.MENTORSHIP_OFFER_VERIFIED,
        actor=by,
        organization=offer.profile.organization,
        data={"competency": offer.competency, "step": offer.step, "basis": basis},
    )
    return offer


@transaction.atomic
def unverify_offer(*, offer: Offer, by: User) -> Offer:
    """Remove a person's verification of the offer (its delta may still verify it)."""
    if offer.verified_at is None:
        raise Conflict("Nobody has verified this offer.")
    offer.verified_by = None
    offer.verified_basis = ""
    offer.verified_at = None
    offer.save(update_fields=["verified_by", "verified_basis", "verified_at"])
    audit.record(
        offer,
        AuditCode.MENTORSHIP_OFFER_UNVERIFIED,
        actor=by,
        organization=offer.profile.organization,
        data={"competency": offer.competency},
    )
    return offer


@transaction.atomic
def update_settings(
    *, organization: Organization, by: User, allow_outside_mentors: bool
) -> MentorshipSettings:
    """Set whether the organization's members may find mentors of other organizations."""
    found, _ = MentorshipSettings.objects.update_or_create(
        organization=organization, defaults={"allow_outside_mentors": allow_outside_mentors}
    )
    audit.record(
        found,
        AuditCode.MENTORSHIP_SETTINGS_UPDATED,
        actor=by,
        data={"allow_outside_mentors": allow_outside_mentors},
    )
    return found

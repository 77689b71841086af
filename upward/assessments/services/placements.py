"""Writes for placements and ratings. Signals are append-only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments.models import FeedbackResponse, Placement, Signal, Source
from upward.assessments.services.events import announce
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Invalid
from upward.engine.framework.models import FrameworkDocument
from upward.engine.level_steps import step_for
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of


@dataclass(frozen=True)
class Rating:
    """One competency rated: the step held consistently, and optionally one reached sometimes."""

    competency: str
    step: str
    sometimes: str = ""
    comment: str = ""


# Placement ----------------------------------------------------------------------

# Called inside `place`'s transaction as hook(old=..., new=...) with the placement the
# new one replaces (None for a first one). Other apps register from their
# AppConfig.ready (roadmaps carries open objectives over); assessments imports none.
PlacementHook = Callable[..., object]
_placement_hooks: list[PlacementHook] = []


def register_placement_hook(hook: PlacementHook) -> None:
    """Run `hook(old=..., new=...)` whenever a member is placed (once per hook)."""
    if hook not in _placement_hooks:
        _placement_hooks.append(hook)


def _level_position(doc: FrameworkDocument, track: str, level: str, field: str) -> int:
    keys = [lv.key for lv in doc.levels_of(track)]
    if level not in keys:
        raise Invalid(f"Level '{level}' is not on track '{track}'.", field=field)
    return keys.index(level)


def _check_target(
    doc: FrameworkDocument, track: str, current: str, target_track: str, target: str
) -> None:
    now = _level_position(doc, track, current, "current_level")
    goal = _level_position(doc, target_track, target, "target_level")
    if track == target_track and goal <= now:
        raise Invalid("The target level must be above the current level.", field="target_level")
    current_rank, target_rank = doc.level(current).rank, doc.level(target).rank
    if track == target_track or current_rank is None or target_rank is None:
        return
    if target_rank < current_rank:
        raise Invalid(
            "The target level ranks below the current one on the other track.",
            field="target_level",
        )


@transaction.atomic
def place(
    *,
    user: User,
    organization: Organization,
    version: FrameworkVersion,
    track: str,
    current_level: str,
    target_level: str = "",
    target_track: str = "",
) -> Placement:
    """Put a member on a framework; the previous placement stays as history."""
    if version.status == VersionStatus.DRAFT:
        raise Invalid("Pick a published framework version, not a draft.", field="version")
    doc = document_of(version)
    if track not in {t.key for t in doc.tracks}:
        raise Invalid(f"Track '{track}' is not in {doc.name}.", field="track")
    target_track = target_track or track
    if target_track not in {t.key for t in doc.tracks}:
        raise Invalid(f"Track '{target_track}' is not in {doc.name}.", field="target_track")
    if not target_level:
        _level_position(doc, track, current_level, "current_level")
        following = doc.next_level(track, current_level)
        if following is None:
            raise Invalid(
                "You are at the top of this track; pick a target on another track.",
                field="target_level",
            )
        target_level = following.key
    _check_target(doc, track, current_level, target_track, target_level)
    previous = Placement.objects.filter(user=user, organization=organization, is_active=True)
    old = previous.select_related("version").first()
    previous.update(is_active=False)
    placement = Placement.objects.create(
        user=user,
        organization=organization,
        version=version,
        track=track,
        current_level=current_level,
        target_track=target_track,
        target_level=target_level,
    )
    audit.record(
        placement,
        AuditCode.ASSESSMENT_PLACEMENT_SET,
        actor=user,
        data={
            "framework": version.framework.key,
            "version": version.number,
            "current": current_level,
            "target": target_level,
        },
    )
    for hook in _placement_hooks:
        hook(old=old, new=placement)
    return placement


# Ratings -----------------------------------------------------------------------


def check_ratings(placement: Placement, ratings: list[Rating]) -> None:
    doc = document_of(placement.version)
    known = {c.key for c in doc.competencies}
    seen: set[str] = set()
    for i, rating in enumerate(ratings):
        where = f"ratings.{i}"
        if rating.competency not in known:
            raise Invalid(
                f"{where}.competency: '{rating.competency}' is not a competency of {doc.name}.",
                field=f"{where}.competency",
            )
        if rating.competency in seen:
            raise Invalid(
                f"{where}.competency: '{rating.competency}' is rated twice; rate it once.",
                field=f"{where}.competency",
            )
        seen.add(rating.competency)
        steps = [s.key for s in doc.steps(rating.competency, placement.target_track)]
        _check_steps(steps_of_levels(doc, rating), steps, where)


def steps_of_levels(doc: FrameworkDocument, rating: Rating) -> Rating:
    """The rating with level keys read as steps of a competency with its own scale."""
    step = step_for(doc, rating.competency, rating.step)
    sometimes = step_for(doc, rating.competency, rating.sometimes) if rating.sometimes else ""
    return replace(rating, step=step, sometimes=sometimes)


def _check_steps(rating: Rating, steps: list[str], where: str) -> None:
    if not rating.step:
        raise Invalid(f"{where}.step: choose a step.", field=f"{where}.step")
    for attr in ("step", "sometimes"):
        value = getattr(rating, attr)
        if value and value not in steps:
            raise Invalid(
                f"{where}.{attr}: '{value}' is not a step of '{rating.competency}' "
                f"(steps: {', '.join(steps)}).",
                field=f"{where}.{attr}",
            )
    # "Sometimes" is a step reached now and then beyond the one held consistently.
    if rating.sometimes and steps.index(rating.sometimes) <= steps.index(rating.step):
        raise Invalid(
            f"{where}.sometimes: '{rating.sometimes}' is not above the consistent step "
            f"'{rating.step}'; leave it empty or pick a higher step.",
            field=f"{where}.sometimes",
        )


def store_ratings(
    placement: Placement,
    ratings: list[Rating],
    *,
    source: str,
    rater: User | None,
    source_key: str,
    response: FeedbackResponse | None = None,
) -> list[Signal]:
    today = timezone.localdate()
    doc = document_of(placement.version)
    ratings = [steps_of_levels(doc, r) for r in ratings]
    signals = Signal.objects.bulk_create(
        [
            Signal(
                subject=placement.user,
                organization=placement.organization,
                version=placement.version,
                competency=r.competency,
                step=r.step,
                sometimes_step=r.sometimes,
                source=source,
                rater=rater,
                source_key=source_key,
                response=response,
                comment=r.comment,
                observed_on=today,
            )
            for r in ratings
        ]
    )
    announce(placement.organization_id, [placement.user_id])
    return signals


@transaction.atomic
def rate_self(*, placement: Placement, ratings: list[Rating]) -> list[Signal]:
    """Record a self-assessment; it adds signals, the earlier ones stay as history."""
    if not ratings:
        raise Invalid("Rate at least one competency.", field="ratings")
    check_ratings(placement, ratings)
    signals = store_ratings(
        placement,
        ratings,
        source=Source.SELF,
        rater=placement.user,
        source_key=f"user:{placement.user_id}",
    )
    audit.record(
        placement,
        AuditCode.ASSESSMENT_PLACEMENT_SELF_RATED,
        actor=placement.user,
        data={"competencies": [r.competency for r in ratings]},
    )
    return signals


@transaction.atomic
def rate_as_manager(*, placement: Placement, manager: User, ratings: list[Rating]) -> list[Signal]:
    """A manager assesses a report (access decides who is whose manager)."""
    if not ratings:
        raise Invalid("Rate at least one competency.", field="ratings")
    check_ratings(placement, ratings)
    signals = store_ratings(
        placement, ratings, source=Source.MANAGER, rater=manager, source_key=f"user:{manager.pk}"
    )
    audit.record(
        placement,
        AuditCode.ASSESSMENT_PLACEMENT_MANAGER_RATED,
        actor=manager,
        data={"competencies": [r.competency for r in ratings]},
    )
    return signals


# Feedback requests -------------------------------------------------------------------

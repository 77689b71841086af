"""Keep one standing per active placement current: the engine's delta of each person
as arrays of step indexes, their readiness by quarter, and whether they have a
roadmap and a mentor.

Set-based: a batch of people costs the same few queries whatever its size (their
placements with both flags, the versions not yet read, their signals, their earlier
standings' history, the write and the clean-up), then the engine per person, in
Python, exactly as `upward.assessments.selectors.delta_for` reads it (without the
trend).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from upward.accounts.models import Organization
from upward.assessments.models import Placement, Signal
from upward.assessments.selectors import SignalRow, engine_delta, policy_for, targets_of
from upward.core import anonymity
from upward.engine import delta as engine
from upward.engine.framework.models import FrameworkDocument
from upward.engine.insights import quarter_of
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.selectors import document_of
from upward.insights.models import Standing
from upward.mentorship.models import Room, RoomStatus
from upward.roadmaps.models import Objective

BATCH = 500  # people (or placements) read and written together

# What a refresh writes over an existing standing of the same placement.
WRITTEN = [
    "user",
    "organization",
    "version",
    "track",
    "current_level",
    "target_track",
    "target_level",
    "operating",
    "demonstrated",
    "readiness",
    "history",
    "has_roadmap",
    "has_mentor",
    "updated_at",
]

# The signal fields the delta needs, in `SignalRow` order (raters' names are not).
_READ = SignalRow._fields[:7]
_NO_NAMES = (None, None)

# Each competency's key and its steps' indexes on a target track, in the document's order.
_Scales = list[tuple[str, dict[str, int]]]


def encode(indexes: Iterable[int]) -> bytes:
    """Step indexes (-1 for none) as one signed byte each."""
    return np.asarray(list(indexes), dtype=np.int8).tobytes()


def decode(stored: bytes | memoryview) -> np.ndarray:
    """The step indexes of a standing's `operating` or `demonstrated`."""
    return np.frombuffer(bytes(stored), dtype=np.int8)


@dataclass
class _Context:
    """One organization's rules for the delta, the day, and the versions read so far."""

    organization: Organization
    today: date
    policy: engine.Policy = field(init=False)
    threshold: int = field(init=False)
    versions: dict[int, tuple[int, FrameworkDocument]] = field(default_factory=dict)
    _scales: dict[tuple[int, str], _Scales] = field(default_factory=dict)
    _targets: dict[tuple[int, str, str, str], list[engine.Target]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.policy = policy_for(self.organization)
        self.threshold = anonymity.threshold(self.organization.anonymity_threshold)

    @property
    def since(self) -> date:
        """The earliest day an attributed signal may count (the engine's window)."""
        return self.today - timedelta(days=self.policy.window_days)

    @property
    def quarter(self) -> str:
        return quarter_of(self.today)

    def scales(self, placement: Placement) -> _Scales:
        """Each competency of the placement's version, in the document's order, with the
        index of each step on the target track's scale."""
        key = (placement.version_id, placement.target_track)
        found = self._scales.get(key)
        if found is None:
            doc = self.versions[placement.version_id][1]
            found = self._scales[key] = [
                (
                    c.key,
                    {s.key: i for i, s in enumerate(doc.steps(c.key, placement.target_track))},
                )
                for c in doc.competencies
            ]
        return found

    def targets(self, placement: Placement) -> list[engine.Target]:
        """The engine's targets of the placement, shared by everyone placed alike."""
        key = (
            placement.version_id,
            placement.current_level,
            placement.target_level,
            placement.target_track,
        )
        found = self._targets.get(key)
        if found is None:
            found = self._targets[key] = targets_of(
                self.versions[placement.version_id][1], placement
            )
        return found

    def read_versions(self, ids: set[int]) -> None:
        """Parse the versions not read yet (1 query when any is missing)."""
        missing = ids - self.versions.keys()
        if not missing:
            return
        for version in FrameworkVersion.objects.filter(pk__in=missing):
            self.versions[version.pk] = (version.framework_id, document_of(version))


def refresh(organization_id: int, user_ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute the standings of these people (their active placements in the org): a fixed
    number of queries whatever their number; deletes standings of placements no longer active;
    returns how many were written."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return 0
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    context = _Context(organization, today or timezone.localdate())
    written = 0
    for chunk in _chunks(ids, BATCH):
        placements = list(_placements(organization).filter(user_id__in=chunk))
        with transaction.atomic():
            written += _store(context, placements, chunk)
    return written


def rebuild(
    organization: Organization,
    *,
    batch: int = BATCH,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Every active placement of the organization, in batches."""
    if batch < 1:
        raise ValueError("batch: give at least 1 placement per batch")
    context = _Context(organization, today or timezone.localdate())
    active = _placements(organization)
    total = active.count()
    done = last = 0
    if progress is not None:
        progress(0, total)
    while True:
        placements = list(active.filter(pk__gt=last).order_by("pk")[:batch])
        if not placements:
            break
        last = placements[-1].pk
        with transaction.atomic():
            done += _store(context, placements, [p.user_id for p in placements])
        if progress is not None:
            progress(done, total)
    # People left with no active placement.
    Standing.objects.filter(organization=organization).exclude(placement__is_active=True).delete()
    return done


def refresh_flags(organization_id: int, user_ids: Iterable[int]) -> None:
    """has_roadmap / has_mentor only."""
    ids = sorted({int(pk) for pk in user_ids})
    for chunk in _chunks(ids, BATCH):
        Standing.objects.filter(organization_id=organization_id, user_id__in=chunk).update(
            has_roadmap=_has_roadmap("user_id"),
            has_mentor=_has_mentor("user_id"),
            updated_at=timezone.now(),
        )


# --- The batch ----------------------------------------------------------------------------


def _placements(organization: Organization) -> QuerySet[Placement]:
    """The organization's active placements, each with both flags (1 query)."""
    return Placement.objects.filter(organization=organization, is_active=True).annotate(
        roadmap=_has_roadmap("user_id"), mentor=_has_mentor("user_id")
    )


def _has_roadmap(user: str) -> Exists:
    """The person has an objective in the organization."""
    return Exists(
        Objective.objects.filter(
            owner_id=OuterRef(user), organization_id=OuterRef("organization_id")
        )
    )


def _has_mentor(user: str) -> Exists:
    """The person is the mentee of an active room in the organization."""
    return Exists(
        Room.objects.filter(
            mentee_id=OuterRef(user),
            organization_id=OuterRef("organization_id"),
            status=RoomStatus.ACTIVE,
        )
    )


def _store(context: _Context, placements: list[Placement], user_ids: list[int]) -> int:
    """Compute and write the standings of these placements (the active ones of
    `user_ids`, one each), then delete these people's other standings."""
    history = _histories(context.organization, user_ids)
    stale = Standing.objects.filter(organization=context.organization, user_id__in=user_ids)
    if not placements:
        stale.delete()
        return 0
    context.read_versions({p.version_id for p in placements})
    rows = _signal_rows(context, placements)
    now = timezone.now()
    standings = []
    for p in placements:
        framework_id, doc = context.versions[p.version_id]
        delta = engine_delta(
            doc,
            p,
            rows.get((p.user_id, framework_id), []),
            today=context.today,
            policy=context.policy,
            threshold=context.threshold,
            targets=context.targets(p),
        )
        operating, demonstrated = _indexes(context.scales(p), delta)
        kept = history.get(p.user_id, {})
        standings.append(
            Standing(
                placement=p,
                user_id=p.user_id,
                organization_id=p.organization_id,
                version_id=p.version_id,
                track=p.track,
                current_level=p.current_level,
                target_track=p.target_track,
                target_level=p.target_level,
                operating=encode(operating),
                demonstrated=encode(demonstrated),
                readiness=float(delta.readiness),
                history={**kept, context.quarter: float(delta.readiness)},
                has_roadmap=bool(getattr(p, "roadmap", False)),
                has_mentor=bool(getattr(p, "mentor", False)),
                updated_at=now,
            )
        )
    Standing.objects.bulk_create(
        standings,
        update_conflicts=True,
        unique_fields=["placement"],
        update_fields=WRITTEN,
    )
    stale.exclude(placement_id__in=[p.pk for p in placements]).delete()
    return len(standings)


def _signal_rows(
    context: _Context, placements: list[Placement]
) -> dict[tuple[int, int], list[SignalRow]]:
    """Each person's signal rows by (subject, framework), in the order they were
    recorded, as `delta_for` reads them: attributed ones inside the window, anonymous
    ones of every date (their batches are never cut anew). 1 query."""
    frameworks = {context.versions[p.version_id][0] for p in placements}
    found = (
        Signal.objects.filter(
            organization_id=context.organization.pk,
            subject_id__in=[p.user_id for p in placements],
            version__framework_id__in=frameworks,
        )
        .filter(Q(observed_on__gte=context.since) | Q(source_key__startswith="anon:"))
        .order_by("created_at", "id")
        .values_list("subject_id", "version__framework_id", *_READ)
    )
    out: dict[tuple[int, int], list[SignalRow]] = {}
    for subject_id, framework_id, *values in found.iterator(chunk_size=2000):
        out.setdefault((subject_id, framework_id), []).append(
            SignalRow._make((*values, *_NO_NAMES))
        )
    return out


def _histories(organization: Organization, user_ids: list[int]) -> dict[int, dict[str, float]]:
    """Each person's readiness by quarter as their standings in the organization keep
    it (a new placement carries the person's earlier quarters on). 1 query."""
    out: dict[int, dict[str, float]] = {}
    found = Standing.objects.filter(organization=organization, user_id__in=user_ids)
    for user_id, history in found.order_by("updated_at", "pk").values_list("user_id", "history"):
        out.setdefault(user_id, {}).update(history or {})
    return out


def _indexes(scales: _Scales, delta: engine.Delta) -> tuple[list[int], list[int]]:
    """The operating and demonstrated steps as indexes on the target track's scale, in
    the document's order of competencies (-1 for none)."""
    by_key = {c.key: c for c in delta.competencies}
    operating, demonstrated = [], []
    for key, scale in scales:
        found = by_key.get(key)
        operating.append(scale.get(found.operating, -1) if found and found.operating else -1)
        demonstrated.append(
            scale.get(found.demonstrated, -1) if found and found.demonstrated else -1
        )
    return operating, demonstrated


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]

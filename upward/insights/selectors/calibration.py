"""Calibration: how well attributed raters agree on each competency, and how far each
rater sits from the others.

Only attributed ratings by managers, peers and mentors in the policy window count, each
rater's latest per person and competency. Anonymous answers never enter: neither the
agreement nor anyone's leniency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from time import perf_counter

import numpy as np
from django.db.models import F
from django.utils import timezone

from upward.accounts.models import TeamMembership, User
from upward.assessments.models import Signal, Source
from upward.assessments.selectors import policy_for
from upward.core import anonymity
from upward.engine import insights as engine
from upward.frameworks.models import FrameworkVersion
from upward.insights.access import Scope
from upward.insights.selectors.cube import Block, mapped_index
from upward.insights.selectors.filters import (
    Choice,
    Filters,
    block_for,
    cube_for,
    people_of,
    version_choices,
)
from upward.insights.selectors.heatmap import competency_link
from upward.insights.selectors.settings import settings_of

__all__ = [
    "RATER_SOURCES",
    "CalibrationView",
    "CompetencyAgreement",
    "RaterLeniency",
    "Ratings",
    "calibration",
    "ratings_of",
]

RATER_SOURCES = (Source.MANAGER, Source.PEER, Source.MENTOR)


@dataclass(frozen=True)
class CompetencyAgreement:
    """How well raters agree on one competency, with its page in the framework."""

    key: str
    name: str
    agreement: engine.Agreement
    link: str


@dataclass(frozen=True)
class RaterLeniency:
    """A rater's mean step above (+) or below (-) the other raters of the same people."""

    rater: User
    mean: float
    ratings: int


@dataclass(frozen=True)
class CalibrationView:
    """Everything the calibration page, its export and the API show."""

    scope: Scope
    filters: Filters
    version: FrameworkVersion | None
    versions: list[Choice]
    competencies: list[CompetencyAgreement]
    raters: list[RaterLeniency] | None  # None unless the viewer is an admin
    min_ratings: int
    window_days: int
    threshold: int
    took_ms: float


@dataclass(frozen=True)
class Ratings:
    """Each counted rating: the subject (a person of the block), rater, competency and step
    index on the subject's target track's scale."""

    person: np.ndarray
    rater: np.ndarray
    competency: np.ndarray
    value: np.ndarray


def calibration(scope: Scope, filters: Filters) -> CalibrationView:
    """Agreement per competency (too few subjects: "few", no alpha) and, for admins, the
    leniency of raters with at least the organization's minimum of ratings.

    4 queries once the cube is kept (its stamp, unless the filters carry the cube; the
    settings, the ratings, the raters)."""
    started = perf_counter()
    org = scope.organization
    cube = cube_for(scope, filters)
    block = block_for(cube, scope, filters.version)
    settings = settings_of(org)
    threshold = anonymity.threshold(org.anonymity_threshold)
    window = policy_for(org).window_days
    competencies: list[CompetencyAgreement] = []
    raters: list[RaterLeniency] | None = [] if scope.admin else None
    if block is not None:
        found = ratings_of(block, scope, filters, window_days=window)
        competencies = _agreements(block, found, threshold)
        if scope.admin:
            raters = _leniency(block, found, settings.min_ratings)
    return CalibrationView(
        scope=scope,
        filters=filters,
        version=block.version if block is not None else None,
        versions=version_choices(cube),
        competencies=competencies,
        raters=raters,
        min_ratings=settings.min_ratings,
        window_days=window,
        threshold=threshold,
        took_ms=(perf_counter() - started) * 1000,
    )


def ratings_of(block: Block, scope: Scope, filters: Filters, *, window_days: int) -> Ratings:
    """The attributed ratings of the people the filters leave, in 1 query: each rater's
    latest per person and competency, as step indexes."""
    since = timezone.localdate() - timedelta(days=window_days)
    rows = (
        Signal.objects.filter(
            organization=scope.organization,
            version=block.version,
            source__in=RATER_SOURCES,
            rater__isnull=False,
            observed_on__gte=since,
        )
        .exclude(source_key__startswith="anon:")
        .exclude(rater_id=F("subject_id"))
    )
    if not scope.admin:
        on_teams = TeamMembership.objects.filter(team_id__in=scope.team_ids)
        rows = rows.filter(subject_id__in=on_teams.values("user_id"))
    data = list(
        rows.order_by("created_at", "id").values_list(
            "subject_id", "rater_id", "competency", "step"
        )
    )
    if not data:
        empty = np.zeros(0, dtype=np.int64)
        return Ratings(empty, empty, empty, empty)
    subject, rater, competency, step = (np.array(column) for column in zip(*data, strict=True))
    person = _people(block, subject.astype(np.int64), people_of(block, scope, filters))
    competency_at, value = _steps(block, person, competency, step)
    keep = (person >= 0) & (competency_at >= 0) & (value >= 0)
    found = Ratings(person[keep], rater[keep].astype(np.int64), competency_at[keep], value[keep])
    return _latest(found)


def _people(block: Block, subject: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Each subject's person index in the block; -1 when not a person the filters leave."""
    position = np.searchsorted(block.users, subject)
    clipped = np.minimum(position, block.size - 1)
    known = (position < block.size) & (block.users[clipped] == subject)
    return np.where(known & wanted[clipped], clipped, -1)


def _steps(
    block: Block, person: np.ndarray, competency: np.ndarray, step: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Competency indexes (-1: not in the version) and step indexes on each subject's
    target track's scale (-1: not on it)."""
    doc = block.document
    columns = {c.key: i for i, c in enumerate(doc.competencies)}
    names, competency_code = np.unique(competency, return_inverse=True)
    steps, step_code = np.unique(step, return_inverse=True)
    competency_at = np.array([columns.get(str(n), -1) for n in names], dtype=np.int64)
    # A table (target track, competency, step) -> index: a few hundred entries at most.
    table = np.full((len(block.target_tracks), len(names), len(steps)), -1, dtype=np.int64)
    for t, track in enumerate(block.target_tracks):
        for c, name in enumerate(names.tolist()):
            if competency_at[c] < 0:
                continue
            keys = _scale(block, str(name), track)
            for s, key in enumerate(steps.tolist()):
                table[t, c, s] = mapped_index(doc, keys, str(key))
    track_of = block.target_track[np.maximum(person, 0)]
    value = table[track_of, competency_code.reshape(-1), step_code.reshape(-1)]
    return competency_at[competency_code.reshape(-1)], value


def _scale(block: Block, competency: str, track: str) -> list[str]:
    try:
        return [s.key for s in block.document.steps(competency, track)]
    except KeyError:
        return []


def _latest(found: Ratings) -> Ratings:
    """Each rater's last rating of each person and competency (rows come oldest first)."""
    if not found.person.size:
        return found
    people = int(found.person.max()) + 1
    columns = int(found.competency.max()) + 1
    key = (found.rater * people + found.person) * columns + found.competency
    order = np.argsort(key, kind="stable")  # equal keys keep their order: the last is latest
    ranked = key[order]
    last = np.ones(ranked.size, dtype=bool)
    last[:-1] = ranked[:-1] != ranked[1:]
    chosen = np.sort(order[last])
    return Ratings(
        found.person[chosen], found.rater[chosen], found.competency[chosen], found.value[chosen]
    )


def _agreements(block: Block, found: Ratings, threshold: int) -> list[CompetencyAgreement]:
    """Krippendorff's alpha of each competency, in the document's order; shown as "few"
    when it rests on fewer subjects than the anonymity threshold."""
    doc = block.document
    order = np.argsort(found.competency, kind="stable")
    bounds = np.searchsorted(found.competency[order], np.arange(len(doc.competencies) + 1))
    out = []
    for c, competency in enumerate(doc.competencies):
        here = order[bounds[c] : bounds[c + 1]]
        steps = max([len(_scale(block, competency.key, t)) for t in block.target_tracks] + [1])
        result = engine.agreement(found.person[here], found.value[here], steps)
        if result.subjects < threshold:
            result = engine.Agreement(None, result.subjects, result.ratings, "few")
        link = competency_link(block.version, competency.key)
        out.append(CompetencyAgreement(competency.key, competency.name, result, link))
    return out


def _leniency(block: Block, found: Ratings, min_ratings: int) -> list[RaterLeniency]:
    """Raters' leniency, the farthest from consensus first, for those with enough
    ratings: 1 query for their names (none when nobody qualifies)."""
    width = max(len(block.document.competencies), 1)
    unit = found.person * width + found.competency
    shown = [r for r in engine.leniency(unit, found.rater, found.value) if r.ratings >= min_ratings]
    users = User.objects.in_bulk([r.rater for r in shown])
    return [RaterLeniency(users[r.rater], r.mean, r.ratings) for r in shown if r.rater in users]

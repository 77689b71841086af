"""Calibration: how well attributed raters agree on each competency, and how far each
rater sits from the others.

Only attributed ratings by managers, peers and mentors in the policy window count, each
rater's latest per person and competency. Anonymous answers never enter: neither the
agreement nor anyone's leniency.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import date, timedelta
from threading import Lock
from time import perf_counter

import numpy as np
from django.db.models import F
from django.utils import timezone

from upward.accounts.models import User
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
    "RATERS_LISTED",
    "RATER_SOURCES",
    "CalibrationView",
    "CompetencyAgreement",
    "RaterLeniency",
    "Ratings",
    "calibration",
    "ratings_of",
]

RATER_SOURCES = (Source.MANAGER, Source.PEER, Source.MENTOR)
RATERS_LISTED = 50  # on the page and in the API, the farthest first; an export has them all
COMPUTED_KEPT = 16  # results kept with a block, one per scope and filters


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
    raters_total: int = 0  # raters with enough ratings; `raters` may list fewer


@dataclass(frozen=True)
class Ratings:
    """Each counted rating: the subject (a person of the block), rater, competency and step
    index on the subject's target track's scale."""

    person: np.ndarray
    rater: np.ndarray
    competency: np.ndarray
    value: np.ndarray


def calibration(scope: Scope, filters: Filters, *, every_rater: bool = False) -> CalibrationView:
    """Agreement per competency (too few subjects: "few", no alpha) and, for admins, the
    leniency of raters with at least the organization's minimum of ratings: the
    RATERS_LISTED farthest from the others (every one with `every_rater`).

    Kept with the cube for each viewer's scope and filters (the last COMPUTED_KEPT): 1
    query then (its stamp, unless the filters carry the cube) and the settings; the
    first time, 1 for the ratings (once for every scope) and 1 for the raters' names.

    The raters' names are those of when it was computed, as the cube's names are."""
    started = perf_counter()
    org = scope.organization
    cube = cube_for(scope, filters)
    block = block_for(cube, scope, filters.version)
    settings = settings_of(org)
    threshold = anonymity.threshold(org.anonymity_threshold)
    window = policy_for(org).window_days
    competencies: list[CompetencyAgreement] = []
    raters: list[RaterLeniency] | None = [] if scope.admin else None
    raters_total = 0
    if block is not None:
        listed = None if every_rater else RATERS_LISTED
        key = (
            timezone.localdate(),
            window,
            threshold,
            settings.min_ratings,
            listed,
            scope.admin,
            scope.team_ids,
            filters.track,
            filters.level,
            filters.team,
        )
        computed = block.kept.setdefault("calibration", {})
        if key not in computed:
            found = ratings_of(block, scope, filters, window_days=window)
            agreements = _agreements(block, found, threshold)
            lenient: tuple[list[RaterLeniency] | None, int] = (None, 0)
            if scope.admin:
                lenient = _leniency(block, found, settings.min_ratings, listed)
            while len(computed) >= COMPUTED_KEPT:
                computed.pop(next(iter(computed)))
            computed[key] = (agreements, *lenient)
        competencies, raters, raters_total = computed[key]
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
        raters_total=raters_total,
    )


def ratings_of(block: Block, scope: Scope, filters: Filters, *, window_days: int) -> Ratings:
    """The attributed ratings of the people the filters leave: each rater's latest per
    person and competency, as step indexes. 1 query the first time for the block and
    the window (every person's), then none while the block is kept."""
    since = timezone.localdate() - timedelta(days=window_days)
    every = block.kept.get("ratings")
    if every is None or every[0] != since:
        with _reading:
            every = block.kept.get("ratings")
            if every is None or every[0] != since:
                every = block.kept["ratings"] = (since, _every_rating(block, scope, since))
    found: Ratings = every[1]
    keep = people_of(block, scope, filters)[found.person]
    return Ratings(found.person[keep], found.rater[keep], found.competency[keep], found.value[keep])


_reading = Lock()  # one read of a block's ratings at a time: at 100,000 people they are many


def _every_rating(block: Block, scope: Scope, since: date) -> Ratings:
    """Every counted rating of the block's people since the day, whoever looks (the
    viewer's scope is applied after): 1 query."""
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
    # Read in chunks into arrays, competencies and steps coded as read: a million
    # ratings would take gigabytes as Python tuples.
    subject, rater = array("q"), array("q")
    competency_code, step_code = array("l"), array("l")
    competencies: dict[str, int] = {}
    steps: dict[str, int] = {}
    found_rows = rows.order_by("created_at", "id").values_list(
        "subject_id", "rater_id", "competency", "step"
    )
    for subject_id, rater_id, competency, step in found_rows.iterator(chunk_size=20_000):
        subject.append(subject_id)
        rater.append(rater_id)
        competency_code.append(competencies.setdefault(competency, len(competencies)))
        step_code.append(steps.setdefault(step, len(steps)))
    if not subject:
        empty = np.zeros(0, dtype=np.int64)
        return Ratings(empty, empty, empty, empty)
    everyone = np.ones(block.size, dtype=bool)
    person = _people(block, np.frombuffer(subject, dtype=np.int64), everyone)
    competency_at, value = _steps(
        block,
        person,
        (list(competencies), np.frombuffer(competency_code, dtype=np.int_)),
        (list(steps), np.frombuffer(step_code, dtype=np.int_)),
    )
    keep = (person >= 0) & (competency_at >= 0) & (value >= 0)
    found = Ratings(
        person[keep],
        np.frombuffer(rater, dtype=np.int64)[keep],
        competency_at[keep],
        value[keep],
    )
    return _latest(found)


def _people(block: Block, subject: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Each subject's person index in the block; -1 when not a person the filters leave."""
    position = np.searchsorted(block.users, subject)
    clipped = np.minimum(position, block.size - 1)
    known = (position < block.size) & (block.users[clipped] == subject)
    return np.where(known & wanted[clipped], clipped, -1)


def _steps(
    block: Block,
    person: np.ndarray,
    competency: tuple[list[str], np.ndarray],
    step: tuple[list[str], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Competency indexes (-1: not in the version) and step indexes on each subject's
    target track's scale (-1: not on it), from each rating's coded competency and step
    (the keys, and each rating's index among them)."""
    doc = block.document
    columns = {c.key: i for i, c in enumerate(doc.competencies)}
    names, competency_code = competency
    steps, step_code = step
    competency_at = np.array([columns.get(n, -1) for n in names], dtype=np.int64)
    # A table (target track, competency, step) -> index: a few hundred entries at most.
    table = np.full((len(block.target_tracks), len(names), len(steps)), -1, dtype=np.int64)
    for t, track in enumerate(block.target_tracks):
        for c, name in enumerate(names):
            if competency_at[c] < 0:
                continue
            keys = _scale(block, name, track)
            for s, key in enumerate(steps):
                table[t, c, s] = mapped_index(doc, keys, key)
    track_of = block.target_track[np.maximum(person, 0)]
    value = table[track_of, competency_code, step_code]
    return competency_at[competency_code], value


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


def _leniency(
    block: Block, found: Ratings, min_ratings: int, listed: int | None
) -> tuple[list[RaterLeniency], int]:
    """Raters' leniency, the farthest from consensus first, for those with enough
    ratings (the first `listed`, or all), and how many have enough: 1 query for their
    names (none when nobody qualifies)."""
    width = max(len(block.document.competencies), 1)
    unit = found.person * width + found.competency
    enough = [
        r for r in engine.leniency(unit, found.rater, found.value) if r.ratings >= min_ratings
    ]
    shown = enough[:listed] if listed is not None else enough
    users = User.objects.in_bulk([r.rater for r in shown]) if shown else {}
    raters = [RaterLeniency(users[r.rater], r.mean, r.ratings) for r in shown if r.rater in users]
    return raters, len(enough)

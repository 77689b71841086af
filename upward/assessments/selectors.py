"""Reads for placements and the delta: a few set-based queries, then the engine."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from threading import Lock
from typing import Any, NamedTuple, TypeVar, cast

from django.db.models import Aggregate, Count, F, Q, QuerySet, Subquery, TextField
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.accounts.relationships import OUTSIDER, Standing, relationships_among
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Signal,
)
from upward.core import anonymity
from upward.core.visibility import Tier, may_see_any
from upward.engine import delta as engine
from upward.engine.framework.models import FrameworkDocument, Level
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of, visible_frameworks

TREND_MONTHS = 6
SOURCE_KINDS = [s.value for s in engine.Source]
COMPUTED_KEPT = 256  # computed deltas kept per process, the least recently used dropped

T = TypeVar("T")


def policy_for(organization: Organization) -> engine.Policy:
    """The organization's delta policy: the defaults, with its own numbers where set."""
    custom = organization.delta_policy or {}
    return engine.Policy(
        window_days=int(custom.get("window_days", 365)),
        independent_signals=int(custom.get("independent_signals", 2)),
        top_n=int(custom.get("top_gaps", 3)),
    )


@dataclass
class Explained:
    """A counted attributed signal as the member may see it."""

    competency: str
    step: str
    source: str
    who: str  # a name, an email, or "you"
    on: date
    sometimes: str | None = None  # a higher step the rater says is sometimes reached


class Said(NamedTuple):
    """A counted attributed signal as it is kept: its rater by their source key, so
    that names are read fresh (a renamed rater shows at once)."""

    competency: str
    step: str
    source: str
    rater: str  # the source key
    on: date
    sometimes: str | None


class Rater(NamedTuple):
    """Who a source key stands for: the member themselves, a user, or only the key."""

    you: bool
    user_id: int | None
    fallback: str  # shown when the user is gone: their address, or the key itself


@dataclass(frozen=True)
class SignalSummary:
    """A competency's counted attributed signals in brief: how many, from which kinds
    of source, and how they spread over the scale. Anonymous ones are not in it."""

    count: int
    sources: tuple[tuple[str, int], ...]  # kinds of source that gave any, in a fixed order
    steps: tuple[tuple[str, int], ...]  # every step of the competency's scale, lowest first


def summarize(explained: Sequence[Explained | Said], scale: list[str]) -> SignalSummary:
    """The summary of a competency's attributed signals."""
    by_source = {kind: 0 for kind in SOURCE_KINDS}
    by_step = dict.fromkeys(scale, 0)
    for e in explained:
        by_source[e.source] = by_source.get(e.source, 0) + 1
        by_step[e.step] = by_step.get(e.step, 0) + 1
    return SignalSummary(
        count=len(explained),
        sources=tuple((kind, n) for kind, n in by_source.items() if n),
        steps=tuple(by_step.items()),
    )


@dataclass
class DeltaReport:
    """The delta of one placement with everything its page and the API show.

    Anonymous ratings are never in `explained`: only in `anonymous`, as one
    aggregate per competency (see upward.core.anonymity)."""

    placement: Placement
    document: FrameworkDocument
    delta: engine.Delta
    current: Level
    target: Level
    threshold: int
    anonymous_answers: anonymity.Stepped
    said: dict[str, list[Said]] = field(default_factory=dict)
    raters: dict[str, Rater] = field(default_factory=dict)
    names: dict[int, str] | None = None  # raters' names, when the rows were read
    summaries: dict[str, SignalSummary] = field(default_factory=dict)
    anonymous: dict[str, anonymity.Aggregate] = field(default_factory=dict)
    quotes: list[dict[str, str]] = field(default_factory=list)
    trend: list[tuple[date, float]] = field(default_factory=list)
    stale_signals: int = 0
    derived: dict[str, Any] = field(default_factory=dict)

    @property
    def anonymous_shown(self) -> bool:
        return self.anonymous_answers.shown

    @cached_property
    def explained(self) -> dict[str, list[Explained]]:
        """Who said what, by competency (see `explained_of`)."""
        return {key: self.explained_of(key) for key in self.said}

    def explained_of(self, key: str) -> list[Explained]:
        """Who said what about one competency, with each rater's name as it is now."""
        names = self._names_now
        out = []
        for s in self.said.get(key, []):
            rater = self.raters[s.rater]
            who = "you" if rater.you else names.get(rater.user_id or 0) or rater.fallback
            out.append(Explained(s.competency, s.step, s.source, who, s.on, s.sometimes))
        return out

    @cached_property
    def _names_now(self) -> dict[int, str]:
        """The raters' names (or addresses): read with the signals, or when the delta
        was kept, in 1 query the first time they are needed."""
        if self.names is not None:
            return self.names
        ids = {r.user_id for r in self.raters.values() if r.user_id and not r.you}
        return {pk: name or email for pk, name, email in _raters_named(ids)}

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """What `make` derives from this delta, made once while the delta is kept.

        Only for values that depend on nothing but the delta, its document and its
        placement's levels: never on the viewer, their answers or the request."""
        found = self.derived.get(name)
        if found is None:
            found = self.derived[name] = make()
        return cast(T, found)

    def competency(self, key: str) -> engine.CompetencyDelta:
        return next(c for c in self.delta.competencies if c.key == key)


def _raters_named(ids: set[int]) -> list[tuple[int, str, str]]:
    if not ids:
        return []
    return list(User.objects.filter(pk__in=ids).values_list("pk", "name", "email"))


def active_placement(user: User, organization: Organization) -> Placement | None:
    """The member's current placement in an organization."""
    return (
        Placement.objects.filter(user=user, organization=organization, is_active=True)
        .select_related("version__framework", "organization")
        .first()
    )


def placements_of(user: User) -> QuerySet[Placement]:
    """Every placement of the user in organizations they belong to, newest first
    (history included)."""
    return Placement.objects.filter(user=user, organization__memberships__user=user).select_related(
        "version__framework", "organization"
    )


def active_placements(users: list[User], organization: Organization) -> dict[int, Placement]:
    """Each person's current placement in an organization, by user id (1 query)."""
    rows = Placement.objects.filter(
        user__in=[u.pk for u in users], organization=organization, is_active=True
    ).select_related("version__framework", "organization", "user")
    return {p.user_id: p for p in rows}


def placeable_versions(user: User, organization: Organization) -> list[FrameworkVersion]:
    """Published versions of the library's and the organization's frameworks (1 query)."""
    frameworks = visible_frameworks(user).filter(
        Q(organization__isnull=True) | Q(organization=organization)
    )
    return list(
        FrameworkVersion.objects.filter(
            framework__in=frameworks.values("pk"), status=VersionStatus.PUBLISHED
        )
        .select_related("framework__organization")
        .defer("document")
        .order_by(F("framework__organization").asc(nulls_last=True), "framework__name")
    )


def newer_version(placement: Placement) -> FrameworkVersion | None:
    """The framework's published version, when the placement is on an older one."""
    if placement.version.status == VersionStatus.PUBLISHED:
        return None
    published = FrameworkVersion.objects.filter(
        framework_id=placement.version.framework_id, status=VersionStatus.PUBLISHED
    )
    return published.defer("document").first()


def latest_ratings(placement: Placement, *, rater: User, source: str) -> dict[str, Signal]:
    """This rater's latest rating of each competency of the placement's framework (1 query)."""
    rows = Signal.objects.filter(
        subject_id=placement.user_id,
        organization_id=placement.organization_id,
        version__framework_id=placement.version.framework_id,
        rater=rater,
        source=source,
    ).order_by("created_at", "id")
    return {row.competency: row for row in rows}


def delta_for(
    placement: Placement,
    *,
    viewer: User | None = None,
    today: date | None = None,
    names: bool = False,
) -> DeltaReport:
    """The delta for a placement: 2 queries (signals, answers), whatever their number,
    and 1 more with a `viewer` (see `deltas_for`).

    When the computed delta is kept, only the signals' first row is read; `names`
    reads them all anyway, with their raters' names, for who said what (`explained`,
    which otherwise costs 1 more query then)."""
    return deltas_for([placement], viewer=viewer, today=today, names=names)[placement.pk]


def deltas_for(
    placements: list[Placement],
    *,
    viewer: User | None = None,
    today: date | None = None,
    names: bool = False,
) -> dict[int, DeltaReport]:
    """Deltas for several placements (a manager's team) in the same 2 queries.

    Written answers (`quotes`) are those `viewer` may see of each subject's, through
    `upward.core.visibility`: 1 more query per organization for how the viewer stands
    to the subjects. Without a viewer there are none.
    """
    if not placements:
        return {}
    standing = _standing(viewer, placements)
    today = today or timezone.localdate()
    days = max(policy_for(p.organization).window_days for p in placements)
    since = today - timedelta(days=days + 31 * TREND_MONTHS)
    wanted = Q()
    for p in placements:
        wanted |= Q(
            subject_id=p.user_id,
            organization_id=p.organization_id,
            version__framework_id=p.version.framework_id,
        )
    # Anonymous ratings of every date: their batches must never be cut anew.
    found = Signal.objects.filter(
        wanted, Q(observed_on__gte=since) | Q(source_key__startswith="anon:")
    )
    only = placements[0] if len(placements) == 1 else None
    since_placed = _since(only) if only else None
    rows, known = _rows(found, only, today=today, since=since_placed, whole=names)
    answers: dict[tuple[int, int], list[FeedbackResponse]] = {}
    for response in FeedbackResponse.objects.filter(
        subject_id__in={p.user_id for p in placements},
        organization_id__in={p.organization_id for p in placements},
    ).select_related("request__rater"):
        answers.setdefault((response.subject_id, response.organization_id), []).append(response)
    return {
        p.pk: _view(
            p,
            rows.get((p.user_id, p.organization_id), _Rows()),
            answers.get((p.user_id, p.organization_id), []),
            today=today,
            standing=standing[p.pk],
            known=known,
        )
        for p in placements
    }


@dataclass
class _Rows:
    """One subject's signal rows, oldest first, and what identifies them: how many and
    the newest id (signals are only ever added or deleted, never changed). Raters'
    names are not part of what is kept, so a rename needs no new stamp."""

    stamp: str = "0:"
    rows: list[_Row] = field(default_factory=list)


class _Stamp(Aggregate):
    """How many rows there are and the newest id, as one text: "count:id"."""

    template = "CAST(COUNT(%(expressions)s) AS TEXT) || ':' || CAST(MAX(%(expressions)s) AS TEXT)"
    output_field = TextField()


def _stamp(found: QuerySet[Signal]) -> Subquery:
    """One subject's stamp (computed once by the database, whatever the rows read)."""
    return Subquery(
        found.order_by().values("subject_id").annotate(stamp=_Stamp("id")).values("stamp")
    )


def _rows(
    found: QuerySet[Signal],
    only: Placement | None,
    *,
    today: date,
    since: date | None,
    whole: bool = False,
) -> tuple[dict[tuple[int, int], _Rows], _Computed | None]:
    """The rows of each subject, as plain tuples (thousands stay cheap), oldest first,
    in 1 query.

    For a single placement each row carries the stamp of them all, and rows come in
    the database's own order (sorting waits for every row), so when the delta computed
    from them is kept, reading stops at the first row and the kept delta is returned,
    unless the `whole` of them is wanted (for their raters' names)."""
    if only is None or since is None:
        out: dict[tuple[int, int], _Rows] = {}
        newest: dict[tuple[int, int], int] = {}
        rows = found.order_by("created_at", "id").values_list(
            "subject_id", "organization_id", "id", *_Row._fields
        )
        for values in rows.iterator(chunk_size=500):
            subject = (values[0], values[1])
            out.setdefault(subject, _Rows()).rows.append(_Row(*values[3:]))
            newest[subject] = max(newest.get(subject, 0), values[2])
        for subject, group in out.items():
            group.stamp = f"{len(group.rows)}:{newest[subject]}"
        return out, None
    group = _Rows()
    dated: list[tuple[Any, ...]] = []
    # A generator: closing it ends the query's cursor when reading stops early.
    cursor = cast(
        Generator[tuple[Any, ...]],
        found.order_by()
        .annotate(stamp=_stamp(found))
        .values_list("stamp", "created_at", "id", *_Row._fields)
        .iterator(chunk_size=25),  # few rows are converted when only the first is read
    )
    for values in cursor:
        if not dated:
            group.stamp = values[0]
            known = None if whole else _computed.get(_key(only, group.stamp, today, since))
            if known is not None:
                cursor.close()
                return {(only.user_id, only.organization_id): group}, known
        dated.append(values)
    cursor.close()
    dated.sort(key=lambda values: (values[1], values[2]))
    group.rows = [_Row(*values[3:]) for values in dated]
    return {(only.user_id, only.organization_id): group}, None


def _standing(viewer: User | None, placements: list[Placement]) -> dict[int, Standing]:
    """How the viewer stands to each placement's subject: 1 query per organization."""
    if viewer is None:
        return {p.pk: OUTSIDER for p in placements}
    by_org: dict[int, list[Placement]] = {}
    for p in placements:
        by_org.setdefault(p.organization_id, []).append(p)
    out = {}
    for group in by_org.values():
        found = relationships_among(viewer, {p.user_id for p in group}, group[0].organization)
        out.update({p.pk: found[p.user_id] for p in group})
    return out


def _view(
    placement: Placement,
    rows: _Rows,
    responses: list[FeedbackResponse],
    *,
    today: date,
    standing: Standing,
    known: _Computed | None,
) -> DeltaReport:
    """Everything the delta page shows, from one placement's signals and answers.

    The computed part is kept in the process and reused while nothing it is made of
    changes (see `_key`). Kept in memory, not in Django's cache (a database table
    here): that would cost a query, and unpickling thousands of signals more than
    recomputing them."""
    org = placement.organization
    policy = policy_for(org)
    threshold = anonymity.threshold(org.anonymity_threshold)
    doc = document_of(placement.version)
    since = _since(placement)
    key = _key(placement, rows.stamp, today, since)
    computed = known if known is not None else _computed.get(key)
    if computed is None:
        computed = _compute(
            doc,
            placement,
            rows.rows,
            today=today,
            since=since,
            policy=policy,
            threshold=threshold,
        )
    _keep(key, computed)
    return DeltaReport(
        placement=placement,
        document=doc,
        delta=computed.delta,
        current=doc.level(placement.current_level),
        target=doc.level(placement.target_level),
        threshold=threshold,
        anonymous_answers=anonymity.stepped(sum(1 for r in responses if r.anonymous), threshold),
        said=computed.said,
        raters=computed.raters,
        names=_names(rows.rows) if rows.rows or known is None else None,
        summaries=computed.summaries,
        anonymous=computed.anonymous,
        quotes=_quotes(responses, threshold=threshold, standing=standing),
        trend=computed.trend,
        stale_signals=computed.stale,
        derived=computed.derived,
    )


def _names(rows: list[_Row]) -> dict[int, str]:
    """The raters' names (or addresses) as read with the signals."""
    return {r.rater_id: r.rater__name or r.rater__email or "" for r in rows if r.rater_id}


def _since(placement: Placement) -> date:
    """The placement's day in the current time zone: where its trend may start."""
    return timezone.localtime(placement.created_at).date()


class _Computed(NamedTuple):
    """The part of a delta that depends only on the signals, placement, policy and day.
    Shared between requests: read it, never change it (`derived` only grows, through
    `DeltaReport.kept`)."""

    delta: engine.Delta
    said: dict[str, list[Said]]
    raters: dict[str, Rater]
    summaries: dict[str, SignalSummary]
    anonymous: dict[str, anonymity.Aggregate]
    trend: list[tuple[date, float]]
    stale: int
    derived: dict[str, Any]


_computed: OrderedDict[tuple[object, ...], _Computed] = OrderedDict()
_computed_lock = Lock()


def _key(placement: Placement, stamp: str, today: date, since: date) -> tuple[object, ...]:
    """What a computed delta is made of: the subject's signals (their stamp), the
    placement, the version's content, the organization's policy and anonymity
    threshold, the day and the placement's day, all read from the database with the
    request. Any change to one of them makes a new key, so a kept delta is never stale,
    in any process. Raters' names are not in it: they are read fresh (`explained_of`)."""
    org = placement.organization
    return (
        placement.pk,
        stamp,
        placement.user_id,
        placement.version_id,
        placement.version.content_hash,
        placement.track,
        placement.current_level,
        placement.target_track,
        placement.target_level,
        repr(policy_for(org)),
        org.anonymity_threshold,
        today,
        since,
    )


def _keep(key: tuple[object, ...], computed: _Computed) -> None:
    """Keep a computed delta as the most recently used, dropping the least recent."""
    with _computed_lock:  # web processes serve requests in threads
        _computed[key] = computed
        _computed.move_to_end(key)
        while len(_computed) > COMPUTED_KEPT:
            _computed.popitem(last=False)


def forget_computed() -> None:
    """Drop every kept delta (tests start from none)."""
    _computed.clear()


def _compute(
    doc: FrameworkDocument,
    placement: Placement,
    rows: list[_Row],
    *,
    today: date,
    since: date,
    policy: engine.Policy,
    threshold: int,
) -> _Computed:
    """The engine's delta, who said what, the anonymous aggregates and the trend."""
    given = engine_input(doc, placement, rows, threshold=threshold)
    targets, steps, signals, raters, stale = given
    result = _delta_of(doc, given, today=today, policy=policy)
    said, summaries, hidden_shown = {}, {}, {}
    for item in result.competencies:
        said[item.key] = [
            Said(s.competency, s.step, s.source.value, s.rater, s.on, s.sometimes)
            for s in item.counted
            if not _anonymous(s.rater)
        ]
        summaries[item.key] = summarize(said[item.key], steps[item.key])
        hidden = [s for s in item.counted if _anonymous(s.rater)]
        shown = anonymity.aggregate(
            [s.step for s in hidden],
            steps[item.key],
            sometimes=sum(1 for s in hidden if s.sometimes),
        )
        if shown is not None:
            hidden_shown[item.key] = shown
    trend = _trend(targets, signals, today=today, policy=policy, since=since)
    return _Computed(result, said, raters, summaries, hidden_shown, trend, stale, {})


class EngineInput(NamedTuple):
    """What the engine needs for one placement, from its signal rows: the targets,
    each competency's steps on the target track, the engine's signals (anonymous
    ones only once released), who their raters are and how many rows are stale."""

    targets: list[engine.Target]
    steps: dict[str, list[str]]
    signals: list[engine.Signal]
    raters: dict[str, Rater]
    stale: int


def engine_input(
    doc: FrameworkDocument,
    placement: Placement,
    rows: Sequence[SignalRow],
    *,
    threshold: int,
    targets: list[engine.Target] | None = None,
) -> EngineInput:
    """The engine's input for a placement from its subject's signal rows of the
    placement's framework, in the order they were recorded (created_at, id).
    `targets`: the placement's, when the caller keeps them for many people."""
    if targets is None:
        targets = targets_of(doc, placement)
    steps = {t.key: list(t.steps) for t in targets}
    released = _released_voices(rows, threshold)
    signals, raters, stale = _signals(doc, steps, rows, released, placement.user_id)
    return EngineInput(targets, steps, signals, raters, stale)


def targets_of(doc: FrameworkDocument, placement: Placement) -> list[engine.Target]:
    """What the engine needs of the framework for a placement: the same for everyone
    placed at the same levels and target track of a version."""
    return engine.targets_from_framework(
        doc,
        current=placement.current_level,
        target=placement.target_level,
        target_track=placement.target_track,
    )


def engine_delta(
    doc: FrameworkDocument,
    placement: Placement,
    rows: Sequence[SignalRow],
    *,
    today: date,
    policy: engine.Policy,
    threshold: int,
    targets: list[engine.Target] | None = None,
) -> engine.Delta:
    """The engine's delta of a placement, as `delta_for` computes it, without the
    trend or who said what: for many people at once (`rows` as in `engine_input`).
    `targets` (`targets_of`) may be given when the caller keeps them for many people."""
    given = engine_input(doc, placement, rows, threshold=threshold, targets=targets)
    return _delta_of(doc, given, today=today, policy=policy)


def _delta_of(
    doc: FrameworkDocument,
    given: EngineInput,
    *,
    today: date,
    policy: engine.Policy,
) -> engine.Delta:
    return engine.compute_delta(
        given.targets,
        given.signals,
        today=today,
        policy=policy,
        points=engine.points_rule_from_framework(doc),
    )


def _anonymous(source_key: str) -> bool:
    return source_key.startswith("anon:")


def _confirmation(row: _Row) -> bool:
    """An evidence row keyed by a person is their confirmation of an entry; one keyed
    by the entry is the member's claim (docs/delta-policy.md, "Evidence")."""
    return row.source == engine.Source.EVIDENCE and not row.source_key.startswith("evidence:")


def _released_voices(rows: Sequence[_Row], threshold: int) -> dict[tuple[str, str], date]:
    """The anonymous ratings that may count, each with its batch's day: per
    competency, whole batches of `threshold` raters, earliest first."""
    voices: dict[str, list[tuple[str, date]]] = {}
    for row in rows:  # in the order they were recorded
        if _anonymous(row.source_key):
            voices.setdefault(row.competency, []).append((row.source_key, row.observed_on))
    return {
        (competency, key): day
        for competency, given in voices.items()
        for key, day in anonymity.release(given, threshold).items()
    }


def _signals(
    doc: FrameworkDocument,
    steps: dict[str, list[str]],
    rows: Sequence[_Row],
    released: dict[tuple[str, str], date],
    subject_id: int,
) -> tuple[list[engine.Signal], dict[str, Rater], int]:
    """The engine's signals, who their raters are and how many are stale (their step
    is gone).

    Anonymous ratings come dated by their batch; a competency whose released
    anonymous ratings can't all be placed on this version's scale shows none of
    them, so no batch ever shows in part."""
    signals, stale, broken = [], 0, set()
    raters: dict[str, Rater] = {}
    for row in rows:
        hidden = _anonymous(row.source_key)
        if hidden and (row.competency, row.source_key) not in released:
            continue
        step = _map_step(doc, steps, row.competency, row.step)
        if step is None:
            stale += 1
            if hidden:
                broken.add(row.competency)
            continue
        sometimes = (
            _map_step(doc, steps, row.competency, row.sometimes_step)
            if row.sometimes_step
            else None
        )
        on = released[(row.competency, row.source_key)] if hidden else row.observed_on
        signal = engine.Signal(
            row.competency,
            step,
            engine.Source(row.source),
            row.source_key,
            on,
            sometimes,
            confirmed=_confirmation(row),
        )
        signals.append(signal)
        if not hidden:
            raters[row.source_key] = _rater(row, subject_id)
    dropped = [s for s in signals if _anonymous(s.rater) and s.competency in broken]
    kept = [s for s in signals if not (_anonymous(s.rater) and s.competency in broken)]
    return kept, raters, stale + len(dropped)


def _map_step(
    doc: FrameworkDocument, steps: dict[str, list[str]], competency: str, step: str
) -> str | None:
    """The signal's step on the target track's scale; levels of other tracks map by rank."""
    known = steps.get(competency)
    if known is None:
        return None  # the competency is gone from this version
    if step in known:
        return step
    try:
        rank = doc.level(step).rank
    except KeyError:
        return None
    if rank is None:
        return None
    below = [s for s in known if _rank(doc, s) is not None and _rank(doc, s) <= rank]  # type: ignore[operator]
    return below[-1] if below else None


def _rank(doc: FrameworkDocument, key: str) -> int | None:
    try:
        return doc.level(key).rank
    except KeyError:
        return None


class _Row(NamedTuple):
    competency: str
    step: str
    sometimes_step: str
    source: str
    source_key: str
    observed_on: date
    rater_id: int | None
    rater__name: str | None
    rater__email: str | None


# One signal row as the delta reads it (`engine_input`); the raters' names may be None.
SignalRow = _Row


def _rater(row: _Row, subject_id: int) -> Rater:
    return Rater(
        you=row.rater_id == subject_id,
        user_id=row.rater_id,
        fallback=_fallback(row.source_key),
    )


def _fallback(key: str) -> str:
    """Who a key stands for without an account: an address, an imported rater's name,
    or a deleted account."""
    if key.startswith("erased:"):
        return "A former member"
    return key.removeprefix("email:").removeprefix("name:")


def _quotes(
    responses: list[FeedbackResponse], *, threshold: int, standing: Standing
) -> list[dict[str, str]]:
    """Open answers the viewer may see: attributed ones with their author, at the tier
    their request chose; anonymous ones released in whole batches and sorted by their
    text, with no name, relationship or date. Anonymous answers keep no request, so
    nobody chose to share them: they stay private to the member."""
    out = []
    for r in responses:
        if r.anonymous:
            continue
        tier = r.request.answer_visibility if r.request else Tier.PRIVATE
        if not may_see_any(standing, tier):
            continue
        who = (
            r.request.rater.display_name
            if r.request and r.request.rater
            else (r.request.rater_email if r.request else "")
        )
        out.append(
            {
                "who": who,
                "relationship": r.relationship,
                "consistent_at": r.consistent_at,
                "biggest_gap": r.biggest_gap,
                "visibility": str(tier),
            }
        )
    if not may_see_any(standing, Tier.PRIVATE):
        return out
    given = sorted((r for r in responses if r.anonymous), key=lambda r: r.pk)
    for r in anonymity.release_answers(
        given, threshold, content=lambda r: (r.consistent_at, r.biggest_gap)
    ):
        out.append(
            {
                "who": "anonymous",
                "relationship": "",
                "consistent_at": r.consistent_at,
                "biggest_gap": r.biggest_gap,
                "visibility": Tier.PRIVATE.value,
            }
        )
    return out


def _trend(
    targets: list[engine.Target],
    signals: list[engine.Signal],
    *,
    today: date,
    policy: engine.Policy,
    since: date,
) -> list[tuple[date, float]]:
    """Readiness at the end of each of the last months, from the same signals.

    The line starts when the member does: at `since` (the placement's day) or their
    first attributed rating, if that is earlier, never in months before either.
    Past points leave anonymous ratings out: dated points would show when a
    released batch's answers came in. Only today's point includes them.
    """
    named = [s for s in signals if not s.rater.startswith("anon:")]
    start = min([since, *(s.on for s in named)])
    days = [today - timedelta(days=30 * back) for back in range(TREND_MONTHS - 1, -1, -1)]
    if days[0] < start:
        days = [start, *(day for day in days if day > start)] if start < today else [today]
    points = []
    for day in days:
        used = signals if day == today else named
        points.append(
            (day, engine.compute_delta(targets, used, today=day, policy=policy).readiness)
        )
    return points


def requests_sent(user: User) -> QuerySet[FeedbackRequest]:
    """Attributed requests the user made in organizations they still belong to, newest
    first. Anonymous ones are never listed: see `anonymous_requests`."""
    return FeedbackRequest.objects.filter(
        requester=user, organization__memberships__user=user, anonymous=False
    ).select_related("rater", "placement__version__framework")


def anonymous_requests(user: User, organization: Organization) -> anonymity.RequestCounts:
    """The user's anonymous requests in an organization, only as the counts they may
    see (asked, declined, answered in steps): 1 query."""
    counts = FeedbackRequest.objects.filter(
        requester=user, organization=organization, anonymous=True
    ).aggregate(
        asked=Count("id"),
        declined=Count("id", filter=Q(status=RequestStatus.DECLINED)),
        answered=Count("id", filter=Q(status=RequestStatus.ANSWERED)),
    )
    threshold = anonymity.threshold(organization.anonymity_threshold)
    return anonymity.request_counts(**counts, threshold=threshold)


def requests_received(user: User) -> QuerySet[FeedbackRequest]:
    """Open requests addressed to the user in organizations they still belong to."""
    return FeedbackRequest.objects.filter(
        rater=user,
        organization__memberships__user=user,
        status=RequestStatus.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("requester", "placement__version__framework")


def step_code(doc: FrameworkDocument, competency: str, step: str) -> str:
    """A step's short name: the level code (IC3), or the name on the competency's own scale."""
    if not step:
        return ""
    found = doc.competency(competency)
    if found.scale:
        return next((s.name for s in found.scale if s.key == step), step)
    try:
        level = doc.level(step)
    except KeyError:
        return step
    return level.code or level.title

"""An organization's standings as arrays, one block per framework version.

Loaded in 3 set-based queries (the versions in use, the standings of people who are
still members, the team memberships) and kept in the process, keyed by a stamp read
in 1 query: how many standings, team memberships and memberships the organization
has and when the newest of each was written. Any write to one of them gives a new
stamp, so a kept cube is never stale, in any process.

Every figure of the heatmap and the pipeline is then a few numpy operations on a
block: no query and no Python loop per person.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

import numpy as np
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery, TextField
from django.db.models.base import Model
from django.db.models.functions import Cast

from upward.accounts.models import Membership, Organization, TeamMembership
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.selectors import document_of
from upward.insights.models import Standing

__all__ = [
    "Block",
    "Cube",
    "cube_of",
    "expected_indexes",
    "forget_cubes",
    "mapped_index",
    "read_stamp",
]

KEPT = 4  # cubes kept per process (one per organization), the least recently used dropped
NOT_EXPECTED = -1

Stamp = tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class Block:
    """The standings of one framework version: one entry (or row) per person.

    People are in ascending user id. Keys (tracks, levels) are coded as indexes into
    the block's own sorted vocabularies. `assessed`, `meets` and `gap` are P x C, C the
    competencies of the version's document in its order."""

    version: FrameworkVersion
    document: FrameworkDocument
    users: np.ndarray  # int64 user ids
    names: list[str]  # each person's display name
    name_rank: np.ndarray  # each person's position in name order
    tracks: list[str]  # vocabulary of placement tracks
    track: np.ndarray  # index into `tracks`
    levels: list[str]  # vocabulary of current levels
    level: np.ndarray  # index into `levels`
    targets: list[str]  # vocabulary of target levels
    target: np.ndarray  # index into `targets`
    target_tracks: list[str]  # vocabulary of target tracks (whose scale the steps are on)
    target_track: np.ndarray  # index into `target_tracks`
    assessed: np.ndarray  # bool: someone's rating puts them somewhere on the scale
    meets: np.ndarray  # bool: demonstrated what their current level expects (or nothing is)
    gap: np.ndarray  # int8: steps below what their target level expects
    readiness: np.ndarray  # float64
    roadmap: np.ndarray  # bool
    mentor: np.ndarray  # bool
    quarters: list[str]  # every quarter any history records, oldest first
    history: np.ndarray  # float64 P x len(quarters), carried forward; nan before the first
    pair_person: np.ndarray  # one entry per team membership: the person's index
    pair_team: np.ndarray  # and the team's id
    # What selectors derive from the block and keep with it (calibration's ratings): gone
    # with the block when the standings change, which every change of a signal causes.
    kept: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.users.size)

    def code(self, vocabulary: list[str], key: str) -> int:
        """A key's index in one of the block's vocabularies, -1 when nobody has it."""
        try:
            return vocabulary.index(key)
        except ValueError:
            return -1

    def on_teams(self, team_ids: Iterable[int]) -> np.ndarray:
        """Bool per person: on at least one of these teams."""
        wanted = np.fromiter(team_ids, dtype=np.int64)
        found = np.zeros(self.size, dtype=bool)
        found[self.pair_person[np.isin(self.pair_team, wanted)]] = True
        return found

    def on_no_team(self) -> np.ndarray:
        """Bool per person: on no team of the organization."""
        found = np.ones(self.size, dtype=bool)
        found[self.pair_person] = False
        return found

    def history_at(self, wanted: list[str]) -> np.ndarray:
        """Readiness at each wanted quarter: the latest recorded at or before it (nan: none)."""
        out = np.full((self.size, len(wanted)), np.nan)
        for column, quarter in enumerate(wanted):
            known = bisect_right(self.quarters, quarter) - 1
            if known >= 0:
                out[:, column] = self.history[:, known]
        return out


@dataclass(frozen=True, eq=False)
class Cube:
    """Every block of an organization, by version id, and the stamp they were read at."""

    organization_id: int
    stamp: Stamp
    blocks: dict[int, Block] = field(default_factory=dict)


_cubes: OrderedDict[int, Cube] = OrderedDict()
_cubes_lock = Lock()  # web processes serve requests in threads
_loading_lock = Lock()  # one load at a time: a cold cube of 100,000 people is big


def cube_of(organization: Organization) -> Cube:
    """The organization's cube: 1 query when the kept one is current, 4 when it is read."""
    stamp = read_stamp(organization.pk)
    found = _kept(organization.pk, stamp)
    if found is not None:
        return found
    with _loading_lock:
        found = _kept(organization.pk, stamp)  # another thread may have read it meanwhile
        if found is None:
            found = _load(organization.pk, stamp)
            _keep(found)
    return found


def forget_cubes() -> None:
    """Drop every kept cube (tests start from none)."""
    with _cubes_lock:
        _cubes.clear()


def _kept(organization_id: int, stamp: Stamp) -> Cube | None:
    with _cubes_lock:
        found = _cubes.get(organization_id)
        if found is None or found.stamp != stamp:
            return None
        _cubes.move_to_end(organization_id)
        return found


def _keep(cube: Cube) -> None:
    with _cubes_lock:
        _cubes[cube.organization_id] = cube
        _cubes.move_to_end(cube.organization_id)
        while len(_cubes) > KEPT:
            _cubes.popitem(last=False)


def read_stamp(organization_id: int) -> Stamp:
    """What the cube is made of, in 1 query: for standings, team memberships and
    memberships of the organization, how many there are and the newest one's time."""
    parts: dict[str, Subquery] = {}
    for name, model, newest in (
        ("standings", Standing, "updated_at"),
        ("teams", TeamMembership, "added_at"),
        ("members", Membership, "joined_at"),
    ):
        parts[f"{name}_n"] = _per_organization(model, _COUNT)
        parts[f"{name}_at"] = _per_organization(model, Func(F(newest), function="MAX"))
    row = (
        Organization.objects.filter(pk=organization_id)
        .annotate(**parts)
        .values_list(*parts)
        .first()
    )
    return tuple(row) if row is not None else ()


# COUNT(*) and MAX(...) as plain functions: Django adds no GROUP BY for them, so each
# subquery is an index-only scan of (organization, time) and MAX reads one entry.
_COUNT = Func(template="COUNT(*)", output_field=IntegerField())


def _per_organization(model: type[Model], aggregate: Func[Any]) -> Subquery:
    rows = model._default_manager.filter(organization_id=OuterRef("pk")).order_by()
    return Subquery(rows.annotate(v=aggregate).values("v")[:1])


# Loading ----------------------------------------------------------------------------------

_COLUMNS = (
    "version_id",
    "user_id",
    "user__name",
    "user__email",
    "track",
    "current_level",
    "target_track",
    "target_level",
    "operating",
    "demonstrated",
    "readiness",
    "history_text",
    "has_roadmap",
    "has_mentor",
)


def _load(organization_id: int, stamp: Stamp) -> Cube:
    """Read the organization's standings and team memberships: 3 queries."""
    members = Membership.objects.filter(
        organization_id=organization_id, user_id=OuterRef("user_id")
    )
    standings = Standing.objects.filter(organization_id=organization_id).filter(Exists(members))
    versions = {
        v.pk: v
        for v in FrameworkVersion.objects.filter(
            pk__in=standings.order_by().values("version_id")
        ).select_related("framework")
    }
    rows: dict[int, list[tuple[Any, ...]]] = {}
    # History as its JSON text, parsed in one go below (a call per row costs seconds).
    read = standings.annotate(history_text=Cast("history", TextField()))
    for row in read.order_by("version_id", "user_id").values_list(*_COLUMNS).iterator(5000):
        rows.setdefault(row[0], []).append(row)
    memberships = TeamMembership.objects.filter(
        organization_id=organization_id, team__organization_id=organization_id
    ).values_list("user_id", "team_id")
    pairs = np.array(list(memberships), dtype=np.int64).reshape(-1, 2)
    blocks = {
        version_id: _block(versions[version_id], found, pairs)
        for version_id, found in rows.items()
        if version_id in versions
    }
    return Cube(organization_id, stamp, blocks)


def _block(version: FrameworkVersion, rows: list[tuple[Any, ...]], pairs: np.ndarray) -> Block:
    """One version's arrays from its standings' rows (see `_COLUMNS`)."""
    doc = document_of(version)
    columns = list(zip(*rows, strict=True))
    users = np.array(columns[1], dtype=np.int64)
    names = [name or email for name, email in zip(columns[2], columns[3], strict=True)]
    width = len(doc.competencies)
    operating = _steps(columns[8], width)
    demonstrated = _steps(columns[9], width)
    groups, group = _codes(list(zip(columns[5], columns[6], columns[7], strict=True)))
    expected_now, expected_next = _expected(doc, groups)
    assessed = operating >= 0
    wanted = expected_next[group]
    gap = np.where(assessed & (wanted >= 0), np.maximum(wanted - operating, 0), 0).astype(np.int8)
    now = expected_now[group]
    meets = (now < 0) | (demonstrated >= now)
    tracks, track = _codes(list(columns[4]))
    levels, level = _codes(list(columns[5]))
    targets, target = _codes(list(columns[7]))
    target_tracks, target_track = _codes(list(columns[6]))
    quarters, history = _history(columns[11])
    index = np.searchsorted(users, pairs[:, 0]) if users.size else np.zeros(0, dtype=np.int64)
    ours = (index < users.size) & (users[np.minimum(index, users.size - 1)] == pairs[:, 0])
    return Block(
        version=version,
        document=doc,
        users=users,
        names=names,
        name_rank=_name_rank(names),
        tracks=tracks,
        track=track,
        levels=levels,
        level=level,
        targets=targets,
        target=target,
        target_tracks=target_tracks,
        target_track=target_track,
        assessed=assessed,
        meets=meets,
        gap=gap,
        readiness=np.array(columns[10], dtype=np.float64),
        roadmap=np.array(columns[12], dtype=bool),
        mentor=np.array(columns[13], dtype=bool),
        quarters=quarters,
        history=history,
        pair_person=index[ours].astype(np.int64),
        pair_team=pairs[ours, 1],
    )


def _steps(values: tuple[Any, ...], width: int) -> np.ndarray:
    """The stored step bytes as int8 P x width; a row of another width is cut or padded
    with -1 (a standing written before its version changed)."""
    data = [bytes(v) for v in values]
    if all(len(v) == width for v in data):
        return np.frombuffer(b"".join(data), dtype=np.int8).reshape(len(data), width).copy()
    out = np.full((len(data), width), NOT_EXPECTED, dtype=np.int8)
    for i, value in enumerate(data):
        cut = np.frombuffer(value[:width], dtype=np.int8)
        out[i, : cut.size] = cut
    return out


def _codes[K](values: list[K]) -> tuple[list[K], np.ndarray]:
    """The distinct values (sorted) and each value's index among them."""
    vocabulary = sorted(set(values))  # type: ignore[type-var]
    index = {value: i for i, value in enumerate(vocabulary)}
    return vocabulary, np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))


def _name_rank(names: list[str]) -> np.ndarray:
    order = sorted(range(len(names)), key=lambda i: (names[i].casefold(), i))
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return rank


def _history(texts: tuple[str | None, ...]) -> tuple[list[str], np.ndarray]:
    """Readiness by quarter as P x Q, each quarter carrying the latest value forward,
    from each standing's history as JSON text."""
    values: list[dict[str, float]] = json.loads("[" + ",".join(t or "{}" for t in texts) + "]")
    quarters = sorted({quarter for found in values for quarter in found})
    history = np.full((len(values), len(quarters)), np.nan)
    for i, quarter in enumerate(quarters):  # a few quarters, a pass over the people each
        history[:, i] = np.array([found.get(quarter) for found in values], dtype=np.float64)
    if quarters:
        recorded = ~np.isnan(history)
        latest = np.maximum.accumulate(np.where(recorded, np.arange(len(quarters)), 0), axis=1)
        history = np.take_along_axis(history, latest, axis=1)
    return quarters, history


def _expected(
    doc: FrameworkDocument, groups: list[tuple[str, str, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Per (current level, target track, target level) group and competency: the index
    of the step the current level expects and of the one the target level expects, on
    the target track's scale (-1: not expected)."""
    now = np.full((len(groups), len(doc.competencies)), NOT_EXPECTED, dtype=np.int8)
    then = now.copy()
    for g, (current, target_track, target_level) in enumerate(groups):
        now[g], then[g] = expected_indexes(doc, current, target_track, target_level)
    return now, then


def expected_indexes(
    doc: FrameworkDocument, current: str, target_track: str, target_level: str
) -> tuple[list[int], list[int]]:
    """What the current and the target level expect of each competency, as step indexes
    on the target track's scale; a level of another track maps by rank; -1: not expected."""
    now, then = [], []
    for competency in doc.competencies:
        try:
            keys = [s.key for s in doc.steps(competency.key, target_track)]
        except KeyError:  # the track is gone from this version
            keys = []
        now.append(mapped_index(doc, keys, doc.required_step(competency.key, current)))
        then.append(mapped_index(doc, keys, doc.required_step(competency.key, target_level)))
    return now, then


def mapped_index(doc: FrameworkDocument, keys: list[str], step: str | None) -> int:
    """A step's index among `keys`; a level not among them maps to the highest one of
    no greater rank."""
    if step is None:
        return NOT_EXPECTED
    if step in keys:
        return keys.index(step)
    rank = _rank(doc, step)
    if rank is None:
        return NOT_EXPECTED
    below = [i for i, key in enumerate(keys) if (r := _rank(doc, key)) is not None and r <= rank]
    return below[-1] if below else NOT_EXPECTED


def _rank(doc: FrameworkDocument, key: str) -> int | None:
    try:
        return doc.level(key).rank
    except KeyError:
        return None

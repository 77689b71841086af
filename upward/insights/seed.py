"""`upward seed`: a synthetic organization at scale, for trying and measuring insights.

One new organization with a generated framework (published), people with unusable
passwords, teams of six to ten under a manager (managers in teams of their own up to
one director), placements across levels (more at the lower ones), ratings from
themselves, their manager, teammates and mentors over the last year, a few evidence
entries, mentorship rooms and roadmap objectives; then every standing. For the
quarterly trend, each batch first stores its people's readiness at the end of the
three quarters before this one, computed by the engine from the signals they had by
then (what a rebuild on those days records); the rebuild keeps those quarters.

Deterministic for a seed: the same flags give the same people, levels and ratings.
Everything is written with bulk inserts, a batch of people per transaction. The sizes
are checked, and the disk space the data needs, before anything is written.
"""

from __future__ import annotations

import math
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership, User
from upward.assessments.models import Placement, Signal, Source
from upward.assessments.selectors import policy_for
from upward.engine import delta as engine
from upward.engine.insights import quarters_until
from upward.evidence.models import Entry, EntrySignal
from upward.frameworks import services as frameworks
from upward.frameworks.models import FrameworkVersion
from upward.insights import seed_framework as fw
from upward.insights import seed_names as words
from upward.insights.models import Standing
from upward.mentorship.models import MentorProfile, Room
from upward.roadmaps.models import Kind, Objective, Status
from upward.roadmaps.services.checks import quarter_end

# flag -> (lowest, highest) accepted.
LIMITS = {
    "--people": (1, 1_000_000),
    "--competencies": (1, 200),
    "--signals-per-person": (0, 500),
}
# Generous bytes on disk (rows, indexes, write-ahead log) per person, per competency of
# each person's standing, and per signal.
BYTES_PER_PERSON = 8_000
BYTES_PER_STANDING_COMPETENCY = 8
BYTES_PER_SIGNAL = 700
FRAMEWORK_BYTES = 5_000_000
BATCH = 2_000  # people per transaction
INSERT_BATCH = 5_000  # rows per INSERT
# Level shares of individual contributors, IC1 first: more at the lower levels.
IC_SHARES = (0.22, 0.30, 0.24, 0.14, 0.07, 0.03)
TEAM_MIN, TEAM_MAX = 6, 10
MENTORED, WITH_EVIDENCE, WITH_OBJECTIVE = 0.04, 0.03, 0.30
LENIENT_OR_STRICT = 0.04  # share of raters far off on each side
UNUSABLE_PASSWORD = "!synthetic"  # noqa: S105 (no password: Django refuses any with "!")

Progress = Callable[[str, int, int], None]


class SeedRefused(Exception):
    """A request refused before anything is written; the message names the flag."""


@dataclass(frozen=True)
class Seeded:
    """What a seed wrote."""

    organization: Organization
    people: int
    teams: int
    signals: int
    evidence: int
    rooms: int
    objectives: int
    standings: int


def check_sizes(*, people: int, competencies: int, signals_per_person: int) -> None:
    """Raise SeedRefused naming the first flag outside its range."""
    given = {
        "--people": people,
        "--competencies": competencies,
        "--signals-per-person": signals_per_person,
    }
    for flag, value in given.items():
        low, high = LIMITS[flag]
        if not low <= value <= high:
            raise SeedRefused(f"{flag} must be between {low:,} and {high:,}; got {value:,}.")


def estimate_bytes(*, people: int, competencies: int, signals_per_person: int) -> int:
    """A generous estimate of the disk space a seed of this size takes."""
    evidence = math.ceil(people * WITH_EVIDENCE) * 2
    signals = people * signals_per_person + evidence
    per_person = BYTES_PER_PERSON + BYTES_PER_STANDING_COMPETENCY * competencies
    return FRAMEWORK_BYTES + people * per_person + signals * BYTES_PER_SIGNAL


def free_space() -> tuple[int | None, str]:
    """Free bytes where the database keeps its files, and that place; None (with the
    reason) when it can't be known from here."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        folder = Path(db["NAME"]).resolve().parent
        return shutil.disk_usage(folder).free, str(folder)
    host = db.get("HOST") or ""
    if host not in ("", "localhost", "127.0.0.1", "::1") and not host.startswith("/"):
        return None, f"the database server {host} is not on this machine"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            folder = cursor.fetchone()[0]
    except Exception:  # any refusal means: not ours to know
        return None, "the database does not say where its files are (needs pg_read_all_settings)"
    if not Path(folder).exists():
        return None, f"the database's folder {folder} is not readable from here"
    return shutil.disk_usage(folder).free, folder


def check_disk(*, people: int, competencies: int, signals_per_person: int) -> str:
    """Raise SeedRefused when the estimate exceeds the free space; otherwise a note."""
    need = estimate_bytes(
        people=people, competencies=competencies, signals_per_person=signals_per_person
    )
    free, where = free_space()
    if free is None:
        return f"disk space not checked: {where}"
    if need > free:
        raise SeedRefused(
            f"--people {people:,} (with --signals-per-person {signals_per_person:,}) needs about"
            f" {_size(need)} ({need:,} bytes) but only {_size(free)} ({free:,} bytes) are free"
            f" in {where}. Use a smaller --people or --signals-per-person."
        )
    return f"about {_size(need)} needed, {_size(free)} free in {where}"


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def seed(
    *,
    people: int,
    competencies: int = 50,
    signals_per_person: int = 12,
    seed: int = 7,
    progress: Progress | None = None,
    today: date | None = None,
) -> Seeded:
    """Write one synthetic organization (checks first: SeedRefused before any write)."""
    check_sizes(people=people, competencies=competencies, signals_per_person=signals_per_person)
    check_disk(people=people, competencies=competencies, signals_per_person=signals_per_person)
    today = today or timezone.localdate()
    report = progress or (lambda _stage, _done, _total: None)
    world = _World(people, competencies, signals_per_person, seed, today)
    return world.write(report)


class _World:
    """The generated people and how they stand, as arrays indexed by person."""

    def __init__(self, n: int, competencies: int, k: int, seed: int, today: date) -> None:
        self.n, self.k, self.seed, self.today = n, k, seed, today
        self.rng = np.random.default_rng(seed)
        self._people()
        self.plan = fw.build(
            self.rng,
            competencies=competencies,
            key="synthetic-ladder",
            name=f"Synthetic ladder (seed {seed})",
        )
        m = competencies
        # Per competency: how far raters scatter (some are read very differently), and
        # a few gaps across the whole organization.
        self.noise = self.rng.uniform(0.25, 0.6, m)
        self.noise[self.rng.random(m) < 0.12] = 1.1
        self.common_gap = np.where(self.rng.random(m) < 0.1, -0.45, 0.0)
        self.team_gap_area = self.rng.integers(0, 8, self.teams)
        self.team_gap_area[self.rng.random(self.teams) < 0.7] = -1
        self.areas = [int(i) % min(len(words.AREAS), -(-m // 8)) for i in range(m)]

    # --- who is who --------------------------------------------------------------------

    def _people(self) -> None:
        n, rng = self.n, self.rng
        tiers = [max(1, round(n / 9.2))]
        while tiers[-1] > 1:
            tiers.append(-(-tiers[-1] // 8))
        if sum(tiers) > n:
            tiers = [1]
        managers = sum(tiers)
        ics = n - managers
        # Managers first, the top one at index 0; every manager leads one team.
        self.teams = managers
        self.team_of = np.full(n, -1, dtype=np.int64)
        self.tier = np.zeros(n, dtype=np.int64)
        start = 0
        tier_rows = []
        for t, count in enumerate(reversed(tiers)):
            tier_rows.append(np.arange(start, start + count))
            self.tier[start : start + count] = len(tiers) - t
            start += count
        # Each tier's managers are shared out among the managers of the tier above.
        for above, below in pairwise(tier_rows):
            self.team_of[below] = above[np.arange(len(below)) * len(above) // len(below)]
        bottom = tier_rows[-1]
        sizes = _team_sizes(ics, len(bottom), rng)
        self.team_of[managers:] = np.repeat(bottom, sizes)
        self.track = np.zeros(n, dtype=np.int64)
        self.track[:managers] = 1
        self.index = np.zeros(n, dtype=np.int64)
        self.index[managers:] = rng.choice(6, size=ics, p=IC_SHARES)
        by_tier = {1: ([0, 1], [0.65, 0.35]), 2: ([1, 2], [0.5, 0.5])}
        for i in range(managers):
            choices, p = by_tier.get(int(self.tier[i]), ([2, 3], [0.4, 0.6]))
            self.index[i] = 3 if i == 0 else rng.choice(choices, p=p)
        self.rank = self.index + np.where(self.track == 1, 3, 1)
        self.manager = np.where(self.team_of >= 0, self.team_of, -1)
        self.ability = self.rank + rng.beta(2.0, 1.6, n)
        self.growth = rng.uniform(0.15, 0.6, n)
        self.bias = rng.normal(0.0, 0.2, n)
        far = rng.random(n)
        self.bias[far < LENIENT_OR_STRICT] = 0.8
        self.bias[far > 1 - LENIENT_OR_STRICT] = -0.8
        # The top person and up to two managers below run the organization.
        self.admins = {0, *range(1, min(3, managers))}
        # Members of each team, for peers.
        order = np.argsort(self.team_of, kind="stable")
        counts = np.bincount(self.team_of[self.team_of >= 0], minlength=managers)
        first = np.concatenate([[0], np.cumsum(counts)])
        skip = int((self.team_of < 0).sum())
        self.members = [order[skip + first[t] : skip + first[t + 1]] for t in range(managers)]
        self.mentor = np.full(n, -1, dtype=np.int64)
        by_rank = np.argsort(self.rank, kind="stable")
        ranks_sorted = self.rank[by_rank]
        for mentee in np.flatnonzero(rng.random(n) < MENTORED):
            higher = int(np.searchsorted(ranks_sorted, self.rank[mentee] + 1))
            if higher >= n:
                continue
            pick = int(by_rank[rng.integers(higher, n)])
            if pick != mentee and self.team_of[pick] != self.team_of[mentee]:
                self.mentor[mentee] = pick
        self.evidence = rng.random(n) < WITH_EVIDENCE
        self.objective = rng.random(n) < WITH_OBJECTIVE
        if n >= 10:
            # Even a small organization shows some of each.
            self.evidence[n - 1] = self.objective[n - 1] = True
            if not (self.mentor >= 0).any():
                self._first_mentor(n - 1)

    def _first_mentor(self, i: int) -> None:
        for pick in np.flatnonzero(self.rank > self.rank[i]):
            if self.team_of[pick] != self.team_of[i]:
                self.mentor[i] = int(pick)
                return

    def level_key(self, track: int, index: int) -> str:
        table = words.MANAGER_LEVELS if track else words.IC_LEVELS
        return table[index][0]

    def target(self, i: int) -> tuple[int, int]:
        """The target (track, index): the next level, or across at the top."""
        track, index = int(self.track[i]), int(self.index[i])
        top = 3 if track else 5
        if index < top:
            return track, index + 1
        return (0, 5) if track else (1, 3)

    # --- writing ---------------------------------------------------------------------------

    def write(self, report: Progress) -> Seeded:
        n = self.n
        org = self._organization()
        self.user_ids = np.zeros(n, dtype=np.int64)
        for start in range(0, n, BATCH):
            with transaction.atomic():
                self._users(org, start, min(n, start + BATCH))
            report("people", min(n, start + BATCH), n)
        with transaction.atomic():
            version = self._framework(org)
            teams = self._teams(org)
        self.placements = np.zeros(n, dtype=np.int64)
        for start in range(0, n, BATCH):
            with transaction.atomic():
                self._placements(org, version.pk, start, min(n, start + BATCH))
            report("placements", min(n, start + BATCH), n)
        with transaction.atomic():
            rooms = self._rooms(org)
        self.person_of = {int(uid): i for i, uid in enumerate(self.user_ids)}
        self.policy = policy_for(org)
        self.targets: dict[tuple[str, int, int], list[engine.Target]] = {}
        self.past = [(q, quarter_end(q)) for q in quarters_until(self.today, 4)[:-1]]
        signals = evidence = objectives = 0
        for start in range(0, n, BATCH):
            with transaction.atomic():
                s, e, o = self._activity(org, version.pk, start, min(n, start + BATCH))
            signals, evidence, objectives = signals + s, evidence + e, objectives + o
            report("signals", min(n, start + BATCH), n)
        # Placed a while ago: their trends may start before the year of signals.
        Placement.objects.filter(organization=org).update(
            created_at=timezone.now() - timedelta(days=400)
        )
        _analyze(WRITTEN)
        standings = self._standings(org, report)
        _analyze([Standing])
        return Seeded(org, n, len(teams), signals, evidence, rooms, objectives, standings)

    def _organization(self) -> Organization:
        base_name = f"Synthetic {self.n} (seed {self.seed})"
        base_slug = f"synthetic-{self.n}-seed-{self.seed}"
        taken = set(
            Organization.objects.filter(slug__startswith=base_slug).values_list("slug", flat=True)
        )
        number = 1
        while (base_slug if number == 1 else f"{base_slug}-{number}") in taken:
            number += 1
        suffix = "" if number == 1 else f"-{number}"
        name = base_name if number == 1 else f"{base_name} #{number}"
        self.domain = f"{base_slug}{suffix}.example"
        return Organization.objects.create(name=name, slug=f"{base_slug}{suffix}")

    def _users(self, org: Organization, start: int, end: int) -> None:
        rnd = random.Random(f"{self.seed}:names:{start}")  # noqa: S311 (made-up data)
        users = []
        for i in range(start, end):
            first = rnd.choice(words.FIRST_HEADS) + rnd.choice(words.FIRST_TAILS)
            last = (
                rnd.choice(words.LAST_HEADS)
                + rnd.choice(words.LAST_MIDS)
                + rnd.choice(words.LAST_TAILS)
            )
            users.append(
                User(
                    email=f"{first}.{last}.{i + 1}@{self.domain}".lower(),
                    name=f"{first} {last}",
                    password=UNUSABLE_PASSWORD,
                )
            )
        User.objects.bulk_create(users, batch_size=INSERT_BATCH)
        self.user_ids[start:end] = [u.pk for u in users]
        Membership.objects.bulk_create(
            [
                Membership(organization=org, user_id=int(self.user_ids[i]), role=self._role(i))
                for i in range(start, end)
            ],
            batch_size=INSERT_BATCH,
        )

    def _role(self, i: int) -> str:
        if i in self.admins:
            return Role.ADMIN
        if i < self.teams:
            return Role.MANAGER
        return Role.MEMBER

    def _framework(self, org: Organization) -> FrameworkVersion:
        admin = User.objects.get(pk=int(self.user_ids[0]))
        version = frameworks.create_version(
            document=self.plan.document, organization=org, by=admin, source_name="upward seed"
        )
        return frameworks.publish_version(version=version, by=admin)

    def _teams(self, org: Organization) -> list[int]:
        rows = []
        for t in range(self.teams):
            tier = int(self.tier[t])
            label = "Leadership" if t == 0 else ("Squad" if tier == 1 else f"Group T{tier}")
            rows.append(
                Team(
                    organization=org,
                    name=label if t == 0 else f"{label} {t:06d}",
                    manager_id=int(self.user_ids[t]),
                )
            )
        Team.objects.bulk_create(rows, batch_size=INSERT_BATCH)
        ids = [team.pk for team in rows]
        members = [
            TeamMembership(
                team_id=ids[int(self.team_of[i])], user_id=int(self.user_ids[i]), organization=org
            )
            for i in np.flatnonzero(self.team_of >= 0)
        ]
        TeamMembership.objects.bulk_create(members, batch_size=INSERT_BATCH)
        return ids

    def _placements(self, org: Organization, version: int, a: int, b: int) -> None:
        rows = []
        for i in range(a, b):
            target_track, target_index = self.target(i)
            rows.append(
                Placement(
                    user_id=int(self.user_ids[i]),
                    organization=org,
                    version_id=version,
                    track=fw.MANAGEMENT if self.track[i] else fw.IC,
                    current_level=self.level_key(int(self.track[i]), int(self.index[i])),
                    target_track=fw.MANAGEMENT if target_track else fw.IC,
                    target_level=self.level_key(target_track, target_index),
                )
            )
        Placement.objects.bulk_create(rows, batch_size=INSERT_BATCH)
        self.placements[a:b] = [p.pk for p in rows]

    def _rooms(self, org: Organization) -> int:
        mentees = np.flatnonzero(self.mentor >= 0)
        mentors, taken = np.unique(self.mentor[mentees], return_counts=True)
        profiles = [
            MentorProfile(
                user_id=int(self.user_ids[m]), organization=org, capacity=min(50, max(2, int(c)))
            )
            for m, c in zip(mentors, taken, strict=True)
        ]
        MentorProfile.objects.bulk_create(profiles, batch_size=INSERT_BATCH)
        profile_of = {int(m): p.pk for m, p in zip(mentors, profiles, strict=True)}
        Membership.objects.filter(
            organization=org,
            role=Role.MEMBER,
            user_id__in=[int(self.user_ids[m]) for m in mentors],
        ).update(role=Role.MENTOR)
        Room.objects.bulk_create(
            [
                Room(
                    mentor_id=int(self.user_ids[self.mentor[i]]),
                    mentee_id=int(self.user_ids[i]),
                    organization=org,
                    profile_id=profile_of[int(self.mentor[i])],
                )
                for i in mentees
            ],
            batch_size=INSERT_BATCH,
        )
        return len(mentees)

    # --- ratings ---------------------------------------------------------------------------

    def _activity(self, org: Organization, version: int, a: int, b: int) -> tuple[int, int, int]:
        """Signals, evidence entries and objectives of people a..b-1."""
        rnd = random.Random(f"{self.seed}:activity:{a}")  # noqa: S311 (made-up data)
        adapt_day = connection.ops.adapt_datefield_value
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        signals: list[tuple[Any, ...]] = []
        entries: list[tuple[Entry, list[Signal]]] = []
        objectives = []
        heard: dict[int, list[engine.Signal]] = {}
        for i in range(a, b):
            tt, ti = self.target(i)
            target_key = self.level_key(tt, ti)
            core = self.plan.core[target_key]
            rows = self._ratings(i, tt, core, rnd)
            uid = int(self.user_ids[i])
            said = heard[i] = []
            for comp, step, source, rater, days in rows:
                rid = int(self.user_ids[rater])
                said.append(
                    engine.Signal(
                        self.plan.keys[comp],
                        step,
                        engine.Source(source),
                        f"user:{rid}",
                        self.today - timedelta(days=days),
                    )
                )
                signals.append(
                    (
                        uid,
                        org.pk,
                        version,
                        self.plan.keys[comp],
                        step,
                        "",
                        str(source),
                        rid,
                        f"user:{rid}",
                        None,
                        "",
                        adapt_day(self.today - timedelta(days=days)),
                        now,
                    )
                )
            if self.evidence[i] and core:
                entries.append(self._entry(org, version, i, tt, core, rnd))
            if self.objective[i] and core:
                objectives.append(self._objective(org, i, tt, ti, core, rnd))
        Entry.objects.bulk_create([e for e, _s in entries], batch_size=INSERT_BATCH)
        claims = []
        for entry, made in entries:
            for signal in made:
                signal.source_key = f"evidence:{entry.pk}"
                heard[self.person_of[entry.owner_id]].append(
                    engine.Signal(
                        signal.competency,
                        signal.step,
                        engine.Source.EVIDENCE,
                        signal.source_key,
                        entry.happened_on,
                    )
                )
            claims.extend(made)
        _insert(Signal, SIGNAL_COLUMNS, signals)
        Signal.objects.bulk_create(claims, batch_size=INSERT_BATCH)
        EntrySignal.objects.bulk_create(
            [EntrySignal(entry=e, signal=s) for e, made in entries for s in made],
            batch_size=INSERT_BATCH,
        )
        Objective.objects.bulk_create(objectives, batch_size=INSERT_BATCH)
        self._past_standings(org, version, heard)
        return len(signals) + len(claims), len(entries), len(objectives)

    def _past_standings(
        self, org: Organization, version: int, heard: dict[int, list[engine.Signal]]
    ) -> None:
        """Standings holding each person's readiness at the end of the last three
        quarters, from the engine over the signals they had by then; the rebuild that
        follows fills in the rest and this quarter, keeping the earlier ones."""
        blank = bytes([255]) * len(self.plan.keys)  # -1 as a signed byte: no step
        rows = []
        for i, said in heard.items():
            tt, ti = self.target(i)
            current = self.level_key(int(self.track[i]), int(self.index[i]))
            targets = self._targets(current, tt, ti)
            history = {
                quarter: engine.compute_delta(
                    targets, said, today=day, policy=self.policy
                ).readiness
                for quarter, day in self.past
            }
            rows.append(
                Standing(
                    placement_id=int(self.placements[i]),
                    user_id=int(self.user_ids[i]),
                    organization=org,
                    version_id=version,
                    track=fw.MANAGEMENT if self.track[i] else fw.IC,
                    current_level=current,
                    target_track=fw.MANAGEMENT if tt else fw.IC,
                    target_level=self.level_key(tt, ti),
                    operating=blank,
                    demonstrated=blank,
                    readiness=history[self.past[-1][0]] if self.past else 0.0,
                    history=history,
                )
            )
        Standing.objects.bulk_create(rows, batch_size=INSERT_BATCH)

    def _targets(self, current: str, track: int, index: int) -> list[engine.Target]:
        """The engine's targets of a placement, made once per kind of placement."""
        key = (current, track, index)
        found = self.targets.get(key)
        if found is None:
            found = self.targets[key] = engine.targets_from_framework(
                self.plan.document,
                current=current,
                target=self.level_key(track, index),
                target_track=fw.MANAGEMENT if track else fw.IC,
            )
        return found

    def _ratings(
        self, i: int, target_track: int, core: list[int], rnd: random.Random
    ) -> list[tuple[int, str, str, int, int]]:
        """(competency, step, source, rater, days ago) of one person's K signals: their
        own, their manager's, two or three teammates' and their mentor's, each rater
        rating a few competencies on one day, mostly those their target level needs."""
        k = self.k
        if k == 0:
            return []
        m = len(self.plan.keys)
        others = [c for c in range(m) if c not in core]
        manager = int(self.manager[i])
        mentor = int(self.mentor[i])
        team = int(self.team_of[i])
        peers = [int(p) for p in self.members[team] if p != i] if team >= 0 else []
        plan: list[tuple[str, int, int]] = []  # (source, rater, how many)
        n_self = max(1, round(0.17 * k))
        n_mentor = round(0.1 * k) if mentor >= 0 else 0
        n_manager = round(0.33 * k) if manager >= 0 else 0
        rest = k - n_self - n_mentor - n_manager
        if rest > 0 and not peers:
            if manager >= 0:
                n_manager += rest
            else:
                n_self += rest
            rest = 0
        if rest < 0:
            n_self = max(0, n_self + rest)
            rest = 0
        plan.append((Source.SELF, i, n_self))
        if n_manager:
            plan.append((Source.MANAGER, manager, n_manager))
        if n_mentor:
            plan.append((Source.MENTOR, mentor, n_mentor))
        if rest:
            chosen = rnd.sample(peers, min(len(peers), max(1, min(3, -(-rest // 3)))))
            for j, peer in enumerate(chosen):
                share = rest // len(chosen) + (1 if j < rest % len(chosen) else 0)
                if share:
                    plan.append((Source.PEER, peer, share))
        out = []
        for source, rater, count in plan:
            days = self._day(rnd)
            for t, comp in enumerate(self._picks(core, others, count, rnd)):
                if t and t % m == 0:
                    days = self._day(rnd)
                value = self._value(i, comp, days, rnd)
                value += 0.4 if source == Source.SELF else float(self.bias[rater])
                value += rnd.gauss(0.0, float(self.noise[comp]))
                out.append((comp, self._step(comp, target_track, value), source, rater, days))
        return out

    @staticmethod
    def _picks(core: list[int], others: list[int], count: int, rnd: random.Random) -> list[int]:
        """`count` competencies one rater rates: the core ones first (each once; one
        other in a round of four or more), the rest of others; round after round when
        there are more than exist."""
        out: list[int] = []
        while len(out) < count:
            want = count - len(out)
            from_core = min(len(core), want - (1 if want >= 4 and others else 0))
            picked = rnd.sample(core, from_core)
            picked += rnd.sample(others, min(len(others), want - from_core))
            if not picked:
                break
            out += picked
        return out[:count]

    @staticmethod
    def _day(rnd: random.Random) -> int:
        """Days ago of a round of ratings: half in the last four months (review season)."""
        return rnd.randrange(120) if rnd.random() < 0.5 else rnd.randrange(365)

    def _value(self, i: int, comp: int, days: int, rnd: random.Random) -> float:
        """How person i truly works at a competency `days` ago, as a rank (1..6)."""
        value = float(self.ability[i]) - float(self.growth[i]) * days / 365
        value += float(self.common_gap[comp]) + rnd.gauss(0.0, 0.3)
        team = int(self.team_of[i])
        if team >= 0 and self.team_gap_area[team] == self.areas[comp]:
            value -= 0.4
        return value

    def _step(self, comp: int, track: int, value: float) -> str:
        """The step key of a rank-valued rating on the competency's scale."""
        if self.plan.scaled[comp]:
            position = float(np.interp(value, fw.RANKS, fw.SCALE_POSITIONS))
            index = min(len(words.SCALE) - 1, max(0, math.floor(position + 0.5)))
            return words.SCALE[index][0]
        table = words.MANAGER_LEVELS if track else words.IC_LEVELS
        index = min(len(table) - 1, max(0, math.floor(value - table[0][3] + 0.5)))
        return table[index][0]

    def _entry(
        self,
        org: Organization,
        version: int,
        i: int,
        track: int,
        core: list[int],
        rnd: random.Random,
    ) -> tuple[Entry, list[Signal]]:
        comps = rnd.sample(core, min(len(core), 2))
        days = rnd.randrange(365)
        uid = int(self.user_ids[i])
        steps = [(c, self._step(c, track, self._value(i, c, days, rnd) + 0.3)) for c in comps]
        topic = self.plan.document.competencies[comps[0]].name.lower()
        entry = Entry(
            owner_id=uid,
            organization=org,
            placement_id=int(self.placements[i]),
            title=rnd.choice(words.EVIDENCE_TITLES).format(topic=topic),
            happened_on=self.today - timedelta(days=days),
            competencies=[{"competency": self.plan.keys[c], "step": s} for c, s in steps],
        )
        made = [
            Signal(
                subject_id=uid,
                organization=org,
                version_id=version,
                competency=self.plan.keys[c],
                step=s,
                source=Source.EVIDENCE,
                rater_id=uid,
                source_key="",
                observed_on=entry.happened_on,
            )
            for c, s in steps
        ]
        return entry, made

    def _objective(
        self, org: Organization, i: int, track: int, index: int, core: list[int], rnd: random.Random
    ) -> Objective:
        comp = rnd.choice(core)
        rank = (words.MANAGER_LEVELS if track else words.IC_LEVELS)[index][3]
        topic = self.plan.document.competencies[comp].name.lower()
        quarter = quarters_until(self.today + timedelta(days=92), 1)[0]
        return Objective(
            owner_id=int(self.user_ids[i]),
            organization=org,
            placement_id=int(self.placements[i]),
            title=rnd.choice(words.OBJECTIVE_TITLES).format(topic=topic),
            kind=rnd.choice(list(Kind)),
            competencies=[self.plan.keys[comp]],
            target_step=self._step(comp, track, float(rank)),
            quarter=quarter,
            due_on=quarter_end(quarter),
            status=Status.ACTIVE if rnd.random() < 0.5 else Status.PLANNED,
        )

    # --- standings ---------------------------------------------------------------------------

    def _standings(self, org: Organization, report: Progress) -> int:
        """Every standing as of today (the earlier quarters are already recorded)."""
        from upward.insights.services.standings import rebuild

        return rebuild(org, today=self.today, progress=_stage(report, "standings"))


# The columns of a rating, in the order `_activity` gives them.
SIGNAL_COLUMNS = (
    "subject_id",
    "organization_id",
    "version_id",
    "competency",
    "step",
    "sometimes_step",
    "source",
    "rater_id",
    "source_key",
    "response_id",
    "comment",
    "observed_on",
    "created_at",
)


def _stage(report: Progress, stage: str) -> Callable[[int, int], None]:
    return lambda done, total: report(stage, done, total)


# The tables a seed fills, whose statistics the query planner needs afresh after it.
WRITTEN: list[type[Model]] = [
    User,
    Membership,
    Team,
    TeamMembership,
    Placement,
    Signal,
    Entry,
    EntrySignal,
    Room,
    MentorProfile,
    Objective,
    Standing,
]


def _analyze(models: list[type[Model]]) -> None:
    """Refresh the planner's statistics of these tables: after a bulk load they still
    describe the empty tables, and a plan made for a few rows (a nested loop over 12,000
    teams) takes seconds where the right one takes milliseconds."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def _insert(model: type[Signal], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows (the bulk of a seed) without building a model object each:
    COPY on PostgreSQL, one prepared INSERT run over the rows on SQLite."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (names from the model)
                rows[start : start + INSERT_BATCH],
            )


def _team_sizes(people: int, teams: int, rng: np.random.Generator) -> np.ndarray:
    """`people` shared among `teams`, each of six to ten when the numbers allow."""
    sizes = np.full(teams, people // teams, dtype=np.int64)
    sizes[: people % teams] += 1
    for _ in range(teams):
        a, b = rng.integers(0, teams, 2)
        if a != b and sizes[a] > TEAM_MIN and sizes[b] < TEAM_MAX:
            sizes[a] -= 1
            sizes[b] += 1
    return sizes

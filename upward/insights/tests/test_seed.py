"""`upward seed`: the organization it writes, the same one for the same seed, and the
sizes it refuses before writing anything."""

from __future__ import annotations

from collections import Counter, namedtuple
from datetime import date, timedelta

import pytest

from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership, User
from upward.assessments.models import Placement, Signal
from upward.cli import main
from upward.engine.insights import quarters_until
from upward.evidence.models import Entry, EntrySignal
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of
from upward.insights import seed as seeding
from upward.insights.models import Standing
from upward.insights.services.standings import rebuild
from upward.mentorship.models import Room
from upward.roadmaps.models import Objective
from upward.roadmaps.services.checks import quarter_end

TODAY = date(2026, 11, 20)


def _seed(seed: int = 3) -> seeding.Seeded:
    return seeding.seed(people=40, competencies=12, signals_per_person=12, seed=seed, today=TODAY)


def _rows() -> dict[str, int]:
    """How many rows each table the seed writes holds."""
    return {
        model.__name__: model.objects.count()
        for model in (Organization, User, Membership, Team, Placement, Signal, Standing)
    }


def _snapshot(org: Organization) -> dict[str, object]:
    """The organization with people by their place in it instead of their ids."""
    ids = list(
        Membership.objects.filter(organization=org)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    pos = {pk: n for n, pk in enumerate(ids)}
    return {
        "roles": [
            (pos[u], r)
            for u, r in Membership.objects.filter(organization=org).values_list("user_id", "role")
        ],
        "teams": sorted(
            (
                t.name,
                pos[t.manager_id or 0],
                sorted(pos[m] for m in t.members.values_list("pk", flat=True)),
            )
            for t in Team.objects.filter(organization=org)
        ),
        "placements": sorted(
            (pos[p.user_id], p.track, p.current_level, p.target_track, p.target_level)
            for p in Placement.objects.filter(organization=org)
        ),
        "signals": sorted(
            (pos[s.subject_id], s.competency, s.step, s.source, pos[s.rater_id or 0], s.observed_on)
            for s in Signal.objects.filter(organization=org)
        ),
        "readiness": sorted(
            (pos[s.user_id], s.readiness, sorted(s.history.items()))
            for s in Standing.objects.filter(organization=org)
        ),
    }


def test_a_seed_writes_the_promised_organization(db):
    done = _seed()
    org = done.organization
    assert org.name == "Synthetic 40 (seed 3)"
    assert done.people == 40
    assert Membership.objects.filter(organization=org).count() == 40
    roles = Counter(Membership.objects.filter(organization=org).values_list("role", flat=True))
    assert roles[Role.ADMIN] >= 1
    assert roles[Role.MANAGER] >= 1

    # A published framework of the size asked for, with both tracks.
    version = FrameworkVersion.objects.get(framework__organization=org)
    assert version.status == VersionStatus.PUBLISHED
    doc = document_of(version)
    assert len(doc.competencies) == 12
    assert {c.kind for c in doc.competencies} == {"impact", "behavior", "skill"}
    assert [len(doc.levels_of(t.key)) for t in doc.tracks] == [6, 4]

    # Teams led by a manager; the squads hold six to ten people.
    teams = list(Team.objects.filter(organization=org))
    assert len(teams) == done.teams >= 4
    assert all(t.manager_id is not None for t in teams)
    squads = [t for t in teams if t.name.startswith("Squad")]
    assert squads
    assert all(6 <= t.members.count() <= 10 for t in squads)
    assert TeamMembership.objects.filter(organization=org).count() == 39  # all but the top

    # Placements on several levels, more at the lower ones.
    levels = Counter(
        Placement.objects.filter(organization=org, is_active=True).values_list(
            "current_level", flat=True
        )
    )
    assert sum(levels.values()) == 40
    assert len(levels) >= 4
    assert levels["ic1"] + levels["ic2"] > levels["ic5"] + levels["ic6"]

    # Ratings from several sources, spread over the last year.
    signals = Signal.objects.filter(organization=org)
    assert signals.count() == done.signals >= 40 * 12
    sources = set(signals.values_list("source", flat=True))
    assert {"self", "manager", "peer", "evidence"} <= sources
    days = sorted(signals.values_list("observed_on", flat=True))
    assert days[0] > TODAY - timedelta(days=365)
    assert days[-1] <= TODAY
    assert (days[-1] - days[0]).days > 180
    assert not signals.filter(rater=None).exists()

    # Some evidence (with its claims linked), mentors and roadmaps.
    assert Entry.objects.filter(organization=org).count() == done.evidence >= 1
    assert EntrySignal.objects.filter(entry__organization=org).count() >= 1
    assert Room.objects.filter(organization=org).count() == done.rooms >= 1
    assert Objective.objects.filter(organization=org).count() == done.objectives >= 1

    # One standing per active placement, with the last four quarters recorded.
    standings = Standing.objects.filter(organization=org)
    assert standings.count() == done.standings == 40
    assert all(len(s.history) == 4 for s in standings)
    assert standings.filter(has_roadmap=True).exists()
    assert standings.filter(has_mentor=True).exists()
    assert standings.filter(readiness__gt=0).exists()


def test_the_same_seed_writes_the_same_organization(db):
    first = _seed()
    second = _seed()
    other = _seed(seed=4)
    assert second.organization.slug == "synthetic-40-seed-3-2"
    assert _snapshot(first.organization) == _snapshot(second.organization)
    assert _snapshot(first.organization) != _snapshot(other.organization)


Case = namedtuple("Case", "argv flag")


@pytest.mark.parametrize(
    "case",
    [
        Case(["--people", "0"], "--people"),
        Case(["--people", "1000001"], "--people"),
        Case(["--people", "10", "--competencies", "0"], "--competencies"),
        Case(["--people", "10", "--competencies", "201"], "--competencies"),
        Case(["--people", "10", "--signals-per-person", "-1"], "--signals-per-person"),
        Case(["--people", "10", "--signals-per-person", "501"], "--signals-per-person"),
    ],
)
def test_sizes_out_of_range_are_refused_naming_the_flag(db, capsys, case):
    before = _rows()
    assert main(["seed", *case.argv]) == 2
    err = capsys.readouterr().err
    assert f"error: {case.flag} must be between" in err
    assert "Nothing was written." in err
    assert _rows() == before


def test_a_seed_that_does_not_fit_the_disk_is_refused_before_writing(db, capsys, monkeypatch):
    free = 3_000_000
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(
        seeding.shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - free, free)
    )
    need = seeding.estimate_bytes(people=50_000, competencies=50, signals_per_person=12)
    before = _rows()
    assert main(["seed", "--people", "50000"]) == 2
    err = capsys.readouterr().err
    assert "--people 50,000" in err
    assert f"{need:,} bytes" in err
    assert f"{free:,} bytes" in err
    assert _rows() == before
    with pytest.raises(seeding.SeedRefused, match="--people 40"):
        _seed()
    assert _rows() == before


def test_the_estimate_grows_with_each_size():
    base = seeding.estimate_bytes(people=1000, competencies=50, signals_per_person=12)
    assert seeding.estimate_bytes(people=2000, competencies=50, signals_per_person=12) > base
    assert seeding.estimate_bytes(people=1000, competencies=100, signals_per_person=12) > base
    assert seeding.estimate_bytes(people=1000, competencies=50, signals_per_person=24) > base


def test_the_earlier_quarters_are_what_a_rebuild_on_their_last_day_records(db):
    org = _seed().organization
    recorded = {s.placement_id: dict(s.history) for s in Standing.objects.filter(organization=org)}
    quarters = quarters_until(TODAY, 4)
    assert all(list(h) == quarters for h in map(sorted, recorded.values()))
    assert any(h[quarters[0]] < h[quarters[-1]] for h in recorded.values())
    for quarter in quarters[:-1]:
        rebuild(org, today=quarter_end(quarter))
        again = {
            s.placement_id: s.history[quarter] for s in Standing.objects.filter(organization=org)
        }
        assert again == {pk: h[quarter] for pk, h in recorded.items()}

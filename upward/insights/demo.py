"""Demo insights: three more Acme teams rated over the year, so the gap heatmap, the
readiness pipeline and rater calibration have something to show.

Payments, Mobile and Data each have a manager and seven engineers placed on
Software Engineering between IC2 and IC5. Their manager, two teammates and they
themselves rated them twice: seven months ago and last month. Two competencies are
gaps across the company (product impact and technical direction), Mobile is also
behind on system design, and raters read communication very differently. Rafael
(Payments) rates everyone a step above what his teammates see. Platform keeps only
Alice and Sam, fewer than the anonymity threshold, so its cells are suppressed, and so
is the next smallest team's, which would otherwise give Platform's away.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from upward.accounts import services as accounts
from upward.accounts.models import Membership, Organization, Role, User
from upward.assessments import services as assessments
from upward.assessments.models import Placement, Signal, Source
from upward.engine.insights import quarters_until
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.selectors import document_of
from upward.insights.services.standings import rebuild
from upward.roadmaps.models import Kind, Objective
from upward.roadmaps.services.checks import quarter_end

# (team, its manager, its engineers with their level)
TEAMS = [
    (
        "Payments",
        "Ines Carvalho",
        [
            ("Rafael Costa", "ic4"),
            ("Mei Chen", "ic3"),
            ("Daniel Novak", "ic2"),
            ("Aisha Bello", "ic3"),
            ("Jonas Berg", "ic5"),
            ("Sofia Rossi", "ic2"),
            ("Arjun Mehta", "ic3"),
        ],
    ),
    (
        "Mobile",
        "Hana Kobayashi",
        [
            ("Luca Bianchi", "ic3"),
            ("Zanele Dlamini", "ic4"),
            ("Mateo Silva", "ic2"),
            ("Nora Lund", "ic3"),
            ("Kofi Asante", "ic3"),
            ("Elif Kaya", "ic4"),
            ("Pavel Horak", "ic2"),
        ],
    ),
    (
        "Data",
        "Grace Adeyemi",
        [
            ("Oskar Nilsson", "ic3"),
            ("Leila Karimi", "ic4"),
            ("Tariq Aziz", "ic2"),
            ("Chloe Martin", "ic3"),
            ("Diego Ramos", "ic5"),
            ("Anya Petrova", "ic3"),
            ("Ben Cohen", "ic4"),
        ],
    ),
]
# Steps below what each level shows elsewhere: company-wide, and per team.
COMMON_GAPS = {"product-impact": 1, "technical-direction": 1}
TEAM_GAPS = {"Mobile": {"system-design": 1}}
# Raters disagree about this one: the framework's text leaves too much to read into.
READ_DIFFERENTLY = "communication"
LENIENT = "Rafael Costa"
# Engineers who already work at their target level on most competencies.
STRONG = {"Jonas Berg", "Zanele Dlamini", "Leila Karimi", "Mei Chen", "Diego Ramos"}
ROUNDS = (210, 30)  # days ago: an earlier round one step lower for most, and the latest
# Who has a roadmap objective, with one that names its audience, deliverable and quarter.
OBJECTIVES = {
    "Mei Chen": (
        "Propose and lead the Q1 checkout-latency initiative with Product and Support",
        "product-impact",
    ),
    "Luca Bianchi": (
        "Write the offline-sync design record and walk the Mobile and API teams through it",
        "system-design",
    ),
    "Leila Karimi": (
        "Run the quarterly data-quality review with Finance and publish the findings",
        "technical-direction",
    ),
    "Kofi Asante": (
        "Pair weekly with the two newest Mobile engineers on release duty and hand it to them",
        "growing-others",
    ),
}


def load(
    *,
    organization: Organization,
    people: dict[str, User],
    make_person: Callable[[str, str], User],
    progress: Callable[[str], None] = lambda _msg: None,
) -> None:
    """Add the three teams and their ratings, then record everyone's standing for the
    last four quarters."""
    version = _version(organization)
    if version is None:
        return
    progress("rating three more teams for the insights ...")
    rng = random.Random(13)  # noqa: S311 (demo data: the same every time)
    doc = document_of(version)
    steps = [level.key for level in doc.levels_of("ic")]
    ada = people["ada"]
    signals: list[Signal] = []
    for team_name, manager_name, engineers in TEAMS:
        manager = _member(organization, manager_name, Role.MANAGER, make_person)
        team = accounts.create_team(
            organization=organization, name=team_name, manager=manager, by=ada
        )
        members = [_member(organization, name, Role.MEMBER, make_person) for name, _ in engineers]
        for user in members:
            accounts.add_team_member(team=team, user=user, by=ada)
        for (name, level), user in zip(engineers, members, strict=True):
            placement = assessments.place(
                user=user,
                organization=organization,
                version=version,
                track="ic",
                current_level=level,
            )
            peers = [m for m in members if m != user]
            raters = [manager, *rng.sample(peers, 2)]
            gaps = {**COMMON_GAPS, **TEAM_GAPS.get(team_name, {})}
            signals += _ratings(placement, steps, raters, gaps, strong=name in STRONG, rng=rng)
            if name in OBJECTIVES:
                _objective(placement, *OBJECTIVES[name])
    Signal.objects.bulk_create(signals, batch_size=1000)
    progress("recording standings for the insights ...")
    today = timezone.localdate()
    for quarter in quarters_until(today, 4)[:-1]:
        rebuild(organization, today=quarter_end(quarter))
    rebuild(organization, today=today)


def _version(organization: Organization) -> FrameworkVersion | None:
    """The version Alice is placed on: the demo framework's."""
    placement = Placement.objects.filter(organization=organization, is_active=True).first()
    return placement.version if placement else None


def _member(
    organization: Organization, name: str, role: str, make_person: Callable[[str, str], User]
) -> User:
    first, last = name.lower().split(" ", 1)
    user = make_person(f"{first}.{last.replace(' ', '')}@example.com", name)
    Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": role})
    return user


def _ratings(
    placement: Placement,
    steps: list[str],
    raters: list[User],
    gaps: dict[str, int],
    *,
    strong: bool,
    rng: random.Random,
) -> list[Signal]:
    """Two rounds of ratings by the person, their manager and two teammates."""
    level = steps.index(placement.current_level)
    doc = document_of(placement.version)
    today = timezone.localdate()
    out = []
    for days in ROUNDS:
        earlier = days == ROUNDS[0]
        on = today - timedelta(days=days)
        for competency in doc.competencies:
            key = competency.key
            true = level + (1 if strong else 0) - gaps.get(key, 0) - (1 if earlier else 0)
            voices: list[tuple[str, User | None, int]] = [
                (Source.SELF, None, true + (1 if rng.random() < 0.3 else 0))
            ]
            for i, rater in enumerate(raters):
                seen = true
                if key == READ_DIFFERENTLY:
                    seen += rng.choice((-2, -1, 0, 1, 2))
                elif rng.random() < 0.15:
                    seen += rng.choice((-1, 1))
                if rater.name == LENIENT:
                    seen = true + 1
                voices.append((Source.MANAGER if i == 0 else Source.PEER, rater, seen))
            for source, who, step in voices:
                out.append(_signal(placement, key, steps, step, source, who, on))
    return out


def _signal(
    placement: Placement,
    competency: str,
    steps: list[str],
    step: int,
    source: str,
    rater: User | None,
    on: date,
) -> Signal:
    who = rater.pk if rater else placement.user_id
    return Signal(
        subject_id=placement.user_id,
        organization_id=placement.organization_id,
        version_id=placement.version_id,
        competency=competency,
        step=steps[max(0, min(len(steps) - 1, step))],
        source=source,
        rater=rater,
        source_key=f"user:{who}",
        observed_on=on,
    )


def _objective(placement: Placement, title: str, competency: str) -> None:
    quarter = quarters_until(timezone.localdate() + timedelta(days=92), 1)[0]
    Objective.objects.create(
        owner_id=placement.user_id,
        organization_id=placement.organization_id,
        placement=placement,
        title=title,
        kind=Kind.INITIATIVE,
        competencies=[competency],
        target_step=placement.target_level,
        quarter=quarter,
        due_on=quarter_end(quarter),
    )

"""Demo roadmaps: Alice's roadmap built from her top gaps, in every state, and Acme's templates.

Alice accepts one proposal per top gap and applies a library template; one objective
is planned, one in progress with a milestone done (and one past its day), one done
with a link and a note and rated again by Bob since (so its gap reads "re-assessed"),
one dropped with a reason, and one private. Acme has a template Bob wrote, reviewed
and published by Ada, and one of Maya's waiting for review. The library itself is
loaded by `upward.demo` with the framework library.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments import services as assessments
from upward.assessments.models import Signal
from upward.assessments.selectors import active_placement
from upward.assessments.services import Rating
from upward.core.visibility import Tier
from upward.roadmaps import services
from upward.roadmaps.models import Milestone, Objective, RoadmapTemplate, TemplateStatus
from upward.roadmaps.services import MilestoneIn, Proposal, StakeholderIn

# A template Bob wrote for Acme (published after Ada's review) and one of Maya's in review.
BOBS_TEMPLATE = {
    "competency": "reliability",
    "track": "ic",
    "from_step": "ic3",
    "to_step": "ic4",
    "title": "Make the Platform team's outages boring",
    "summary": (
        "At IC4 an engineer makes the service more reliable for everyone, not just fixes "
        "what pages them. This plan has the member rehearse failure with the team and turn "
        "what they learn into runbooks people actually use."
    ),
    "duration_weeks": 10,
    "evidence": [
        "The game day's notes with the issues it found and who fixed each",
        "Runbooks used during a real incident afterwards",
    ],
    "objectives": [
        {
            "title": (
                "Run a game day for the Platform team within eight weeks, rehearsing the three "
                "most likely outages and publishing a fixed runbook for each"
            ),
            "kind": "initiative",
            "description": (
                "Pick the outages from the last year's incidents, agree a quiet slot with the "
                "on-call lead, and let someone else drive each rehearsal while you observe."
            ),
            "success_criteria": ["Three runbooks updated and linked from the alerts"],
            "stakeholders": ["On-call lead", "Platform team"],
            "timebox_weeks": 8,
            "milestones": [
                {"title": "Outages picked from the incident log", "week": 2},
                {"title": "Game day held", "week": 6},
                {"title": "Runbooks published", "week": 8},
            ],
        }
    ],
}
MAYAS_TEMPLATE = {
    "competency": "growing-others",
    "track": "ic",
    "from_step": "ic3",
    "to_step": "ic4",
    "title": "Bring a new engineer through their first on-call",
    "summary": (
        "Growing others at IC4 means someone else gets better because of a deliberate plan, "
        "not by osmosis. This plan pairs the member with newer engineers for their first "
        "on-call rotation."
    ),
    "duration_weeks": 12,
    "evidence": [
        "The learning plans, and how each engineer rated their first rotation",
        "The engineers' next rotations handled without a shadow",
    ],
    "objectives": [
        {
            "title": (
                "Mentor two engineers who joined this year through their first on-call "
                "rotation within ten weeks, each with a written learning plan agreed with them"
            ),
            "kind": "mentoring",
            "description": "Shadow, then reverse-shadow; write down what each still finds hard.",
            "success_criteria": ["Both take their next rotation alone"],
            "stakeholders": ["Engineering manager", "New engineers"],
            "timebox_weeks": 10,
            "milestones": [
                {"title": "Learning plans agreed", "week": 2},
                {"title": "First rotation done together", "week": 6},
            ],
        }
    ],
}
# The library template Alice applies beside her proposals, when the library has it.
APPLIED_TEMPLATE = ("communication", "ic3", "ic4")
PRIVATE_TITLE = (
    "Write and rehearse a ten-minute talk on the notification rewrite for the backend guild "
    "meeting within six weeks"
)


def _first_per_gap(proposals: list[Proposal]) -> list[Proposal]:
    seen: set[str] = set()
    out = []
    for p in proposals:
        if p.competency not in seen:
            seen.add(p.competency)
            out.append(p)
    return out


def _acme_templates(org: Organization, framework_key: str, people: dict[str, User]) -> None:
    bob, ada, maya = people["bob"], people["ada"], people["maya"]
    published = services.create_template(
        by=bob,
        organization=org,
        framework_key=framework_key,
        author_credentials="Engineering manager, ran on-call for the Platform team for 4 years",
        **BOBS_TEMPLATE,  # type: ignore[arg-type]
    )
    services.submit_template(template=published, by=bob)
    services.review_template(
        template=published, by=ada, approve=True, note="Clear and measurable. Thanks, Bob."
    )
    waiting = services.create_template(
        by=maya,
        organization=org,
        framework_key=framework_key,
        author_credentials="Mentor for Acme's engineers since 2022",
        **MAYAS_TEMPLATE,  # type: ignore[arg-type]
    )
    services.submit_template(template=waiting, by=maya)


def _in_every_state(objectives: list[Objective], alice: User, bob: User) -> None:
    """Planned, in progress with a milestone done (and one overdue), done and re-assessed."""
    if len(objectives) < 3:
        return
    active, done = objectives[1], objectives[2]
    first, *rest = list(active.milestones.all())
    services.set_milestone_done(milestone=first, by=alice, done=True)
    if rest:
        # Demo data only: a milestone whose day passed, for the dashboard.
        Milestone.objects.filter(pk=rest[0].pk).update(
            due_on=timezone.localdate() - timedelta(days=3)
        )
    services.complete_objective(
        objective=done,
        by=alice,
        link="https://wiki.example.com/platform/decisions/notification-rewrite",
        note="Shared with the team and the product manager; the plan is in the wiki.",
    )
    # Bob has rated that competency again since the work was done.
    assessments.rate_as_manager(
        placement=done.placement,
        manager=bob,
        ratings=[Rating(done.competencies[0], done.target_step)],
    )


def load(
    *,
    organization: Organization,
    people: dict[str, User],
    progress: Callable[[str], None] = lambda _msg: None,
) -> None:
    """Build Alice's roadmap from her top gaps and Acme's own templates; `people` by first name."""
    alice, bob = people["alice"], people["bob"]
    placement = active_placement(alice, organization)
    if placement is None:
        return
    progress("building Alice's roadmap from her top gaps ...")
    framework_key = placement.version.framework.key
    _acme_templates(organization, framework_key, people)
    proposals = _first_per_gap(services.propose_roadmap(placement=placement))
    objectives = services.accept_proposals(placement=placement, by=alice, proposals=proposals)
    _in_every_state(objectives, alice, bob)
    competency, from_step, to_step = APPLIED_TEMPLATE
    library = RoadmapTemplate.objects.filter(
        organization=None,
        status=TemplateStatus.PUBLISHED,
        framework_key=framework_key,
        competency=competency,
        from_step=from_step,
        to_step=to_step,
    ).first()
    if library is not None:
        applied = services.apply_template(template=library, placement=placement, by=alice)
        services.rate_template(
            template=library, by=alice, stars=4, comment="Concrete enough to start on Monday."
        )
        services.drop_objective(
            objective=applied[-1],
            by=alice,
            reason="The guild paused its talks this quarter; the written proposal covers it.",
        )
    services.create_objective(
        owner=alice,
        placement=placement,
        title=PRIVATE_TITLE,
        kind="visibility",
        competencies=["communication"],
        success_criteria=["Given at the guild meeting", "Slides shared in the wiki"],
        due_on=timezone.localdate() + timedelta(weeks=6),
        stakeholders=[StakeholderIn(name="Backend guild")],
        milestones=[MilestoneIn("Outline", timezone.localdate() + timedelta(weeks=2))],
        visibility=Tier.PRIVATE,
    )
    _backdate(objectives)


def _backdate(objectives: list[Objective]) -> None:
    """Demo data only: the work started weeks ago, and was done before Bob's new rating."""
    now = timezone.now()
    Objective.objects.filter(pk__in=[o.pk for o in objectives]).update(
        created_at=now - timedelta(days=40)
    )
    if len(objectives) >= 3:
        done = objectives[2]
        Objective.objects.filter(pk=done.pk).update(
            started_at=now - timedelta(days=35), completed_at=now - timedelta(days=10)
        )
        Signal.objects.filter(
            subject=done.owner, competency=done.competencies[0], source="manager"
        ).filter(created_at__gte=now - timedelta(minutes=5)).update(
            observed_on=timezone.localdate() - timedelta(days=3)
        )

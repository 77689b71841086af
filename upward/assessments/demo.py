"""Demo growth: Alice placed on Software Engineering (IC3 -> IC4) with her ratings, her
manager's, a peer's answer, enough anonymous answers to show, and requests still open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments import services
from upward.assessments.models import Placement, Signal
from upward.assessments.services import Rating
from upward.frameworks.models import FrameworkVersion, VersionStatus

# The framework Alice is placed on: the company's copy if it has one, else the library's.
DEMO_FRAMEWORK_KEY = "software-engineering"

# competency: (Alice's own rating, Bob's, Sam's); "" where they gave none.
ALICE_RATINGS = {
    "delivery": ("ic4", "ic4", "ic4"),
    "product-impact": ("ic3", "ic3", ""),
    "ownership": ("ic4", "ic4", ""),
    "code-quality": ("ic4", "ic4", "ic5"),
    "system-design": ("ic3", "ic3", "ic3"),
    "reliability": ("ic4", "", ""),
    "problem-solving": ("ic4", "ic4", ""),
    "communication": ("ic3", "ic3", ""),
    "collaboration": ("ic4", "", "ic4"),
    "growing-others": ("ic3", "ic2", ""),
    "technical-direction": ("ic3", "ic3", "ic3"),
}
# What the anonymous peers said: delivery, communication, collaboration, and their words.
ANONYMOUS_ANSWERS = [
    (
        "ic4",
        "ic3",
        "ic4",
        "Ships what she promises and says early when she can't.",
        "Explaining trade-offs to people outside the team; her updates assume a lot.",
    ),
    (
        "ic4",
        "ic3",
        "ic4",
        "The milestones on the notification rewrite were the clearest we've had.",
        "Speaking up in the architecture review instead of afterwards in private.",
    ),
    (
        "ic3",
        "ic4",
        "ic4",
        "Pairing: she makes the other person faster, never slower.",
        "Taking on the messy cross-team work nobody owns.",
    ),
    (
        "ic4",
        "ic3",
        "ic3",
        "Estimates that hold, and risks raised before they bite.",
        "Written communication: design docs come late and short.",
    ),
    (
        "ic4",
        "ic3",
        "ic4",
        "Code reviews that teach something every time.",
        "Mentoring: the two juniors on the team would learn a lot from her, if she made the time.",
    ),
]


def _history(placement: Placement, manager: User, current: list[list[Rating]]) -> None:
    """Earlier rounds, so the readiness trend has a past: five months ago Alice and Bob
    both rated her a step lower than today; ten weeks ago they saw what they see now."""

    def lower(rating: Rating) -> Rating:
        return Rating(rating.competency, {"ic4": "ic3", "ic3": "ic2"}.get(rating.step, rating.step))

    own, bobs = current
    rounds = [
        (150, services.rate_self(placement=placement, ratings=[lower(r) for r in own])),
        (
            150,
            services.rate_as_manager(
                placement=placement, manager=manager, ratings=[lower(r) for r in bobs]
            ),
        ),
        (70, services.rate_self(placement=placement, ratings=own)),
        (70, services.rate_as_manager(placement=placement, manager=manager, ratings=bobs)),
    ]
    today = timezone.localdate()
    for days, signals in rounds:
        # Demo data only: services date what they record today.
        Signal.objects.filter(pk__in=[s.pk for s in signals]).update(
            observed_on=today - timedelta(days=days)
        )


def load(
    *,
    organization: Organization,
    people: dict[str, User],
    peers: list[User],
    progress: Callable[[str], None] = lambda _msg: None,
) -> None:
    """Place Alice on Software Engineering (IC3 -> IC4) with a self-assessment, Bob's
    rating, Sam's answer (shared with Bob), enough anonymous answers to show, and
    requests still open; Sam placed, asking Bob for feedback; `people` by first name,
    `peers` answer anonymously."""
    org = organization
    published = FrameworkVersion.objects.filter(
        framework__key=DEMO_FRAMEWORK_KEY, status=VersionStatus.PUBLISHED
    )
    # The company's copy of the library framework, else the library's own.
    version = published.filter(framework__organization=org).first() or published.first()
    if version is None:
        return
    progress("placing Alice on IC3 -> IC4 and collecting her feedback ...")
    alice, bob, sam, maya = (people[name] for name in ("alice", "bob", "sam", "maya"))
    placement = services.place(
        user=alice, organization=org, version=version, track="ic", current_level="ic3"
    )

    def ratings(column: int) -> list[Rating]:
        return [Rating(c, steps[column]) for c, steps in ALICE_RATINGS.items() if steps[column]]

    _history(placement, bob, [ratings(0), ratings(1)])
    own = [
        Rating(
            r.competency, r.step, sometimes="ic4" if r.competency == "technical-direction" else ""
        )
        for r in ratings(0)
    ]
    services.rate_self(placement=placement, ratings=own)
    services.rate_as_manager(placement=placement, manager=bob, ratings=ratings(1))
    asked = services.request_feedback(
        placement=placement,
        relationship="peer",
        competencies=[],
        rater=sam,
        answer_visibility="manager",  # Bob reads Sam's words beside Alice's delta
    )
    services.respond(
        feedback_request=asked,
        ratings=ratings(2),
        by=sam,
        consistent_at="Alice runs the notification rewrite end to end: milestones, owners, "
        "and risks flagged before anyone has to ask. Her reviews are the ones people request.",
        biggest_gap="She solves the problems put in front of her but rarely sets the "
        "direction; I'd love to see her write next quarter's platform design doc.",
    )
    for peer, answer in zip(peers, ANONYMOUS_ANSWERS, strict=False):
        asked = services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
        )
        keys = ("delivery", "communication", "collaboration")
        services.respond(
            feedback_request=asked,
            ratings=[Rating(c, step) for c, step in zip(keys, answer[:3], strict=True)],
            consistent_at=answer[3],
            biggest_gap=answer[4],
            by=peer,
        )
    services.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=peers[-1], anonymous=True
    )
    services.request_feedback(
        placement=placement,
        relationship="mentor",
        competencies=[],
        rater=maya,
        message="Before our next session: where do you see me against IC4?",
    )
    services.request_feedback(
        placement=placement,
        relationship="peer",
        competencies=["delivery", "communication", "technical-direction"],
        email="jordan@partner.example",
        message="You saw the notification rewrite from the partner side. How did it look?",
    )
    sam_placement = services.place(
        user=sam, organization=org, version=version, track="ic", current_level="ic2"
    )
    services.rate_self(
        placement=sam_placement,
        ratings=[
            Rating("delivery", "ic3"),
            Rating("code-quality", "ic2"),
            Rating("ownership", "ic2"),
        ],
    )
    services.request_feedback(
        placement=sam_placement,
        relationship="manager",
        competencies=["delivery", "ownership"],
        rater=bob,
        message="Ahead of our one-on-one: am I at IC3 on delivery yet?",
    )

"""The demo workspace that `upward demo` loads: idempotent, safe to run again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

import yaml
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from upward.accounts import services
from upward.accounts.models import Membership, Organization, Role, User
from upward.engine import edit
from upward.frameworks import services as frameworks
from upward.frameworks.documents import document_of, validate_document
from upward.frameworks.models import FrameworkVersion, VersionStatus

if TYPE_CHECKING:
    from upward.assessments.models import Placement
    from upward.assessments.services import Rating

DEMO_PASSWORD = "upward-demo"  # noqa: S105 (printed for the local demo on purpose)
DEMO_ORG_SLUG = "acme"
# The library framework Acme adopts as its own company framework.
DEMO_FRAMEWORK_KEY = "software-engineering"

# (email, name, role in the demo company)
PEOPLE = [
    ("alice@example.com", "Alice Moreau", Role.MEMBER),
    ("bob@example.com", "Bob Okafor", Role.MANAGER),
    ("maya@example.com", "Maya Lindqvist", Role.MENTOR),
    ("ada@example.com", "Ada Nakamura", Role.ADMIN),
    ("sam@example.com", "Sam Ortiz", Role.MEMBER),
]


def _person(email: str, name: str, password_hash: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, name=name)
        user.password = password_hash
        user.save(update_fields=["password"])
        services.create_personal_organization(user=user)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load_demo(progress: Callable[[str], None] = lambda _msg: None) -> list[str]:
    """Publish the framework library, create the demo company and its people.

    Returns the people's emails, Alice first. Running it again publishes only
    library frameworks that changed and leaves the demo company as it is.
    """
    progress("publishing the framework library ...")
    frameworks.load_library(progress=lambda msg: progress(f"  {msg}"))
    if Organization.objects.filter(slug=DEMO_ORG_SLUG).exists():
        progress("demo company already loaded")
        return [email for email, _name, _role in PEOPLE]
    progress("creating the demo people ...")
    # Argon2 is slow on purpose; everyone shares the printed password, so hash it once.
    password_hash = make_password(DEMO_PASSWORD)
    people = {email: _person(email, name, password_hash) for email, name, _role in PEOPLE}
    ada = people["ada@example.com"]
    progress("creating the Acme Robotics organization ...")
    org = services.create_organization(name="Acme Robotics", slug=DEMO_ORG_SLUG, by=ada)
    for email, _name, role in PEOPLE:
        if email != ada.email:
            Membership.objects.create(organization=org, user=people[email], role=role)
    bob, alice, sam = (
        people["bob@example.com"],
        people["alice@example.com"],
        people["sam@example.com"],
    )
    platform = services.create_team(organization=org, name="Platform", manager=bob, by=ada)
    services.add_team_member(team=platform, user=alice, by=ada)
    services.add_team_member(team=platform, user=sam, by=ada)
    services.create_team(organization=org, name="Growth", manager=None, by=ada)
    services.invite_member(organization=org, email="newhire@example.com", role=Role.MEMBER, by=ada)
    services.create_api_token(user=alice, name="Demo script", scope="read", days=30)
    _adopt_library_framework(org, by=ada, progress=progress)
    _acme_ladder(org, by=ada, progress=progress)
    _demo_growth(org, people, password_hash, progress=progress)
    progress("demo company loaded")
    return [email for email, _name, _role in PEOPLE]


def _adopt_library_framework(
    org: Organization, *, by: User, progress: Callable[[str], None]
) -> None:
    """Publish a copy of a library framework as the company's own, as an admin would."""
    library = FrameworkVersion.objects.filter(
        framework__organization=None,
        framework__key=DEMO_FRAMEWORK_KEY,
        status=VersionStatus.PUBLISHED,
    ).first()
    if library is None:
        return
    progress(f"publishing {library.framework.name} as {org.name}'s framework ...")
    version = frameworks.create_version(
        document=document_of(library), organization=org, by=by, source_name="library"
    )
    frameworks.publish_version(version=version, by=by)


ACME_LADDER_KEY = "acme-engineering"


def _acme_ladder(org: Organization, *, by: User, progress: Callable[[str], None]) -> None:
    """Acme's own ladder: the library's engineering file under its own key, published as
    version 1, then a draft version 2 with a couple of cells reworded (for history and diffs)."""
    source = frameworks.LIBRARY_DIR / f"{DEMO_FRAMEWORK_KEY}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data |= {"key": ACME_LADDER_KEY, "name": "Acme Engineering Ladder"}
    data["description"] = "Acme Robotics' engineering ladder, adapted from the Upward library."
    progress("publishing the Acme Engineering Ladder with a draft of changes ...")
    first = frameworks.create_version(
        document=validate_document(data), organization=org, by=by, source_name=source.name
    )
    frameworks.publish_version(version=first, by=by)
    draft = frameworks.start_draft(framework=first.framework, by=by)
    doc = document_of(first)
    level = doc.levels_of(doc.tracks[0].key)[2].key
    for competency, summary in [
        ("delivery", "Ships robot firmware and fleet services in small, safe steps, on time."),
        ("reliability", "Owns on-call for a fleet service and leaves its runbooks better."),
    ]:
        expectation = doc.expectation(competency, level)
        signals = list(expectation.signals) if expectation else []
        frameworks.edit_draft(
            version=draft,
            by=by,
            change=partial(
                edit.set_cell,
                competency=competency,
                level=level,
                summary=summary,
                signals=signals,
                examples=[],
            ),
        )


# --- Alice's growth: a placement, ratings and feedback, all through the services ---

# Extra Acme peers whose anonymous answers pass the anonymity threshold (5).
DEMO_PEERS = [
    ("priya@example.com", "Priya Raman"),
    ("tomas@example.com", "Tomás Herrera"),
    ("lena@example.com", "Lena Fischer"),
    ("kwame@example.com", "Kwame Mensah"),
    ("yuki@example.com", "Yuki Tanaka"),
    ("omar@example.com", "Omar Haddad"),  # asked anonymously, hasn't answered yet
]
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
    from upward.assessments import services as assessments
    from upward.assessments.models import Signal
    from upward.assessments.services import Rating

    def lower(rating: Rating) -> Rating:
        return Rating(rating.competency, {"ic4": "ic3", "ic3": "ic2"}.get(rating.step, rating.step))

    own, bobs = current
    rounds = [
        (150, assessments.rate_self(placement=placement, ratings=[lower(r) for r in own])),
        (
            150,
            assessments.rate_as_manager(
                placement=placement, manager=manager, ratings=[lower(r) for r in bobs]
            ),
        ),
        (70, assessments.rate_self(placement=placement, ratings=own)),
        (70, assessments.rate_as_manager(placement=placement, manager=manager, ratings=bobs)),
    ]
    today = timezone.localdate()
    for days, signals in rounds:
        # Demo data only: services date what they record today.
        Signal.objects.filter(pk__in=[s.pk for s in signals]).update(
            observed_on=today - timedelta(days=days)
        )


def _demo_growth(
    org: Organization,
    people: dict[str, User],
    password_hash: str,
    *,
    progress: Callable[[str], None],
) -> None:
    """Place Alice on Software Engineering (IC3 -> IC4) with a self-assessment, Bob's
    rating, Sam's answer, enough anonymous answers to show, and requests still open."""
    from upward.assessments import services as assessments
    from upward.assessments.services import Rating

    published = FrameworkVersion.objects.filter(
        framework__key=DEMO_FRAMEWORK_KEY, status=VersionStatus.PUBLISHED
    )
    # The company's copy of the library framework, else the library's own.
    version = published.filter(framework__organization=org).first() or published.first()
    if version is None:
        return
    progress("placing Alice on IC3 -> IC4 and collecting her feedback ...")
    alice, bob, sam, maya = (people[f"{n}@example.com"] for n in ("alice", "bob", "sam", "maya"))
    peers = [_person(email, name, password_hash) for email, name in DEMO_PEERS]
    for peer in peers:
        Membership.objects.create(organization=org, user=peer, role=Role.MEMBER)
    placement = assessments.place(
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
    assessments.rate_self(placement=placement, ratings=own)
    assessments.rate_as_manager(placement=placement, manager=bob, ratings=ratings(1))
    asked = assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=sam
    )
    assessments.respond(
        feedback_request=asked,
        ratings=ratings(2),
        by=sam,
        consistent_at="Alice runs the notification rewrite end to end: milestones, owners, "
        "and risks flagged before anyone has to ask. Her reviews are the ones people request.",
        biggest_gap="She solves the problems put in front of her but rarely sets the "
        "direction; I'd love to see her write next quarter's platform design doc.",
    )
    for peer, answer in zip(peers, ANONYMOUS_ANSWERS, strict=False):
        asked = assessments.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
        )
        keys = ("delivery", "communication", "collaboration")
        assessments.respond(
            feedback_request=asked,
            ratings=[Rating(c, step) for c, step in zip(keys, answer[:3], strict=True)],
            consistent_at=answer[3],
            biggest_gap=answer[4],
            by=peer,
        )
    assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=peers[-1], anonymous=True
    )
    assessments.request_feedback(
        placement=placement,
        relationship="mentor",
        competencies=[],
        rater=maya,
        message="Before our next session: where do you see me against IC4?",
    )
    assessments.request_feedback(
        placement=placement,
        relationship="peer",
        competencies=["delivery", "communication", "technical-direction"],
        email="jordan@partner.example",
        message="You saw the notification rewrite from the partner side. How did it look?",
    )
    sam_placement = assessments.place(
        user=sam, organization=org, version=version, track="ic", current_level="ic2"
    )
    assessments.rate_self(
        placement=sam_placement,
        ratings=[
            Rating("delivery", "ic3"),
            Rating("code-quality", "ic2"),
            Rating("ownership", "ic2"),
        ],
    )

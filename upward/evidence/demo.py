"""Demo proof: Alice's evidence log, a growth thread with replies, and her promotion packet.

Alice logs the design review she ran for the notification rewrite (confirmed by Bob
and Sam, so system design reads demonstrated on her delta), the problem statement
that completed one of her objectives (confirmed by Maya), and a piece only she sees.
Her organization-wide thread on writing design docs has three updates over six weeks,
replies from Bob and Maya, reactions, and one update promoted to evidence; a public
thread shows on her public profile. Her IC4 packet has a share link Bob has opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments.models import Placement
from upward.assessments.selectors import active_placement
from upward.core.visibility import Tier
from upward.evidence.models import Post, Thread
from upward.evidence.services.entries import confirm_entry, create_entry
from upward.evidence.services.packets import create_packet, create_share_link, open_share_link
from upward.evidence.services.threads import open_thread, post_update, promote_post, react, reply
from upward.notifications.models import Notification
from upward.roadmaps.models import Objective, Status

DESIGN_REVIEW = {
    "title": "Ran the design review that reshaped the notification rewrite",
    "body": (
        "Wrote the design doc for moving notifications onto a queue, gathered comments from "
        "Product, Support and two other teams, and ran the review meeting.\n\n"
        "- Compared three options with their failure modes\n"
        "- Agreed a rollout in four steps, each one reversible"
    ),
    "impact": (
        "The rewrite shipped in six weeks instead of the twelve first planned, and "
        "**notification delay at the 95th percentile fell from 9 s to 1.2 s**."
    ),
    "scope": "Three teams",
    "metric": "Notification delay, 95th percentile",
    "metric_before": "9 s",
    "metric_after": "1.2 s",
    "links": [
        {
            "url": "https://wiki.example.com/platform/designs/notification-queue",
            "label": "Design doc",
        },
        {"url": "https://wiki.example.com/platform/reviews/2026-09", "label": "Review notes"},
    ],
    "vouchers": ["Support lead"],
}
PROBLEM_STATEMENT = {
    "title": "Framed the problem and the success measure for the billing page rework",
    "body": "Interviewed six support agents and read forty tickets before writing a word.",
    "impact": (
        "Product adopted the success measure as the project's goal: tickets about invoices, "
        "down by a third within a quarter."
    ),
    "scope": "Product and Engineering",
}
THREAD_TITLE = "Learning to write design docs people actually read"
UPDATES = [
    (
        42,
        "Starting this thread to keep myself honest. My design docs come late and long; "
        "the goal is one page people read before the meeting, not after.",
    ),
    (
        21,
        "Tried a one-page format on the queue design: the problem, three options, the one I "
        "recommend and what would change my mind. Four people commented before the review, "
        "a first.",
    ),
    (
        5,
        "Ran the review with the doc on screen and a decision log at the end. We decided in "
        "25 minutes instead of two meetings, and the log went to the wiki the same day.",
    ),
]
REPLIES = [
    ("bob", 1, "The 'what would change my mind' section is the part I'll steal for the team."),
    ("maya", 2, "Next step: have someone else run the review from your doc, and listen."),
]
PUBLIC_THREAD = "What rewriting our notification pipeline taught me about queues"


def load(
    *,
    organization: Organization,
    people: dict[str, User],
    progress: Callable[[str], None] = lambda _msg: None,
) -> None:
    """Alice's evidence, threads and packet; `people` by first name."""
    alice = people["alice"]
    placement = active_placement(alice, organization)
    if placement is None:
        return
    progress("logging Alice's evidence, threads and packet ...")
    today = timezone.localdate()
    _evidence(placement, people, today)
    _threads(organization, placement, people, today)
    packet = create_packet(
        owner=alice,
        placement=placement,
        title="Alice Moreau: the case for IC4",
        summary=(
            "Over the last year I have led the design of the notification rewrite across "
            "three teams and started framing product problems before building them. This "
            "packet collects the proof, and says where it is still missing."
        ),
    )
    # What the demo did so far told Alice about confirmations, replies and reactions:
    # she has read those. Bob opening her packet's link is news.
    Notification.objects.filter(recipient=alice, kind__startswith="evidence.").update(
        read_at=timezone.now()
    )
    _link, secret = create_share_link(packet=packet, by=alice, days=30, label="Promotion committee")
    open_share_link(secret=secret, viewer=people["bob"])


def _evidence(placement: Placement, people: dict[str, User], today: date) -> None:
    alice, bob, maya = people["alice"], people["bob"], people["maya"]
    sam = people.get("sam")
    review = create_entry(
        owner=alice,
        placement=placement,
        happened_on=today - timedelta(days=30),
        competencies=[{"competency": "system-design", "step": "ic4"}],
        collaborators=[sam] if sam else [],
        visibility=Tier.ORGANIZATION,
        **DESIGN_REVIEW,  # type: ignore[arg-type]
    )
    confirm_entry(
        entry=review,
        by=bob,
        relation="manager",
        steps={"system-design": "ic4"},
        note="I was in the review; this is IC4 design work.",
    )
    if sam is not None:
        confirm_entry(entry=review, by=sam, relation="collaborator", steps={"system-design": "ic4"})
    done = (
        Objective.objects.filter(owner=alice, placement=placement, status=Status.DONE)
        .order_by("pk")
        .first()
    )
    statement = create_entry(
        owner=alice,
        placement=placement,
        happened_on=today - timedelta(days=12),
        competencies=[{"competency": "product-impact", "step": "ic4"}],
        objective=done,
        visibility=Tier.ORGANIZATION,
        **PROBLEM_STATEMENT,  # type: ignore[arg-type]
    )
    confirm_entry(
        entry=statement,
        by=maya,
        relation="mentor",
        steps={"product-impact": "ic4"},
        note="Saw the interviews; the measure is hers.",
    )
    create_entry(
        owner=alice,
        placement=placement,
        title="Paired with Lena on her first migration",
        happened_on=today - timedelta(days=3),
        competencies=[{"competency": "growing-others", "step": "ic3"}],
        body="Two afternoons; she ran the second half herself.",
        visibility=Tier.PRIVATE,
    )


def _threads(
    organization: Organization, placement: Placement, people: dict[str, User], today: date
) -> None:
    alice = people["alice"]
    thread = open_thread(
        owner=alice,
        organization=organization,
        title=THREAD_TITLE,
        competencies=["communication", "system-design"],
        visibility=Tier.ORGANIZATION,
    )
    posts = [post_update(thread=thread, by=alice, body=body) for _days, body in UPDATES]
    for (days, _body), post in zip(UPDATES, posts, strict=True):
        # Demo data only: the updates were written over six weeks.
        Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=days))
    for name, index, body in REPLIES:
        reply(thread=thread, by=people[name], body=body)
        react(post=posts[index], by=people[name], kind="applause")
    react(post=posts[2], by=people["maya"], kind="insight")
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now())
    promote_post(
        post=posts[2],
        by=alice,
        competencies=[{"competency": "system-design", "step": "ic4"}],
        title="Ran a design review that decided in one meeting",
        happened_on=today - timedelta(days=5),
        impact="One meeting instead of two, and a written decision log the same day.",
    )
    public = open_thread(
        owner=alice,
        organization=organization,
        title=PUBLIC_THREAD,
        competencies=["system-design"],
        visibility=Tier.PUBLIC,
        body=(
            "Moving notifications onto a queue halved our incidents. Three lessons: make "
            "every step idempotent, measure the delay people feel, and keep a way back."
        ),
    )
    react(post=public.posts.first(), by=people["bob"], kind="support")  # type: ignore[arg-type]

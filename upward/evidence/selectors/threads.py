"""Reads for growth threads: the organization's feed, one thread's posts with their
reactions, and what a person made public (their public profile).

Which threads a viewer sees is decided by `visible_threads` with the same rule as
`access.threads.may_read_thread`, but for a whole list in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from upward.accounts.models import Membership, Organization, User
from upward.accounts.relationships import relationships, relationships_among
from upward.assessments.selectors import active_placements
from upward.core.visibility import Tier, may_see_any
from upward.engine.framework.models import FrameworkDocument
from upward.evidence.models import Entry, Post, Reaction, ReactionKind, Thread
from upward.frameworks.selectors import document_of
from upward.roadmaps.models import OPEN_STATUSES, Objective

__all__ = [
    "PostShown",
    "PublicProfile",
    "ReactionShown",
    "ThreadPage",
    "feed",
    "objectives_to_tag",
    "public_profile",
    "public_thread_posts",
    "tag_names",
    "thread_page",
    "thread_posts",
    "visible_threads",
]

# Tiers that some members of the organization may not see; the rest are organization-wide.
NARROW_TIERS = (Tier.PRIVATE, Tier.MENTORS, Tier.MANAGER)
# The most a public profile lists of each kind, newest first.
PUBLIC_SHOWN = 100


def visible_threads(viewer: User, organization: Organization) -> QuerySet[Thread]:
    """Threads of the organization the viewer may read, as a query (3 queries to build it,
    plus 1 per relationship provider; none when the viewer is not a member).

    Organization-wide and public threads of members are visible to every member; for
    narrower tiers the owners are looked at one by one, in one question for all."""
    if not Membership.objects.filter(organization=organization, user=viewer).exists():
        return Thread.objects.none()
    in_org = Thread.objects.filter(organization=organization)
    narrow = in_org.filter(visibility__in=NARROW_TIERS).exclude(owner=viewer)
    owners = set(narrow.order_by().values_list("owner_id", flat=True).distinct())
    standing = relationships_among(viewer, owners, organization)
    owner_is_member = Exists(
        Membership.objects.filter(organization=organization, user_id=OuterRef("owner_id"))
    )
    seen = Q(owner=viewer) | Q(owner_is_member, visibility__in=[Tier.ORGANIZATION, Tier.PUBLIC])
    for tier in NARROW_TIERS:
        allowed = [pk for pk, ways in standing.items() if may_see_any(ways, tier)]
        if allowed:
            seen |= Q(visibility=tier, owner_id__in=allowed)
    return in_org.filter(seen)


def _count(rows: QuerySet, group: str) -> Coalesce:
    """A correlated count of `rows` (filtered on OuterRef), grouped by `group`."""
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0, output_field=IntegerField())


def feed(viewer: User, organization: Organization) -> QuerySet[Thread]:
    """The organization's feed for the viewer: visible threads, newest activity first, each
    with its owner, its newest update's text and how many updates, replies and reactions it
    has (computed in the page's query, for its rows only)."""
    posts = Post.objects.filter(thread=OuterRef("pk"))
    newest = posts.filter(is_update=True).order_by("-created_at", "-id").values("body")[:1]
    reactions = Reaction.objects.filter(post__thread=OuterRef("pk"))
    return (
        visible_threads(viewer, organization)
        .select_related("owner")
        .annotate(
            last_update=Subquery(newest),
            updates=_count(posts.filter(is_update=True), "thread"),
            replies=_count(posts.filter(is_update=False), "thread"),
            reactions=_count(reactions, "post__thread"),
        )
        .order_by("-last_activity_at", "-id")
    )


def _documents(
    owner_ids: Iterable[int], organization: Organization
) -> dict[int, FrameworkDocument]:
    """Each owner's current framework document there (1 query)."""
    users = [User(pk=pk) for pk in set(owner_ids)]
    placements = active_placements(users, organization)
    return {pk: document_of(p.version) for pk, p in placements.items()}


def tag_names(threads: Iterable[Thread], organization: Organization) -> dict[int, list[str]]:
    """Each thread's competency tags by name, read in its owner's current framework
    (1 query); a key that framework no longer has shows as it is."""
    threads = list(threads)
    docs = _documents((t.owner_id for t in threads), organization)
    out = {}
    for thread in threads:
        doc = docs.get(thread.owner_id)
        names = {c.key: c.name for c in doc.competencies} if doc else {}
        out[thread.pk] = [names.get(key, key) for key in thread.competencies]
    return out


# --- One thread -----------------------------------------------------------------------


@dataclass
class ReactionShown:
    """One kind of reaction on a post: how many, and whether the viewer gave it."""

    kind: str
    label: str
    count: int
    mine: bool


@dataclass
class PostShown:
    """A post as its thread's page shows it."""

    post: Post
    reactions: list[ReactionShown]
    # The evidence entry it was promoted to, if any.
    entry_id: int | None

    @property
    def reacted(self) -> list[ReactionShown]:
        """The kinds someone gave, for pages without buttons."""
        return [r for r in self.reactions if r.count]


@dataclass
class ThreadPage:
    """A thread with its posts in order, its tags by name and what the viewer may see of it."""

    thread: Thread
    posts: list[PostShown]
    tags: list[str]
    # The thread's objective, when the viewer may see it.
    objective: Objective | None
    # The owner's current framework there (for the promote form), if placed.
    document: FrameworkDocument | None = None
    track: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def thread_posts(thread: Thread, viewer: User | AnonymousUser) -> list[PostShown]:
    """The thread's posts with reactions (3 queries; 2 for a visitor)."""
    posts = list(
        Post.objects.filter(thread=thread)
        .select_related("author", "promoted_to")
        .order_by("created_at", "id")
    )
    counts = {
        (row["post_id"], row["kind"]): row["n"]
        for row in Reaction.objects.filter(post__thread=thread)
        .values("post_id", "kind")
        .annotate(n=Count("pk"))
    }
    mine: set[tuple[int, str]] = set()
    if viewer.is_authenticated:
        mine = set(
            Reaction.objects.filter(post__thread=thread, user=viewer).values_list("post_id", "kind")
        )
    out = []
    for post in posts:
        entry = getattr(post, "promoted_to", None)
        shown = [
            ReactionShown(
                kind=kind.value,
                label=kind.label,
                count=counts.get((post.pk, kind.value), 0),
                mine=(post.pk, kind.value) in mine,
            )
            for kind in ReactionKind
        ]
        out.append(PostShown(post=post, reactions=shown, entry_id=entry.pk if entry else None))
    return out


def thread_page(thread: Thread, viewer: User) -> ThreadPage:
    """A thread the viewer may read (see access), as its page shows it: 5 queries, plus 1 per
    relationship provider when it has an objective and the viewer is not its owner."""
    posts = thread_posts(thread, viewer)
    placements = active_placements([thread.owner], thread.organization)
    placement = placements.get(thread.owner_id)
    doc = document_of(placement.version) if placement else None
    names = {c.key: c.name for c in doc.competencies} if doc else {}
    objective = thread.objective
    if objective is not None and thread.owner_id != viewer.pk:
        standing = relationships(viewer, thread.owner, thread.organization)
        if not may_see_any(standing, objective.visibility):
            objective = None
    return ThreadPage(
        thread=thread,
        posts=posts,
        tags=[names.get(key, key) for key in thread.competencies],
        objective=objective,
        document=doc,
        track=placement.target_track if placement else "",
        counts={
            "updates": sum(1 for p in posts if p.post.is_update),
            "replies": sum(1 for p in posts if not p.post.is_update),
        },
    )


def objectives_to_tag(owner: User, organization: Organization) -> list[Objective]:
    """The owner's open objectives there, to link a thread to (1 query)."""
    return list(
        Objective.objects.filter(owner=owner, organization=organization, status__in=OPEN_STATUSES)
        .only("pk", "title")
        .order_by("title", "pk")
    )


# --- Public ---------------------------------------------------------------------------


@dataclass
class PublicProfile:
    """What a person made public: threads and evidence entries, nothing else of theirs."""

    person: User
    threads: Sequence[Thread]
    entries: Sequence[Entry]


def public_profile(user_id: int) -> PublicProfile | None:
    """The person's public threads and entries (3 queries), or None when there is nobody
    active by that id or they made nothing public."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return None
    threads = list(
        Thread.objects.filter(owner=person, visibility=Tier.PUBLIC)
        .annotate(
            updates=_count(Post.objects.filter(thread=OuterRef("pk"), is_update=True), "thread")
        )
        .order_by("-last_activity_at", "-id")[:PUBLIC_SHOWN]
    )
    entries = list(
        Entry.objects.filter(owner=person, visibility=Tier.PUBLIC)
        .annotate(confirmed_by=Count("confirmations"))
        .order_by("-happened_on", "-id")[:PUBLIC_SHOWN]
    )
    if not threads and not entries:
        return None
    return PublicProfile(person=person, threads=threads, entries=entries)


def public_thread_posts(thread: Thread) -> list[PostShown]:
    """A public thread's posts for anyone, with reaction counts (2 queries)."""
    return thread_posts(thread, AnonymousUser())

"""Writes for growth threads: opening one, updates and replies, reactions, and promoting
an update to an evidence entry.

Every input is checked before anything is written, and each service runs in one
transaction. Errors name the field ("title", "competencies[1]", "body", "post", ...).
Someone who may not read a thread gets NotFound, as if it did not exist; someone
who may read it but not do what they asked gets Invalid naming "by".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.accounts.models import Membership, Organization, User
from upward.assessments.selectors import active_placement
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.validators import single_line
from upward.core.visibility import Tier
from upward.evidence import emails_threads
from upward.evidence.access.threads import may_read_thread
from upward.evidence.models import Entry, Post, Reaction, ReactionKind, Thread
from upward.evidence.services.entries import create_entry
from upward.frameworks.selectors import document_of
from upward.roadmaps.models import Objective

__all__ = [
    "delete_post",
    "delete_thread",
    "edit_post",
    "open_thread",
    "post_update",
    "promote_post",
    "react",
    "reply",
    "unreact",
    "update_thread",
]

TITLE_MAX = 200
BODY_MAX = 20_000
TAGS_MAX = 20
# What update_thread may change.
EDITABLE = frozenset({"title", "competencies", "objective", "visibility"})


# --- Checks (nothing here writes) ------------------------------------------------------


def check_title(title: str) -> str:
    """A non-empty, one-line title."""
    title = single_line(title, field="title")
    if not title:
        raise Invalid("Give the thread a title.", field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"Keep the title under {TITLE_MAX} characters.", field="title")
    return title


def check_body(body: str) -> str:
    """Markdown text that says something."""
    body = body.strip()
    if not body:
        raise Invalid("Write something first.", field="body")
    if len(body) > BODY_MAX:
        raise Invalid(f"Keep it under {BODY_MAX:,} characters.", field="body")
    return body


def check_visibility(visibility: str) -> str:
    if visibility not in Tier.values:
        raise Invalid(
            f"'{visibility}' is not a visibility; pick one of {', '.join(Tier.values)}.",
            field="visibility",
        )
    return visibility


def check_tags(owner: User, organization: Organization, competencies: Sequence[str]) -> list[str]:
    """Competency keys of the owner's current placement there, once each, in the order given."""
    keys = [str(key).strip() for key in competencies]
    if not keys:
        return []
    if len(keys) > TAGS_MAX:
        raise Invalid(f"Tag at most {TAGS_MAX} competencies.", field="competencies")
    placement = active_placement(owner, organization)
    if placement is None:
        raise Invalid(
            "Place yourself on a framework first: tags are competencies of your placement.",
            field="competencies",
        )
    doc = document_of(placement.version)
    known = {c.key for c in doc.competencies}
    for i, key in enumerate(keys):
        if key not in known:
            raise Invalid(f"'{key}' is not a competency of {doc.name}.", field=f"competencies[{i}]")
    return list(dict.fromkeys(keys))


def check_objective(
    owner: User, organization: Organization, objective: Objective | None
) -> Objective | None:
    """An objective of the owner's roadmap in this organization, or none."""
    if objective is None:
        return None
    if objective.owner_id != owner.pk or objective.organization_id != organization.pk:
        raise Invalid("Pick one of your own objectives in this organization.", field="objective")
    return objective


def _readable(thread: Thread, by: User) -> None:
    if not may_read_thread(by, thread):
        raise NotFound("There is no such thread.")


def _owner_only(thread: Thread, by: User, message: str) -> None:
    _readable(thread, by)
    if thread.owner_id != by.pk:
        raise Invalid(message, field="by")


# --- Threads --------------------------------------------------------------------------


@transaction.atomic
def open_thread(
    *,
    owner: User,
    organization: Organization,
    title: str,
    competencies: Sequence[str] = (),
    objective: Objective | None = None,
    visibility: str = Tier.ORGANIZATION,
    body: str = "",
) -> Thread:
    """Start a thread on something the owner is working on; `body` is its first update."""
    if not Membership.objects.filter(organization=organization, user=owner).exists():
        raise NotFound("There is no such organization.")
    thread = Thread(
        owner=owner,
        organization=organization,
        title=check_title(title),
        competencies=check_tags(owner, organization, competencies),
        objective=check_objective(owner, organization, objective),
        visibility=check_visibility(visibility),
        last_activity_at=timezone.now(),
    )
    first = check_body(body) if body.strip() else ""
    thread.save()
    if first:
        Post.objects.create(thread=thread, author=owner, is_update=True, body=first)
    audit.record(
        thread,
        AuditCode.EVIDENCE_THREAD_OPENED,
        actor=owner,
        data={"visibility": thread.visibility, "competencies": thread.competencies},
    )
    return thread


@transaction.atomic
def update_thread(*, thread: Thread, by: User, **fields: Any) -> Thread:
    """Change the thread's title, tags, objective or visibility (its owner only)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"update_thread() can't change {', '.join(sorted(unknown))}")
    _owner_only(thread, by, "Only the thread's owner changes it.")
    checked: dict[str, Any] = {}
    if "title" in fields:
        checked["title"] = check_title(fields["title"])
    if "competencies" in fields:
        checked["competencies"] = check_tags(by, thread.organization, fields["competencies"])
    if "objective" in fields:
        checked["objective"] = check_objective(by, thread.organization, fields["objective"])
    if "visibility" in fields:
        checked["visibility"] = check_visibility(fields["visibility"])
    for name, value in checked.items():
        setattr(thread, name, value)
    thread.save(update_fields=list(checked))
    audit.record(
        thread, AuditCode.EVIDENCE_THREAD_UPDATED, actor=by, data={"fields": sorted(checked)}
    )
    return thread


@transaction.atomic
def delete_thread(*, thread: Thread, by: User) -> None:
    """Delete the thread with its posts; entries promoted from it stay, unlinked."""
    _owner_only(thread, by, "Only the thread's owner deletes it.")
    audit.record(thread, AuditCode.EVIDENCE_THREAD_DELETED, actor=by)
    thread.delete()


# --- Posts ----------------------------------------------------------------------------


def _add_post(thread: Thread, by: User, body: str, *, is_update: bool) -> Post:
    post = Post.objects.create(thread=thread, author=by, is_update=is_update, body=body)
    thread.last_activity_at = post.created_at
    thread.save(update_fields=["last_activity_at"])
    return post


@transaction.atomic
def post_update(*, thread: Thread, by: User, body: str) -> Post:
    """The owner moves the thread on with an update."""
    _owner_only(thread, by, "Only the thread's owner posts updates; reply instead.")
    return _add_post(thread, by, check_body(body), is_update=True)


@transaction.atomic
def reply(*, thread: Thread, by: User, body: str) -> Post:
    """Anyone who may read the thread answers it; its owner is told (unless it was them)."""
    _readable(thread, by)
    post = _add_post(thread, by, check_body(body), is_update=False)
    emails_threads.notify_reply(post=post)
    return post


def _authored(post: Post, by: User) -> None:
    _readable(post.thread, by)
    if post.author_id != by.pk:
        raise Invalid("Only its author changes a post.", field="by")


@transaction.atomic
def edit_post(*, post: Post, by: User, body: str) -> Post:
    """Its author rewrites a post."""
    _authored(post, by)
    post.body = check_body(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    audit.record(
        post, AuditCode.EVIDENCE_POST_EDITED, actor=by, organization=post.thread.organization
    )
    return post


@transaction.atomic
def delete_post(*, post: Post, by: User) -> None:
    """Its author deletes a post, or the thread's owner deletes a reply in their thread.
    An entry promoted from it stays, unlinked."""
    thread = post.thread
    _readable(thread, by)
    if post.author_id != by.pk and thread.owner_id != by.pk:
        raise Invalid("Only its author or the thread's owner deletes a post.", field="by")
    audit.record(post, AuditCode.EVIDENCE_POST_DELETED, actor=by, organization=thread.organization)
    post.delete()


# --- Reactions ------------------------------------------------------------------------


def check_kind(kind: str) -> str:
    if kind not in ReactionKind.values:
        raise Invalid(
            f"'{kind}' is not a reaction; use one of {', '.join(ReactionKind.values)}.",
            field="kind",
        )
    return kind


@transaction.atomic
def react(*, post: Post, by: User, kind: str) -> Reaction:
    """React to a post (again is fine); its author is told of a new reaction, unless it was them."""
    _readable(post.thread, by)
    kind = check_kind(kind)
    found = Reaction.objects.filter(post=post, user=by, kind=kind).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(post=post, user=by, kind=kind)
    except IntegrityError:  # the same person, twice at once
        return Reaction.objects.get(post=post, user=by, kind=kind)
    emails_threads.notify_reaction(reaction=reaction)
    return reaction


@transaction.atomic
def unreact(*, post: Post, by: User, kind: str) -> None:
    """Take one's reaction back (when there is none, nothing happens)."""
    _readable(post.thread, by)
    Reaction.objects.filter(post=post, user=by, kind=check_kind(kind)).delete()


# --- Promotion ------------------------------------------------------------------------


@transaction.atomic
def promote_post(
    *,
    post: Post,
    by: User,
    competencies: Sequence[dict[str, str]],
    title: str = "",
    happened_on: date | None = None,
    impact: str = "",
    visibility: str | None = None,
) -> Entry:
    """Make one of the owner's updates an evidence entry that keeps the link to it.

    The entry takes the update's text, the thread's objective and, unless told
    otherwise, the thread's title, the update's day and the thread's visibility."""
    thread = post.thread
    _owner_only(thread, by, "Only the thread's owner promotes its updates.")
    if post.author_id != by.pk or not post.is_update:
        raise Invalid("Only your own updates can become evidence.", field="post")
    if Entry.objects.filter(post=post).exists():
        raise Conflict("This update is already an evidence entry.", field="post")
    placement = active_placement(by, thread.organization)
    if placement is None:
        raise Invalid(
            "Place yourself on a framework first: evidence shows competencies of it.",
            field="competencies",
        )
    entry = create_entry(
        owner=by,
        placement=placement,
        title=title.strip() or thread.title,
        happened_on=happened_on or timezone.localdate(post.created_at),
        competencies=list(competencies),
        body=post.body,
        impact=impact,
        objective=thread.objective,
        visibility=visibility or thread.visibility,
        post=post,
    )
    audit.record(
        post,
        AuditCode.EVIDENCE_POST_PROMOTED,
        actor=by,
        organization=thread.organization,
        data={"entry": entry.pk},
    )
    return entry

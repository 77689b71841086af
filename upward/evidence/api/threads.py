"""API for growth threads under /orgs/{slug}/threads: the feed, threads with their posts,
updates and replies, reactions, and promoting an update to an evidence entry.

A thread or post of another organization answers 404 there, like one that does not
exist or that the caller may not read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.accounts.models import Membership, User
from upward.core.errors import Invalid
from upward.core.schemas import Day, ErrorOut, Id, Pages, PersonOut
from upward.evidence.access.threads import access_post, access_thread
from upward.evidence.models import Post, Thread
from upward.evidence.selectors import threads as selectors
from upward.evidence.services import threads as services
from upward.roadmaps.models import Objective

router = Router(tags=["evidence"])

TierName = Literal["private", "mentors", "manager", "organization", "public"]
ReactionName = Literal["applause", "insight", "support", "curious"]
CompetencyKey = Annotated[str, Field(max_length=100, description="A competency's key")]
StepKey = Annotated[str, Field(max_length=100, description="A level key or a step of a scale")]
Title = Annotated[str, Field(max_length=services.TITLE_MAX)]
Body = Annotated[str, Field(max_length=services.BODY_MAX, description="Markdown")]
VISIBILITY_HELP = "Who besides you reads it: private, mentors, manager, organization, public"
FEED_PAGE_SIZE = 20


# --- Schemas -----------------------------------------------------------------------------


class ThreadIn(Schema):
    title: Title
    competencies: list[CompetencyKey] = Field(
        default_factory=list,
        max_length=services.TAGS_MAX,
        description="Keys of competencies of your current placement here",
    )
    objective_id: Id | None = Field(None, description="One of your objectives here")
    visibility: TierName = Field("organization", description=VISIBILITY_HELP)
    body: Body = Field("", description="The first update (Markdown), optional")


class ThreadPatch(Schema):
    """The fields to change; any left out stay as they are."""

    title: Title | None = None
    competencies: list[CompetencyKey] | None = Field(None, max_length=services.TAGS_MAX)
    objective_id: Id | None = Field(None, description="null unlinks the objective")
    visibility: TierName | None = Field(None, description=VISIBILITY_HELP)


class PostIn(Schema):
    body: Body


class ReactionOut(Schema):
    kind: str
    count: int
    mine: bool = Field(..., description="Whether you gave it")


class PostOut(Schema):
    id: int
    author: PersonOut | None = Field(..., description="null once the author's account is gone")
    is_update: bool = Field(..., description="An update by the owner, else a reply")
    body: str
    created_at: datetime
    edited_at: datetime | None
    reactions: list[ReactionOut]
    entry_id: int | None = Field(..., description="The evidence entry it was promoted to")


class ThreadOut(Schema):
    id: int
    owner: PersonOut
    title: str
    competencies: list[str]
    visibility: str
    created_at: datetime
    last_activity_at: datetime


class ThreadSummaryOut(ThreadOut):
    updates: int
    replies: int
    reactions: int
    last_update: str | None = Field(..., description="The newest update's text")


class ThreadDetailOut(ThreadOut):
    objective_id: int | None = Field(..., description="Shown when you may see the objective")
    posts: list[PostOut]


class PromotionCompetencyIn(Schema):
    competency: CompetencyKey
    step: StepKey


class PromoteIn(Schema):
    competencies: list[PromotionCompetencyIn] = Field(..., max_length=20)
    title: Annotated[str, Field(max_length=300)] = Field("", description="Defaults to the thread's")
    happened_on: Day | None = Field(None, description="Defaults to the update's day")
    impact: Body = ""
    visibility: TierName | None = Field(None, description="Defaults to the thread's")


class PromotedOut(Schema):
    entry_id: int
    post_id: int


# --- Helpers -----------------------------------------------------------------------------


def _membership(request: HttpRequest, slug: str) -> Membership:
    return access_organization(api_caller(request), slug)


def _thread(request: HttpRequest, slug: str, thread_id: int, *, write: bool = False) -> Thread:
    """A thread of the organization in the path that the caller may read (or change)."""
    thread = access_thread(api_caller(request), thread_id, write=write)
    if thread.organization.slug != slug:
        raise Http404
    return thread


def _post(
    request: HttpRequest, slug: str, thread_id: int, post_id: int, *, write: bool = False
) -> Post:
    """A post of that thread, in the organization in the path, that the caller may read."""
    post = access_post(api_caller(request), post_id, write=write)
    if post.thread_id != thread_id or post.thread.organization.slug != slug:
        raise Http404
    return post


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.display_name}


def _post_out(item: selectors.PostShown) -> dict[str, Any]:
    post = item.post
    return {
        "id": post.pk,
        "author": _person(post.author),
        "is_update": post.is_update,
        "body": post.body,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "reactions": [{"kind": r.kind, "count": r.count, "mine": r.mine} for r in item.reactions],
        "entry_id": item.entry_id,
    }


def _thread_out(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "owner": _person(thread.owner),
        "title": thread.title,
        "competencies": list(thread.competencies),
        "visibility": thread.visibility,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
    }


def _detail(thread: Thread, viewer: User) -> dict[str, Any]:
    shown = selectors.thread_page(thread, viewer)
    return {
        **_thread_out(thread),
        "objective_id": shown.objective.pk if shown.objective else None,
        "posts": [_post_out(item) for item in shown.posts],
    }


def _objective(objective_id: int | None) -> Objective | None:
    """The objective by id; the service decides whether it may be linked (yours, here)."""
    if objective_id is None:
        return None
    found = Objective.objects.filter(pk=objective_id).first()
    if found is None:
        raise Invalid("Pick one of your own objectives in this organization.", field="objective")
    return found


# --- Threads -----------------------------------------------------------------------------


@router.get("/orgs/{slug}/threads", response=list[ThreadSummaryOut])
@paginate(Pages, page_size=FEED_PAGE_SIZE)
def list_threads(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The organization's threads you may read, newest activity first."""
    membership = _membership(request, slug)
    return selectors.feed(api_caller(request), membership.organization)


@router.post("/orgs/{slug}/threads", response={201: ThreadDetailOut})
def create_thread(request: HttpRequest, slug: str, payload: ThreadIn) -> Status:
    """Open a thread here. Bad input answers 422 naming the field (competencies[1], ...)."""
    membership = _membership(request, slug)
    thread = services.open_thread(
        owner=api_caller(request),
        organization=membership.organization,
        title=payload.title,
        competencies=payload.competencies,
        objective=_objective(payload.objective_id),
        visibility=payload.visibility,
        body=payload.body,
    )
    return Status(201, _detail(thread, api_caller(request)))


@router.get("/orgs/{slug}/threads/{thread_id}", response=ThreadDetailOut)
def get_thread(request: HttpRequest, slug: str, thread_id: Id) -> dict[str, Any]:
    """A thread with its updates and replies in order, and their reactions."""
    return _detail(_thread(request, slug, thread_id), api_caller(request))


@router.patch("/orgs/{slug}/threads/{thread_id}", response=ThreadDetailOut)
def update_thread(
    request: HttpRequest, slug: str, thread_id: Id, payload: ThreadPatch
) -> dict[str, Any]:
    """Change your thread's title, tags, objective or audience."""
    thread = _thread(request, slug, thread_id, write=True)
    given = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in given.items() if v is not None and k != "objective_id"}
    if "objective_id" in given:
        changes["objective"] = _objective(given["objective_id"])
    services.update_thread(thread=thread, by=api_caller(request), **changes)
    return _detail(thread, api_caller(request))


@router.delete("/orgs/{slug}/threads/{thread_id}", response={204: None})
def delete_thread(request: HttpRequest, slug: str, thread_id: Id) -> Status:
    """Delete your thread with its posts (entries promoted from it stay)."""
    thread = _thread(request, slug, thread_id, write=True)
    services.delete_thread(thread=thread, by=api_caller(request))
    return Status(204, None)


# --- Posts -------------------------------------------------------------------------------


def _one(post: Post, viewer: User) -> dict[str, Any]:
    items = selectors.thread_posts(post.thread, viewer)
    return _post_out(next(i for i in items if i.post.pk == post.pk))


@router.post("/orgs/{slug}/threads/{thread_id}/updates", response={201: PostOut})
def create_update(request: HttpRequest, slug: str, thread_id: Id, payload: PostIn) -> Status:
    """Post an update to your thread."""
    thread = _thread(request, slug, thread_id, write=True)
    post = services.post_update(thread=thread, by=api_caller(request), body=payload.body)
    return Status(201, _one(post, api_caller(request)))


@router.post("/orgs/{slug}/threads/{thread_id}/replies", response={201: PostOut})
def create_reply(request: HttpRequest, slug: str, thread_id: Id, payload: PostIn) -> Status:
    """Reply to a thread you may read; its owner is told."""
    thread = _thread(request, slug, thread_id)
    post = services.reply(thread=thread, by=api_caller(request), body=payload.body)
    return Status(201, _one(post, api_caller(request)))


@router.patch("/orgs/{slug}/threads/{thread_id}/posts/{post_id}", response=PostOut)
def update_post(
    request: HttpRequest, slug: str, thread_id: Id, post_id: Id, payload: PostIn
) -> dict[str, Any]:
    """Rewrite a post of yours."""
    post = _post(request, slug, thread_id, post_id, write=True)
    services.edit_post(post=post, by=api_caller(request), body=payload.body)
    return _one(post, api_caller(request))


@router.delete("/orgs/{slug}/threads/{thread_id}/posts/{post_id}", response={204: None})
def delete_post(request: HttpRequest, slug: str, thread_id: Id, post_id: Id) -> Status:
    """Delete a post of yours, or a reply in your thread."""
    post = _post(request, slug, thread_id, post_id)
    services.delete_post(post=post, by=api_caller(request))
    return Status(204, None)


@router.put("/orgs/{slug}/threads/{thread_id}/posts/{post_id}/reactions/{kind}", response=PostOut)
def create_reaction(
    request: HttpRequest, slug: str, thread_id: Id, post_id: Id, kind: ReactionName
) -> dict[str, Any]:
    """React to a post (again changes nothing); its author is told."""
    post = _post(request, slug, thread_id, post_id)
    services.react(post=post, by=api_caller(request), kind=kind)
    return _one(post, api_caller(request))


@router.delete(
    "/orgs/{slug}/threads/{thread_id}/posts/{post_id}/reactions/{kind}", response=PostOut
)
def delete_reaction(
    request: HttpRequest, slug: str, thread_id: Id, post_id: Id, kind: ReactionName
) -> dict[str, Any]:
    """Take your reaction back (when there is none, nothing changes)."""
    post = _post(request, slug, thread_id, post_id)
    services.unreact(post=post, by=api_caller(request), kind=kind)
    return _one(post, api_caller(request))


@router.post(
    "/orgs/{slug}/threads/{thread_id}/posts/{post_id}/promote",
    response={201: PromotedOut, 409: ErrorOut},
)
def create_promotion(
    request: HttpRequest, slug: str, thread_id: Id, post_id: Id, payload: PromoteIn
) -> Status:
    """Make one of your updates an evidence entry that links back to it. Errors name the
    field (competencies[0].step, ...); promoting the same update twice answers 409."""
    post = _post(request, slug, thread_id, post_id, write=True)
    entry = services.promote_post(
        post=post,
        by=api_caller(request),
        competencies=[c.model_dump() for c in payload.competencies],
        title=payload.title,
        happened_on=payload.happened_on,
        impact=payload.impact,
        visibility=payload.visibility,
    )
    return Status(201, {"entry_id": entry.pk, "post_id": post.pk})

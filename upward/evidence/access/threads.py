"""Who may read and change growth threads and their posts.

A thread belongs to its owner, who reads and changes it. Others read it (and so
reply and react) when they are members of its organization and the thread's tier
lets the way they stand to the owner see it (`upward.core.visibility`). A public
thread is read by anyone, including visitors who are not signed in, but only on
the owner's public profile (`access_public_thread`); inside the organization's
pages it is an organization-wide thread. A post is changed by its author only.
Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import User
from upward.accounts.relationships import OUTSIDER, relationships
from upward.core.visibility import Tier, may_see_any
from upward.evidence.models import Post, Thread

__all__ = [
    "access_post",
    "access_public_thread",
    "access_thread",
    "may_read_thread",
]


def may_read_thread(user: User | AnonymousUser, thread: Thread) -> bool:
    """Whether `user`, inside the thread's organization, may read it (and so reply and react)."""
    if not user.is_authenticated:
        return False
    standing = relationships(user, thread.owner, thread.organization)
    if standing == OUTSIDER:  # not (or no longer) a member, or the owner has left
        return False
    return may_see_any(standing, thread.visibility)


def access_thread(user: User | AnonymousUser, thread_id: int, *, write: bool = False) -> Thread:
    """A thread the user may read (owner, or the audience its tier allows) or change (owner)."""
    if not user.is_authenticated:
        raise Http404
    thread = get_object_or_404(
        Thread.objects.select_related("owner", "organization", "objective"),
        pk=thread_id,
        organization__memberships__user=user,  # the reader is still a member there
    )
    if write and thread.owner_id != user.pk:
        raise Http404
    if not may_read_thread(user, thread):
        raise Http404
    return thread


def access_post(user: User | AnonymousUser, post_id: int, *, write: bool = False) -> Post:
    """A post of a thread the user may read, or (`write`) one they wrote."""
    if not user.is_authenticated:
        raise Http404
    post = get_object_or_404(
        Post.objects.select_related(
            "author", "thread__owner", "thread__organization", "thread__objective"
        ),
        pk=post_id,
        thread__organization__memberships__user=user,  # still a member there
    )
    if write and post.author_id != user.pk:
        raise Http404
    if not may_read_thread(user, post.thread):
        raise Http404
    return post


def access_public_thread(owner_id: int, thread_id: int) -> Thread:
    """A public thread of an active person, for anyone (signed in or not)."""
    return get_object_or_404(
        Thread.objects.select_related("owner"),
        pk=thread_id,
        owner_id=owner_id,
        owner__is_active=True,
        visibility=Tier.PUBLIC,
    )

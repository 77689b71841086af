"""What growth threads tell people, through notifications: replies and reactions.

A reply tells the thread's owner right away by default: it is a conversation.
A reaction tells the post's author in the daily digest by default: it is worth
knowing, not worth an interruption. Nobody is told of what they did themselves,
nor of a thread they may no longer read.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator

from upward.evidence.access.threads import may_read_thread
from upward.evidence.models import Post, Reaction, ReactionKind, Thread
from upward.notifications.services import Choice, notify, register_kind

THREAD_REPLY = register_kind("evidence.thread_reply", "Replies to your growth threads").key
THREAD_REACTION = register_kind(
    "evidence.thread_reaction", "Reactions to your posts in growth threads", default=Choice.DAILY
).key

EXCERPT_WORDS = 40


def post_path(post: Post) -> str:
    """The post in its thread's page (evidence:thread)."""
    return reverse("evidence:thread", args=[post.thread_id]) + f"#post-{post.pk}"


def notify_reply(*, post: Post) -> None:
    """Tell the thread's owner someone replied (not when the owner replied)."""
    thread: Thread = post.thread
    author = post.author
    if author is None or author.pk == thread.owner_id:
        return
    if not may_read_thread(thread.owner, thread):
        return
    notify(
        recipient=thread.owner,
        kind_key=THREAD_REPLY,
        title=f"{author.display_name} replied to “{thread.title}”",
        url=post_path(post),
        body=Truncator(post.body).words(EXCERPT_WORDS),
    )


def notify_reaction(*, reaction: Reaction) -> None:
    """Tell the post's author someone reacted (not when they reacted themselves)."""
    post = reaction.post
    author = post.author
    if author is None or author.pk == reaction.user_id:
        return
    if not may_read_thread(author, post.thread):
        return
    what = "update" if post.is_update else "reply"
    notify(
        recipient=author,
        kind_key=THREAD_REACTION,
        title=(
            f"{reaction.user.display_name} reacted {ReactionKind(reaction.kind).label} "
            f"to your {what} in “{post.thread.title}”"
        ),
        url=post_path(post),
        body=Truncator(post.body).words(EXCERPT_WORDS),
    )

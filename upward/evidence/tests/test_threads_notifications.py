"""Replies tell the thread's owner and reactions tell the post's author, through the
notification kinds and as each person chose; nobody is told of what they did."""

from __future__ import annotations

import pytest

from upward.accounts.models import Membership
from upward.accounts.services import remove_member
from upward.evidence.services.threads import open_thread, react, reply
from upward.notifications.kinds import Choice, kind
from upward.notifications.models import Notification
from upward.notifications.services import set_choice


@pytest.fixture
def thread(alice, acme):
    return open_thread(
        owner=alice, organization=acme, title="Learning to review migrations", body="Week one."
    )


def test_the_kinds_are_registered_replies_instant_and_reactions_daily():
    assert kind("evidence.thread_reply").default == Choice.INSTANT
    assert kind("evidence.thread_reaction").default == Choice.DAILY


def test_a_reply_tells_the_owner_with_a_link_to_it(thread, alice, bob):
    answer = reply(thread=thread, by=bob, body="Which guide did you use?")
    note = Notification.objects.get()
    assert note.recipient == alice
    assert note.kind == "evidence.thread_reply"
    assert note.title == "Bob replied to “Learning to review migrations”"
    assert note.url == f"/threads/{thread.pk}/#post-{answer.pk}"
    assert "Which guide" in note.body


def test_the_owner_replying_tells_nobody(thread, alice):
    reply(thread=thread, by=alice, body="Answering myself")
    assert not Notification.objects.exists()


def test_a_reaction_tells_the_posts_author_in_the_daily_digest(thread, alice, bob):
    react(post=thread.posts.get(), by=bob, kind="applause")
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.email) == (alice, "evidence.thread_reaction", "daily")
    assert "Bob reacted" in note.title


def test_a_reaction_on_a_reply_tells_the_replier_not_the_owner(thread, alice, bob, maya):
    answer = reply(thread=thread, by=bob, body="My idea")
    Notification.objects.all().delete()
    react(post=answer, by=maya, kind="insight")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [bob.pk]


def test_reacting_to_ones_own_post_or_again_tells_nobody(thread, alice, bob):
    post = thread.posts.get()
    react(post=post, by=alice, kind="applause")
    assert not Notification.objects.exists()
    react(post=post, by=bob, kind="support")
    react(post=post, by=bob, kind="support")
    assert Notification.objects.count() == 1


def test_an_instant_choice_sends_the_email_once_committed(
    thread, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread=thread, by=bob, body="Nice")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [alice.email]
    assert "Bob replied" in mailoutbox[0].subject


def test_no_email_keeps_the_inbox_entry_and_sends_nothing(
    thread, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    set_choice(user=alice, kind_key="evidence.thread_reply", choice="off", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread=thread, by=bob, body="Nice")
    assert mailoutbox == []
    assert Notification.objects.get().email == "off"


def test_a_reaction_waits_for_the_digest_unless_chosen_instant(
    thread, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    post = thread.posts.get()
    with django_capture_on_commit_callbacks(execute=True):
        react(post=post, by=bob, kind="applause")
    assert mailoutbox == []
    set_choice(user=alice, kind_key="evidence.thread_reaction", choice="instant", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        react(post=post, by=bob, kind="insight")
    assert len(mailoutbox) == 1


def test_a_replier_who_left_is_not_told_of_reactions(thread, alice, ada, acme, bob):
    answer = reply(thread=thread, by=bob, body="My idea")
    Notification.objects.all().delete()
    remove_member(membership=Membership.objects.get(organization=acme, user=bob), by=ada)
    react(post=answer, by=alice, kind="applause")
    assert not Notification.objects.exists()

"""Thread pages: the feed (order, pages, query budget), a thread with its forms, and every
action through the HTML forms, without JavaScript and with htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from upward.evidence.models import Entry, Post, Reaction, Thread
from upward.evidence.services.threads import open_thread, post_update, react, reply
from upward.testing import client_for, page


@pytest.fixture
def thread(placement, alice, acme):
    return open_thread(
        owner=alice,
        organization=acme,
        title="Learning to review migrations",
        competencies=["shipping"],
        body="Week one: read the **guide**.",
    )


def url(name: str, *args: int) -> str:
    return reverse(f"evidence:{name}", args=args)


def aged(thread: Thread, days: int) -> Thread:
    """Make the thread's last activity `days` ago."""
    Thread.objects.filter(pk=thread.pk).update(
        last_activity_at=timezone.now() - timedelta(days=days)
    )
    return thread


# --- The feed ---------------------------------------------------------------------------


def test_the_feed_lists_visible_threads_newest_activity_first(alice, bob, sam, acme, thread):
    older = aged(open_thread(owner=bob, organization=acme, title="Bob's older thread"), 3)
    hidden = open_thread(
        owner=sam, organization=acme, title="Sam's own notes", visibility="private"
    )
    aged(thread, 1)
    reply(thread=older, by=alice, body="Bumps it up")
    shown = page(alice, url("threads"))
    assert shown.words.index("Bob's older thread") < shown.words.index(thread.title)
    assert hidden.title not in shown.words


def test_each_feed_row_has_its_owner_tags_excerpt_and_counts(alice, sam, thread):
    reply(thread=thread, by=sam, body="Good luck")
    react(post=thread.posts.first(), by=sam, kind="applause")
    react(post=thread.posts.first(), by=sam, kind="insight")
    shown = page(sam, url("threads"))
    assert "Alice" in shown.words
    assert "Shipping" in shown.words
    assert "Week one: read the guide." in shown.words  # the text, not its Markdown
    assert "1 update 1 reply 2 reactions" in shown.words


def test_the_feed_is_paginated(alice, acme):
    for i in range(23):
        aged(open_thread(owner=alice, organization=acme, title=f"Thread number {i:02d}"), i)
    first = page(alice, url("threads"))
    assert "Thread number 00" in first.words
    assert "Thread number 19" in first.words
    assert "Thread number 20" not in first.words
    assert "Page 1 of 2" in first.words
    second = page(alice, url("threads") + "?page=2")
    assert "Thread number 22" in second.words
    assert "Thread number 00" not in second.words
    assert "Thread number 22" in page(alice, url("threads") + "?page=99").words


def _many(owner, organization, placement, others, count: int) -> None:
    for i in range(count):
        thread = open_thread(
            owner=owner,
            organization=organization,
            title=f"T{i}",
            competencies=["shipping"],
            visibility="manager" if i % 2 else "organization",
        )
        update = post_update(thread=thread, by=owner, body="An update")
        for person in others:
            reply(thread=thread, by=person, body="A reply")
            react(post=update, by=person, kind="support")


@pytest.mark.parametrize("count", [2, 12])
def test_the_feed_takes_the_same_queries_however_many_threads(
    alice, bob, acme, placement, count, django_assert_num_queries
):
    _many(alice, acme, placement, [bob], count)
    client = client_for(bob)
    client.get(url("threads"))  # the session is warm, as in use
    # 1 session, 2 user, 3 current membership, 4 is Bob a member (visibility),
    # 5 owners of narrow-tier threads, 6 their relationships to Bob, 7 whom of them he
    # mentors, 8 count for the pages, 9 the page's threads with owners, newest update
    # and counts, 10 the owners' placements (tag names), 11 memberships for the
    # switcher, 12 unread notifications.
    with django_assert_num_queries(12):
        shown = page(client, url("threads"))
    assert shown.words.count("1 reply") == count


def test_the_feed_sends_someone_without_an_organization_to_pick_one(alice):
    from upward.accounts.models import Membership

    Membership.objects.filter(user=alice).delete()
    response = client_for(alice).get(url("threads"))
    assert response.status_code == 302


# --- Opening and changing a thread ------------------------------------------------------


def test_opening_a_thread_offers_my_competencies_and_objectives(alice, placement):
    shown = page(alice, url("thread_new"))
    assert "Shipping" in shown.words
    assert "Reviews" in shown.words
    assert 'name="visibility"' in shown.html


def test_opening_a_thread_from_the_form(as_alice, placement, acme):
    response = as_alice.post(
        url("thread_new"),
        {
            "title": "Pairing on incident reviews",
            "body": "Starting today.",
            "competencies": ["reviews"],
            "visibility": "manager",
        },
    )
    made = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("thread", made.pk)
    assert made.competencies == ["reviews"]
    assert made.visibility == "manager"
    assert made.posts.get().body == "Starting today."


def test_a_bad_thread_form_re_renders_with_the_error(as_alice, placement):
    response = as_alice.post(url("thread_new"), {"title": "", "visibility": "organization"})
    assert response.status_code == 422
    assert Thread.objects.count() == 0


def test_the_owner_edits_and_deletes_the_thread(as_alice, thread):
    data = {"title": "Reviewing migrations", "competencies": [], "visibility": "mentors"}
    assert as_alice.post(url("thread_edit", thread.pk), data).status_code == 302
    thread.refresh_from_db()
    assert (thread.title, thread.visibility, thread.competencies) == (
        "Reviewing migrations",
        "mentors",
        [],
    )
    response = as_alice.post(url("thread_delete", thread.pk))
    assert response["Location"] == url("threads")
    assert not Thread.objects.exists()


def test_others_get_404_from_the_owners_actions(as_bob, thread):
    for name in ("thread_edit", "thread_delete", "thread_post"):
        assert as_bob.post(url(name, thread.pk), {"body": "x"}).status_code == 404
    assert as_bob.get(url("thread_edit", thread.pk)).status_code == 404


# --- A thread's page --------------------------------------------------------------------


def test_the_thread_page_shows_posts_in_order_with_markdown(alice, sam, thread):
    reply(thread=thread, by=sam, body="Which guide?")
    post_update(thread=thread, by=alice, body="Week two: *practice*.")
    shown = page(sam, url("thread", thread.pk))
    words = shown.words
    assert words.index("Week one") < words.index("Which guide?") < words.index("Week two")
    assert "<em>practice</em>" in shown.html
    assert "Sam replied" in words


def test_the_owner_sees_update_and_promote_forms_others_only_reply(alice, bob, thread):
    own = page(alice, url("thread", thread.pk))
    assert url("thread_post", thread.pk) in own.html
    assert url("post_promote", thread.posts.get().pk) in own.html
    other = page(bob, url("thread", thread.pk))
    assert url("thread_post", thread.pk) not in other.html
    assert url("post_promote", thread.posts.get().pk) not in other.html
    assert url("thread_reply", thread.pk) in other.html


def test_the_thread_page_takes_a_fixed_number_of_queries(
    alice, bob, sam, thread, django_assert_num_queries
):
    for i in range(5):
        post_update(thread=thread, by=alice, body=f"Update {i}")
        reply(thread=thread, by=bob, body=f"Reply {i}")
        react(post=thread.posts.last(), by=sam, kind="curious")
    client = client_for(bob)
    client.get(url("thread", thread.pk))
    # 1 session, 2 user, 3 the thread (Bob still a member), 4 how Bob stands to Alice,
    # 5 whether he mentors her, 6 the posts with authors and entries, 7 reaction counts,
    # 8 Bob's reactions, 9 Alice's placement (tag names), 10 current membership,
    # 11 memberships for the switcher, 12 unread notifications.
    with django_assert_num_queries(12):
        page(client, url("thread", thread.pk))


def test_eve_gets_404_from_every_thread_and_post_route(as_eve, thread):
    post = thread.posts.get()
    assert as_eve.get(url("thread", thread.pk)).status_code == 404
    for name in ("thread_edit", "thread_delete", "thread_post", "thread_reply"):
        assert as_eve.get(url(name, thread.pk)).status_code == 404
        assert as_eve.post(url(name, thread.pk), {"body": "x"}).status_code == 404
    for name in ("post_edit", "post_delete", "post_react", "post_promote"):
        assert as_eve.get(url(name, post.pk)).status_code == 404
        assert as_eve.post(url(name, post.pk), {"kind": "applause", "on": "on"}).status_code == 404
    assert not Reaction.objects.exists()


def test_a_private_thread_is_404_to_a_colleague(as_bob, alice, thread):
    Thread.objects.filter(pk=thread.pk).update(visibility="private")
    assert as_bob.get(url("thread", thread.pk)).status_code == 404


# --- Posting, replying, editing, deleting -----------------------------------------------


def test_the_owner_posts_an_update_and_lands_on_it(as_alice, thread):
    response = as_alice.post(url("thread_post", thread.pk), {"update-body": "Week two"})
    post = thread.posts.last()
    assert post.body == "Week two"
    assert post.is_update
    assert response["Location"] == url("thread", thread.pk) + f"#post-{post.pk}"


def test_an_empty_update_re_renders_the_page_with_the_error(as_alice, thread):
    response = as_alice.post(url("thread_post", thread.pk), {"update-body": ""})
    assert response.status_code == 422
    assert thread.posts.count() == 1


def test_a_colleague_replies(as_bob, thread):
    response = as_bob.post(url("thread_reply", thread.pk), {"reply-body": "Nice start"})
    assert response.status_code == 302
    assert thread.posts.last().body == "Nice start"


def test_a_get_of_an_action_goes_back_to_the_thread(as_bob, thread):
    response = as_bob.get(url("thread_reply", thread.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(url("thread", thread.pk))


def test_the_author_edits_a_post(as_bob, bob, thread):
    answer = reply(thread=thread, by=bob, body="Frist")
    assert "Frist" in page(as_bob, url("post_edit", answer.pk)).html
    as_bob.post(url("post_edit", answer.pk), {"body": "First"})
    answer.refresh_from_db()
    assert answer.body == "First"
    assert answer.edited_at is not None


def test_nobody_else_edits_a_post(as_alice, bob, thread):
    answer = reply(thread=thread, by=bob, body="Mine")
    assert as_alice.get(url("post_edit", answer.pk)).status_code == 404
    assert as_alice.post(url("post_edit", answer.pk), {"body": "Theirs"}).status_code == 404


def test_the_owner_deletes_a_reply_a_replier_not_the_update(as_alice, as_bob, bob, thread):
    answer = reply(thread=thread, by=bob, body="Spam")
    update = thread.posts.get(is_update=True)
    assert as_bob.post(url("post_delete", update.pk)).status_code == 422
    assert as_alice.post(url("post_delete", answer.pk)).status_code == 302
    assert list(Post.objects.all()) == [update]


# --- Reactions --------------------------------------------------------------------------


def test_reactions_toggle_with_plain_forms(as_bob, bob, thread):
    post = thread.posts.get()
    as_bob.post(url("post_react", post.pk), {"kind": "applause", "on": "on"})
    assert Reaction.objects.filter(post=post, user=bob, kind="applause").exists()
    shown = page(as_bob, url("thread", thread.pk))
    assert 'aria-pressed="true"' in shown.html
    as_bob.post(url("post_react", post.pk), {"kind": "applause"})
    assert not Reaction.objects.exists()


def test_htmx_gets_the_posts_reactions_back(as_bob, thread):
    post = thread.posts.get()
    response = as_bob.post(
        url("post_react", post.pk), {"kind": "insight", "on": "on"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="reactions" id="reactions-{post.pk}"')
    assert 'aria-pressed="true"' in html


def test_an_unknown_reaction_is_refused(as_bob, thread):
    post = thread.posts.get()
    assert (
        as_bob.post(url("post_react", post.pk), {"kind": "thumbs", "on": "on"}).status_code == 422
    )


# --- Promotion --------------------------------------------------------------------------


def test_promoting_an_update_links_it_to_its_entry(as_alice, thread):
    post = thread.posts.get()
    prefix = f"promote-{post.pk}-"
    response = as_alice.post(
        url("post_promote", post.pk),
        {prefix + "competency_0": "shipping", prefix + "step_0": "l2", prefix + "impact": "More"},
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.post == post
    assert entry.impact == "More"
    shown = page(as_alice, url("thread", thread.pk))
    assert reverse("evidence:entry", args=[entry.pk]) in shown.html
    assert url("post_promote", post.pk) not in shown.html


def test_a_bad_promotion_shows_the_error_on_its_row(as_alice, thread):
    post = thread.posts.get()
    prefix = f"promote-{post.pk}-"
    response = as_alice.post(
        url("post_promote", post.pk), {prefix + "competency_0": "shipping", prefix + "step_0": ""}
    )
    assert response.status_code == 422
    assert f'id="promote-{post.pk}" open' in response.content.decode()
    assert not Entry.objects.exists()


def test_only_the_author_reaches_the_promote_action(as_alice, bob, thread):
    answer = reply(thread=thread, by=bob, body="Bob's work")
    prefix = f"promote-{answer.pk}-"
    data = {prefix + "competency_0": "shipping", prefix + "step_0": "l2"}
    assert as_alice.post(url("post_promote", answer.pk), data).status_code == 404


def test_markup_in_posts_is_shown_as_text_in_the_feed_and_the_thread(alice, bob, acme):
    attack = '<script>alert("x")</script> <img src=x onerror=alert(1)> [link](javascript:alert(1))'
    thread = open_thread(owner=alice, organization=acme, title="<b>Title</b>", body=attack)
    reply(thread=thread, by=bob, body=attack)
    client = client_for(bob)
    for address in (url("threads"), url("thread", thread.pk)):
        raw = client.get(address).content.decode()  # as sent: entities not decoded
        assert "<script>alert" not in raw
        assert "<img src=x" not in raw
        assert 'href="javascript' not in raw
        assert "<b>Title</b>" not in raw

"""Growth threads: what the services write, and every bad input refused with its field
named and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.models import AuditEvent
from upward.evidence.models import Entry, Post, Reaction, Thread
from upward.evidence.services.threads import (
    delete_post,
    delete_thread,
    edit_post,
    open_thread,
    post_update,
    promote_post,
    react,
    reply,
    unreact,
    update_thread,
)
from upward.evidence.tests.factories import placed
from upward.roadmaps.tests.factories import ObjectiveFactory

SHOWS = [{"competency": "shipping", "step": "l2"}]


@pytest.fixture
def thread(placement, alice, acme):
    return open_thread(
        owner=alice,
        organization=acme,
        title="Learning to review migrations",
        competencies=["shipping"],
        body="Where I start from.",
    )


def written() -> tuple[int, int, int, int]:
    return (
        Thread.objects.count(),
        Post.objects.count(),
        Reaction.objects.count(),
        Entry.objects.count(),
    )


# --- Opening and changing threads -------------------------------------------------------


def test_opening_a_thread_writes_it_with_its_first_update_and_an_audit_entry(
    placement, alice, acme
):
    thread = open_thread(
        owner=alice,
        organization=acme,
        title="  Learning to review migrations ",
        competencies=["reviews", "shipping", "reviews"],
        visibility="manager",
        body="Where I start from.",
    )
    assert thread.title == "Learning to review migrations"
    assert thread.competencies == ["reviews", "shipping"]
    assert thread.visibility == "manager"
    [first] = thread.posts.all()
    assert first.is_update
    assert first.author == alice
    assert first.body == "Where I start from."
    assert AuditEvent.objects.filter(code="evidence.thread.opened", organization=acme).exists()


def test_a_thread_may_start_without_a_first_update_or_tags_even_unplaced(alice, acme):
    thread = open_thread(owner=alice, organization=acme, title="Reading about queues")
    assert thread.posts.count() == 0
    assert thread.competencies == []
    assert thread.visibility == "organization"


def test_an_unknown_competency_tag_is_refused_naming_its_place_in_the_list(placement, alice, acme):
    with pytest.raises(Invalid) as error:
        open_thread(owner=alice, organization=acme, title="T", competencies=["shipping", "cooking"])
    assert error.value.field == "competencies[1]"
    assert written() == (0, 0, 0, 0)


def test_tags_need_a_placement_in_that_organization(alice, acme):
    with pytest.raises(Invalid) as error:
        open_thread(owner=alice, organization=acme, title="T", competencies=["shipping"])
    assert error.value.field == "competencies"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "two\nlines"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"visibility": "everyone"}, "visibility"),
        ({"body": "x" * 20_001}, "body"),
    ],
)
def test_bad_thread_fields_are_refused_by_name(placement, alice, acme, changes, field):
    fields = {"title": "Learning", **changes}
    with pytest.raises(Invalid) as error:
        open_thread(owner=alice, organization=acme, **fields)
    assert error.value.field == field
    assert written() == (0, 0, 0, 0)


def test_the_objective_must_be_the_owners_own(placement, alice, bob, acme, ladder):
    mine = ObjectiveFactory.create(placement=placement)
    theirs = ObjectiveFactory.create(placement=placed(bob, acme, ladder))
    thread = open_thread(owner=alice, organization=acme, title="T", objective=mine)
    assert thread.objective == mine
    with pytest.raises(Invalid) as error:
        open_thread(owner=alice, organization=acme, title="T", objective=theirs)
    assert error.value.field == "objective"


def test_someone_cannot_open_a_thread_in_an_organization_they_do_not_belong_to(eve, acme):
    with pytest.raises(NotFound):
        open_thread(owner=eve, organization=acme, title="T")


def test_the_owner_changes_title_tags_and_audience(thread, alice):
    update_thread(thread=thread, by=alice, title="Reviews", competencies=[], visibility="private")
    thread.refresh_from_db()
    assert (thread.title, thread.competencies, thread.visibility) == ("Reviews", [], "private")
    assert AuditEvent.objects.filter(code="evidence.thread.updated").exists()


def test_a_bad_change_changes_nothing(thread, alice):
    with pytest.raises(Invalid) as error:
        update_thread(thread=thread, by=alice, title="New", competencies=["reviews", "nope"])
    assert error.value.field == "competencies[1]"
    thread.refresh_from_db()
    assert thread.title == "Learning to review migrations"


def test_someone_else_cannot_change_or_delete_the_thread(thread, bob):
    with pytest.raises(Invalid) as error:
        update_thread(thread=thread, by=bob, title="Mine now")
    assert error.value.field == "by"
    with pytest.raises(Invalid):
        delete_thread(thread=thread, by=bob)
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_deleting_a_thread_keeps_the_evidence_promoted_from_it(thread, alice):
    post = thread.posts.get()
    entry = promote_post(post=post, by=alice, competencies=SHOWS)
    delete_thread(thread=thread, by=alice)
    entry.refresh_from_db()
    assert entry.post is None
    assert Post.objects.count() == 0


# --- Updates and replies ----------------------------------------------------------------


def test_an_update_moves_the_threads_last_activity(thread, alice):
    before = thread.last_activity_at
    post = post_update(thread=thread, by=alice, body="Week two: *found* a pattern.")
    thread.refresh_from_db()
    assert thread.last_activity_at == post.created_at > before
    assert post.is_update


def test_an_empty_update_is_refused(thread, alice):
    with pytest.raises(Invalid) as error:
        post_update(thread=thread, by=alice, body="  \n ")
    assert error.value.field == "body"
    assert thread.posts.count() == 1


def test_only_the_owner_posts_updates(thread, bob):
    with pytest.raises(Invalid) as error:
        post_update(thread=thread, by=bob, body="An update from Bob")
    assert error.value.field == "by"
    assert thread.posts.count() == 1


def test_a_reader_replies_and_the_thread_moves_up(thread, sam):
    post = reply(thread=thread, by=sam, body="Which checklist do you use?")
    thread.refresh_from_db()
    assert not post.is_update
    assert thread.last_activity_at == post.created_at


def test_replying_to_a_thread_one_may_not_read_is_not_found(thread, alice, sam, eve):
    update_thread(thread=thread, by=alice, visibility="private")
    with pytest.raises(NotFound):
        reply(thread=thread, by=sam, body="Hello")
    with pytest.raises(NotFound):
        reply(thread=thread, by=eve, body="Hello")
    assert thread.posts.count() == 1


def test_an_empty_reply_is_refused(thread, sam):
    with pytest.raises(Invalid) as error:
        reply(thread=thread, by=sam, body="")
    assert error.value.field == "body"


def test_the_author_edits_a_post_and_it_says_so(thread, sam):
    post = reply(thread=thread, by=sam, body="First try")
    edit_post(post=post, by=sam, body="Second try")
    post.refresh_from_db()
    assert post.body == "Second try"
    assert post.edited_at is not None


def test_nobody_else_edits_a_post(thread, alice, sam):
    post = reply(thread=thread, by=sam, body="Mine")
    with pytest.raises(Invalid) as error:
        edit_post(post=post, by=alice, body="Rewritten by the owner")
    assert error.value.field == "by"
    post.refresh_from_db()
    assert post.body == "Mine"


def test_the_owner_may_delete_a_reply_but_a_replier_not_the_owners_update(thread, alice, sam):
    answer = reply(thread=thread, by=sam, body="Off topic")
    update = thread.posts.get(is_update=True)
    with pytest.raises(Invalid):
        delete_post(post=update, by=sam)
    delete_post(post=answer, by=alice)
    assert list(thread.posts.all()) == [update]
    assert AuditEvent.objects.filter(code="evidence.post.deleted").exists()


# --- Reactions --------------------------------------------------------------------------


def test_reacting_twice_keeps_one_reaction_and_unreacting_takes_it_back(thread, sam):
    post = thread.posts.get()
    first = react(post=post, by=sam, kind="applause")
    assert react(post=post, by=sam, kind="applause") == first
    react(post=post, by=sam, kind="insight")
    assert post.reactions.count() == 2
    unreact(post=post, by=sam, kind="applause")
    unreact(post=post, by=sam, kind="applause")
    assert list(post.reactions.values_list("kind", flat=True)) == ["insight"]


def test_an_unknown_reaction_is_refused(thread, sam):
    with pytest.raises(Invalid) as error:
        react(post=thread.posts.get(), by=sam, kind="thumbs")
    assert error.value.field == "kind"


def test_someone_who_may_not_read_cannot_react(thread, alice, sam):
    update_thread(thread=thread, by=alice, visibility="private")
    with pytest.raises(NotFound):
        react(post=thread.posts.get(), by=sam, kind="applause")
    assert Reaction.objects.count() == 0


# --- Promotion --------------------------------------------------------------------------


def test_promoting_an_update_makes_an_entry_that_links_back(thread, alice, placement):
    objective = ObjectiveFactory.create(placement=placement)
    update_thread(thread=thread, by=alice, objective=objective, visibility="manager")
    post = thread.posts.get()
    entry = promote_post(post=post, by=alice, competencies=SHOWS, impact="Fewer rollbacks.")
    assert entry.post == post
    assert entry.title == thread.title
    assert entry.body == post.body
    assert entry.objective == objective
    assert entry.visibility == "manager"
    assert entry.happened_on == timezone.localdate(post.created_at)
    assert entry.competencies == SHOWS
    assert AuditEvent.objects.filter(code="evidence.post.promoted").exists()


def test_the_entry_may_take_its_own_title_day_and_audience(thread, alice):
    day = timezone.localdate() - timedelta(days=2)
    entry = promote_post(
        post=thread.posts.get(),
        by=alice,
        competencies=SHOWS,
        title="Review checklist adopted",
        happened_on=day,
        visibility="private",
    )
    assert (entry.title, entry.happened_on, entry.visibility) == (
        "Review checklist adopted",
        day,
        "private",
    )


def test_promoting_twice_is_a_conflict_naming_the_post(thread, alice):
    post = thread.posts.get()
    promote_post(post=post, by=alice, competencies=SHOWS)
    with pytest.raises(Conflict) as error:
        promote_post(post=post, by=alice, competencies=SHOWS)
    assert error.value.field == "post"
    assert Entry.objects.count() == 1


def test_the_owner_cannot_promote_someone_elses_reply(thread, alice, sam):
    answer = reply(thread=thread, by=sam, body="You did great")
    with pytest.raises(Invalid) as error:
        promote_post(post=answer, by=alice, competencies=SHOWS)
    assert error.value.field == "post"
    assert Entry.objects.count() == 0


def test_a_replier_cannot_promote_even_their_own_reply(thread, sam):
    answer = reply(thread=thread, by=sam, body="My own work")
    with pytest.raises(Invalid) as error:
        promote_post(post=answer, by=sam, competencies=SHOWS)
    assert error.value.field == "by"


def test_the_owners_own_reply_is_not_an_update_to_promote(thread, alice):
    answer = reply(thread=thread, by=alice, body="Thanks!")
    with pytest.raises(Invalid) as error:
        promote_post(post=answer, by=alice, competencies=SHOWS)
    assert error.value.field == "post"


def test_a_bad_competency_in_the_promotion_writes_nothing(thread, alice):
    with pytest.raises(Invalid) as error:
        promote_post(
            post=thread.posts.get(), by=alice, competencies=[{"competency": "x", "step": "l2"}]
        )
    assert error.value.field == "competencies[0].competency"
    assert Entry.objects.count() == 0

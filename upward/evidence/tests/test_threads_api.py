"""The threads API: the feed paginated, threads with their posts, updates and replies,
reactions and promotion, errors naming the field, and 404 for anyone who may not read."""

from __future__ import annotations

import pytest

from upward.evidence.models import Entry, Post, Reaction, Thread
from upward.evidence.services.threads import open_thread, reply
from upward.evidence.tests.factories import placed
from upward.roadmaps.tests.factories import ObjectiveFactory

BASE = "/api/v1/orgs/acme/threads"
SHOWS = [{"competency": "shipping", "step": "l2"}]


@pytest.fixture
def thread(placement, alice, acme):
    return open_thread(
        owner=alice,
        organization=acme,
        title="Learning to review migrations",
        competencies=["shipping"],
        body="Week one.",
    )


def test_creating_a_thread_answers_it_with_its_first_update(as_alice, placement):
    objective = ObjectiveFactory.create(placement=placement)
    response = as_alice.post(
        BASE,
        {
            "title": "Pairing on incidents",
            "competencies": ["reviews"],
            "objective_id": objective.pk,
            "visibility": "manager",
            "body": "Starting.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Pairing on incidents"
    assert body["objective_id"] == objective.pk
    assert body["owner"]["name"] == "Alice"
    assert [p["body"] for p in body["posts"]] == ["Starting."]
    assert body["posts"][0]["is_update"] is True


def test_an_unknown_tag_answers_422_naming_it(as_alice, placement):
    response = as_alice.post(
        BASE,
        {"title": "T", "competencies": ["shipping", "cooking"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.competencies[1]"
    assert not Thread.objects.exists()


def test_an_objective_of_someone_else_is_refused(as_alice, placement, bob, acme, ladder):
    theirs = ObjectiveFactory.create(placement=placed(bob, acme, ladder))
    response = as_alice.post(
        BASE, {"title": "T", "objective_id": theirs.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.objective"


def test_the_feed_is_paginated_newest_activity_first(as_bob, alice, acme, thread):
    for i in range(3):
        open_thread(owner=alice, organization=acme, title=f"Later {i}")
    body = as_bob.get(BASE + "?page_size=2").json()
    assert body["count"] == 4
    assert [t["title"] for t in body["items"]] == ["Later 2", "Later 1"]
    last = as_bob.get(BASE + "?page_size=2&page=2").json()
    assert [t["title"] for t in last["items"]] == ["Later 0", thread.title]
    assert last["items"][1]["updates"] == 1
    assert last["items"][1]["last_update"] == "Week one."


def test_getting_a_thread_gives_posts_in_order_with_reactions(as_bob, bob, thread):
    reply(thread=thread, by=bob, body="Which guide?")
    post = thread.posts.first()
    as_bob.put(f"{BASE}/{thread.pk}/posts/{post.pk}/reactions/applause")
    body = as_bob.get(f"{BASE}/{thread.pk}").json()
    assert [p["body"] for p in body["posts"]] == ["Week one.", "Which guide?"]
    applause = next(r for r in body["posts"][0]["reactions"] if r["kind"] == "applause")
    assert applause == {"kind": "applause", "count": 1, "mine": True}


def test_the_owner_changes_and_deletes_the_thread(as_alice, thread, placement):
    objective = ObjectiveFactory.create(placement=placement)
    response = as_alice.patch(
        f"{BASE}/{thread.pk}",
        {"title": "Reviews", "objective_id": objective.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["objective_id"] == objective.pk
    response = as_alice.patch(
        f"{BASE}/{thread.pk}", {"objective_id": None}, content_type="application/json"
    )
    assert response.json()["objective_id"] is None
    assert response.json()["title"] == "Reviews"
    assert as_alice.delete(f"{BASE}/{thread.pk}").status_code == 204
    assert not Thread.objects.exists()


def test_others_may_not_change_post_updates_to_or_delete_the_thread(as_bob, thread):
    assert (
        as_bob.patch(
            f"{BASE}/{thread.pk}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert as_bob.delete(f"{BASE}/{thread.pk}").status_code == 404
    response = as_bob.post(
        f"{BASE}/{thread.pk}/updates", {"body": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_updates_and_replies(as_alice, as_bob, thread):
    response = as_alice.post(
        f"{BASE}/{thread.pk}/updates", {"body": "Week two."}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["is_update"] is True
    response = as_bob.post(
        f"{BASE}/{thread.pk}/replies", {"body": "Nice."}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "Bob"
    empty = as_bob.post(
        f"{BASE}/{thread.pk}/replies", {"body": " "}, content_type="application/json"
    )
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"][0]["path"] == "body.body"


def test_the_author_edits_and_deletes_a_post(as_bob, as_alice, bob, thread):
    answer = reply(thread=thread, by=bob, body="Frist")
    path = f"{BASE}/{thread.pk}/posts/{answer.pk}"
    assert as_alice.patch(path, {"body": "x"}, content_type="application/json").status_code == 404
    response = as_bob.patch(path, {"body": "First"}, content_type="application/json")
    assert response.json()["body"] == "First"
    assert response.json()["edited_at"] is not None
    assert as_bob.delete(path).status_code == 204
    assert not Post.objects.filter(pk=answer.pk).exists()


def test_reactions_are_put_and_deleted(as_bob, bob, thread):
    post = thread.posts.get()
    path = f"{BASE}/{thread.pk}/posts/{post.pk}/reactions/support"
    assert as_bob.put(path).status_code == 200
    assert as_bob.put(path).status_code == 200
    assert Reaction.objects.filter(user=bob).count() == 1
    assert as_bob.delete(path).status_code == 200
    assert not Reaction.objects.exists()
    assert as_bob.put(f"{BASE}/{thread.pk}/posts/{post.pk}/reactions/thumbs").status_code == 422


def test_promoting_an_update_then_again_is_a_conflict(as_alice, thread):
    post = thread.posts.get()
    path = f"{BASE}/{thread.pk}/posts/{post.pk}/promote"
    response = as_alice.post(path, {"competencies": SHOWS}, content_type="application/json")
    assert response.status_code == 201
    entry = Entry.objects.get()
    assert response.json() == {"entry_id": entry.pk, "post_id": post.pk}
    again = as_alice.post(path, {"competencies": SHOWS}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["fields"][0]["path"] == "body.post"


def test_a_bad_step_in_a_promotion_names_it(as_alice, thread):
    post = thread.posts.get()
    response = as_alice.post(
        f"{BASE}/{thread.pk}/posts/{post.pk}/promote",
        {"competencies": [{"competency": "shipping", "step": "l9"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.competencies[0].step"


def test_a_post_must_be_named_under_its_own_thread(as_alice, alice, acme, thread):
    other = open_thread(owner=alice, organization=acme, title="Other", body="Other post")
    post = other.posts.get()
    assert as_alice.put(f"{BASE}/{thread.pk}/posts/{post.pk}/reactions/support").status_code == 404


def test_eve_gets_404_everywhere(as_eve, thread):
    post = thread.posts.get()
    assert as_eve.get(f"{BASE}/{thread.pk}").status_code == 404
    assert as_eve.get(BASE).status_code == 404
    assert as_eve.put(f"{BASE}/{thread.pk}/posts/{post.pk}/reactions/support").status_code == 404
    assert as_eve.get(f"/api/v1/orgs/globex/threads/{thread.pk}").status_code == 404


def test_a_private_thread_is_not_found_for_a_colleague(as_bob, alice, thread):
    Thread.objects.filter(pk=thread.pk).update(visibility="private")
    assert as_bob.get(f"{BASE}/{thread.pk}").status_code == 404
    assert as_bob.get(BASE).json()["count"] == 0


@pytest.mark.parametrize("count", [2, 10])
def test_the_feed_costs_the_same_queries_however_long(
    as_bob, alice, bob, acme, placement, count, django_assert_num_queries
):
    for i in range(count):
        visibility = "manager" if i % 2 else "organization"
        made = open_thread(owner=alice, organization=acme, title=f"T{i}", visibility=visibility)
        reply(thread=made, by=bob, body="Go on")
    as_bob.get(BASE)
    # 1 session, 2 user, 3 Bob's membership of acme, 4 is Bob a member (visibility),
    # 5 owners of narrow-tier threads, 6 their relationships to Bob, 7 whom of them he
    # mentors, 8 the count, 9 the page's threads with owners, newest update and counts.
    with django_assert_num_queries(9):
        body = as_bob.get(BASE).json()
    assert body["count"] == count

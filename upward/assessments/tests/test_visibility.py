"""Who reads a member's written feedback answers: the member decides per request.

Attributed answers are the member's alone unless the request shared them with the
manager; anonymous answers are only ever the member's (released in batches).
"""

from __future__ import annotations

import json

import pytest

from upward.accounts import relationships
from upward.accounts.models import Membership
from upward.assessments import selectors, services
from upward.assessments.models import FeedbackRequest
from upward.assessments.services import Rating
from upward.core.errors import Invalid
from upward.core.visibility import Relationship
from upward.testing import client_for, make_user

SHARED = "Shared-with-the-manager words"
PRIVATE = "Private words for Alice"
ANONYMOUS = ["Anonymous words one", "Anonymous words two", "Anonymous words three"]
EVERY = {SHARED, PRIVATE, *ANONYMOUS}


def _member(acme, email: str):
    person = make_user(email, email.split("@")[0].title())
    Membership.objects.create(organization=acme, user=person)
    return person


def _ask_and_answer(placement, rater, words, *, visibility="private", anonymous=False):
    asked = services.request_feedback(
        placement=placement,
        relationship="peer",
        competencies=[],
        rater=rater,
        anonymous=anonymous,
        answer_visibility=visibility,
    )
    services.respond(
        feedback_request=asked,
        ratings=[Rating("shipping", "l2")],
        consistent_at=words,
        by=rater,
    )
    return asked


@pytest.fixture
def answered(placement, acme):
    """Alice's answers: one shared with her manager, one private, a released anonymous batch."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    _ask_and_answer(placement, _member(acme, "sam@acme.test"), SHARED, visibility="manager")
    _ask_and_answer(placement, _member(acme, "pat@acme.test"), PRIVATE)
    for i, words in enumerate(ANONYMOUS):
        _ask_and_answer(placement, _member(acme, f"anon{i}@acme.test"), words, anonymous=True)
    return placement


@pytest.fixture
def mentoring(maya):
    """A stand-in for the mentorship app: Maya mentors everyone in Acme."""

    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    relationships.register_provider(Relationship.MENTOR, provider)
    yield
    relationships.unregister_provider(Relationship.MENTOR, provider)


def _said(quotes) -> set[str]:
    return {q["consistent_at"] for q in quotes}


# --- The selector, for every relationship ---------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("alice", EVERY),
        ("bob", {SHARED}),
        ("maya", {SHARED}),  # as her mentor: mentors read what the manager reads
        ("ada", set()),
        ("eve", set()),
        ("anonymous", set()),
        (None, set()),
    ],
)
def test_each_viewer_gets_only_the_answers_they_may_read(
    answered, people, mentoring, viewer, expected
):
    view = selectors.delta_for(answered, viewer=people[viewer] if viewer else None)
    assert _said(view.quotes) == expected


def test_without_the_mentor_provider_maya_reads_nothing(answered, maya):
    assert selectors.delta_for(answered, viewer=maya).quotes == []


def test_a_removed_manager_reads_no_shared_answer(answered, bob, acme):
    Membership.objects.filter(organization=acme, user=bob).delete()
    assert selectors.delta_for(answered, viewer=bob).quotes == []


def test_anonymous_answers_reach_the_manager_in_no_form(answered, bob):
    quotes = selectors.delta_for(answered, viewer=bob).quotes
    assert [q["who"] for q in quotes] == ["Sam"]
    assert all(q["visibility"] == "manager" for q in quotes)


def test_the_team_view_reads_each_reports_shared_answers_in_one_query_more(
    answered, bob, acme, ladder, platform, django_assert_num_queries
):
    from upward.accounts.models import TeamMembership

    other = _member(acme, "otto@acme.test")
    TeamMembership.objects.create(team=platform, user=other, organization=acme)
    others = services.place(
        user=other, organization=acme, version=ladder, track="ic", current_level="l1"
    )
    _ask_and_answer(
        others, _member(acme, "kim@acme.test"), "Otto's shared words", visibility="manager"
    )
    # 1 how Bob stands to both people, 2 whom of them he mentors, 3 signals, 4 answers
    with django_assert_num_queries(4):
        views = selectors.deltas_for([answered, others], viewer=bob)
    assert _said(views[answered.pk].quotes) == {SHARED}
    assert _said(views[others.pk].quotes) == {"Otto's shared words"}


# --- Asking: the service, the page and the API ----------------------------------------------


def test_a_request_keeps_its_answers_private_unless_told_otherwise(placement, maya):
    asked = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    assert asked.answer_visibility == "private"


@pytest.mark.parametrize(
    ("anonymous", "visibility", "message"),
    [
        (True, "manager", "Anonymous answers are read only by you"),
        (False, "organization", "share them with your manager"),
        (False, "public", "share them with your manager"),
        (False, "", "share them with your manager"),
    ],
)
def test_the_service_refuses_an_audience_it_does_not_offer(
    placement, maya, anonymous, visibility, message
):
    with pytest.raises(Invalid, match=message) as refused:
        services.request_feedback(
            placement=placement,
            relationship="peer",
            competencies=[],
            rater=maya,
            anonymous=anonymous,
            answer_visibility=visibility,
        )
    assert refused.value.field == "answer_visibility"
    assert not FeedbackRequest.objects.exists()


def test_the_page_asks_whom_to_share_with_and_stores_it(as_alice, placement, maya):
    url = f"/growth/placement/{placement.pk}/feedback/new/"
    page = as_alice.get(url).content.decode()
    assert 'name="answer_visibility"' in page
    assert "Me and my manager" in page
    data = {"rater": maya.pk, "relationship": "mentor", "scope": "all"}
    response = as_alice.post(url, data | {"answer_visibility": "manager"})
    assert response.status_code == 302
    assert FeedbackRequest.objects.get().answer_visibility == "manager"


def test_the_page_keeps_answers_private_when_the_choice_is_left_out(as_alice, placement, maya):
    url = f"/growth/placement/{placement.pk}/feedback/new/"
    as_alice.post(url, {"rater": maya.pk, "relationship": "mentor", "scope": "all"})
    assert FeedbackRequest.objects.get().answer_visibility == "private"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"anonymous": "on", "answer_visibility": "manager"}, "Anonymous answers are read only"),
        ({"answer_visibility": "organization"}, "Select a valid choice"),
    ],
)
def test_the_page_refuses_a_bad_audience_in_place(as_alice, placement, maya, extra, message):
    url = f"/growth/placement/{placement.pk}/feedback/new/"
    data = {"rater": maya.pk, "relationship": "mentor", "scope": "all"}
    response = as_alice.post(url, data | extra)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_takes_and_returns_whom_answers_are_shared_with(alice, placement, maya):
    body = {"placement_id": placement.pk, "relationship": "mentor", "rater_id": maya.pk}
    response = _post(client_for(alice), "/api/v1/feedback-requests", body)
    assert response.status_code == 201
    assert response.json()["answer_visibility"] == "private"
    body |= {"answer_visibility": "manager", "allow_duplicate": True}
    response = _post(client_for(alice), "/api/v1/feedback-requests", body)
    assert response.status_code == 201
    assert response.json()["answer_visibility"] == "manager"
    listed = client_for(alice).get("/api/v1/feedback-requests").json()["items"]
    assert sorted(r["answer_visibility"] for r in listed) == ["manager", "private"]


@pytest.mark.parametrize(
    "extra",
    [
        {"anonymous": True, "answer_visibility": "manager"},
        {"answer_visibility": "organization"},
        {"answer_visibility": "mentors"},
    ],
)
def test_the_api_refuses_a_bad_audience_naming_the_field(alice, placement, maya, extra):
    body = {"placement_id": placement.pk, "relationship": "mentor", "rater_id": maya.pk}
    response = _post(client_for(alice), "/api/v1/feedback-requests", body | extra)
    assert response.status_code == 422
    assert "answer_visibility" in response.content.decode()
    assert not FeedbackRequest.objects.exists()


# --- Reading: the delta page and the delta API ----------------------------------------------


def test_the_manager_reads_only_the_shared_answer_on_the_reports_delta(answered, bob):
    page = client_for(bob).get(f"/growth/placement/{answered.pk}/").content.decode()
    assert SHARED in page
    assert PRIVATE not in page
    assert not any(words in page for words in ANONYMOUS)
    assert "Alice shared these answers with you" in page


def test_without_shared_answers_the_manager_is_told_they_are_alices(placement, bob):
    page = client_for(bob).get(f"/growth/placement/{placement.pk}/").content.decode()
    assert "Open answers are for Alice to read unless they share them" in page


def test_the_member_reads_every_answer_and_which_one_is_shared(answered, alice):
    page = client_for(alice).get("/growth/").content.decode()
    assert all(words in page for words in EVERY)
    assert page.count("shared with your manager") == 1


@pytest.mark.parametrize("viewer", ["maya", "ada", "eve"])
def test_nobody_else_reaches_the_delta_page_or_api(answered, people, viewer):
    client = client_for(people[viewer])
    assert client.get(f"/growth/placement/{answered.pk}/").status_code == 404
    assert client.get(f"/api/v1/placements/{answered.pk}/delta").status_code == 404


@pytest.mark.parametrize(("viewer", "expected"), [("alice", EVERY), ("bob", {SHARED})])
def test_the_delta_api_gives_each_reader_their_quotes(answered, people, viewer, expected):
    response = client_for(people[viewer]).get(f"/api/v1/placements/{answered.pk}/delta")
    assert response.status_code == 200
    assert _said(response.json()["quotes"]) == expected


def test_the_rater_is_told_when_their_words_reach_the_manager(placement, maya):
    asked = services.request_feedback(
        placement=placement,
        relationship="mentor",
        competencies=[],
        rater=maya,
        answer_visibility="manager",
    )
    page = client_for(maya).get(f"/growth/feedback/{asked.pk}/answer/").content.decode()
    assert "Alice shares what you write here with their manager." in page


def test_in_the_demo_bob_reads_the_answer_alice_shared_with_him(db):
    from upward.assessments.models import Placement
    from upward.demo import load_demo

    load_demo()
    placement = Placement.objects.get(user__email="alice@example.com", is_active=True)
    bob = placement.organization.memberships.get(user__email="bob@example.com").user
    page = client_for(bob).get(f"/growth/placement/{placement.pk}/").content.decode()
    assert "Alice runs the notification rewrite end to end" in page
    assert "shared these answers with you" in page


def test_the_database_refuses_an_anonymous_request_that_shares(placement, maya):
    from django.db import IntegrityError, transaction

    asked = services.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=maya, anonymous=True
    )
    rows = FeedbackRequest.objects.filter(pk=asked.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(answer_visibility="manager")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(anonymous=False, answer_visibility="public")

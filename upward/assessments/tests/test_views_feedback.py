"""Feedback pages: asking, the status page, withdrawing, answering with an account
and through the emailed link.

That bad input comes back in place and writes nothing, that links work once and
are stored only as a hash, and that anonymous feedback never shows one by one nor
with a name, an email or a time.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from upward.assessments import services
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    RequestStatus,
    Signal,
)
from upward.assessments.services import Rating
from upward.assessments.tests.pages import ask_and_answer, leave_acme, make_peers
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.core.tokens import digest
from upward.testing import client_for


@pytest.fixture
def requests_sent(placement, acme, maya):
    """One named request to Maya and three anonymous ones to peers, one of them answered."""
    named = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    peers = make_peers(acme, 3, prefix="hidden")
    anonymous = [
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=p, anonymous=True
        )
        for p in peers
    ]
    services.respond(feedback_request=anonymous[0], ratings=[Rating("shipping", "l2")], by=peers[0])
    return {"named": named, "anonymous": anonymous, "peers": peers}


# --- Asking for feedback -------------------------------------------------------------------


def test_asking_a_colleague_sends_them_the_request(
    as_alice, placement, maya, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            f"/growth/placement/{placement.pk}/feedback/new/",
            {"rater": maya.pk, "relationship": "mentor", "scope": "all", "message": "Hi"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/growth/feedback/"
    request = FeedbackRequest.objects.get()
    assert (request.rater, request.relationship, request.competencies) == (
        maya,
        "mentor",
        ["shipping", "reviews"],
    )
    assert f"/growth/feedback/{request.pk}/answer/" in mailoutbox[0].body


def test_asking_about_my_top_gaps_asks_about_those(as_alice, placement, bob):
    ask_and_answer(placement, bob, [Rating("reviews", "l1")], relationship="manager")
    as_alice.post(
        f"/growth/placement/{placement.pk}/feedback/new/",
        {"email": "pat@outside.test", "relationship": "peer", "scope": "gaps"},
    )
    assert FeedbackRequest.objects.get(rater_email="pat@outside.test").competencies == ["reviews"]


def test_asking_about_chosen_competencies_needs_at_least_one(as_alice, placement):
    url = f"/growth/placement/{placement.pk}/feedback/new/"
    data = {"email": "pat@outside.test", "relationship": "peer", "scope": "custom"}
    response = as_alice.post(url, data)
    assert response.status_code == 422
    assert "Tick at least one competency." in words(response)
    as_alice.post(url, data | {"competencies": ["shipping"]})
    assert FeedbackRequest.objects.get().competencies == ["shipping"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "pat@outside.test, pat@outside.test"}, "pat@outside.test is named twice"),
        ({}, "Name one rater"),
        ({"email": "alice@acme.test"}, "Ask someone other than yourself."),
        ({"rater": "EVE"}, "Select a valid choice"),  # not in the organization
        ({"email": "pat@outside.test", "scope": "gaps"}, "You have no top gaps yet"),
    ],
)
def test_bad_requests_are_refused_in_place_and_write_nothing(
    as_alice, placement, maya, eve, data, message
):
    ids = {"MAYA": maya.pk, "EVE": eve.pk}
    data = {k: ids.get(v, v) for k, v in data.items()}
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/feedback/new/",
        {"relationship": "peer", "scope": "all"} | data,
    )
    assert response.status_code == 422
    assert message in words(response)
    assert not FeedbackRequest.objects.exists()
    assert_no_inline_code(response)


# --- The status page ----------------------------------------------------------------------


def test_the_status_page_lists_named_requests_and_only_counts_anonymous_ones(
    as_alice, requests_sent
):
    response = as_alice.get("/growth/feedback/")
    assert response.status_code == 200
    said = words(response)
    assert "Maya" in said
    assert "Waiting" in said
    assert "3 anonymous requests : 0 declined, answered: fewer than 5." in said
    assert "counted in steps of 5, never one by one" in said
    assert "open" not in said.lower().replace("for you to answer", "")
    html = text(response)
    for peer in requests_sent["peers"]:
        assert peer.email not in html
        assert peer.name not in html
    for request in requests_sent["anonymous"]:
        assert f"/growth/feedback/{request.pk}/" not in html
    assert html.count("Withdraw<span") == 1
    assert_no_inline_code(response)


def test_the_status_page_lists_what_others_asked_me(as_maya, requests_sent):
    said = words(as_maya.get("/growth/feedback/"))
    assert "For you to answer" in said
    assert "Alice asks you as their mentor" in said


def test_withdrawing_a_named_request_refreshes_the_list(as_alice, requests_sent):
    named = requests_sent["named"]
    response = as_alice.post(f"/growth/feedback/{named.pk}/withdraw/", **HTMX)
    assert response.status_code == 200
    assert text(response).lstrip().startswith('<section id="sent"')
    assert "Withdrawn" in words(response)
    named.refresh_from_db()
    assert named.status == RequestStatus.WITHDRAWN
    again = as_alice.post(f"/growth/feedback/{named.pk}/withdraw/")
    assert again.status_code == 409
    assert "This feedback request was withdrawn." in words(again)


def test_an_anonymous_request_cannot_be_handled_one_by_one(as_alice, requests_sent):
    # Withdrawing would tell Alice whether that person had answered.
    for request in requests_sent["anonymous"]:
        assert as_alice.post(f"/growth/feedback/{request.pk}/withdraw/").status_code == 404
    assert FeedbackRequest.objects.filter(status=RequestStatus.WITHDRAWN).count() == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_withdrawing_every_waiting_anonymous_request_looks_the_same_whatever_was_waiting(
    as_alice, requests_sent, htmx
):
    url = "/growth/feedback/anonymous/withdraw/"
    assert as_alice.get(url).status_code == 302  # nothing happens on a GET

    def withdraw_all() -> str:
        response = as_alice.post(url, **(HTMX if htmx else {}))
        assert response.status_code == (200 if htmx else 302)
        return words(response if htmx else as_alice.get(response.url))

    first = withdraw_all()
    anonymous = FeedbackRequest.objects.filter(anonymous=True)
    statuses = sorted(anonymous.values_list("status", flat=True))
    assert statuses == ["answered", "withdrawn", "withdrawn"]
    assert requests_sent["named"].status == RequestStatus.PENDING
    assert "Your anonymous requests still waiting for an answer are withdrawn." in first
    assert withdraw_all() == first  # nothing was left waiting: the same page


@pytest.mark.parametrize("who", ["bob", "maya", "eve"])
def test_only_the_requester_withdraws(people, requests_sent, who):
    named = requests_sent["named"]
    response = client_for(people[who]).post(f"/growth/feedback/{named.pk}/withdraw/")
    assert response.status_code == 404
    named.refresh_from_db()
    assert named.status == RequestStatus.PENDING


def test_the_status_page_costs_the_same_queries_however_many_requests(
    as_alice, placement, acme, maya, django_assert_num_queries
):
    services.request_feedback(placement=placement, relationship="peer", competencies=[], rater=maya)
    # 1 session, 2 user, 3 current membership, 4 the switcher's memberships,
    # 5 named requests I sent with their raters, 6 my anonymous requests' counts,
    # 7 requests addressed to me, 8 my active placement (for the button), 9 the unread
    # count (the bell).
    with django_assert_num_queries(9):
        as_alice.get("/growth/feedback/")
    for i in range(10):
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], email=f"p{i}@x.test"
        )
    for peer in make_peers(acme, 5):
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
        )
    with django_assert_num_queries(9):
        response = as_alice.get("/growth/feedback/")
    assert "p9@x.test" in text(response)


# --- Answering with an account ---------------------------------------------------------------


def test_a_rater_answers_with_steps_and_words(as_maya, asked_maya, maya):
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    page = as_maya.get(url)
    assert page.status_code == 200
    said = words(page)
    assert (
        "Based on the requirements for L2 Level 2, where is Alice operating consistently, "
        "and where is the biggest gap?" in said
    )
    assert "Where is Alice operating consistently at L2 Level 2?" in said
    assert "Where is the biggest gap?" in said
    assert "shipping at l2: scope number 1" in said  # the target's expectation
    assert "Sometimes reaches L2" in said
    assert "Be frank" in said
    assert_no_inline_code(page)
    response = as_maya.post(
        url,
        {
            "step-shipping": "l2",
            "step-reviews": "l1",
            "sometimes-reviews": "on",
            "consistent_at": "Shipping",
            "biggest_gap": "Reviews",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/growth/feedback/"
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.ANSWERED
    saved = set(Signal.objects.values_list("competency", "step", "sometimes_step", "rater"))
    assert saved == {("shipping", "l2", "", maya.pk), ("reviews", "l1", "l2", maya.pk)}
    assert FeedbackResponse.objects.get().biggest_gap == "Reviews"


def test_a_second_answer_gets_a_clear_message_and_writes_nothing(as_maya, asked_maya):
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    as_maya.post(url, {"step-shipping": "l2"})
    again = as_maya.post(url, {"step-shipping": "l1"})
    assert again.status_code == 410
    assert "This feedback request has already been answered." in words(again)
    assert Signal.objects.count() == 1
    assert_no_inline_code(again)


def test_a_rater_can_decline(as_maya, asked_maya):
    response = as_maya.post(f"/growth/feedback/{asked_maya.pk}/answer/", {"action": "decline"})
    assert response.status_code == 302
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.DECLINED
    assert not Signal.objects.exists()


def test_an_unknown_step_in_an_answer_is_refused(as_maya, asked_maya):
    response = as_maya.post(f"/growth/feedback/{asked_maya.pk}/answer/", {"step-reviews": "x"})
    assert response.status_code == 422
    assert "“x” is not a step of Reviews" in words(response)
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.PENDING


@pytest.mark.parametrize("who", ["alice", "bob", "ada", "eve"])
def test_only_the_rater_opens_the_answer_page(people, asked_maya, who):
    client = client_for(people[who])
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"step-shipping": "l2"}).status_code == 404
    assert not Signal.objects.exists()


# --- Answering through the emailed link ------------------------------------------------------


def test_an_emailed_link_opens_the_form_without_an_account(link):
    response = Client().get("/feedback/the-secret/")
    assert response.status_code == 200
    said = words(response)
    assert "where is Alice operating consistently" in said
    assert "Alice will see your answer with your email address." in said
    assert 'id="competency-reviews"' not in text(response)  # only what was asked
    assert_no_inline_code(response)


def test_answering_through_the_link_spends_it(link):
    client = Client()
    response = client.post("/feedback/the-secret/", {"step-shipping": "l1", "biggest_gap": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/feedback/thanks/"
    assert client.get("/feedback/thanks/").status_code == 200
    signal = Signal.objects.get()
    assert (signal.rater, signal.source_key) == (None, "email:pat@out.test")
    again = client.post("/feedback/the-secret/", {"step-shipping": "l2"})
    assert again.status_code == 410
    assert "This feedback request has already been answered." in words(again)
    assert Signal.objects.count() == 1


def test_an_expired_link_is_gone(link):
    FeedbackRequest.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    response = Client().post("/feedback/the-secret/", {"step-shipping": "l1"})
    assert response.status_code == 410
    assert "This feedback request has expired." in words(response)
    assert not Signal.objects.exists()
    assert_no_inline_code(response)


def test_a_withdrawn_link_no_longer_works(link, alice):
    services.withdraw(feedback_request=link, by=alice)
    response = Client().get("/feedback/the-secret/")
    assert response.status_code == 410
    assert "This feedback request was withdrawn." in words(response)


def test_an_unknown_link_is_not_found(db):
    response = Client().get("/feedback/nobody-was-sent-this/")
    assert response.status_code == 404
    assert "This feedback link is not valid." in words(response)


def test_the_link_is_stored_only_as_a_hash(link):
    link.refresh_from_db()
    assert link.token_hash == digest("the-secret")


# --- Anonymous answers stay anonymous --------------------------------------------------------


def test_no_page_shows_an_anonymous_raters_name_email_or_answer_time(
    as_alice, as_bob, placement, acme, bob
):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    peers = make_peers(acme, 3, prefix="hush")
    for peer in peers:
        ask_and_answer(
            placement, peer, [Rating("shipping", "l2")], anonymous=True, words=f"words of {peer.pk}"
        )
    ask_and_answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
    pages = {
        "alice delta": as_alice.get("/growth/"),
        "alice status": as_alice.get("/growth/feedback/"),
        "bob's view": as_bob.get(f"/growth/placement/{placement.pk}/"),
        "team": as_bob.get("/growth/team/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = text(response)
        for peer in peers:
            assert peer.email not in html, name
            assert peer.name not in html, name
            assert "Hush" not in html, name
    delta = text(pages["alice delta"])
    # One line for the three anonymous voices: how many, the median and the spread.
    anonymous_lines = re.findall(r'<li class="said-anonymous">.*?</li>', delta, re.S)
    assert len(anonymous_lines) == 1  # in the table (shipping is met: no card)
    said = " ".join(re.sub(r"<[^>]+>", " ", anonymous_lines[0]).split())
    assert said == "3 anonymous median L2 (L1: 0, L2: 3, L3: 0)"
    table = delta.split('id="row-shipping"')[1].split("</tr>")[0]
    assert "5 counted" in table  # Alice, Bob and the three anonymous voices
    assert "Anonymous answers so far: 3+." in words(pages["alice delta"])
    assert "3 anonymous requests : 0 declined, answered: 3+." in words(pages["alice status"])


# --- Addresses mail can't take, mail that fails ------------------------------------------------


@pytest.mark.parametrize("email", ["pat@\u2488.example", "pat@" + "ü" * 60 + ".example"])
def test_a_request_to_an_address_mail_cannot_take_is_refused_in_place(as_alice, placement, email):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/feedback/new/",
        {"relationship": "peer", "scope": "all", "email": email},
    )
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()
    assert "is not a domain mail can be sent to" in words(response)
    assert not FeedbackRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_asking_by_email_works_when_the_mail_server_is_down(as_alice, placement, broken_mail):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/feedback/new/",
        {"relationship": "peer", "scope": "all", "email": "pat@outside.test"},
    )
    assert response.status_code == 302
    assert FeedbackRequest.objects.get().rater_email == "pat@outside.test"


# --- Leaving an organization ---------------------------------------------------------------


def test_a_removed_rater_no_longer_sees_or_answers_the_organizations_requests(
    as_maya, maya, ada, asked_maya
):
    assert "Alice asks you" in words(as_maya.get("/growth/feedback/"))
    leave_acme(maya, by=ada)
    assert "Alice asks you" not in words(as_maya.get("/growth/feedback/"))
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    assert as_maya.get(url).status_code == 404
    assert as_maya.post(url, {"step-shipping": "l2"}).status_code == 404
    assert as_maya.post(url, {"action": "decline"}).status_code == 404
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.PENDING
    assert not Signal.objects.exists()

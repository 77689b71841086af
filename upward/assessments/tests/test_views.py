"""The delta pages: placement, my delta, self-assessment, a manager's rating, feedback
requests and answers (with an account and through the emailed link), the team page.

Who sees which page (everyone else gets 404), that bad input comes back in place
with the reason and writes nothing, that anonymous feedback never shows one by one
nor with a name, an email or a time, and that pages cost the same number of
queries however much data there is.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conftest import client_for, make_user
from upward.accounts.models import Membership, Role, TeamMembership
from upward.accounts.services import remove_member, remove_team_member
from upward.accounts.tokens import digest
from upward.assessments import services
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Signal,
)
from upward.assessments.services import Rating
from upward.assessments.services import feedback as feedback_services
from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document


def _peers(acme, n, prefix="peer"):
    people = []
    for i in range(n):
        person = make_user(f"{prefix}{i}@acme.test", f"{prefix.title()} Number{i}")
        Membership.objects.create(organization=acme, user=person)
        people.append(person)
    return people


def _answer(placement, rater, ratings, *, anonymous=False, relationship="peer", words=""):
    request = services.request_feedback(
        placement=placement,
        relationship=relationship,
        competencies=[],
        rater=rater,
        anonymous=anonymous,
    )
    return services.respond(
        feedback_request=request, ratings=ratings, by=rater, consistent_at=words, biggest_gap=words
    )


# --- My delta -----------------------------------------------------------------------


def test_without_a_placement_my_delta_invites_me_to_place_myself(as_alice):
    response = as_alice.get("/growth/")
    assert response.status_code == 200
    assert "Start by placing yourself" in words(response)
    assert 'href="/growth/placement/"' in text(response)
    assert_no_inline_code(response)


def test_my_delta_shows_readiness_gaps_every_competency_and_the_charts(as_alice, placement, bob):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    _answer(placement, bob, [Rating("shipping", "l1")], relationship="manager", words="ships")
    response = as_alice.get("/growth/")
    assert response.status_code == 200
    said = words(response)
    assert "Towards L2 Level 2" in said
    assert "0 of 2 expectations demonstrated consistently" in said
    # Shipping is the one gap: a card with the target's expectation and who said it.
    card = text(response).split('class="gap-cards"')[1].split("</section>")[0]
    assert "Shipping" in card
    assert "shipping at l2: scope number 1" in card
    assert "Bob" in card
    assert "You" in card
    # Every competency in the table, with its status.
    assert 'id="row-shipping"' in text(response)
    assert 'id="row-reviews"' in text(response)
    assert "Unassessed" in said
    assert "Needs assessment" in said
    assert text(response).count("<svg") == 3  # the steps chart (wide, narrow) and the trend
    assert "What changes from L1 to L2" in said
    assert "Operating consistently: ships" in said
    assert (
        "Anonymous answers so far: fewer than 5. They appear once 5 people have answered." in said
    )
    assert "counted in steps of 5" not in said  # that sentence is the status page's
    assert "We count anonymous answers in steps of 5, never one by one" in said
    assert f'href="/growth/placement/{placement.pk}/assess/"' in text(response)
    assert f'href="/growth/placement/{placement.pk}/feedback/new/"' in text(response)
    assert_no_inline_code(response)


@pytest.fixture
def wide_ladder(acme, ada):
    """Four competencies on three levels, so three of them can be gaps at once."""
    doc = small_document(key="wide", name="Wide Ladder")
    extra = [("testing", "skill", "craft"), ("mentoring", "behavior", "delivery")]
    doc["competencies"] += [
        {"key": c, "name": c.title(), "area": a, "kind": k} for c, k, a in extra
    ]
    doc["expectations"] += [
        {"competency": c, "level": lv, "summary": f"{c} at {lv}"}
        for c, _k, _a in extra
        for lv in ("l1", "l2", "l3")
    ]
    version = framework_services.create_version(
        document=validate_document(doc), organization=acme, by=ada
    )
    return framework_services.publish_version(version=version, by=ada)


def test_the_top_three_gaps_are_cards_in_ranking_order(as_alice, alice, acme, wide_ladder, bob):
    placement = services.place(
        user=alice, organization=acme, version=wide_ladder, track="ic", current_level="l1"
    )
    everything = [Rating(c, "l1") for c in ("shipping", "reviews", "testing", "mentoring")]
    _answer(placement, bob, everything, relationship="manager")
    html = text(as_alice.get("/growth/"))
    cards = re.findall(r'<h3 id="gap-([a-z]+)">', html)
    assert cards == ["shipping", "mentoring", "reviews"]  # impact, behavior, then skills


def test_a_competency_links_to_its_page_in_the_framework_when_that_page_exists(as_alice, placement):
    html = text(as_alice.get("/growth/"))
    version = placement.version
    link = f"/frameworks/{version.framework_id}/v/{version.number}/competencies/shipping/"
    try:
        reverse("framework_competency", args=[version.framework_id, version.number, "shipping"])
    except NoReverseMatch:
        assert link not in html
    else:
        assert link in html


def test_my_delta_costs_the_same_queries_however_many_signals(
    as_alice, placement, bob, django_assert_num_queries
):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    _answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
    # 1 session, 2 user, 3 current membership, 4 the switcher's memberships,
    # 5 active placement with version and framework, 6 signals, 7 answers,
    # 8 whether I manage anyone (for the link to my team).
    with django_assert_num_queries(8):
        assert as_alice.get("/growth/").status_code == 200
    for _ in range(100):
        services.rate_self(
            placement=placement, ratings=[Rating("shipping", "l2"), Rating("reviews", "l1")]
        )
    assert Signal.objects.count() >= 200
    with django_assert_num_queries(8):
        assert as_alice.get("/growth/").status_code == 200


# --- Placement ----------------------------------------------------------------------


def test_placing_myself_takes_the_next_level_by_default(as_alice, alice, ladder):
    response = as_alice.post(
        "/growth/placement/",
        {"version": ladder.pk, "current_level": "ic:l1", "target_level": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == "/growth/"
    placement = Placement.objects.get(user=alice)
    assert (placement.current_level, placement.target_level) == ("l1", "l2")


def test_a_target_below_the_current_level_is_refused_in_place(as_alice, ladder):
    response = as_alice.post(
        "/growth/placement/",
        {"version": ladder.pk, "current_level": "ic:l2", "target_level": "ic:l1"},
    )
    assert response.status_code == 422
    assert "The target level must be above the current level." in words(response)
    assert not Placement.objects.exists()
    assert_no_inline_code(response)


def test_a_framework_of_another_organization_cannot_be_picked(as_alice, eve, globex, ladder):
    theirs = framework_services.create_version(
        document=validate_document(small_document(key="theirs")), organization=globex, by=eve
    )
    framework_services.publish_version(version=theirs, by=eve)
    response = as_alice.post("/growth/placement/", {"version": theirs.pk, "current_level": "ic:l1"})
    assert response.status_code == 422
    assert "Select a valid choice" in words(response)
    assert not Placement.objects.exists()
    assert "theirs" not in text(as_alice.get("/growth/placement/")).lower()


def test_placing_again_keeps_the_old_placement_as_history(as_alice, alice, placement, ladder):
    as_alice.post("/growth/placement/", {"version": ladder.pk, "current_level": "ic:l2"})
    assert Placement.objects.filter(user=alice).count() == 2
    page = as_alice.get("/growth/placement/")
    history = text(page).split('id="history-title"')[1]
    assert history.count("View delta") == 2
    assert "Current" in history
    old = as_alice.get(f"/growth/placement/{placement.pk}/")
    assert old.status_code == 200
    assert "This is an earlier placement, kept as history." in words(old)


def test_picking_a_framework_with_htmx_returns_only_its_levels(as_alice, ladder):
    response = as_alice.get(f"/growth/placement/?version={ladder.pk}", **HTMX)
    assert response.status_code == 200
    assert 'id="placement-levels"' in text(response)
    assert "<html" not in text(response)
    assert 'value="ic:l2"' in text(response)


# --- Self-assessment and a manager's rating ---------------------------------------------


def test_a_self_assessment_saves_every_competency_i_rated(as_alice, placement):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/",
        {"step-shipping": "l2", "step-reviews": "l1", "sometimes-reviews": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/growth/"
    saved = set(Signal.objects.values_list("competency", "step", "sometimes_step", "source"))
    assert saved == {("shipping", "l2", "", "self"), ("reviews", "l1", "l2", "self")}


def test_one_competency_saves_on_its_own_with_htmx(as_alice, placement):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/",
        {"step-shipping": "l2", "step-reviews": "l1", "only": "shipping"},
        **HTMX,
    )
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<fieldset id="competency-shipping"')
    assert "Saved" in html
    assert "<html" not in html
    assert list(Signal.objects.values_list("competency", "step")) == [("shipping", "l2")]


def test_the_assessment_form_shows_my_last_ratings(as_alice, placement):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2", sometimes="")])
    html = text(as_alice.get(f"/growth/placement/{placement.pk}/assess/"))
    assert re.search(r'name="step-shipping" value="l2" checked', html)
    assert "Last rated L2 on" in html
    # Each step shows what the framework expects at it, the target's marked.
    assert "shipping at l3: scope number 2" in html
    assert "Target" in html


def test_an_unknown_step_posted_by_hand_is_refused_and_nothing_is_written(as_alice, placement):
    response = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/", {"step-shipping": "l9", "step-reviews": "l1"}
    )
    assert response.status_code == 422
    assert "“l9” is not a step of Shipping; pick one of the steps listed." in words(response)
    assert not Signal.objects.exists()


def test_saving_without_choosing_a_step_says_so(as_alice, placement):
    response = as_alice.post(f"/growth/placement/{placement.pk}/assess/", {})
    assert response.status_code == 422
    assert "Choose a step for at least one competency first." in words(response)
    # The second competency, so the fragment can't be the first one by accident.
    one = as_alice.post(
        f"/growth/placement/{placement.pk}/assess/",
        {"only": "reviews", "step-shipping": "l2"},
        **HTMX,
    )
    assert one.status_code == 422
    assert text(one).lstrip().startswith('<fieldset id="competency-reviews"')
    assert "Choose a step for this competency first." in words(one)
    assert not Signal.objects.exists()


def test_a_manager_rates_a_report_with_the_same_form(as_bob, bob, placement):
    page = as_bob.get(f"/growth/placement/{placement.pk}/rate/")
    assert page.status_code == 200
    assert "Where does Alice operate consistently?" in words(page)
    assert_no_inline_code(page)
    response = as_bob.post(f"/growth/placement/{placement.pk}/rate/", {"step-shipping": "l1"})
    assert response.status_code == 302
    assert response["Location"] == f"/growth/placement/{placement.pk}/"
    signal = Signal.objects.get()
    assert (signal.source, signal.rater, signal.step) == ("manager", bob, "l1")


@pytest.mark.parametrize(
    ("who", "route", "expected"),
    [
        ("alice", "assess", 200),
        ("bob", "assess", 404),  # a manager rates on the rating page, never as Alice
        ("maya", "assess", 404),
        ("eve", "assess", 404),
        ("bob", "rate", 200),
        ("alice", "rate", 404),  # nobody is their own manager
        ("maya", "rate", 404),  # a mentor is not a manager
        ("ada", "rate", 404),  # nor is an admin
        ("eve", "rate", 404),
        ("alice", "", 200),
        ("bob", "", 200),
        ("maya", "", 404),  # a peer or mentor doesn't see someone else's delta
        ("ada", "", 404),
        ("eve", "", 404),
        ("alice", "feedback/new", 200),
        ("bob", "feedback/new", 404),
        ("eve", "feedback/new", 404),
    ],
)
def test_placement_pages_answer_the_right_people(people, placement, who, route, expected):
    url = f"/growth/placement/{placement.pk}/" + (f"{route}/" if route else "")
    client = client_for(people[who])
    assert client.get(url).status_code == expected
    if expected == 404:
        assert client.post(url, {"step-shipping": "l1"}).status_code == 404
        assert not Signal.objects.exists()


def test_a_manager_reads_a_reports_delta_without_their_open_answers(as_bob, placement, maya):
    _answer(placement, maya, [Rating("shipping", "l2")], relationship="mentor", words="secret")
    response = as_bob.get(f"/growth/placement/{placement.pk}/")
    assert response.status_code == 200
    said = words(response)
    assert "Alice: towards L2 Level 2" in said
    assert "Rate Alice" in said
    assert "secret" not in said
    assert "Open answers are for Alice to read" in said
    assert_no_inline_code(response)


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
    _answer(placement, bob, [Rating("reviews", "l1")], relationship="manager")
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
        ({"email": "pat@outside.test", "rater": "MAYA"}, "Name one rater"),
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


@pytest.fixture
def requests_sent(placement, acme, maya):
    """One named request to Maya and three anonymous ones to peers, one of them answered."""
    named = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    peers = _peers(acme, 3, prefix="hidden")
    anonymous = [
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=p, anonymous=True
        )
        for p in peers
    ]
    services.respond(feedback_request=anonymous[0], ratings=[Rating("shipping", "l2")], by=peers[0])
    return {"named": named, "anonymous": anonymous, "peers": peers}


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
    # 7 requests addressed to me, 8 my active placement (for the button).
    with django_assert_num_queries(8):
        as_alice.get("/growth/feedback/")
    for i in range(10):
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], email=f"p{i}@x.test"
        )
    for peer in _peers(acme, 5):
        services.request_feedback(
            placement=placement, relationship="peer", competencies=[], rater=peer, anonymous=True
        )
    with django_assert_num_queries(8):
        response = as_alice.get("/growth/feedback/")
    assert "p9@x.test" in text(response)


# --- Answering with an account ---------------------------------------------------------------


@pytest.fixture
def asked_maya(placement, maya):
    return services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya, message="Be frank"
    )


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


@pytest.fixture
def link(placement, monkeypatch):
    """An emailed request and the secret of its link (normally only in the email)."""
    monkeypatch.setattr(feedback_services, "new_link_secret", lambda: "the-secret")
    request = services.request_feedback(
        placement=placement, relationship="peer", competencies=["shipping"], email="pat@out.test"
    )
    return request


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
    peers = _peers(acme, 3, prefix="hush")
    for peer in peers:
        _answer(
            placement, peer, [Rating("shipping", "l2")], anonymous=True, words=f"words of {peer.pk}"
        )
    _answer(placement, bob, [Rating("shipping", "l2")], relationship="manager")
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


def test_anonymous_answers_below_the_threshold_are_only_counted(as_alice, placement, acme):
    for peer in _peers(acme, 2):
        _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True, words="quiet words")
    said = words(as_alice.get("/growth/"))
    assert "quiet words" not in said
    assert (
        "Anonymous answers so far: fewer than 5. They appear once 5 people have answered." in said
    )
    assert _numbers_in_anonymity_note(as_alice.get("/growth/")) == {"5"}  # never the 2


def _numbers_in_anonymity_note(response) -> set[str]:
    note = re.search(r'class="small muted anonymity-note">(.*?)</p>', text(response), re.S)
    assert note is not None
    return set(re.findall(r"\d+", note.group(1)))


# --- The team page --------------------------------------------------------------------------


def test_a_manager_sees_each_report_with_readiness_and_top_gaps(as_bob, placement, bob):
    _answer(placement, bob, [Rating("shipping", "l1")], relationship="manager")
    response = as_bob.get("/growth/team/")
    assert response.status_code == 200
    said = words(response)
    assert "Alice" in said
    assert "L2 Level 2" in said
    assert "0%" in said
    assert "Shipping" in said
    assert f'href="/growth/placement/{placement.pk}/rate/"' in text(response)
    assert_no_inline_code(response)


def test_someone_who_manages_nobody_sees_an_empty_team(as_maya, placement):
    response = as_maya.get("/growth/team/")
    assert response.status_code == 200
    assert "Nobody reports to you in Acme" in words(response)
    assert "Alice" not in words(response)


def test_the_team_page_costs_the_same_queries_however_many_report_to_me(
    as_bob, acme, bob, placement, platform, ladder, django_assert_num_queries
):
    # 1 session, 2 user, 3 current membership, 4 the switcher's memberships,
    # 5 the reports, 6 their active placements, 7-8 every delta (signals, answers).
    with django_assert_num_queries(8):
        as_bob.get("/growth/team/")
    for person in _peers(acme, 3, prefix="report"):
        TeamMembership.objects.create(team=platform, user=person, organization=acme)
        placed = services.place(
            user=person, organization=acme, version=ladder, track="ic", current_level="l1"
        )
        services.rate_self(
            placement=placed, ratings=[Rating("shipping", "l1"), Rating("reviews", "l1")]
        )
    _peers(acme, 2, prefix="unplaced")
    with django_assert_num_queries(8):
        response = as_bob.get("/growth/team/")
    assert words(response).count("View delta") == 4


# --- Navigation and the dashboard -----------------------------------------------------------


def test_the_nav_offers_my_growth_to_everyone_and_team_to_managers(as_alice, as_bob):
    alice_nav = text(as_alice.get("/dashboard/"))
    assert 'href="/growth/"' in alice_nav
    assert 'href="/growth/team/"' not in alice_nav
    assert 'href="/growth/team/"' in text(as_bob.get("/dashboard/"))


def test_the_dashboard_links_to_asking_for_feedback(as_alice):
    assert 'href="/growth/feedback/"' in text(as_alice.get("/dashboard/"))


# --- Pages without inline code ----------------------------------------------------------------


def test_every_delta_page_renders_without_inline_code(
    as_alice, as_maya, placement, asked_maya, ladder
):
    for url in (
        "/growth/",
        "/growth/placement/",
        f"/growth/placement/{placement.pk}/",
        f"/growth/placement/{placement.pk}/assess/",
        f"/growth/placement/{placement.pk}/feedback/new/",
        "/growth/feedback/",
        "/growth/team/",
    ):
        response = as_alice.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response)
    assert_no_inline_code(as_maya.get(f"/growth/feedback/{asked_maya.pk}/answer/"))
    assert_no_inline_code(Client().get("/feedback/thanks/"))


# --- The demo ------------------------------------------------------------------------------------


def test_the_demo_gives_alice_a_rich_delta(db):
    from upward.core.demo import load_demo

    load_demo()
    alice = Membership.objects.get(user__email="alice@example.com", role=Role.MEMBER).user
    client = client_for(alice)
    response = client.get("/growth/")
    said = words(response)
    assert "Towards IC4 Senior Software Engineer" in said
    assert len(re.findall(r'<h3 id="gap-', text(response))) == 3
    assert "anonymous median" in said  # the aggregate of the five anonymous answers
    assert "Anonymous answers so far: 5+." in said
    status = words(client.get("/growth/feedback/"))
    assert "Maya Lindqvist" in status
    assert "jordan@partner.example" in status
    assert "6 anonymous requests : 0 declined, answered: 5+." in status


def test_my_delta_says_when_newer_anonymous_answers_wait_for_a_full_group(
    as_alice, placement, acme
):
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    for peer in _peers(acme, 4):
        _answer(placement, peer, [Rating("shipping", "l2")], anonymous=True, words="steady")
    said = words(as_alice.get("/growth/"))
    assert "Anonymous answers so far: 3+." in said
    assert "newer ones appear once they make a full group" in said
    assert _numbers_in_anonymity_note(as_alice.get("/growth/")) == {"3"}  # never the 4


# --- Addresses mail can't take, mail that fails, ratings that contradict themselves ----------


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


def test_rating_forms_posted_by_hand_store_one_step_per_competency_and_no_lower_sometimes(
    as_alice, as_bob, as_maya, placement, asked_maya
):
    # Repeated fields keep their last value; "sometimes" only ever means the target's step,
    # and only below it, so a form can't say "sometimes lower than consistently".
    hostile = [
        ("step-shipping", "l1"),
        ("step-shipping", "l3"),
        ("sometimes-shipping", "on"),
        ("step-reviews", "l2"),
        ("sometimes-reviews", "on"),
    ]
    body = "&".join(f"{k}={v}" for k, v in hostile)
    form = "application/x-www-form-urlencoded"
    for client, url in [
        (as_alice, f"/growth/placement/{placement.pk}/assess/"),
        (as_bob, f"/growth/placement/{placement.pk}/rate/"),
        (as_maya, f"/growth/feedback/{asked_maya.pk}/answer/"),
    ]:
        assert client.post(url, body, content_type=form).status_code == 302, url
    saved = list(Signal.objects.values_list("competency", "step", "sometimes_step"))
    assert sorted(saved) == [("reviews", "l2", "")] * 3 + [("shipping", "l3", "")] * 3


# --- Leaving an organization ---------------------------------------------------------------


def _leave_acme(person, *, by):
    membership = Membership.objects.get(organization__slug="acme", user=person)
    remove_member(membership=membership, by=by)


def test_a_removed_rater_no_longer_sees_or_answers_the_organizations_requests(
    as_maya, maya, ada, asked_maya
):
    assert "Alice asks you" in words(as_maya.get("/growth/feedback/"))
    _leave_acme(maya, by=ada)
    assert "Alice asks you" not in words(as_maya.get("/growth/feedback/"))
    url = f"/growth/feedback/{asked_maya.pk}/answer/"
    assert as_maya.get(url).status_code == 404
    assert as_maya.post(url, {"step-shipping": "l2"}).status_code == 404
    assert as_maya.post(url, {"action": "decline"}).status_code == 404
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.PENDING
    assert not Signal.objects.exists()


def test_a_removed_manager_no_longer_sees_or_rates_a_report(as_bob, bob, ada, placement):
    assert "Alice" in words(as_bob.get("/growth/team/"))
    _leave_acme(bob, by=ada)
    assert as_bob.get(f"/growth/placement/{placement.pk}/").status_code == 404
    rate = f"/growth/placement/{placement.pk}/rate/"
    assert as_bob.get(rate).status_code == 404
    assert as_bob.post(rate, {"step-shipping": "l1"}).status_code == 404
    assert not Signal.objects.exists()


def test_a_member_who_leaves_loses_their_placement_pages_and_requests_there(
    as_alice, alice, asked_maya, placement
):
    _leave_acme(alice, by=alice)
    for tail in ("", "assess/", "feedback/new/"):
        assert as_alice.get(f"/growth/placement/{placement.pk}/{tail}").status_code == 404
    withdraw = f"/growth/feedback/{asked_maya.pk}/withdraw/"
    assert as_alice.post(withdraw).status_code == 404
    asked_maya.refresh_from_db()
    assert asked_maya.status == RequestStatus.PENDING


def test_a_former_managers_ratings_stay_a_managers_on_the_delta_page(
    as_alice, as_bob, bob, ada, alice, platform, placement
):
    as_bob.post(f"/growth/placement/{placement.pk}/rate/", {"step-shipping": "l1"})
    remove_team_member(team=platform, user=alice, by=ada)
    assert as_bob.get(f"/growth/placement/{placement.pk}/").status_code == 404
    assert (
        as_bob.post(f"/growth/placement/{placement.pk}/rate/", {"step-shipping": "l2"}).status_code
        == 404
    )
    assert list(Signal.objects.values_list("source", "rater", "step")) == [
        ("manager", bob.pk, "l1")
    ]
    row = text(as_alice.get("/growth/")).split('id="row-shipping"')[1].split("</tr>")[0]
    assert "Bob" in row
    assert "manager" in row.lower()

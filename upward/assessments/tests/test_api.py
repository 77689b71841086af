"""The assessments API as clients use it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from upward.accounts.models import Membership
from upward.assessments import services
from upward.assessments.models import FeedbackRequest, Placement, Signal
from upward.core.models import AuditEvent
from upward.core.tokens import digest, new_link_secret

ANSWER = {"ratings": [{"competency": "shipping", "step": "l2"}]}


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_member_places_rates_and_reads_their_delta(alice, ladder):
    client = session(alice)
    response = post(
        client,
        "/api/v1/placements",
        {
            "organization": "acme",
            "framework_id": ladder.framework_id,
            "version": 1,
            "track": "ic",
            "current_level": "l1",
        },
    )
    assert response.status_code == 201
    placement_id = response.json()["id"]
    assert response.json()["target_level"] == "l2"
    response = post(
        client,
        f"/api/v1/placements/{placement_id}/ratings",
        {"ratings": [{"competency": "shipping", "step": "l2"}]},
    )
    assert response.json() == {"source": "self", "recorded": 1}
    delta = client.get(f"/api/v1/placements/{placement_id}/delta").json()
    shipping = next(c for c in delta["competencies"] if c["key"] == "shipping")
    assert (shipping["expected"], shipping["operating"], shipping["status"]) == (
        "l2",
        "l2",
        "unconfirmed",
    )
    assert shipping["signals"]["count"] == 1
    listed = client.get(f"/api/v1/placements/{placement_id}/delta/signals?competency=shipping")
    assert listed.json()["items"][0]["who"] == "you"
    assert delta["needs_assessment"] == ["reviews"]


def test_a_manager_rates_a_report_and_reads_the_delta(bob, placement):
    client = session(bob)
    response = post(
        client,
        f"/api/v1/placements/{placement.pk}/ratings",
        {"ratings": [{"competency": "reviews", "step": "l1"}]},
    )
    assert response.json() == {"source": "manager", "recorded": 1}
    delta = client.get(f"/api/v1/placements/{placement.pk}/delta").json()
    assert delta["top_gaps"] == ["reviews"]


def test_a_peer_cannot_read_or_rate_someone_elses_placement(maya, placement):
    client = session(maya)
    assert client.get(f"/api/v1/placements/{placement.pk}/delta").status_code == 404
    response = post(
        client,
        f"/api/v1/placements/{placement.pk}/ratings",
        {"ratings": [{"competency": "reviews", "step": "l1"}]},
    )
    assert response.status_code == 404
    assert not Signal.objects.exists()


def test_a_rating_for_an_unknown_step_names_it(alice, placement):
    response = post(
        session(alice),
        f"/api/v1/placements/{placement.pk}/ratings",
        {"ratings": [{"competency": "reviews", "step": "l9"}]},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.ratings.0.step"
    assert not Signal.objects.exists()


def test_a_target_below_the_current_level_is_refused(alice, ladder):
    response = post(
        session(alice),
        "/api/v1/placements",
        {
            "organization": "acme",
            "framework_id": ladder.framework_id,
            "version": 1,
            "track": "ic",
            "current_level": "l2",
            "target_level": "l1",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.target_level"
    assert not Placement.objects.exists()


def test_an_emailed_rater_answers_once_through_the_link(alice, placement):
    response = post(
        session(alice),
        "/api/v1/feedback-requests",
        {"placement_id": placement.pk, "relationship": "peer", "email": "pat@outside.test"},
    )
    assert response.status_code == 201
    # The emailed secret exists only in the message; stand in one whose hash we know.
    secret = new_link_secret()
    FeedbackRequest.objects.filter(pk=response.json()["id"]).update(token_hash=digest(secret))
    anonymous = Client()
    asked = anonymous.get(f"/api/v1/feedback-links/{secret}").json()
    assert asked["competencies"] == ["shipping", "reviews"]
    answer = {"ratings": [{"competency": "shipping", "step": "l1"}], "biggest_gap": "scope"}
    assert post(anonymous, f"/api/v1/feedback-links/{secret}/responses", answer).status_code == 201
    again = post(anonymous, f"/api/v1/feedback-links/{secret}/responses", answer)
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "This feedback request has already been answered."
    assert Signal.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", "/responses"), ("post", "/decline")]
)
def test_an_unknown_feedback_link_is_not_found(db, method, suffix):
    answer = {"ratings": [{"competency": "shipping", "step": "l1"}]}
    url = f"/api/v1/feedback-links/{new_link_secret()}{suffix}"
    response = post(Client(), url, answer) if method == "post" else Client().get(url)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "This feedback link is not valid.",
        "fields": [],
    }


def _ask_anonymously(client, placement, rater):
    return post(
        client,
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "peer",
            "rater_id": rater.pk,
            "anonymous": True,
        },
    ).json()


def test_anonymous_requests_are_only_counted_never_listed(alice, maya, bob, placement):
    client = session(alice)
    asked = [_ask_anonymously(client, placement, rater) for rater in (maya, bob)]
    assert asked[0]["rater"] == ""
    post(session(maya), f"/api/v1/feedback-requests/{asked[0]['id']}/responses", ANSWER)
    post(session(bob), f"/api/v1/feedback-requests/{asked[1]['id']}/decline", {})
    assert client.get("/api/v1/feedback-requests").json()["items"] == []
    counts = client.get("/api/v1/orgs/acme/feedback-requests/anonymous").json()
    assert counts == {
        "asked": 2,
        "declined": 1,
        "answered": {"released": 0, "threshold": 5, "label": "fewer than 5"},
    }


def test_deleting_an_anonymous_request_answers_404_whatever_its_state(
    alice, maya, bob, ada, placement
):
    client = session(alice)
    pending, answered, declined = (_ask_anonymously(client, placement, r) for r in (maya, bob, ada))
    post(session(bob), f"/api/v1/feedback-requests/{answered['id']}/responses", ANSWER)
    post(session(ada), f"/api/v1/feedback-requests/{declined['id']}/decline", {})
    answers = [
        client.delete(f"/api/v1/feedback-requests/{r['id']}") for r in (pending, answered, declined)
    ]
    assert {(r.status_code, r.content) for r in answers} == {
        (404, client.delete("/api/v1/feedback-requests/999999").content)
    }
    assert FeedbackRequest.objects.get(pk=pending["id"]).status == "pending"


@pytest.mark.parametrize("answered", [0, 1, 2])
def test_withdrawing_every_waiting_anonymous_request_says_the_same_whatever_was_waiting(
    alice, maya, bob, placement, answered
):
    client = session(alice)
    asked = [_ask_anonymously(client, placement, rater) for rater in (maya, bob)]
    for item, rater in list(zip(asked, (maya, bob), strict=True))[:answered]:
        post(session(rater), f"/api/v1/feedback-requests/{item['id']}/responses", ANSWER)
    response = client.delete("/api/v1/orgs/acme/feedback-requests/anonymous")
    assert (response.status_code, response.content) == (204, b"")
    statuses = sorted(FeedbackRequest.objects.values_list("status", flat=True))
    assert statuses == sorted(["answered"] * answered + ["withdrawn"] * (2 - answered))
    event = AuditEvent.objects.get(code="assessment.feedback.anonymous_withdrawn")
    assert (event.target_type, event.data) == ("accounts.organization", {"anonymous": True})
    again = client.delete("/api/v1/orgs/acme/feedback-requests/anonymous")
    assert (again.status_code, again.content) == (204, b"")


def test_anonymous_request_counts_are_for_members_only(alice, eve, placement):
    for method in ("get", "delete"):
        response = getattr(session(eve), method)("/api/v1/orgs/acme/feedback-requests/anonymous")
        assert response.status_code == 404


def test_a_rater_from_another_organization_cannot_be_named(alice, eve, placement):
    response = post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "peer",
            "rater_id": eve.pk,
        },
    )
    assert response.status_code == 422
    assert not FeedbackRequest.objects.exists()


def test_a_rater_sees_and_answers_requests_addressed_to_them(alice, maya, placement):
    post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "mentor",
            "rater_id": maya.pk,
            "competencies": ["reviews"],
        },
    )
    client = session(maya)
    [item] = client.get("/api/v1/feedback-requests/incoming").json()["items"]
    assert item["question"].startswith("Based on the requirements for L2 Level 2, where is Alice")
    answer = {"ratings": [{"competency": "reviews", "step": "l2"}]}
    assert (
        post(client, f"/api/v1/feedback-requests/{item['id']}/responses", answer).status_code == 201
    )
    assert client.get("/api/v1/feedback-requests/incoming").json()["count"] == 0


@pytest.mark.parametrize("competencies", [["nope"], "gaps"])
def test_requests_for_unknown_competencies_or_without_gaps_are_refused(
    alice, placement, competencies
):
    response = post(
        session(alice),
        "/api/v1/feedback-requests",
        {
            "placement_id": placement.pk,
            "relationship": "peer",
            "email": "x@y.test",
            "competencies": competencies,
        },
    )
    assert response.status_code == 422
    assert not FeedbackRequest.objects.exists()


# --- Leaving an organization, and who is whose manager ---------------------------------


def _remove_from_acme(ada, person):
    membership = Membership.objects.get(organization__slug="acme", user=person)
    response = session(ada).delete(f"/api/v1/orgs/acme/members/{membership.pk}")
    assert response.status_code == 204


def test_a_removed_rater_no_longer_sees_or_answers_the_organizations_requests(
    alice, maya, ada, placement
):
    request = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    client = session(maya)
    assert client.get("/api/v1/feedback-requests/incoming").json()["count"] == 1
    _remove_from_acme(ada, maya)
    assert client.get("/api/v1/feedback-requests/incoming").json()["count"] == 0
    answer = {"ratings": [{"competency": "reviews", "step": "l2"}]}
    base = f"/api/v1/feedback-requests/{request.pk}"
    assert post(client, f"{base}/responses", answer).status_code == 404
    assert post(client, f"{base}/decline", {}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    assert not Signal.objects.exists()


def test_a_member_who_leaves_loses_their_placement_and_requests_there(alice, maya, placement):
    request = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    client = session(alice)
    mine = Membership.objects.get(organization__slug="acme", user=alice)
    assert client.delete(f"/api/v1/orgs/acme/members/{mine.pk}").status_code == 204
    assert client.get("/api/v1/placements").json()["count"] == 0
    assert client.get(f"/api/v1/placements/{placement.pk}").status_code == 404
    assert client.get(f"/api/v1/placements/{placement.pk}/delta").status_code == 404
    rating = {"ratings": [{"competency": "reviews", "step": "l1"}]}
    assert post(client, f"/api/v1/placements/{placement.pk}/ratings", rating).status_code == 404
    assert client.get("/api/v1/feedback-requests").json()["count"] == 0
    assert client.delete(f"/api/v1/feedback-requests/{request.pk}").status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_removed_manager_no_longer_reads_or_rates_a_report(bob, ada, placement):
    client = session(bob)
    assert client.get(f"/api/v1/placements/{placement.pk}/delta").status_code == 200
    _remove_from_acme(ada, bob)
    assert client.get(f"/api/v1/placements/{placement.pk}").status_code == 404
    assert client.get(f"/api/v1/placements/{placement.pk}/delta").status_code == 404
    rating = {"ratings": [{"competency": "reviews", "step": "l1"}]}
    assert post(client, f"/api/v1/placements/{placement.pk}/ratings", rating).status_code == 404
    assert not Signal.objects.exists()


def test_a_former_managers_ratings_keep_the_relationship_they_were_given_in(
    alice, bob, ada, platform, placement
):
    client = session(bob)
    rating = {"ratings": [{"competency": "reviews", "step": "l1"}]}
    response = post(client, f"/api/v1/placements/{placement.pk}/ratings", rating)
    assert response.json() == {"source": "manager", "recorded": 1}
    team = f"/api/v1/orgs/acme/teams/{platform.pk}/members/{alice.pk}"
    assert session(ada).delete(team).status_code == 204
    # No longer Alice's manager: Bob neither reads nor rates her placement.
    assert client.get(f"/api/v1/placements/{placement.pk}/delta").status_code == 404
    assert post(client, f"/api/v1/placements/{placement.pk}/ratings", rating).status_code == 404
    # What he said as her manager stays a manager's rating.
    assert list(Signal.objects.values_list("source", "rater")) == [("manager", bob.pk)]
    delta = session(alice).get(f"/api/v1/placements/{placement.pk}/delta").json()
    reviews = next(c for c in delta["competencies"] if c["key"] == "reviews")
    assert reviews["signals"]["sources"] == [{"source": "manager", "count": 1}]
    listed = session(alice).get(
        f"/api/v1/placements/{placement.pk}/delta/signals?competency=reviews"
    )
    assert [(s["who"], s["source"]) for s in listed.json()["items"]] == [("Bob", "manager")]


def test_a_team_manager_cannot_make_someone_their_report(bob, maya, acme, platform, ladder):
    mayas = services.place(
        user=maya, organization=acme, version=ladder, track="ic", current_level="l1"
    )
    client = session(bob)
    body = {"user_id": maya.pk}
    response = post(client, f"/api/v1/orgs/acme/teams/{platform.pk}/members", body)
    assert response.status_code == 404
    assert client.get(f"/api/v1/placements/{mayas.pk}/delta").status_code == 404
    rating = {"ratings": [{"competency": "reviews", "step": "l1"}]}
    assert post(client, f"/api/v1/placements/{mayas.pk}/ratings", rating).status_code == 404
    assert not Signal.objects.exists()


# --- Input the mail server, the database or the engine could not take ---------------------


@pytest.mark.parametrize(
    "email",
    [
        "a@b.example\r\nBcc: victim@x.example",
        "x@y.zz\nBcc: victim@example.org",
        "not-an-email",
        "l",
        "a@b.example, c@d.example",
        "a@b.example,c@d.example",
        "a@b\u0080.cd",
        "a@\u2488.example",
    ],
)
def test_a_request_to_an_address_mail_cannot_take_writes_nothing(alice, placement, email):
    from upward.core.models import AuditEvent

    body = {"placement_id": placement.pk, "relationship": "peer", "email": email}
    response = post(session(alice), "/api/v1/feedback-requests", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.email"
    assert not FeedbackRequest.objects.exists()
    assert not AuditEvent.objects.filter(code="assessment.feedback.requested").exists()


@pytest.mark.django_db(transaction=True)
def test_a_request_stays_when_the_mail_server_fails_after_commit(
    alice, placement, broken_mail, caplog
):
    body = {"placement_id": placement.pk, "relationship": "peer", "email": "Pat@Outside.test"}
    response = post(session(alice), "/api/v1/feedback-requests", body)
    assert response.status_code == 201
    assert FeedbackRequest.objects.get().rater_email == "pat@outside.test"
    assert "Sending mail failed" in caplog.text


@pytest.mark.parametrize(
    ("ratings", "path"),
    [
        (
            [
                {"competency": "reviews", "step": "l1"},
                {"competency": "shipping", "step": "l2", "sometimes": "l1"},
            ],
            "body.ratings.1.sometimes",
        ),
        (
            [
                {"competency": "reviews", "step": "l1"},
                {"competency": "shipping", "step": "l2", "sometimes": "l2"},
            ],
            "body.ratings.1.sometimes",
        ),
        (
            [{"competency": "reviews", "step": "l1"}, {"competency": "reviews", "step": "l2"}],
            "body.ratings.1.competency",
        ),
        ([{"competency": "reviews", "step": ""}], "body.ratings.0.step"),
    ],
)
def test_contradicting_ratings_are_refused_naming_the_item(
    alice, bob, maya, placement, ratings, path
):
    from upward.assessments.services import request_feedback

    asked = request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    for client, url in [
        (session(alice), f"/api/v1/placements/{placement.pk}/ratings"),
        (session(bob), f"/api/v1/placements/{placement.pk}/ratings"),
        (session(maya), f"/api/v1/feedback-requests/{asked.pk}/responses"),
    ]:
        response = post(client, url, {"ratings": ratings})
        assert response.status_code == 422, url
        assert response.json()["error"]["fields"][0]["path"] == path, url
    assert not Signal.objects.exists()
    assert FeedbackRequest.objects.get().status == "pending"


@pytest.mark.parametrize(
    "today", ["0001-01-01", "9999-12-31", "0", "2.5e-35", "1700000000", "2025-6-1", "20250601"]
)
def test_the_delta_takes_only_a_sensible_iso_date_for_today(alice, placement, today):
    response = session(alice).get(f"/api/v1/placements/{placement.pk}/delta", {"today": today})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "query.today"


def test_the_delta_on_a_given_day_is_read(alice, placement):
    response = session(alice).get(
        f"/api/v1/placements/{placement.pk}/delta", {"today": "2030-06-01"}
    )
    assert response.status_code == 200


TOO_BIG = 2**63


def test_ids_and_pages_past_what_the_database_holds_are_refused_naming_them(
    alice, ladder, placement
):
    client = session(alice)
    checks = [
        (client.get(f"/api/v1/placements/{TOO_BIG}"), "path.placement_id"),
        (client.get(f"/api/v1/placements/{TOO_BIG}/delta"), "path.placement_id"),
        (client.delete(f"/api/v1/feedback-requests/{TOO_BIG}"), "path.request_id"),
        (
            post(
                client,
                "/api/v1/feedback-requests",
                {"placement_id": TOO_BIG, "relationship": "peer", "email": "p@x.example"},
            ),
            "body.placement_id",
        ),
        (
            post(
                client,
                "/api/v1/feedback-requests",
                {"placement_id": placement.pk, "relationship": "peer", "rater_id": TOO_BIG},
            ),
            "body.rater_id",
        ),
        (
            post(
                client,
                "/api/v1/placements",
                {
                    "organization": "acme",
                    "framework_id": TOO_BIG,
                    "version": 1,
                    "track": "ic",
                    "current_level": "l1",
                },
            ),
            "body.framework_id",
        ),
        (client.get(f"/api/v1/frameworks/{TOO_BIG}"), "path.framework_id"),
        (client.get(f"/api/v1/frameworks/{ladder.framework_id}/versions/{TOO_BIG}"), "path.number"),
        (
            client.get(f"/api/v1/frameworks/{ladder.framework_id}/diff", {"old": TOO_BIG}),
            "query.old",
        ),
    ]
    for url in [
        "/api/v1/placements",
        "/api/v1/feedback-requests",
        "/api/v1/feedback-requests/incoming",
        "/api/v1/frameworks",
    ]:
        checks.append((client.get(url, {"page": 10**18}), "query.page"))
        checks.append((client.get(url, {"page_size": TOO_BIG}), "query.page_size"))
    for response, path in checks:
        assert response.status_code == 422, path
        assert response.json()["error"]["fields"][0]["path"] == path
    assert not FeedbackRequest.objects.exists()
    assert Placement.objects.count() == 1


def test_head_on_api_reads_answers_as_get_without_the_body(alice, placement):
    client = session(alice)
    for url in [
        f"/api/v1/placements/{placement.pk}",
        f"/api/v1/placements/{placement.pk}/delta",
        "/api/v1/feedback-requests",
    ]:
        got, head = client.get(url), client.head(url)
        assert (head.status_code, head.content) == (200, b""), url
        assert head["Content-Length"] == str(len(got.content))
    assert client.head(f"/api/v1/placements/{placement.pk + 1000}").status_code == 404
    assert client.head("/api/v1/invitations/accept").status_code == 405
    assert Placement.objects.count() == 1

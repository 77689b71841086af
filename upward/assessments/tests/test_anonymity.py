"""Anonymous feedback walked through everything its requester, their manager and an
org admin can see: every page, API response and audit entry.

Four raters of mixed relationships answer anonymously, each on a different day,
0, threshold - 1, threshold and threshold + 1 of them. Nothing may name a rater, tie
a relationship to an anonymous rating, date an answer or depend on the order the
answers came in; and below or between batches, one more answer changes nothing the
requester or their manager sees.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone as django_timezone

from upward.accounts.models import Membership
from upward.assessments import services
from upward.assessments.models import FeedbackRequest, FeedbackResponse, Signal
from upward.assessments.services import Rating
from upward.core.models import AuditEvent
from upward.testing import client_for, make_user

THRESHOLD = 3  # the floor: the smallest batches anyone can have
ASKED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
READ_AT = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
# (email, name, relationship, shipping step, reviews step)
RATERS = [
    ("kwame@acme.test", "Kwame Mensah", "manager", "l3", "l1"),
    ("lena@acme.test", "Lena Fischer", "mentor", "l2", "l2"),
    ("priya@acme.test", "Priya Raman", "peer", "l1", "l3"),
    ("tomas@acme.test", "Tomas Herrera", "peer", "l2", "l1"),
]
# When each answer comes in: a different day and hour for each.
ANSWER_TIMES = [
    datetime(2026, 3, 4, 8, 17, tzinfo=UTC),
    datetime(2026, 3, 5, 14, 3, tzinfo=UTC),
    datetime(2026, 3, 6, 19, 41, tzinfo=UTC),
    datetime(2026, 3, 7, 11, 29, tzinfo=UTC),
]
ORDERS = {
    "first": [0, 1, 2, 3],
    # The first batch's raters in another order, on other days.
    "second": [2, 0, 1, 3],
}
RELATIONSHIPS = ("manager", "mentor", "peer")


@pytest.fixture
def world(acme, alice, bob, ada, placement, monkeypatch):
    """Alice placed, with a self-rating, and four people she will ask anonymously."""
    acme.anonymity_threshold = THRESHOLD
    acme.save(update_fields=["anonymity_threshold"])
    clock = {"now": ASKED_AT}
    monkeypatch.setattr(django_timezone, "now", lambda: clock["now"])
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    raters = []
    for email, name, *_ in RATERS:
        person = make_user(email, name)
        Membership.objects.create(organization=acme, user=person)
        raters.append(person)
    return {"clock": clock, "raters": raters, "placement": placement}


def _give(world, answered: int, order: list[int]) -> None:
    """Ask all four anonymously, then let the first `answered` of `order` answer."""
    clock, placement = world["clock"], world["placement"]
    clock["now"] = ASKED_AT
    asked = [
        services.request_feedback(
            placement=placement,
            relationship=RATERS[i][2],
            competencies=[],
            rater=rater,
            anonymous=True,
        )
        for i, rater in enumerate(world["raters"])
    ]
    for turn, i in enumerate(order[:answered]):
        clock["now"] = ANSWER_TIMES[turn]  # another order: other raters on these days
        *_, shipping, reviews = RATERS[i]
        services.respond(
            feedback_request=asked[i],
            ratings=[Rating("shipping", shipping), Rating("reviews", reviews)],
            consistent_at=f"Steady work on the billing migration, part {i}",
            biggest_gap="Writing things down",
            by=world["raters"][i],
        )
    clock["now"] = READ_AT


def _forget(world) -> None:
    """Take every request, answer and feedback audit entry away, for the next run."""
    FeedbackRequest.objects.all().delete()
    FeedbackResponse.objects.all().delete()
    Signal.objects.exclude(source="self").delete()
    AuditEvent.objects.filter(code__startswith="assessment.feedback.").delete()


def _walk(people, placement) -> dict[str, dict[str, tuple[int, str]]]:
    """What each of the three sees, everywhere they can look."""
    delta_page = f"/growth/placement/{placement.pk}/"
    delta_api = f"/api/v1/placements/{placement.pk}/delta"
    signals_page = f"/growth/placement/{placement.pk}/signals/shipping/"
    signals_api = f"/api/v1/placements/{placement.pk}/delta/signals?competency=shipping"
    urls = {
        "alice": {
            "my delta page": "/growth/",
            "delta page": delta_page,
            "delta api": delta_api,
            "signals page": signals_page,
            "signals api": signals_api,
            "feedback page": "/growth/feedback/",
            "feedback api": "/api/v1/feedback-requests",
            "counts api": "/api/v1/orgs/acme/feedback-requests/anonymous",
            "dashboard": "/dashboard/",
        },
        "bob": {
            "delta page": delta_page,
            "delta api": delta_api,
            "signals page": signals_page,
            "signals api": signals_api,
            "team page": "/growth/team/",
            "dashboard": "/dashboard/",
        },
        "ada": {
            "delta page": delta_page,
            "delta api": delta_api,
            "audit page": "/orgs/acme/audit/",
            "audit api": "/api/v1/orgs/acme/audit",
            "dashboard": "/dashboard/",
        },
    }
    seen: dict[str, dict[str, tuple[int, str]]] = {}
    for who, pages in urls.items():
        client = client_for(people[who])
        seen[who] = {}
        for name, url in pages.items():
            response = client.get(url)
            seen[who][name] = (response.status_code, _stable(response.content.decode()))
    return seen


def _stable(body: str) -> str:
    """The body without what changes on every request (CSRF tokens, CSP nonces, ids
    of audit rows)."""
    body = re.sub(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r'\1""', body)
    body = re.sub(r'"X-CSRFToken": ?"[^"]*"', '"X-CSRFToken": ""', body)
    body = re.sub(r"&quot;X-CSRFToken&quot;: ?&quot;[^&]*&quot;", "", body)
    return re.sub(r'"id": ?\d+', '"id": 0', body)


def _answer_day_marks() -> list[str]:
    marks = []
    for moment in ANSWER_TIMES:
        marks += [moment.date().isoformat(), f"{moment.day} Mar", moment.strftime("%H:%M")]
    return marks


def _anonymous_parts(name: str, body: str) -> list[str]:
    """The parts of an output about anonymous answers."""
    if name == "delta api":
        delta = json.loads(body)
        return [json.dumps(c["anonymous"]) for c in delta["competencies"]] + [
            json.dumps(delta["anonymous_answers"])
        ]
    if name == "audit api":
        events = json.loads(body)["items"]
        return [json.dumps(e) for e in events if e["data"].get("anonymous")]
    parts = re.findall(r'<li class="said-anonymous">.*?</li>', body, re.S)
    parts += re.findall(r'class="small muted anonymity-note">.*?</p>', body, re.S)
    parts += re.findall(r'<div class="card-footer">.*?</div>', body, re.S)
    return parts


def _check_nothing_leaks(seen, answered: int) -> None:
    for who, outputs in seen.items():
        for name, (status, body) in outputs.items():
            where = f"{who}'s {name} with {answered} answers"
            if who == "ada" and name.startswith("delta"):
                assert status == 404, where  # an admin is not Alice's manager
                continue
            assert status == 200, where
            lowered = body.lower()
            for email, full_name, *_ in RATERS:
                for trace in (email, full_name.lower(), *full_name.lower().split()):
                    assert trace not in lowered, f"{where} names a rater: {trace}"
            if not name.startswith("audit"):
                for mark in _answer_day_marks():
                    assert mark not in body, f"{where} dates an answer: {mark}"
            for part in _anonymous_parts(name, body):
                for relationship in RELATIONSHIPS:
                    assert relationship not in part.lower(), f"{where}: {part}"
    delta = json.loads(seen["alice"]["delta api"][1])
    for competency in delta["competencies"]:
        assert {s["source"] for s in competency["signals"]["sources"]} <= {"self"}
        if competency["anonymous"] is not None:
            assert set(competency["anonymous"]) == {
                "count",
                "distribution",
                "median",
                "sometimes",
            }
            assert competency["anonymous"]["count"] % THRESHOLD == 0


def _check_the_audit(seen, answered: int) -> None:
    events = json.loads(seen["ada"]["audit api"][1])["items"]
    mine = [e for e in events if e["code"].startswith("assessment.feedback.")]
    assert len([e for e in mine if e["code"] == "assessment.feedback.requested"]) == len(RATERS)
    answers = [e for e in mine if e["code"] == "assessment.feedback.answered"]
    assert len(answers) == answered
    for event in mine:
        assert event["target_type"] == "assessments.placement"
        assert event["data"] == {"anonymous": True}
    for event in answers:
        assert event["actor"] == ""
        assert datetime.fromisoformat(event["created_at"]).time().isoformat() == "00:00:00"
    page = seen["ada"]["audit page"][1]
    for moment in ANSWER_TIMES:
        assert moment.strftime("%H:%M") not in page


@pytest.mark.parametrize("answered", [0, THRESHOLD - 1, THRESHOLD, THRESHOLD + 1])
def test_no_output_shows_a_rater_a_relationship_a_date_or_an_order(world, people, answered):
    runs = {}
    for order_name, order in ORDERS.items():
        _give(world, answered, order)
        runs[order_name] = _walk(people, world["placement"])
        _check_nothing_leaks(runs[order_name], answered)
        _check_the_audit(runs[order_name], answered)
        _forget(world)
    first, second = runs["first"], runs["second"]
    for who, outputs in first.items():
        for name, (status, body) in outputs.items():
            if name.startswith("audit"):
                # Admins see one entry per answer, dated by its day: the set is the same.
                continue
            assert (status, body) == second[who][name], f"{who}'s {name} depends on the order"
    shown = json.loads(first["alice"]["delta api"][1])
    released = shown["anonymous_answers"]
    assert released["label"] == ("fewer than 3" if answered < THRESHOLD else "3+")
    counts = json.loads(first["alice"]["counts api"][1])
    assert (counts["asked"], counts["declined"], counts["answered"]) == (4, 0, released)
    assert json.loads(first["alice"]["feedback api"][1])["items"] == []
    page = first["alice"]["my delta page"][1]
    shown_quotes = re.findall(r"billing migration, part (\d)", page)
    if answered < THRESHOLD:
        assert "said-anonymous" not in page
        assert shown_quotes == []
    else:
        assert page.count('class="said-anonymous"') == 2  # shipping and reviews, in the table
        assert sorted(shown_quotes) == ["0", "1", "2"]  # the first batch, whoever came first


@pytest.mark.parametrize(("fewer", "more"), [(0, THRESHOLD - 1), (THRESHOLD, THRESHOLD + 1)])
def test_one_more_answer_inside_a_batch_changes_nothing_the_requester_or_manager_sees(
    world, people, fewer, more
):
    seen = {}
    for answered in (fewer, more):
        _give(world, answered, ORDERS["first"])
        seen[answered] = _walk(people, world["placement"])
        _forget(world)
    for who in ("alice", "bob"):
        assert seen[fewer][who] == seen[more][who], who


def test_a_full_batch_shows_as_one_aggregate_per_competency(world, people):
    _give(world, THRESHOLD, ORDERS["first"])
    delta = json.loads(_walk(people, world["placement"])["alice"]["delta api"][1])
    shipping = next(c for c in delta["competencies"] if c["key"] == "shipping")
    # kwame l3, lena l2, priya l1: one of each, median l2; none carries who or when.
    assert shipping["anonymous"] == {
        "count": 3,
        "distribution": [
            {"step": "l1", "count": 1},
            {"step": "l2", "count": 1},
            {"step": "l3", "count": 1},
        ],
        "median": "l2",
        "sometimes": 0,
    }
    assert shipping["signals"]["count"] == 1
    listed = json.loads(_walk(people, world["placement"])["alice"]["signals api"][1])
    assert [s["who"] for s in listed["items"]] == ["you"]


def test_someone_outside_sees_none_of_it(world, eve):
    _give(world, THRESHOLD, ORDERS["first"])
    client = Client()
    client.force_login(eve)
    placement = world["placement"]
    for url in (
        f"/api/v1/placements/{placement.pk}/delta",
        "/api/v1/orgs/acme/feedback-requests/anonymous",
        "/api/v1/orgs/acme/audit",
    ):
        assert client.get(url).status_code == 404, url

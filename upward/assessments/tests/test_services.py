"""Placements, ratings and feedback requests against the database."""

from __future__ import annotations

import threading
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from upward.assessments import services
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Signal,
)
from upward.assessments.services import Rating
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.models import AuditEvent
from upward.frameworks import services as framework_services


def test_the_target_defaults_to_the_next_level(placement):
    assert (placement.current_level, placement.target_level, placement.target_track) == (
        "l1",
        "l2",
        "ic",
    )
    assert AuditEvent.objects.filter(code="assessment.placement.set").exists()


def test_a_new_placement_keeps_the_old_one_as_history(placement, alice, acme, ladder):
    newer = services.place(
        user=alice, organization=acme, version=ladder, track="ic", current_level="l2"
    )
    placement.refresh_from_db()
    assert not placement.is_active
    assert newer.is_active
    assert Placement.objects.filter(user=alice).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"track": "mgmt", "current_level": "l1"}, "track", "Track 'mgmt'"),
        ({"track": "ic", "current_level": "l9"}, "current_level", "Level 'l9'"),
        ({"track": "ic", "current_level": "l2", "target_level": "l1"}, "target_level", "above"),
        ({"track": "ic", "current_level": "l2", "target_level": "l2"}, "target_level", "above"),
        ({"track": "ic", "current_level": "l3"}, "target_level", "top of this track"),
    ],
)
def test_bad_placements_name_the_field_and_write_nothing(
    alice, acme, ladder, kwargs, field, fragment
):
    with pytest.raises(Invalid) as raised:
        services.place(user=alice, organization=acme, version=ladder, **kwargs)
    assert raised.value.field == field
    assert fragment in raised.value.message
    assert not Placement.objects.exists()


def test_a_draft_version_cannot_be_placed_on(alice, acme, ada, ladder):
    draft = framework_services.start_draft(framework=ladder.framework, by=ada)
    with pytest.raises(Invalid, match="published"):
        services.place(user=alice, organization=acme, version=draft, track="ic", current_level="l1")


def test_self_ratings_are_appended_never_replaced(placement):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2", sometimes="l3")])
    steps = list(Signal.objects.values_list("step", "sometimes_step", "source"))
    assert steps == [("l1", "", "self"), ("l2", "l3", "self")]


@pytest.mark.parametrize(
    ("rating", "field"),
    [
        (Rating("nope", "l1"), "ratings.1.competency"),
        (Rating("shipping", "l7"), "ratings.1.step"),
        (Rating("shipping", "l1", sometimes="x"), "ratings.1.sometimes"),
    ],
)
def test_ratings_of_unknown_competencies_or_steps_write_nothing(placement, rating, field):
    with pytest.raises(Invalid) as raised:
        services.rate_self(placement=placement, ratings=[Rating("reviews", "l1"), rating])
    assert raised.value.field == field
    assert field in raised.value.message
    assert not Signal.objects.exists()


def _ask(placement, **kwargs):
    defaults = {"relationship": "peer", "competencies": [], "email": "pat@outside.test"}
    return services.request_feedback(placement=placement, **(defaults | kwargs))


def test_a_request_covers_every_competency_unless_told_otherwise(placement):
    assert _ask(placement).competencies == ["shipping", "reviews"]
    again = _ask(placement, competencies=["reviews"], allow_duplicate=True)
    assert again.competencies == ["reviews"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"relationship": "self"}, "relationship"),
        ({"email": ""}, "rater"),
        ({"email": "alice@acme.test"}, "email"),
        ({"competencies": ["nope"]}, "competencies"),
    ],
)
def test_bad_requests_name_the_field_and_write_nothing(placement, kwargs, field):
    with pytest.raises(Invalid) as raised:
        _ask(placement, **kwargs)
    assert raised.value.field == field
    assert not FeedbackRequest.objects.exists()


def test_an_answer_turns_ratings_into_signals_and_closes_the_request(placement, bob):
    request = _ask(placement, email="", rater=bob, relationship="manager")
    response = services.respond(
        feedback_request=request,
        ratings=[Rating("shipping", "l2", comment="solid")],
        consistent_at="reviews",
        biggest_gap="shipping bigger things",
        by=bob,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    signal = Signal.objects.get()
    assert (signal.source, signal.rater, signal.source_key, signal.response) == (
        "manager",
        bob,
        f"user:{bob.pk}",
        response,
    )
    with pytest.raises(Conflict, match="already been answered"):
        services.respond(feedback_request=request, ratings=[Rating("shipping", "l3")], by=bob)
    assert Signal.objects.count() == 1


def test_an_anonymous_answer_keeps_no_trace_of_its_rater(placement, bob):
    request = _ask(placement, email="", rater=bob, anonymous=True)
    services.respond(feedback_request=request, ratings=[Rating("shipping", "l2")], by=bob)
    response = FeedbackResponse.objects.get()
    signal = Signal.objects.get()
    assert response.request is None
    assert signal.rater is None
    assert signal.source_key.startswith("anon:")
    assert signal.source_key != f"anon:{request.pk}"
    assert not FeedbackResponse.objects.filter(request__rater=bob).exists()


def test_anonymous_audit_entries_name_no_rater_no_request_and_only_the_day(placement, bob, maya):
    answered = _ask(placement, email="", rater=bob, anonymous=True)
    declined = _ask(placement, email="", rater=maya, anonymous=True)
    services.respond(feedback_request=answered, ratings=[Rating("shipping", "l2")], by=bob)
    services.decline(feedback_request=declined, by=maya)
    events = AuditEvent.objects.filter(code__startswith="assessment.feedback.")
    assert events.count() == 4
    for event in events:
        assert (event.target_type, event.target_id) == ("assessments.placement", str(placement.pk))
        assert event.data == {"anonymous": True}
        for person in (bob, maya):
            assert person.email not in f"{event.actor_label} {event.target_label}"
            assert event.actor_id != person.pk
    for code in ("assessment.feedback.answered", "assessment.feedback.declined"):
        event = events.get(code=code)
        assert (event.actor, event.actor_label) == (None, "")
        moment = timezone.localtime(event.created_at)
        assert (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
        assert moment.date() == timezone.localdate()


def test_attributed_audit_entries_keep_the_request_and_its_rater(placement, bob):
    request = _ask(placement, email="", rater=bob)
    services.respond(feedback_request=request, ratings=[Rating("shipping", "l2")], by=bob)
    asked, answered = AuditEvent.objects.filter(code__startswith="assessment.feedback.").order_by(
        "id"
    )
    assert asked.data["rater"] == bob.email
    assert (answered.target_id, answered.actor) == (str(request.pk), bob)


def test_answers_are_limited_to_what_was_asked(placement):
    request = _ask(placement, competencies=["reviews"])
    with pytest.raises(Invalid, match="Not asked about: shipping"):
        services.respond(feedback_request=request, ratings=[Rating("shipping", "l2")])
    assert not Signal.objects.exists()


def test_an_empty_answer_is_refused(placement):
    with pytest.raises(Invalid, match="at least one"):
        services.respond(feedback_request=_ask(placement), ratings=[])


def test_expired_declined_and_withdrawn_requests_take_no_answers(placement, alice):
    expired = _ask(placement)
    FeedbackRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    expired.refresh_from_db()
    declined = services.decline(feedback_request=_ask(placement))
    withdrawn = services.withdraw(feedback_request=_ask(placement), by=alice)
    for request, word in ((expired, "expired"), (declined, "declined"), (withdrawn, "withdrawn")):
        with pytest.raises(Conflict, match=word):
            services.respond(feedback_request=request, ratings=[Rating("shipping", "l2")])
    assert not Signal.objects.exists()


def test_an_unknown_link_finds_no_request(placement):
    _ask(placement)
    with pytest.raises(NotFound, match="not valid"):
        services.find_request_by_link("a-link-nobody-was-sent")


def test_an_open_request_gets_one_reminder_with_a_fresh_link(
    placement, maya, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from upward.assessments import emails

    sent = []
    monkeypatch.setattr(emails, "send_feedback_request", lambda **kw: sent.append(kw))
    by_link = _ask(placement)
    in_app = _ask(placement, email="", rater=maya, relationship="mentor")
    old_hash = FeedbackRequest.objects.get(pk=by_link.pk).token_hash
    later = timezone.now() + services.REMIND_AFTER + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_pending(now=later) == 2
    assert services.remind_pending(now=later + timedelta(days=1)) == 0  # only one reminder
    by_link.refresh_from_db()
    assert by_link.token_hash != old_hash  # the reminder carries a new link
    assert {kw["feedback_request"].pk for kw in sent} == {by_link.pk, in_app.pk}
    assert all(kw["reminder"] for kw in sent)
    assert [bool(kw["secret"]) for kw in sorted(sent, key=lambda k: k["feedback_request"].pk)] == [
        True,
        False,
    ]


def test_answered_requests_get_no_reminder(placement, maya):
    request = _ask(placement, email="", rater=maya, relationship="mentor")
    services.respond(feedback_request=request, ratings=[Rating("shipping", "l2")], by=maya)
    later = timezone.now() + services.REMIND_AFTER + timedelta(minutes=1)
    assert services.remind_pending(now=later) == 0


# --- Answering, declining and withdrawing at once ------------------------------------------


def _race(*calls):
    """Run each call in its own thread (and database connection), all released at
    once; return what each returned or raised."""
    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # the test reports whatever happened
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("other", ["decline", "withdraw"])
def test_an_answer_racing_a_decline_or_withdraw_leaves_one_consistent_outcome(
    placement, alice, maya, other
):
    for _ in range(3):
        asked = services.request_feedback(
            placement=placement, relationship="mentor", competencies=[], rater=maya
        )
        # Each side holds the request as it was read before the race, as a view would.
        mine, theirs = (FeedbackRequest.objects.get(pk=asked.pk) for _ in range(2))
        closing = {
            "decline": partial(services.decline, feedback_request=theirs, by=maya),
            "withdraw": partial(services.withdraw, feedback_request=theirs, by=alice),
        }[other]
        answering = partial(
            services.respond, feedback_request=mine, ratings=[Rating("shipping", "l2")], by=maya
        )
        results = _race(answering, closing)
        unexpected = [
            r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)
        ]
        assert not unexpected
        assert sum(isinstance(r, Conflict) for r in results) == 1
        asked.refresh_from_db()
        answered = Signal.objects.filter(response__request=asked).exists()
        assert answered is (asked.status == RequestStatus.ANSWERED)
        assert FeedbackResponse.objects.filter(request=asked).exists() is answered
        closed = RequestStatus.DECLINED if other == "decline" else RequestStatus.WITHDRAWN
        assert asked.status in (RequestStatus.ANSWERED, closed)


@pytest.mark.parametrize(
    ("rating", "field"),
    [
        (Rating("shipping", "l2", sometimes="l1"), "ratings.1.sometimes"),
        (Rating("shipping", "l2", sometimes="l2"), "ratings.1.sometimes"),
        (Rating("reviews", "l2"), "ratings.1.competency"),
        (Rating("shipping", ""), "ratings.1.step"),
    ],
)
def test_ratings_that_contradict_themselves_write_nothing(placement, bob, maya, rating, field):
    asked = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    batch = [Rating("reviews", "l1"), rating]
    calls = [
        lambda: services.rate_self(placement=placement, ratings=batch),
        lambda: services.rate_as_manager(placement=placement, manager=bob, ratings=batch),
        lambda: services.respond(feedback_request=asked, ratings=batch, by=maya),
    ]
    for call in calls:
        with pytest.raises(Invalid) as raised:
            call()
        assert raised.value.field == field
    assert not Signal.objects.exists()
    assert not FeedbackResponse.objects.exists()

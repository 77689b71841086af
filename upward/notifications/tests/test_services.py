"""Telling people things: the inbox, instant email, digests, unsubscribing, retries."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.core.errors import Invalid, NotFound
from upward.notifications import messages, services, tasks
from upward.notifications.kinds import Choice, register_kind
from upward.notifications.models import Delivery, DeliveryStatus, Notification, Preference

MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def _answered_by_maya(placement, maya, capture):
    """Maya answers Alice's attributed request; every after-commit step runs."""
    with capture(execute=True):
        asked = assessments.request_feedback(
            placement=placement, relationship="mentor", competencies=[], rater=maya
        )
    with capture(execute=True):
        assessments.respond(feedback_request=asked, ratings=[Rating("shipping", "l2")], by=maya)


def _emails_to(outbox, address):
    return [m for m in outbox if m.to == [address]]


# --- The feedback answer, by the requester's choice ---------------------------------------


def test_an_answer_gives_an_instant_subscriber_one_inbox_entry_and_one_email(
    placement, alice, maya, mailoutbox, django_capture_on_commit_callbacks
):
    _answered_by_maya(placement, maya, django_capture_on_commit_callbacks)
    entries = Notification.objects.filter(recipient=alice)
    assert [(n.kind, n.title) for n in entries] == [
        ("feedback.answered", "Maya answered your feedback request")
    ]
    [email] = _emails_to(mailoutbox, alice.email)
    assert email.subject == "[Upward] Maya answered your feedback request"
    assert f"/growth/placement/{placement.pk}/" in email.body
    assert "/notifications/unsubscribe/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Sending again (a retried task) sends nothing more.
    tasks.deliver_notification.enqueue(entries[0].pk)
    assert len(_emails_to(mailoutbox, alice.email)) == 1


def test_an_answer_gives_a_daily_subscriber_one_line_in_the_next_digest(
    placement, alice, maya, mailoutbox, django_capture_on_commit_callbacks
):
    services.set_choice(user=alice, kind_key="feedback.answered", choice="daily", by=alice)
    _answered_by_maya(placement, maya, django_capture_on_commit_callbacks)
    assert _emails_to(mailoutbox, alice.email) == []
    assert services.send_digests(now=timezone.now() + timedelta(hours=1)) == 1
    [digest] = _emails_to(mailoutbox, alice.email)
    lines = [line for line in digest.body.splitlines() if line.startswith("- ")]
    assert lines == ["- Maya answered your feedback request"]
    assert "List-Unsubscribe" in digest.extra_headers
    # The same day again: nothing more.
    assert services.send_digests(now=timezone.now() + timedelta(hours=2)) == 0
    assert len(_emails_to(mailoutbox, alice.email)) == 1


def test_an_answer_emails_an_opted_out_person_nothing(
    placement, alice, maya, mailoutbox, django_capture_on_commit_callbacks
):
    services.set_choice(user=alice, kind_key="feedback.answered", choice="off", by=alice)
    _answered_by_maya(placement, maya, django_capture_on_commit_callbacks)
    assert services.send_digests(now=MONDAY + timedelta(days=400)) == 0
    assert _emails_to(mailoutbox, alice.email) == []
    assert Notification.objects.get(recipient=alice).email == Choice.OFF  # still in the inbox


# --- Exactly what a retry does --------------------------------------------------------------


def test_a_task_retried_after_a_crash_between_sending_and_recording_sends_nothing_twice(
    alice, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(delivery, status):
        raise SystemError("the worker died right after the mail server accepted")

    monkeypatch.setattr(services, "_finish", crash)
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(recipient=alice, kind_key="feedback.answered", title="Hi")
    assert len(mailoutbox) == 1
    monkeypatch.undo()
    result = tasks.deliver_notification.enqueue(notification.pk)  # the retry
    assert result.return_value is False
    assert len(mailoutbox) == 1
    delivery = Delivery.objects.get()
    assert (delivery.key, delivery.status) == (f"instant:{notification.pk}", DeliveryStatus.CLAIMED)


def test_a_digest_claimed_by_a_run_that_crashed_is_not_sent_again_that_day(
    alice, mailoutbox, monkeypatch
):
    services.set_choice(user=alice, kind_key="feedback.answered", choice="daily", by=alice)
    services.notify(recipient=alice, kind_key="feedback.answered", title="One")
    monkeypatch.setattr(services, "_send", lambda delivery, message: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.send_digests()
    monkeypatch.undo()
    assert services.send_digests() == 0
    assert mailoutbox == []
    assert Notification.objects.get().delivery == Delivery.objects.get()


def test_a_refused_email_is_recorded_as_failed_and_logged(
    alice, broken_mail, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=alice, kind_key="feedback.answered", title="Hi")
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    assert "Sending mail failed" in caplog.text


def test_a_notification_is_queued_only_once_its_transaction_commits(alice, mailoutbox):
    # Inside the test's transaction nothing commits, so nothing is sent or claimed.
    services.notify(recipient=alice, kind_key="feedback.answered", title="Hi")
    assert mailoutbox == []
    assert not Delivery.objects.exists()


# --- Digests ----------------------------------------------------------------------------------


def test_the_weekly_digest_goes_out_on_mondays_only(alice, mailoutbox):
    services.set_choice(user=alice, kind_key="feedback.answered", choice="weekly", by=alice)
    services.notify(recipient=alice, kind_key="feedback.answered", title="One")
    services.notify(recipient=alice, kind_key="feedback.answered", title="Two")
    Notification.objects.update(created_at=MONDAY - timedelta(days=2))
    assert services.send_digests(now=MONDAY + timedelta(days=1)) == 0  # a Tuesday
    assert services.send_digests(now=MONDAY) == 1
    assert services.send_digests(now=MONDAY + timedelta(hours=3)) == 0
    lines = [line for line in mailoutbox[0].body.splitlines() if line.startswith("- ")]
    assert lines == ["- One", "- Two"]
    assert mailoutbox[0].subject == "[Upward] 2 update(s) this week"


def test_a_digest_carries_only_what_arrived_before_it(alice, bob, mailoutbox):
    for person in (alice, bob):
        services.set_choice(user=person, kind_key="feedback.answered", choice="daily", by=person)
        services.notify(recipient=person, kind_key="feedback.answered", title=f"For {person.name}")
    now = timezone.now()
    later = services.notify(recipient=alice, kind_key="feedback.answered", title="Later")
    Notification.objects.filter(pk=later.pk).update(created_at=now + timedelta(hours=1))
    assert services.send_digests(now=now) == 2
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, bob.email]
    assert Notification.objects.get(pk=later.pk).delivery is None
    assert services.send_digests(now=now + timedelta(days=1)) == 1


# --- Feedback events and the anonymity rule ---------------------------------------------------


def test_an_anonymous_answer_tells_the_requester_nothing(
    placement, alice, maya, mailoutbox, django_capture_on_commit_callbacks
):
    asked = assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=maya, anonymous=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessments.respond(feedback_request=asked, ratings=[Rating("shipping", "l2")], by=maya)
    assert not Notification.objects.filter(recipient=alice).exists()
    assert _emails_to(mailoutbox, alice.email) == []


def test_a_decline_tells_the_requester_unless_the_request_was_anonymous(placement, alice, maya):
    named = assessments.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    anonymous = assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], rater=maya, anonymous=True
    )
    assessments.decline(feedback_request=named, by=maya)
    assessments.decline(feedback_request=anonymous, by=maya)
    titles = list(Notification.objects.filter(recipient=alice).values_list("title", flat=True))
    assert titles == ["Maya declined your feedback request"]


def test_a_rater_with_an_account_gets_the_request_in_their_inbox(
    placement, maya, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = assessments.request_feedback(
            placement=placement, relationship="mentor", competencies=[], rater=maya
        )
    entry = Notification.objects.get(recipient=maya)
    assert (entry.kind, entry.url) == ("feedback.requested", f"/growth/feedback/{asked.pk}/answer/")
    [email] = _emails_to(mailoutbox, maya.email)
    assert email.body.count(f"/growth/feedback/{asked.pk}/answer/") == 1
    assert "List-Unsubscribe" in email.extra_headers


def test_a_rater_asked_by_address_gets_the_link_directly_and_nothing_stores_it(
    placement, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from upward.assessments.services import feedback

    monkeypatch.setattr(feedback, "new_link_secret", lambda: "the-raw-secret")
    with django_capture_on_commit_callbacks(execute=True):
        assessments.request_feedback(
            placement=placement, relationship="peer", competencies=[], email="pat@out.test"
        )
    [email] = mailoutbox
    assert "/feedback/the-raw-secret/" in email.body
    assert "List-Unsubscribe" not in email.extra_headers  # an address has no choices
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_the_reminder_to_a_rater_with_an_account_is_its_own_kind(
    placement, maya, django_capture_on_commit_callbacks
):
    assessments.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    later = timezone.now() + assessments.REMIND_AFTER + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assessments.remind_pending(now=later)
    kinds = list(Notification.objects.filter(recipient=maya).values_list("kind", flat=True))
    assert kinds == ["feedback.reminder"]


# --- Choices and unsubscribing ----------------------------------------------------------------


def test_a_choice_must_name_a_kind_and_a_choice(alice):
    with pytest.raises(Invalid, match="not a kind") as error:
        services.set_choice(user=alice, kind_key="nope", choice="off", by=alice)
    assert error.value.field == "kind"
    with pytest.raises(Invalid, match="not a choice") as error:
        services.set_choice(user=alice, kind_key="feedback.answered", choice="hourly", by=alice)
    assert error.value.field == "choice"
    with pytest.raises(Invalid, match="not a kind"):  # sent directly: nothing to choose
        services.set_choice(user=alice, kind_key="org.invitation", choice="off", by=alice)
    assert not Preference.objects.exists()


def test_an_unsubscribe_token_turns_off_only_its_own_person_and_kinds(alice, bob):
    token = messages.unsubscribe_token(alice, ["feedback.answered"])
    user, kinds = services.unsubscribe(token=token)
    assert (user, kinds) == (alice, ["feedback.answered"])
    rows = set(Preference.objects.values_list("user__email", "kind", "choice"))
    assert rows == {(alice.email, "feedback.answered", "off")}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_unsubscribe_token_is_not_found(alice, tamper):
    token = messages.unsubscribe_token(alice, ["feedback.answered"])
    with pytest.raises(NotFound):
        services.unsubscribe(token=tamper(token))
    assert not Preference.objects.exists()


def test_a_token_signed_for_something_else_is_not_an_unsubscribe_token(alice):
    from django.core import signing

    other = signing.dumps({"u": alice.pk, "k": ["feedback.answered"]}, salt="another.purpose")
    unknown_kind = signing.dumps({"u": alice.pk, "k": ["nope"]}, salt=messages.UNSUBSCRIBE_SALT)
    for token in (other, unknown_kind):
        with pytest.raises(NotFound):
            services.unsubscribe(token=token)


def test_a_kind_registered_twice_differently_is_refused(monkeypatch):
    from upward.notifications import kinds

    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))  # leave the real registry alone
    register_kind("test.same", "Same")
    register_kind("test.same", "Same")
    with pytest.raises(ValueError, match="already registered"):
        register_kind("test.same", "Different")


def test_marking_read(alice, bob, notice):
    other = services.notify(recipient=bob, kind_key="feedback.answered", title="Bob's")
    services.mark_read(notification=notice)
    first = Notification.objects.get(pk=notice.pk).read_at
    services.mark_read(notification=notice)
    assert Notification.objects.get(pk=notice.pk).read_at == first
    services.notify(recipient=alice, kind_key="feedback.answered", title="Another")
    assert services.mark_all_read(user=alice) == 1
    assert Notification.objects.get(pk=other.pk).read_at is None

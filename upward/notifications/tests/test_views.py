"""The inbox page, marking read, email settings and the unsubscribe link."""

from __future__ import annotations

import pytest
from django.test import Client

from upward.notifications import messages, services
from upward.notifications.models import Notification, Preference


def _make(person, count, **kwargs):
    return [
        services.notify(recipient=person, kind_key="feedback.answered", title=f"N{i}", **kwargs)
        for i in range(count)
    ]


# --- The inbox ------------------------------------------------------------------------------


def test_the_inbox_lists_my_notifications_linking_to_their_pages(as_alice, alice, bob):
    _make(alice, 2, url="/growth/feedback/")
    _make(bob, 1, url="/growth/feedback/")
    page = as_alice.get("/notifications/").content.decode()
    assert page.count('<a href="/growth/feedback/">') == 2
    assert page.count("notification--unread") == 2
    assert 'class="bell-count">2<' in page  # the bell in the header


def test_the_inbox_is_paginated_within_a_query_budget(as_alice, alice, django_assert_num_queries):
    _make(alice, 30)
    # session, user, unread count (the bell), my memberships and current membership
    # (the header), count, the page of notifications
    with django_assert_num_queries(7):
        response = as_alice.get("/notifications/?page=2")
    assert response.status_code == 200
    assert response.content.decode().count('id="notification-') == 5


def test_the_bell_counts_only_unread_notifications(as_alice, alice):
    _make(alice, 3)
    Notification.objects.filter(title="N0").update(read_at="2026-01-01T00:00Z")
    page = as_alice.get("/notifications/settings/").content.decode()
    assert 'class="bell-count">2<' in page


def test_marking_one_read_then_all(as_alice, alice):
    first, _second, _third = _make(alice, 3)
    response = as_alice.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    as_alice.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_get_of_mark_read_changes_nothing(as_alice, alice):
    [notice] = _make(alice, 1)
    assert as_alice.get(f"/notifications/{notice.pk}/read/").status_code == 302
    assert as_alice.get("/notifications/read/").status_code == 302
    assert Notification.objects.get().read_at is None


def test_nobody_else_can_mark_my_notification_read(as_bob, alice):
    [notice] = _make(alice, 1)
    assert as_bob.post(f"/notifications/{notice.pk}/read/").status_code == 404
    assert as_bob.post(f"/notifications/{notice.pk + 1000}/read/").status_code == 404
    as_bob.post("/notifications/read/")
    assert Notification.objects.get().read_at is None


def test_the_inbox_needs_signing_in(db):
    assert Client().get("/notifications/").status_code == 302
    assert Client().post("/notifications/").status_code in (302, 405)


# --- Email settings -----------------------------------------------------------------------------


def test_the_settings_page_saves_a_choice_per_kind(as_alice, alice):
    page = as_alice.get("/notifications/settings/").content.decode()
    assert "Answers to your feedback requests" in page
    assert "Invitations to an organization" not in page  # sent directly, no choice
    response = as_alice.post(
        "/notifications/settings/",
        {
            "feedback.requested": "instant",
            "feedback.reminder": "weekly",
            "feedback.answered": "daily",
            "feedback.declined": "off",
            "roadmap.objective_overdue": "daily",
            "roadmap.milestone_overdue": "daily",
            "evidence.confirmation_requested": "instant",
            "evidence.entry_confirmed": "instant",
            "evidence.collaborator_named": "instant",
            "evidence.thread_reply": "instant",
            "evidence.thread_reaction": "daily",
            "evidence.packet_opened": "instant",
            "mentorship.request_received": "instant",
            "mentorship.request_answered": "instant",
            "mentorship.room_message": "instant",
            "mentorship.session_scheduled": "instant",
            "mentorship.action_assigned": "instant",
            "mentorship.check_in_due": "daily",
            "mentorship.room_ended": "instant",
            "mentorship.programme_matched": "instant",
        },
    )
    assert response.status_code == 302
    rows = set(Preference.objects.values_list("kind", "choice"))
    assert rows == {
        ("feedback.reminder", "weekly"),
        ("feedback.answered", "daily"),
        ("feedback.declined", "off"),
    }


def test_a_bad_choice_re_renders_naming_the_field_and_saves_nothing(as_alice):
    response = as_alice.post(
        "/notifications/settings/",
        {"feedback.requested": "hourly", "feedback.reminder": "weekly"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.exists()


# --- Unsubscribing from an email ---------------------------------------------------------------


def test_the_unsubscribe_link_works_without_signing_in(alice):
    url = f"/notifications/unsubscribe/{messages.unsubscribe_token(alice, ['feedback.answered'])}/"
    confirm = Client().get(url)
    assert confirm.status_code == 200
    assert "Answers to your feedback requests" in confirm.content.decode()
    assert not Preference.objects.exists()  # a GET (a link scanner) changes nothing
    done = Client().post(url)
    assert done.status_code == 200
    assert "unsubscribed" in done.content.decode()
    assert set(Preference.objects.values_list("user", "kind", "choice")) == {
        (alice.pk, "feedback.answered", "off")
    }


def test_a_one_click_unsubscribe_from_a_mail_client_works(alice):
    token = messages.unsubscribe_token(alice, ["feedback.requested"])
    response = Client(enforce_csrf_checks=True).post(
        f"/notifications/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Preference.objects.get().choice == "off"


def test_the_unsubscribe_link_in_an_email_is_for_its_person_and_kind_only(
    alice, bob, as_bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=alice, kind_key="feedback.declined", title="Declined")
    [email] = mailoutbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    as_bob.post(link)  # Bob following Alice's link signs nobody but Alice out
    assert set(Preference.objects.values_list("user", "kind", "choice")) == {
        (alice.pk, "feedback.declined", "off")
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_is_not_found(alice, bob, method):
    token = messages.unsubscribe_token(alice, ["feedback.answered"])
    payload, _, signature = token.rpartition(":")
    bob_payload = messages.unsubscribe_token(bob, ["feedback.answered"]).rpartition(":")[0]
    for bad in (f"{bob_payload}:{signature}", f"{payload}:{signature[::-1]}", "nonsense"):
        response = getattr(Client(), method)(f"/notifications/unsubscribe/{bad}/")
        assert response.status_code == 404
    assert not Preference.objects.exists()

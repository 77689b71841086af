"""`upward manage send_digests` and the demo data."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from upward.notifications import services
from upward.notifications.demo import load
from upward.notifications.models import Notification, Preference
from upward.testing import make_user


def test_the_digest_command_sends_and_says_how_many(alice, mailoutbox):
    services.set_choice(user=alice, kind_key="feedback.answered", choice="daily", by=alice)
    services.notify(recipient=alice, kind_key="feedback.answered", title="One")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "sent 1 digest(s)"
    call_command("send_digests", stdout=out)
    assert len(mailoutbox) == 1


def test_the_demo_gives_alice_read_notifications_once(db):
    alice = make_user("alice@example.com", "Alice")
    load()
    load()
    assert Notification.objects.filter(recipient=alice, read_at__isnull=False).count() == 2
    assert Preference.objects.get(user=alice).choice == "weekly"


def test_the_loaded_demo_shows_alice_two_unread_notifications(db):
    from upward.demo import load_demo

    load_demo()
    inbox = Notification.objects.filter(recipient__email="alice@example.com")
    assert inbox.filter(kind__startswith="feedback.").count() == 3
    assert inbox.filter(kind__startswith="evidence.").count() > 5  # read ones, from her proof
    assert [n.title for n in inbox.filter(read_at__isnull=True).order_by("pk")] == [
        "Sam Ortiz answered your feedback request",
        "Your packet was opened: Alice Moreau: the case for IC4",
    ]

"""`upward demo` shows proof: Alice's evidence log with confirmed entries, a thread with
replies and a promoted update, a public thread on her public profile, and her packet
with a share link someone opened."""

from __future__ import annotations

import pytest
from django.test import Client

from upward.accounts.models import User
from upward.assessments.selectors import delta_for
from upward.demo import load_demo
from upward.evidence.models import Entry, Packet, ShareOpen, Thread
from upward.testing import page


@pytest.fixture
def alice(db):
    load_demo()
    return User.objects.get(email="alice@example.com")


def test_confirmed_evidence_demonstrates_system_design_on_alices_delta(alice):
    review = Entry.objects.get(owner=alice, title__startswith="Ran the design review")
    assert review.confirmations.count() == 2
    row = next(
        c for c in delta_for(review.placement).delta.competencies if c.key == "system-design"
    )
    assert row.demonstrated == "ic4"
    assert row.status == "met"


def test_alices_log_thread_and_packet_pages_show_the_demo(alice):
    log = page(alice, "/evidence/")
    assert "Ran the design review" in log.words
    assert "Paired with Lena" in log.words  # her private entry, seen by her
    thread = Thread.objects.get(owner=alice, visibility="organization")
    shown = page(alice, f"/threads/{thread.pk}/")
    assert "Learning to write design docs" in shown.words
    assert thread.posts.filter(is_update=True).count() == 3
    assert thread.posts.filter(is_update=False).count() == 2
    assert Entry.objects.filter(post__thread=thread).count() == 1
    packet = Packet.objects.get(owner=alice)
    assert "Missing proof" in page(alice, f"/packets/{packet.pk}/").words
    assert ShareOpen.objects.filter(link__packet=packet, viewer__email="bob@example.com").exists()


def test_the_public_profile_shows_only_the_public_thread_logged_out(alice):
    response = Client().get(f"/u/{alice.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "What rewriting our notification pipeline taught me" in body
    assert "Learning to write design docs" not in body  # organization only
    assert "Ran the design review" not in body


def test_bob_does_not_see_alices_private_entry(alice):
    bob = User.objects.get(email="bob@example.com")
    log = page(bob, f"/people/{alice.pk}/evidence/")
    assert "Ran the design review" in log.words
    assert "Paired with Lena" not in log.words

"""The calendar feed page: create the secret address (shown once), replace it, revoke it."""

from __future__ import annotations

import re

from django.conf import settings

from upward.core.tests.pages import assert_no_inline_code, text, words
from upward.roadmaps.models import CalendarFeed


def _address(response) -> str:
    found = re.search(r'<code id="feed-url">([^<]+)</code>', text(response))
    assert found, words(response)
    return found.group(1)


def test_without_a_feed_the_page_offers_to_create_one(alice, as_alice):
    response = as_alice.get("/roadmap/calendar/")
    assert response.status_code == 200
    assert "No feed yet" in words(response)
    assert 'id="feed-url"' not in text(response)
    assert_no_inline_code(response)


def test_creating_a_feed_shows_its_address_once_and_the_address_works(alice, as_alice, client):
    response = as_alice.post("/roadmap/calendar/", {"action": "create"})
    address = _address(response)
    assert address.startswith(f"{settings.SITE_URL}/calendar/")
    assert address.endswith(".ics")
    again = as_alice.get("/roadmap/calendar/")
    assert "Your feed is on" in words(again)
    assert 'id="feed-url"' not in text(again)
    path = address.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200


def test_replacing_the_address_ends_the_old_one(alice, as_alice, client):
    old = _address(as_alice.post("/roadmap/calendar/", {"action": "create"}))
    new = _address(as_alice.post("/roadmap/calendar/", {"action": "create"}))
    assert old != new
    assert client.get(old.removeprefix(settings.SITE_URL)).status_code == 404
    assert client.get(new.removeprefix(settings.SITE_URL)).status_code == 200


def test_revoking_the_feed_ends_its_address(alice, as_alice, client):
    address = _address(as_alice.post("/roadmap/calendar/", {"action": "create"}))
    response = as_alice.post("/roadmap/calendar/", {"action": "revoke"})
    assert response.status_code == 302
    assert "No feed yet" in words(as_alice.get("/roadmap/calendar/"))
    assert client.get(address.removeprefix(settings.SITE_URL)).status_code == 404
    assert not CalendarFeed.objects.filter(user=alice, revoked_at__isnull=True).exists()


def test_the_page_needs_a_signed_in_person(client):
    response = client.get("/roadmap/calendar/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

"""The packet pages: my packets, a new one, the packet with its builder, downloads,
share links, and the shared page a link opens."""

# The shared fixtures are imported by name, so tests naming them look like redefinitions.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.core.tokens import digest
from upward.evidence.models import Packet, ShareLink, ShareOpen
from upward.evidence.services.packets import create_packet, create_share_link, revoke_share_link
from upward.evidence.tests.test_packets_world import (  # noqa: F401 (fixtures)
    PAT_SAYS,
    REVIEWED,
    SHIPPED,
    packet,
    pat,
    world,
)
from upward.testing import client_for, page


def url(name: str, *args: object) -> str:
    return reverse(f"evidence:{name}", args=args)


def packet_urls(packet: Packet) -> list[str]:
    return [
        url("packet", packet.pk),
        url("packet_edit", packet.pk),
        url("packet_delete", packet.pk),
        url("packet_links", packet.pk),
        url("packet_export", packet.pk, "md"),
        url("packet_export", packet.pk, "html"),
        url("packet_export", packet.pk, "pdf"),
    ]


# --- My packets --------------------------------------------------------------------------


def test_my_packets_lists_mine_with_their_target(packet, alice, bob, acme, ladder):
    shown = page(alice, url("packet_list"))

    assert "Case for level 2" in shown.words
    assert "towards L2 Level 2" in shown.words
    assert url("packet_new") in shown.html
    assert "Case for level 2" not in page(bob, url("packet_list")).words


def test_without_a_placement_the_list_says_to_place_yourself_first(bob, acme):
    shown = page(bob, url("packet_list"))

    assert "Place yourself first" in shown.words


def test_a_new_packet_starts_titled_for_the_target_level(alice, placement):
    shown = page(alice, url("packet_new"))

    assert 'value="Towards L2 Level 2"' in shown.html


def test_making_a_packet_goes_to_its_page(alice, placement):
    response = client_for(alice).post(url("packet_new"), {"title": "My case", "summary": "Hi"})

    made = Packet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("packet", made.pk)
    assert (made.title, made.owner, made.placement) == ("My case", alice, placement)


def test_a_new_packet_needs_a_title(alice, placement):
    response = client_for(alice).post(url("packet_new"), {"title": " "})

    assert response.status_code == 422
    assert not Packet.objects.exists()


def test_without_a_placement_a_new_packet_asks_to_place_yourself(bob, acme):
    response = client_for(bob).get(url("packet_new"))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:placement_edit")


# --- The packet page ---------------------------------------------------------------------


def test_the_packet_page_shows_the_packet_and_its_builder(packet, alice, world):
    shown = page(alice, url("packet", packet.pk))

    for text in [SHIPPED, REVIEWED, PAT_SAYS, "Missing proof", "Contents", "What goes in"]:
        assert text in shown.words, text
    assert f'name="entries" value="{world["shipped"].pk}" checked' in shown.html
    assert 'name="anonymous" checked' in shown.html
    assert ' style="' not in shown.html
    assert "<script>" not in shown.html


def test_the_builder_saves_what_is_ticked(packet, alice, world):
    data = {
        "entries": [str(world["shipped"].pk)],
        "quotes": [str(world["answer"].pk)],
        "objectives": [str(world["objective"].pk)],
    }

    response = client_for(alice).post(url("packet", packet.pk), data)

    assert response.status_code == 302
    packet.refresh_from_db()
    # Quotes and objectives were all ticked: they stay "all", so new ones go in too.
    assert packet.choices == {"anonymous": False, "entries": [world["shipped"].pk]}
    assert REVIEWED not in page(alice, url("packet", packet.pk)).html.split("What goes in")[0]


def test_the_builder_refuses_an_item_that_is_not_the_members(packet, alice):
    response = client_for(alice).post(url("packet", packet.pk), {"entries": ["999999"]})

    assert response.status_code == 422
    assert "not one of your evidence entries" in response.content.decode()
    packet.refresh_from_db()
    assert packet.choices == {}


def test_editing_changes_the_title_and_summary(packet, alice):
    response = client_for(alice).post(
        url("packet_edit", packet.pk), {"title": "New title", "summary": "**Mine**"}
    )

    assert response.status_code == 302
    packet.refresh_from_db()
    assert (packet.title, packet.summary) == ("New title", "**Mine**")
    assert "<strong>Mine</strong>" in page(alice, url("packet", packet.pk)).html


def test_deleting_a_packet_goes_back_to_the_list(packet, alice):
    response = client_for(alice).post(url("packet_delete", packet.pk))

    assert response.status_code == 302
    assert response["Location"] == url("packet_list")
    assert not Packet.objects.exists()


def test_a_get_of_an_action_goes_to_the_packet(packet, alice):
    response = client_for(alice).get(url("packet_delete", packet.pk))

    assert response.status_code == 302
    assert Packet.objects.exists()


# --- Downloads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "content_type", "start"),
    [
        ("md", "text/markdown; charset=utf-8", b"# Case for level 2"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_the_packet_downloads_as_a_file(packet, alice, extension, content_type, start):
    response = client_for(alice).get(url("packet_export", packet.pk, extension))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="promotion-packet-alice-l2-level-2-')
    assert disposition.endswith(f'.{extension}"')
    assert response.content.startswith(start)


def test_an_unknown_format_is_not_found(packet, alice):
    page(alice, url("packet_export", packet.pk, "docx"), status=404)


# --- Share links -------------------------------------------------------------------------


def test_a_new_link_is_shown_once_and_only_its_hash_kept(packet, alice):
    response = client_for(alice).post(
        url("packet_links", packet.pk), {"days": "7", "label": "Panel"}
    )

    assert response.status_code == 201
    html = response.content.decode()
    link = ShareLink.objects.get()
    secret = html.split("/shared/")[1].split("/")[0]
    assert link.token_hash == digest(secret)
    assert link.label == "Panel"
    assert secret not in page(alice, url("packet", packet.pk)).html


def test_a_link_lasts_at_most_ninety_days(packet, alice):
    response = client_for(alice).post(url("packet_links", packet.pk), {"days": "91"})

    assert response.status_code == 422
    assert not ShareLink.objects.exists()


def test_the_links_list_says_who_opened_each_and_when(packet, alice, bob):
    _link, secret = create_share_link(packet=packet, by=alice, days=7, label="Panel")
    page(bob, url("shared_packet", secret))
    page(Client(), url("shared_packet", secret))

    shown = page(alice, url("packet", packet.pk))

    assert "Opened 2 times" in shown.words
    assert "Bob," in shown.words
    assert "Someone not signed in," in shown.words
    assert "Live" in shown.words


def test_revoking_a_link_ends_it(packet, alice):
    link, secret = create_share_link(packet=packet, by=alice, days=7)

    response = client_for(alice).post(url("packet_link_revoke", link.pk))

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Revoked" in page(alice, url("packet", packet.pk)).words
    gone = page(Client(), url("shared_packet", secret), status=410)
    assert "This link was revoked on" in gone.words


def test_revoking_twice_says_so(packet, alice):
    link, _secret = create_share_link(packet=packet, by=alice, days=7)
    revoke_share_link(link=link, by=alice)

    response = client_for(alice).post(url("packet_link_revoke", link.pk), follow=True)

    assert "already revoked" in response.content.decode()


# --- The shared page ---------------------------------------------------------------------


def test_a_shared_packet_opens_without_signing_in(packet, alice):
    _link, secret = create_share_link(packet=packet, by=alice, days=7)

    shown = page(Client(), url("shared_packet", secret))

    assert "Case for level 2" in shown.words
    assert SHIPPED in shown.words
    assert "What goes in" not in shown.words
    assert shown.response["X-Robots-Tag"] == "noindex, nofollow"
    assert shown.response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in shown.response["Cache-Control"]
    assert ShareOpen.objects.get().viewer is None


def test_a_shared_packet_opened_by_someone_signed_in_records_them(packet, alice, eve):
    _link, secret = create_share_link(packet=packet, by=alice, days=7)

    page(eve, url("shared_packet", secret))

    assert ShareOpen.objects.get().viewer == eve


def test_an_expired_link_says_when_it_expired(packet, alice, monkeypatch):
    _link, secret = create_share_link(packet=packet, by=alice, days=1)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    gone = page(Client(), url("shared_packet", secret), status=410)

    assert "This link expired on" in gone.words
    assert SHIPPED not in gone.words
    assert gone.response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_unknown_link_is_not_found(packet):
    page(Client(), url("shared_packet", "no-such-secret"), status=404)


# --- Who gets in -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "maya", "eve", "pat"])
def test_nobody_but_the_owner_reaches_a_packet(packet, people, pat, who):
    visitor = pat if who == "pat" else people[who]
    client = client_for(visitor)
    for address in packet_urls(packet):
        assert client.get(address).status_code == 404, address
        # Downloads refuse POST to everyone alike (405), before looking at the id.
        expected = 405 if "/packet." in address else 404
        assert client.post(address).status_code == expected, address
    assert Packet.objects.get().title == "Case for level 2"


def test_nobody_but_the_owner_revokes_a_link(packet, alice, bob, eve):
    link, _secret = create_share_link(packet=packet, by=alice, days=7)

    for visitor in (bob, eve):
        assert client_for(visitor).post(url("packet_link_revoke", link.pk)).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_signed_out_visitors_are_sent_to_sign_in(packet):
    response = Client().get(url("packet", packet.pk))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_members_packet_is_not_listed_or_reachable(alice, bob, acme, ladder, placement):
    from upward.evidence.tests.factories import placed

    bobs = create_packet(owner=bob, placement=placed(bob, acme, ladder), title="Bob's case")

    assert "Bob's case" not in page(alice, url("packet_list")).words
    page(alice, url("packet", bobs.pk), status=404)


def test_the_packet_page_costs_the_same_queries_however_much_it_holds(
    packet, alice, bob, placement
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from upward.evidence.tests.test_packets_world import entry

    client = client_for(alice)
    # One link already, so its opens are read both times.
    create_share_link(packet=packet, by=alice, days=7, label="First")
    client.get(url("packet", packet.pk))  # the session and the framework document, once
    with CaptureQueriesContext(connection) as few:
        client.get(url("packet", packet.pk))
    for i in range(3):
        entry(placement, f"More work {i}", "reviews")
        _link, secret = create_share_link(packet=packet, by=alice, days=7, label=f"Panel {i}")
        page(bob, url("shared_packet", secret))
        page(Client(), url("shared_packet", secret))

    with CaptureQueriesContext(connection) as many:
        shown = page(client, url("packet", packet.pk))

    assert "More work 2" in shown.words
    assert shown.words.count("Opened 2 times") == 3
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]


def test_with_nothing_of_a_kind_yet_saving_keeps_it_open_to_new_items(alice, placement):
    made = create_packet(owner=alice, placement=placement, title="Early case")

    client_for(alice).post(url("packet", made.pk), {"anonymous": "on"})

    made.refresh_from_db()
    assert made.choices == {"anonymous": True}


def test_a_shared_packet_shows_anonymous_ratings_only_as_their_aggregate(
    packet, alice, placement, acme
):
    from upward.evidence.tests.test_packets_selectors import ANONYMOUS_SAYS, _anonymous_answers

    names = _anonymous_answers(placement, acme, 3)
    _link, secret = create_share_link(packet=packet, by=alice, days=7)

    shown = page(Client(), url("shared_packet", secret))

    assert "3+ people rated this anonymously" in shown.words
    assert ANONYMOUS_SAYS not in shown.html
    assert not any(name in shown.html for name in names)


def test_my_packets_cost_the_same_queries_however_many(packet, alice, placement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    client.get(url("packet_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("packet_list"))
    for i in range(3):
        made = create_packet(owner=alice, placement=placement, title=f"Case {i}")
        create_share_link(packet=made, by=alice, days=7)

    with CaptureQueriesContext(connection) as many:
        shown = page(client, url("packet_list"))

    assert shown.words.count("1 live link") == 3
    assert len(many) == len(few)

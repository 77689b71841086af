"""Writing packets and their share links: checked input, only hashes kept, expiry,
revocation, and who opened a link."""

# The shared fixtures are imported by name, so tests naming them look like redefinitions.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from upward.accounts.models import Membership
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.models import AuditEvent
from upward.core.tokens import digest
from upward.evidence.models import Packet, ShareLink, ShareOpen
from upward.evidence.services.packets import (
    LinkEnded,
    create_packet,
    create_share_link,
    delete_packet,
    open_share_link,
    revoke_share_link,
    update_packet,
)
from upward.evidence.tests.factories import placed
from upward.evidence.tests.test_packets_world import (  # noqa: F401 (fixtures)
    entry,
    packet,
    pat,
    world,
)

# --- Packets -----------------------------------------------------------------------------


def test_a_packet_belongs_to_its_placement_and_organization(alice, placement, acme):
    made = create_packet(owner=alice, placement=placement, title="  Case for L2  ", summary="Mine")

    assert (made.owner, made.organization, made.placement) == (alice, acme, placement)
    assert (made.title, made.summary, made.choices) == ("Case for L2", "Mine", {})
    assert AuditEvent.objects.filter(code=AuditCode.EVIDENCE_PACKET_CREATED).count() == 1


def test_a_packet_needs_a_title(alice, placement):
    with pytest.raises(Invalid) as error:
        create_packet(owner=alice, placement=placement, title="   ")

    assert error.value.field == "title"
    assert not Packet.objects.exists()


def test_nobody_makes_a_packet_of_someone_elses_placement(bob, placement):
    with pytest.raises(Invalid) as error:
        create_packet(owner=bob, placement=placement, title="Not mine")

    assert error.value.field == "placement"


def test_choices_are_tidied_and_kept(alice, placement, world):
    shipped = world["shipped"].pk
    made = create_packet(
        owner=alice,
        placement=placement,
        title="Case",
        choices={"entries": [shipped, shipped], "quotes": [], "anonymous": False},
    )

    assert made.choices == {"entries": [shipped], "quotes": [], "anonymous": False}


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"entries": "all"}, "choices.entries"),
        ({"entries": [True]}, "choices.entries[0]"),
        ({"quotes": ["1"]}, "choices.quotes[0]"),
        ({"anonymous": "yes"}, "choices.anonymous"),
        ({"everything": []}, "choices.everything"),
    ],
)
def test_malformed_choices_are_refused_naming_the_field(alice, placement, choices, field):
    with pytest.raises(Invalid) as error:
        create_packet(owner=alice, placement=placement, title="Case", choices=choices)

    assert error.value.field == field


def test_an_id_that_is_not_the_owners_is_refused_naming_its_place(
    alice, bob, acme, ladder, placement, world
):
    bobs = entry(placed(bob, acme, ladder), "Bob's work", "shipping")

    with pytest.raises(Invalid) as error:
        create_packet(
            owner=alice,
            placement=placement,
            title="Case",
            choices={"entries": [world["shipped"].pk, bobs.pk]},
        )

    assert error.value.field == "choices.entries[1]"
    assert "evidence entries" in error.value.message
    assert not Packet.objects.exists()


@pytest.mark.parametrize("kind", ["quotes", "objectives"])
def test_quotes_and_objectives_must_be_the_owners_too(alice, placement, world, kind):
    with pytest.raises(Invalid) as error:
        create_packet(owner=alice, placement=placement, title="Case", choices={kind: [999_999]})

    assert error.value.field == f"choices.{kind}[0]"


def test_updating_changes_only_what_is_given_and_audits_it(packet, alice, world):
    update_packet(packet=packet, by=alice, summary="New words", choices={"objectives": []})

    packet.refresh_from_db()
    assert (packet.title, packet.summary) == ("Case for level 2", "New words")
    assert packet.choices == {"objectives": []}
    event = AuditEvent.objects.get(code=AuditCode.EVIDENCE_PACKET_UPDATED)
    assert event.data == {"fields": ["summary", "choices"]}


def test_an_update_that_changes_nothing_writes_nothing(packet, alice):
    update_packet(packet=packet, by=alice, title="Case for level 2")

    assert not AuditEvent.objects.filter(code=AuditCode.EVIDENCE_PACKET_UPDATED).exists()


def test_only_the_owner_updates_or_deletes_a_packet(packet, bob):
    with pytest.raises(NotFound):
        update_packet(packet=packet, by=bob, title="Mine now")
    with pytest.raises(NotFound):
        delete_packet(packet=packet, by=bob)

    assert Packet.objects.filter(pk=packet.pk).exists()


def test_deleting_a_packet_ends_its_links(packet, alice):
    _link, secret = create_share_link(packet=packet, by=alice, days=7)

    delete_packet(packet=packet, by=alice)

    assert not ShareLink.objects.exists()
    with pytest.raises(NotFound):
        open_share_link(secret=secret, viewer=None)
    assert AuditEvent.objects.filter(code=AuditCode.EVIDENCE_PACKET_DELETED).count() == 1


# --- Share links -------------------------------------------------------------------------


def test_a_share_link_keeps_only_the_secrets_hash(packet, alice):
    link, secret = create_share_link(packet=packet, by=alice, days=14, label="Promotion panel")

    link.refresh_from_db()
    assert link.token_hash == digest(secret)
    assert len(secret) >= 40
    stored = [str(v) for v in ShareLink.objects.values().get(pk=link.pk).values()]
    assert secret not in stored
    event = AuditEvent.objects.get(code=AuditCode.EVIDENCE_SHARE_LINK_CREATED)
    assert secret not in repr(event.data)
    assert event.data == {"packet": packet.pk, "days": 14, "label": "Promotion panel"}


def test_a_share_link_expires_after_the_days_chosen(packet, alice):
    before = timezone.now()
    link, _secret = create_share_link(packet=packet, by=alice, days=30)

    assert before + timedelta(days=30) <= link.expires_at <= timezone.now() + timedelta(days=30)


@pytest.mark.parametrize("days", [0, 91, -1, True])
def test_a_share_link_lives_one_to_ninety_days(packet, alice, days):
    with pytest.raises(Invalid) as error:
        create_share_link(packet=packet, by=alice, days=days)

    assert error.value.field == "days"
    assert not ShareLink.objects.exists()


def test_only_the_owner_makes_a_share_link(packet, bob):
    with pytest.raises(NotFound):
        create_share_link(packet=packet, by=bob, days=7)


def test_opening_a_link_records_who_opened_it(packet, alice, bob):
    link, secret = create_share_link(packet=packet, by=alice, days=7)

    assert open_share_link(secret=secret, viewer=bob) == link
    open_share_link(secret=secret, viewer=AnonymousUser())
    open_share_link(secret=secret, viewer=None)

    viewers = [o.viewer for o in ShareOpen.objects.order_by("id")]
    assert viewers == [bob, None, None]


def test_the_owner_looking_at_their_own_link_is_not_an_open(packet, alice):
    _link, secret = create_share_link(packet=packet, by=alice, days=7)

    open_share_link(secret=secret, viewer=alice)

    assert not ShareOpen.objects.exists()


def test_an_unknown_secret_is_not_found(packet):
    with pytest.raises(NotFound):
        open_share_link(secret="not-a-secret", viewer=None)


def test_a_revoked_link_says_when_it_was_revoked(packet, alice, bob):
    link, secret = create_share_link(packet=packet, by=alice, days=7)

    revoke_share_link(link=link, by=alice)

    with pytest.raises(LinkEnded) as error:
        open_share_link(secret=secret, viewer=bob)
    day = f"{timezone.localtime(link.revoked_at):%-d %B %Y}"
    assert error.value.message == f"This link was revoked on {day}."
    assert error.value.status == 410
    assert not ShareOpen.objects.exists()
    assert AuditEvent.objects.filter(code=AuditCode.EVIDENCE_SHARE_LINK_REVOKED).count() == 1


def test_an_expired_link_says_when_it_expired(packet, alice, monkeypatch):
    link, secret = create_share_link(packet=packet, by=alice, days=1)
    later = timezone.now() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    with pytest.raises(LinkEnded) as error:
        open_share_link(secret=secret, viewer=None)

    day = f"{timezone.localtime(link.expires_at):%-d %B %Y}"
    assert error.value.message == f"This link expired on {day}."


def test_a_link_is_revoked_once(packet, alice):
    link, _secret = create_share_link(packet=packet, by=alice, days=7)
    revoke_share_link(link=link, by=alice)

    with pytest.raises(Conflict):
        revoke_share_link(link=link, by=alice)


def test_only_the_owner_revokes_a_link(packet, alice, bob):
    link, _secret = create_share_link(packet=packet, by=alice, days=7)

    with pytest.raises(NotFound):
        revoke_share_link(link=link, by=bob)

    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_link_stops_working_when_its_owner_leaves_the_organization(packet, alice, acme):
    _link, secret = create_share_link(packet=packet, by=alice, days=7)

    Membership.objects.filter(organization=acme, user=alice).delete()

    with pytest.raises(NotFound):
        open_share_link(secret=secret, viewer=None)


def test_the_owner_hears_of_a_links_first_open_only(packet, alice, bob):
    from upward.notifications.models import Notification

    link, secret = create_share_link(packet=packet, by=alice, days=7, label="Panel")
    open_share_link(secret=secret, viewer=bob)
    open_share_link(secret=secret, viewer=None)

    [told] = Notification.objects.filter(recipient=alice, kind="evidence.packet_opened")
    assert told.title == "Your packet was opened: Case for level 2"
    assert "Bob opened the link “Panel”" in told.body
    assert told.url.endswith(f"#link-{link.pk}")

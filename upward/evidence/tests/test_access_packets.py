"""Who may read and change a packet and its share links: the owner, and nobody else."""

# The shared fixtures are imported by name, so tests naming them look like redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from upward.accounts.models import Membership
from upward.evidence.access.packets import access_packet, access_share_link
from upward.evidence.services.packets import create_share_link
from upward.evidence.tests.test_packets_world import (  # noqa: F401 (fixtures)
    packet,
    pat,
    world,
)
from upward.testing import allowed

# who -> may read, may change
MATRIX = {
    "alice": (True, True),  # the owner
    "bob": (False, False),  # her manager: only through a share link
    "maya": (False, False),  # her mentor
    "ada": (False, False),  # Acme's admin
    "pat": (False, False),  # a peer in Acme
    "eve": (False, False),  # another organization
    "anonymous": (False, False),
}


@pytest.fixture
def everyone(people, pat, mentoring):
    return {**people, "pat": pat}


@pytest.fixture
def mentoring(maya):
    """Maya mentors Alice, as the mentorship app will say."""
    from upward.accounts import relationships
    from upward.core.visibility import Relationship

    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    relationships.register_provider(Relationship.MENTOR, provider)
    yield
    relationships.unregister_provider(Relationship.MENTOR, provider)


@pytest.mark.parametrize(("who", "read", "write"), [(w, *rw) for w, rw in MATRIX.items()])
def test_who_may_read_and_change_a_packet(packet, everyone, who, read, write):
    user = everyone[who]

    assert allowed(lambda: access_packet(user, packet.pk)) is read
    assert allowed(lambda: access_packet(user, packet.pk, write=True)) is write


@pytest.mark.parametrize(("who", "read", "_write"), [(w, *rw) for w, rw in MATRIX.items()])
def test_who_may_reach_a_share_link(packet, everyone, alice, who, read, _write):
    link, _secret = create_share_link(packet=packet, by=alice, days=7)

    assert allowed(lambda: access_share_link(everyone[who], link.pk)) is read


def test_a_missing_packet_is_not_found_like_a_forbidden_one(packet, alice):
    assert not allowed(lambda: access_packet(alice, packet.pk + 1000))
    assert not allowed(lambda: access_share_link(alice, 12345))


def test_leaving_the_organization_ends_access_to_its_packets(packet, alice, acme):
    Membership.objects.filter(organization=acme, user=alice).delete()

    assert not allowed(lambda: access_packet(alice, packet.pk))

"""Who may read, change and confirm evidence entries: matrices, 404 for the rest.

Alice owns the entries. Bob is her manager, Maya her mentor (through a stand-in
provider), Sam a peer in Acme, Ada Acme's admin, Eve an admin of another
organization, and a visitor is not signed in.
"""

from __future__ import annotations

from functools import partial

import pytest

from upward.accounts.models import Membership, Role
from upward.accounts.relationships import register_provider, unregister_provider
from upward.accounts.services import remove_member
from upward.accounts.tests.factories import MembershipFactory
from upward.core.visibility import Relationship
from upward.evidence.access import entries as access
from upward.evidence.selectors.entries import entry_log
from upward.evidence.services.entries import confirm_entry
from upward.evidence.tests.factories import EntryFactory, placed, tiny_ladder
from upward.testing import allowed, make_user

TIERS = ["private", "mentors", "manager", "organization", "public"]
# Who reads an entry at each tier (Alice, the owner, reads and writes every one).
READERS = {
    "private": {"alice"},
    "mentors": {"alice", "maya"},
    "manager": {"alice", "maya", "bob"},
    "organization": {"alice", "maya", "bob", "sam", "ada"},
    "public": {"alice", "maya", "bob", "sam", "ada"},  # public shows elsewhere, not here
}
WHO = ["alice", "bob", "maya", "sam", "ada", "eve", "anonymous"]


@pytest.fixture
def mentoring(maya):
    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    register_provider(Relationship.MENTOR, provider)
    yield
    unregister_provider(Relationship.MENTOR, provider)


@pytest.fixture
def everyone(people, acme, mentoring):
    sam = make_user("sam@acme.test", "Sam")
    MembershipFactory(organization=acme, user=sam, role=Role.MEMBER)
    return {**people, "sam": sam}


@pytest.fixture
def placement(everyone, acme, ada):
    return placed(everyone["alice"], acme, tiny_ladder(acme, ada))


@pytest.fixture
def entries(placement):
    return {tier: EntryFactory.create(placement=placement, visibility=tier) for tier in TIERS}


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_entry_matrix(everyone, entries, tier, who, write):
    expected = who == "alice" if write else who in READERS[tier]
    entry = entries[tier]
    assert allowed(lambda: access.access_entry(everyone[who], entry.pk, write=write)) is expected


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
def test_who_may_confirm_is_who_may_read_except_the_owner(everyone, entries, tier, who):
    expected = who in READERS[tier] and who != "alice"
    assert access.may_confirm(everyone[who], entries[tier]) is expected


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
def test_the_log_shows_each_viewer_what_the_tiers_allow(everyone, entries, tier, who, acme):
    log = entry_log(everyone[who], everyone["alice"], acme)
    assert (entries[tier] in log) is (who in READERS[tier])


def test_a_named_collaborator_reads_and_confirms_a_private_entry(everyone, placement):
    sam = everyone["sam"]
    entry = EntryFactory.create(placement=placement, visibility="private", collaborators=[sam])
    assert allowed(lambda: access.access_entry(sam, entry.pk))
    assert not allowed(lambda: access.access_entry(sam, entry.pk, write=True))
    assert access.may_confirm(sam, entry)
    assert allowed(lambda: access.access_collaboration(sam, entry.pk))
    assert not allowed(lambda: access.access_collaboration(everyone["bob"], entry.pk))


def test_a_missing_entry_is_404_like_a_forbidden_one(everyone):
    assert not allowed(lambda: access.access_entry(everyone["alice"], 999_999))


def test_only_the_confirmer_reaches_their_confirmation(everyone, entries):
    entry = entries["organization"]
    bob, sam = everyone["bob"], everyone["sam"]
    confirmation = confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    assert allowed(lambda: access.access_confirmation(bob, entry.pk, confirmation.pk))
    assert not allowed(lambda: access.access_confirmation(sam, entry.pk, confirmation.pk))
    assert not allowed(
        lambda: access.access_confirmation(everyone["alice"], entry.pk, confirmation.pk)
    )
    other = entries["public"]
    assert not allowed(lambda: access.access_confirmation(bob, other.pk, confirmation.pk))


def test_a_manager_who_stops_leading_the_team_stops_reading(everyone, entries, platform):
    platform.manager = None
    platform.save(update_fields=["manager"])
    bob = everyone["bob"]
    assert not allowed(lambda: access.access_entry(bob, entries["manager"].pk))
    assert allowed(lambda: access.access_entry(bob, entries["organization"].pk))


@pytest.mark.parametrize("leaves", [False, True], ids=["removed", "left"])
def test_leaving_the_organization_ends_access_to_ones_own_entries(everyone, entries, ada, leaves):
    alice = everyone["alice"]
    membership = Membership.objects.get(organization__slug="acme", user=alice)
    remove_member(membership=membership, by=alice if leaves else ada)
    for entry in entries.values():
        for write in (False, True):
            assert not allowed(partial(access.access_entry, alice, entry.pk, write=write))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", True), ("bob", True), ("sam", True), ("eve", False), ("anonymous", False)],
)
def test_a_persons_log_is_reached_by_members_of_their_organization(everyone, acme, who, expected):
    alice = everyone["alice"]
    assert allowed(lambda: access.access_person(everyone[who], alice.pk, acme)) is expected


def test_someone_outside_the_organization_has_no_log_there(everyone, acme):
    assert not allowed(lambda: access.access_person(everyone["alice"], everyone["eve"].pk, acme))

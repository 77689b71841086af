"""Who may read and change threads and posts, and reply and react: matrices over every
tier and every way of standing to the owner, 404 for the rest.

Alice owns the threads. Bob is her manager, Maya her mentor (through a stand-in
provider), Sam a peer in Acme, Ada Acme's admin, Eve an admin of another
organization, and a visitor is not signed in.
"""

from __future__ import annotations

import pytest

from upward.accounts import relationships
from upward.accounts.models import Membership, Role
from upward.accounts.services import remove_member
from upward.accounts.tests.factories import MembershipFactory
from upward.core.errors import NotFound
from upward.core.visibility import Relationship
from upward.evidence.access.threads import access_post, access_public_thread, access_thread
from upward.evidence.selectors.threads import visible_threads
from upward.evidence.services.threads import open_thread, react, reply
from upward.testing import allowed, make_user

TIERS = ["private", "mentors", "manager", "organization", "public"]
# Who reads a thread at each tier (Alice, the owner, reads and changes every one).
READERS = {
    "private": {"alice"},
    "mentors": {"alice", "maya"},
    "manager": {"alice", "maya", "bob"},
    "organization": {"alice", "maya", "bob", "sam", "ada"},
    "public": {"alice", "maya", "bob", "sam", "ada"},  # others only on the public profile
}
WHO = ["alice", "bob", "maya", "sam", "ada", "eve", "anonymous"]


@pytest.fixture
def mentoring(maya):
    """A stand-in for the mentorship app: Maya mentors everyone in Acme."""

    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    relationships.register_provider(Relationship.MENTOR, provider)
    yield
    relationships.unregister_provider(Relationship.MENTOR, provider)


@pytest.fixture
def everyone(people, acme, mentoring):
    sam = make_user("sam@acme.test", "Sam")
    MembershipFactory(organization=acme, user=sam, role=Role.MEMBER)
    return {**people, "sam": sam}


@pytest.fixture
def threads(everyone, acme):
    alice = everyone["alice"]
    return {
        tier: open_thread(
            owner=alice, organization=acme, title=f"A {tier} thread", visibility=tier, body="Hi"
        )
        for tier in TIERS
    }


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_thread_matrix(everyone, threads, tier, who, write):
    expected = who == "alice" if write else who in READERS[tier]
    thread = threads[tier]
    assert allowed(lambda: access_thread(everyone[who], thread.pk, write=write)) is expected


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_post_matrix_follows_its_thread_and_only_its_author_writes(
    everyone, threads, tier, who, write
):
    post = threads[tier].posts.get()
    expected = who == "alice" if write else who in READERS[tier]
    assert allowed(lambda: access_post(everyone[who], post.pk, write=write)) is expected


@pytest.mark.parametrize("who", WHO)
def test_a_reply_is_changed_by_its_author_alone(everyone, threads, who):
    answer = reply(thread=threads["organization"], by=everyone["sam"], body="Nice")
    expected = who == "sam"
    assert allowed(lambda: access_post(everyone[who], answer.pk, write=True)) is expected


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", ["alice", "bob", "maya", "sam", "ada", "eve"])
def test_replies_and_reactions_only_by_those_who_may_read(everyone, threads, tier, who):
    thread = threads[tier]
    person = everyone[who]
    expected = who in READERS[tier]
    try:
        reply(thread=thread, by=person, body="Hello")
        react(post=thread.posts.first(), by=person, kind="support")
    except NotFound:
        assert not expected
    else:
        assert expected


@pytest.mark.parametrize("who", ["alice", "bob", "maya", "sam", "ada"])
def test_the_feed_shows_each_member_exactly_the_threads_they_may_read(everyone, threads, acme, who):
    shown = {t.visibility for t in visible_threads(everyone[who], acme)}
    assert shown == {tier for tier in TIERS if who in READERS[tier]}


def test_eve_sees_nothing_in_acmes_feed(everyone, threads, acme):
    assert list(visible_threads(everyone["eve"], acme)) == []


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
def test_only_public_threads_open_on_the_public_profile_whoever_asks(everyone, threads, tier, who):
    thread = threads[tier]
    owner = everyone["alice"]
    found = allowed(lambda: access_public_thread(owner.pk, thread.pk))
    assert found is (tier == "public")


def test_the_public_thread_must_be_named_under_its_owner(everyone, threads):
    assert not allowed(lambda: access_public_thread(everyone["bob"].pk, threads["public"].pk))


def test_a_member_who_leaves_loses_access_at_once(everyone, threads, acme):
    thread = threads["organization"]
    remove_member(
        membership=Membership.objects.get(organization=acme, user=everyone["sam"]),
        by=everyone["ada"],
    )
    assert not allowed(lambda: access_thread(everyone["sam"], thread.pk))


def test_an_owner_who_left_has_threads_nobody_reads_inside_the_organization(
    everyone, threads, acme
):
    remove_member(
        membership=Membership.objects.get(organization=acme, user=everyone["alice"]),
        by=everyone["ada"],
    )
    thread = threads["organization"]
    assert not allowed(lambda: access_thread(everyone["bob"], thread.pk))
    assert list(visible_threads(everyone["bob"], acme)) == []

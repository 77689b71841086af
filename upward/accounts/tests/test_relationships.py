"""How a viewer stands to a subject: every relationship, as a matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from upward.accounts import relationships as rel
from upward.accounts.models import Membership, Team, TeamMembership
from upward.accounts.services import remove_member
from upward.core.visibility import Relationship

SELF = {Relationship.SELF}
MANAGER = {Relationship.MANAGER, Relationship.SAME_ORGANIZATION}
MENTOR = {Relationship.MENTOR, Relationship.SAME_ORGANIZATION}
SAME_ORG = {Relationship.SAME_ORGANIZATION}
OUTSIDER = {Relationship.OUTSIDER}


@pytest.fixture
def mentoring(maya):
    """A stand-in for the mentorship app: Maya mentors everyone she is asked about."""

    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    rel.register_provider(Relationship.MENTOR, provider)
    yield provider
    rel.unregister_provider(Relationship.MENTOR, provider)


def _leave(user, organization) -> None:
    """Take away the membership only, leaving any team rows that name the user."""
    Membership.objects.filter(organization=organization, user=user).delete()


@pytest.mark.parametrize(
    ("viewer", "change", "expected"),
    [
        ("alice", None, SELF),
        ("bob", None, MANAGER),
        ("bob", "manager removed", OUTSIDER),
        ("bob", "manager removed by an admin", OUTSIDER),
        ("bob", "subject removed", OUTSIDER),
        ("alice", "subject removed", OUTSIDER),
        ("maya", None, MENTOR),
        ("ada", None, SAME_ORG),
        ("eve", None, OUTSIDER),
        ("anonymous", None, OUTSIDER),
    ],
)
def test_how_each_person_stands_to_alice_in_acme(
    people, acme, alice, bob, ada, mentoring, viewer, change, expected
):
    if change == "manager removed":
        _leave(bob, acme)  # the team still names Bob as its manager
    if change == "manager removed by an admin":
        remove_member(membership=Membership.objects.get(organization=acme, user=bob), by=ada)
    if change == "subject removed":
        _leave(alice, acme)  # Alice is still on Bob's team
    assert rel.relationships(people[viewer], alice, acme) == expected


def test_without_a_provider_nobody_is_a_mentor(maya, alice, acme):
    assert rel.relationships(maya, alice, acme) == SAME_ORG


def test_managing_a_team_elsewhere_does_not_make_a_manager_here(bob, alice, acme, globex):
    Membership.objects.create(organization=globex, user=bob)
    Membership.objects.create(organization=globex, user=alice)
    assert rel.relationships(bob, alice, globex) == SAME_ORG
    team = Team.objects.create(organization=globex, name="Far", manager=bob)
    TeamMembership.objects.create(team=team, user=alice, organization=globex)
    assert rel.relationships(bob, alice, globex) == MANAGER


def test_a_manager_looking_at_themselves_is_only_self(bob, acme, platform):
    TeamMembership.objects.create(team=platform, user=bob, organization=acme)
    assert rel.relationships(bob, bob, acme) == SELF


def test_a_manager_who_also_mentors_stands_both_ways(bob, alice, acme):
    def provider(viewer, subject_ids, organization):
        return subject_ids

    rel.register_provider(Relationship.MENTOR, provider)
    try:
        standing = rel.relationships(bob, alice, acme)
    finally:
        rel.unregister_provider(Relationship.MENTOR, provider)
    assert standing == {Relationship.MANAGER, Relationship.MENTOR, Relationship.SAME_ORGANIZATION}


def test_a_provider_cannot_claim_ids_it_was_not_asked_about(maya, alice, ada, acme):
    def provider(viewer, subject_ids, organization):
        return {alice.pk, ada.pk, 999_999}

    rel.register_provider(Relationship.MENTOR, provider)
    try:
        standing = rel.relationships_among(maya, [alice.pk], acme)
    finally:
        rel.unregister_provider(Relationship.MENTOR, provider)
    assert standing == {alice.pk: MENTOR}


@pytest.mark.parametrize("relationship", [Relationship.SELF, Relationship.OUTSIDER])
def test_self_and_outsider_cannot_come_from_a_provider(relationship):
    with pytest.raises(ValueError, match="decided by accounts"):
        rel.register_provider(relationship, lambda viewer, ids, org: ids)


def test_the_set_variant_answers_for_everyone_in_one_query_and_one_per_provider(
    people, acme, alice, bob, maya, ada, eve, django_assert_num_queries
):
    ids = [alice.pk, bob.pk, maya.pk, ada.pk, eve.pk]
    # 1: who of them are members of Acme, each with whether Bob leads a team they are on;
    # 1: whom of them Bob mentors (the mentorship app's provider).
    with django_assert_num_queries(2):
        standing = rel.relationships_among(bob, ids, acme)
    assert standing == {
        alice.pk: MANAGER,
        bob.pk: SELF,
        maya.pk: SAME_ORG,
        ada.pk: SAME_ORG,
        eve.pk: OUTSIDER,
    }


def test_the_set_variant_asks_each_provider_once(
    acme, alice, ada, maya, mentoring, django_assert_num_queries
):
    calls = []

    def counting(viewer, subject_ids, organization):
        calls.append(set(subject_ids))
        return set()

    rel.register_provider(Relationship.MENTOR, counting)
    try:
        standing = rel.relationships_among(maya, [alice.pk, ada.pk], acme)
    finally:
        rel.unregister_provider(Relationship.MENTOR, counting)
    assert calls == [{alice.pk, ada.pk}]
    assert standing == {alice.pk: MENTOR, ada.pk: MENTOR}


def test_outsiders_and_visitors_cost_no_provider_call(acme, alice, eve):
    calls = []

    def counting(viewer, subject_ids, organization):
        calls.append(subject_ids)
        return subject_ids

    rel.register_provider(Relationship.MENTOR, counting)
    try:
        assert rel.relationships(eve, alice, acme) == OUTSIDER
        assert rel.relationships(AnonymousUser(), alice, acme) == OUTSIDER
    finally:
        rel.unregister_provider(Relationship.MENTOR, counting)
    assert calls == []


def test_reports_are_the_people_managed_while_both_are_members(
    acme, alice, bob, maya, platform, django_assert_num_queries
):
    TeamMembership.objects.create(team=platform, user=maya, organization=acme)
    TeamMembership.objects.create(team=platform, user=bob, organization=acme)
    with django_assert_num_queries(1):
        assert list(rel.reports_of(bob, acme)) == [alice, maya]
    _leave(maya, acme)
    assert list(rel.reports_of(bob, acme)) == [alice]
    _leave(bob, acme)
    assert list(rel.reports_of(bob, acme)) == []


def test_a_visitor_manages_nobody(acme, alice):
    assert list(rel.reports_of(AnonymousUser(), acme)) == []

"""Who may read and change what: one matrix per access function."""

from __future__ import annotations

import pytest

from upward.accounts import access
from upward.accounts.models import Invitation, Membership, Role
from upward.accounts.services import create_api_token, invite_member, remove_member
from upward.testing import allowed

PEOPLE = ["alice", "bob", "maya", "ada", "eve", "anonymous"]


@pytest.mark.parametrize(
    ("who", "admin", "expected"),
    [
        ("alice", False, True),
        ("bob", False, True),
        ("maya", False, True),
        ("ada", False, True),
        ("eve", False, False),
        ("anonymous", False, False),
        ("alice", True, False),
        ("bob", True, False),
        ("maya", True, False),
        ("ada", True, True),
        ("eve", True, False),
        ("anonymous", True, False),
    ],
)
def test_organization_access_matrix(people, who, admin, expected):
    assert allowed(lambda: access.access_organization(people[who], "acme", admin=admin)) is expected


def test_an_unknown_organization_is_404_like_a_forbidden_one(alice):
    assert not allowed(lambda: access.access_organization(alice, "no-such-org"))


@pytest.mark.parametrize(
    ("who", "write", "expected"),
    [
        ("alice", False, True),
        ("bob", False, True),
        ("ada", False, True),
        ("eve", False, False),
        ("anonymous", False, False),
        ("alice", True, False),
        ("bob", True, False),
        ("maya", True, False),
        ("ada", True, True),
        ("eve", True, False),
    ],
)
def test_membership_access_matrix(people, acme, who, write, expected):
    membership = Membership.objects.get(organization=acme, user=people["alice"])
    result = allowed(
        lambda: access.access_membership(people[who], "acme", membership.pk, write=write)
    )
    assert result is expected


def test_a_membership_is_not_reachable_through_another_organizations_slug(ada, eve, globex, acme):
    eves = Membership.objects.get(organization=globex, user=eve)
    assert not allowed(lambda: access.access_membership(ada, "acme", eves.pk))


@pytest.mark.parametrize(
    ("who", "write", "expected"),
    [
        ("alice", False, True),
        ("bob", False, True),
        ("maya", False, True),
        ("ada", False, True),
        ("eve", False, False),
        ("anonymous", False, False),
        ("alice", True, False),
        ("bob", True, False),  # managing the team doesn't let Bob choose his reports
        ("maya", True, False),
        ("ada", True, True),
        ("eve", True, False),
    ],
)
def test_team_access_matrix(people, platform, who, write, expected):
    result = allowed(lambda: access.access_team(people[who], "acme", platform.pk, write=write))
    assert result is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", False),
        ("bob", False),
        ("maya", False),
        ("ada", True),
        ("eve", False),
        ("anonymous", False),
    ],
)
def test_invitation_access_matrix(people, acme, who, expected, django_capture_on_commit_callbacks):
    invitation = invite_member(
        organization=acme, email="carol@acme.test", role="member", by=people["ada"]
    )
    assert allowed(lambda: access.access_invitation(people[who], "acme", invitation.pk)) is expected


def test_an_invitation_is_not_reachable_through_another_organizations_slug(ada, eve, globex):
    invitation = invite_member(organization=globex, email="x@globex.test", role="member", by=eve)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not allowed(lambda: access.access_invitation(ada, "acme", invitation.pk))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", True), ("bob", False), ("ada", False), ("eve", False), ("anonymous", False)],
)
def test_api_token_access_matrix(people, who, expected):
    token, _raw = create_api_token(user=people["alice"], name="t", scope="read", days=1)
    assert allowed(lambda: access.access_api_token(people[who], token.pk)) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", False),
        ("bob", False),
        ("maya", False),
        ("ada", True),
        ("eve", False),
        ("anonymous", False),
    ],
)
def test_audit_log_access_matrix(people, who, expected):
    assert allowed(lambda: access.access_audit_log(people[who], "acme")) is expected


@pytest.mark.parametrize("leaves", [False, True], ids=["removed", "left"])
@pytest.mark.parametrize(
    "reach", ["organization", "admin", "membership", "team", "team-write", "invitation", "audit"]
)
def test_a_removed_admin_reaches_nothing_of_the_organization(
    people, acme, platform, reach, leaves, django_capture_on_commit_callbacks
):
    bob, ada = people["bob"], people["ada"]
    Membership.objects.filter(organization=acme, user=bob).update(role=Role.ADMIN)
    invitation = invite_member(organization=acme, email="carol@acme.test", role="member", by=ada)
    alices = Membership.objects.get(organization=acme, user=people["alice"])
    calls = {
        "organization": lambda: access.access_organization(bob, "acme"),
        "admin": lambda: access.access_organization(bob, "acme", admin=True),
        "membership": lambda: access.access_membership(bob, "acme", alices.pk, write=True),
        "team": lambda: access.access_team(bob, "acme", platform.pk),
        "team-write": lambda: access.access_team(bob, "acme", platform.pk, write=True),
        "invitation": lambda: access.access_invitation(bob, "acme", invitation.pk),
        "audit": lambda: access.access_audit_log(bob, "acme"),
    }
    assert allowed(calls[reach])
    bobs = Membership.objects.get(organization=acme, user=bob)
    remove_member(membership=bobs, by=bob if leaves else ada)
    assert not allowed(calls[reach])

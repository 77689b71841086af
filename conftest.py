"""Personas shared by every test.

- alice: a member of Acme, on Bob's team
- bob: Alice's manager (manager role, manages the Platform team)
- maya: Alice's mentor (mentor role in Acme)
- ada: Acme's admin
- eve: someone in another organization (Globex), admin there
"""

from __future__ import annotations

import pytest
from django.test import Client

from upward.accounts.models import Organization, Role, Team, User
from upward.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from upward.testing import client_for, make_user


@pytest.fixture(autouse=True)
def _no_kept_deltas() -> None:
    """Each test starts with no computed delta kept: database ids repeat between tests."""
    from upward.assessments.selectors import forget_computed

    forget_computed()


@pytest.fixture
def acme(db) -> Organization:
    return OrganizationFactory(name="Acme", slug="acme")


@pytest.fixture
def ada(acme) -> User:
    user = make_user("ada@acme.test", "Ada")
    MembershipFactory(organization=acme, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def bob(acme) -> User:
    user = make_user("bob@acme.test", "Bob")
    MembershipFactory(organization=acme, user=user, role=Role.MANAGER)
    return user


@pytest.fixture
def alice(acme, bob) -> User:
    user = make_user("alice@acme.test", "Alice")
    MembershipFactory(organization=acme, user=user, role=Role.MEMBER)
    team = TeamFactory(organization=acme, name="Platform", manager=bob)
    TeamMembershipFactory(team=team, user=user)
    return user


@pytest.fixture
def maya(acme) -> User:
    user = make_user("maya@acme.test", "Maya")
    MembershipFactory(organization=acme, user=user, role=Role.MENTOR)
    return user


@pytest.fixture
def globex(db) -> Organization:
    return OrganizationFactory(name="Globex", slug="globex")


@pytest.fixture
def eve(globex) -> User:
    user = make_user("eve@globex.test", "Eve")
    MembershipFactory(organization=globex, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def platform(alice, acme) -> Team:
    return Team.objects.get(organization=acme, name="Platform")


@pytest.fixture
def as_alice(alice) -> Client:
    return client_for(alice)


@pytest.fixture
def as_eve(eve) -> Client:
    return client_for(eve)


@pytest.fixture
def as_ada(ada) -> Client:
    return client_for(ada)


@pytest.fixture
def as_bob(bob) -> Client:
    return client_for(bob)


@pytest.fixture
def as_maya(maya) -> Client:
    return client_for(maya)


@pytest.fixture
def people(alice, bob, maya, ada, eve) -> dict[str, object]:
    """Every persona by name, and a visitor who is not signed in, for access matrices."""
    from django.contrib.auth.models import AnonymousUser

    return {
        "alice": alice,
        "bob": bob,
        "maya": maya,
        "ada": ada,
        "eve": eve,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def broken_mail(settings) -> None:
    """Mail goes through `BrokenMailBackend` for this test."""
    settings.MAILERS = {"default": {"BACKEND": "upward.testing.BrokenMailBackend"}}

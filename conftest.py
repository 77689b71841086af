"""Personas shared by every test.

- alice: a member of Acme, on Bob's team
- bob: Alice's manager (manager role, manages the Platform team)
- maya: Alice's mentor (mentor role in Acme)
- ada: Acme's admin
- eve: someone in another organization (Globex), admin there
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from upward.accounts import services
from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership, User

PASSWORD = "correct horse battery staple"


def make_user(email: str, name: str = "") -> User:
    """A verified user with a personal space, as sign-up would leave them."""
    user = User.objects.create_user(email=email, password=PASSWORD, name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    services.create_personal_organization(user=user)
    return user


@pytest.fixture
def acme(db) -> Organization:
    return Organization.objects.create(name="Acme", slug="acme")


@pytest.fixture
def ada(acme) -> User:
    user = make_user("ada@acme.test", "Ada")
    Membership.objects.create(organization=acme, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def bob(acme) -> User:
    user = make_user("bob@acme.test", "Bob")
    Membership.objects.create(organization=acme, user=user, role=Role.MANAGER)
    return user


@pytest.fixture
def alice(acme, bob) -> User:
    user = make_user("alice@acme.test", "Alice")
    Membership.objects.create(organization=acme, user=user, role=Role.MEMBER)
    team = Team.objects.create(organization=acme, name="Platform", manager=bob)
    TeamMembership.objects.create(team=team, user=user, organization=acme)
    return user


@pytest.fixture
def maya(acme) -> User:
    user = make_user("maya@acme.test", "Maya")
    Membership.objects.create(organization=acme, user=user, role=Role.MENTOR)
    return user


@pytest.fixture
def globex(db) -> Organization:
    return Organization.objects.create(name="Globex", slug="globex")


@pytest.fixture
def eve(globex) -> User:
    user = make_user("eve@globex.test", "Eve")
    Membership.objects.create(organization=globex, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def platform(alice, acme) -> Team:
    return Team.objects.get(organization=acme, name="Platform")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


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


def allowed(call) -> bool:
    """Whether an access function lets the call through (False when it raises Http404)."""
    from django.http import Http404

    try:
        call()
    except Http404:
        return False
    return True


class BrokenMailBackend(BaseEmailBackend):
    """A mail backend whose server is down: every send raises."""

    def send_messages(self, email_messages) -> int:
        raise ConnectionRefusedError("The mail server refused the connection.")


@pytest.fixture
def broken_mail(settings) -> None:
    """Mail goes through `BrokenMailBackend` for this test."""
    settings.MAILERS = {"default": {"BACKEND": "conftest.BrokenMailBackend"}}

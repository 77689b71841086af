"""The world most evidence tests start from: a three-level ladder in Acme, Alice placed
on it, and Sam, another member."""

from __future__ import annotations

import pytest

from upward.accounts.models import Organization, Role, User
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import Placement
from upward.evidence.tests.factories import placed, tiny_ladder
from upward.frameworks.models import FrameworkVersion
from upward.testing import make_user


@pytest.fixture
def ladder(acme: Organization, ada: User) -> FrameworkVersion:
    return tiny_ladder(acme, ada)


@pytest.fixture
def placement(alice: User, acme: Organization, ladder: FrameworkVersion) -> Placement:
    return placed(alice, acme, ladder)


@pytest.fixture
def sam(acme: Organization) -> User:
    user = make_user("sam@acme.test", "Sam")
    MembershipFactory(organization=acme, user=user, role=Role.MEMBER)
    return user

"""The world most mentorship tests start from: the tiny ladder in Acme, Alice placed
on it (her manager is Bob), Maya with a mentor profile offering `shipping` to l3,
and Sam, another member."""

from __future__ import annotations

import pytest

from upward.accounts.models import Organization, Role, User
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import Placement
from upward.evidence.tests.factories import placed, tiny_ladder
from upward.frameworks.models import FrameworkVersion
from upward.mentorship.models import MentorProfile
from upward.mentorship.tests.factories import OfferFactory, ProfileFactory
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


@pytest.fixture
def maya_profile(maya: User, acme: Organization, ladder: FrameworkVersion) -> MentorProfile:
    """Maya placed at l2 and offering `shipping` to l3 (not yet demonstrated)."""
    placed(maya, acme, ladder, level="l2")
    profile = ProfileFactory.create(user=maya, organization=acme)
    OfferFactory(profile=profile, competency="shipping", step="l3")
    return profile

"""The test factories make rows the app itself would make, with nothing given."""

from __future__ import annotations

from upward.accounts.models import Membership
from upward.accounts.tests.factories import MembershipFactory, TeamMembershipFactory, UserFactory
from upward.assessments.models import RequestStatus
from upward.assessments.tests.factories import (
    FeedbackRequestFactory,
    PlacementFactory,
    SignalFactory,
)
from upward.core.models import AuditEvent
from upward.frameworks.models import VersionStatus
from upward.frameworks.tests.factories import FrameworkVersionFactory
from upward.testing import PASSWORD


def test_a_user_can_sign_in_and_has_a_personal_space(db):
    user = UserFactory()
    assert user.check_password(PASSWORD)
    assert user.emailaddress_set.get().verified
    assert Membership.objects.get(user=user).organization.is_personal


def test_a_team_membership_is_in_its_teams_organization(db):
    on_team = TeamMembershipFactory()
    assert on_team.organization == on_team.team.organization
    assert MembershipFactory().role == "member"


def test_a_version_is_published_unless_a_draft_is_asked_for(db):
    published = FrameworkVersionFactory()
    draft = FrameworkVersionFactory(draft=True)
    assert published.status == VersionStatus.PUBLISHED
    assert draft.status == VersionStatus.DRAFT
    assert AuditEvent.objects.filter(code="framework.version.published").count() == 1


def test_placements_signals_and_requests_hang_together(db):
    placement = PlacementFactory()
    assert placement.version.framework.organization == placement.organization
    assert (placement.current_level, placement.target_level) == ("l1", "l2")
    signal = SignalFactory(placement=placement, step="l2")
    assert (signal.subject, signal.organization, signal.rater) == (
        placement.user,
        placement.organization,
        placement.user,
    )
    request = FeedbackRequestFactory(placement=placement)
    assert request.status == RequestStatus.PENDING
    assert request.requester == placement.user

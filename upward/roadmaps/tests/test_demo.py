"""`upward demo` gives Alice a roadmap from her top gaps with objectives in every state,
the template library with content, and Acme's own templates."""

from __future__ import annotations

import pytest

from upward.accounts.models import User
from upward.assessments.selectors import active_placement, delta_for
from upward.core.models import AuditEvent
from upward.demo import load_demo
from upward.roadmaps import selectors
from upward.roadmaps.library import read_library
from upward.roadmaps.models import Objective, RoadmapTemplate, Status, TemplateStatus
from upward.roadmaps.selectors import Stage


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def alice(demo):
    return User.objects.get(email="alice@example.com")


@pytest.fixture
def placement(alice):
    return active_placement(alice, alice.memberships.get(organization__slug="acme").organization)


def test_alices_roadmap_has_objectives_in_every_state(placement):
    statuses = set(Objective.objects.filter(placement=placement).values_list("status", flat=True))
    assert statuses == {Status.PLANNED, Status.ACTIVE, Status.DONE, Status.DROPPED}
    done = Objective.objects.get(placement=placement, status=Status.DONE)
    assert done.completion_link.startswith("https://")
    assert done.completion_note
    assert Objective.objects.get(placement=placement, status=Status.DROPPED).dropped_reason
    assert Objective.objects.filter(placement=placement, visibility="private").exists()
    active = Objective.objects.get(placement=placement, status=Status.ACTIVE)
    assert active.milestones.filter(done_at__isnull=False).exists()


def test_the_roadmap_was_built_from_her_top_gaps_and_a_template(placement, alice):
    assert Objective.objects.filter(placement=placement, template__isnull=False).exists()
    assert AuditEvent.objects.filter(code="roadmap.proposals.accepted", actor=alice).exists()
    # Every gap still at the top has a plan, and one gap shows the loop closed.
    plans = selectors.gap_plans(placement, viewer=alice)
    stages = {key: plan.stage for key, plan in plans.items()}
    assert Stage.REASSESSED in stages.values()
    assert Stage.IN_PROGRESS in stages.values()
    assert Stage.PLANNED in stages.values()
    for key in delta_for(placement).delta.top_gaps:
        assert stages[key] != Stage.NONE, key


def test_the_template_library_has_its_content_and_acmes_own(demo):
    total = sum(len(f.templates) for f in read_library())
    library = RoadmapTemplate.objects.filter(organization=None, status=TemplateStatus.PUBLISHED)
    assert library.count() == total > 0
    acme = RoadmapTemplate.objects.filter(organization__slug="acme")
    assert set(acme.values_list("status", flat=True)) == {
        TemplateStatus.PUBLISHED,
        TemplateStatus.IN_REVIEW,
    }
    published = acme.get(status=TemplateStatus.PUBLISHED)
    assert published.author is not None
    assert published.reviewed_by is not None
    assert (published.author.email, published.reviewed_by.email) == (
        "bob@example.com",
        "ada@example.com",
    )


def test_the_dashboard_has_something_overdue_for_alice(placement, alice):
    assert selectors.overdue(alice, placement.organization)


def test_loading_the_demo_again_changes_no_roadmap(demo):
    before = (Objective.objects.count(), RoadmapTemplate.objects.count())
    load_demo()
    assert (Objective.objects.count(), RoadmapTemplate.objects.count()) == before

"""Reads: the roadmap, each gap's plan state, templates, overdue items and the calendar,
each in a fixed number of queries however many objectives there are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Membership
from upward.accounts.services import remove_member
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.roadmaps import selectors, services
from upward.roadmaps.models import Milestone, Objective, TemplateStatus
from upward.roadmaps.selectors import NO_DATE, Stage
from upward.roadmaps.services import MilestoneIn, StakeholderIn
from upward.roadmaps.tests.factories import ObjectiveFactory, TemplateFactory

TODAY = timezone.localdate()


def add_objectives(placement, n, *, visibility="manager"):
    """`n` objectives, each with two milestones and two stakeholders."""
    for i in range(n):
        ObjectiveFactory.create(
            placement=placement,
            title=f"Ship slice {i} of the billing export with the Payments team in six weeks",
            competencies=["shipping", "reviews"] if i % 2 else ["shipping"],
            due_on=TODAY + timedelta(days=40 + 100 * i),
            visibility=visibility,
            milestones=[MilestoneIn("Plan", TODAY + timedelta(days=5)), MilestoneIn("Ship")],
            stakeholders=[StakeholderIn(name="Tech lead"), StakeholderIn(name="Payments team")],
        )


# --- The roadmap ---------------------------------------------------------------------------------


def test_the_roadmap_groups_objectives_by_gap_and_by_quarter(placement, alice):
    first = ObjectiveFactory.create(placement=placement, due_on=date(TODAY.year + 1, 2, 1))
    both = ObjectiveFactory.create(
        placement=placement,
        competencies=["reviews", "shipping"],
        due_on=None,
        quarter=f"{TODAY.year + 1}-Q3",
    )
    undated = ObjectiveFactory.create(placement=placement, due_on=None)
    found = selectors.roadmap(placement, viewer=alice)
    assert found.by_gap == {"shipping": [first, both, undated], "reviews": [both]}
    assert list(found.by_quarter) == [f"{TODAY.year + 1}-Q1", f"{TODAY.year + 1}-Q3", NO_DATE]
    assert found.by_quarter[NO_DATE] == [undated]


def test_a_manager_sees_only_what_is_shared_with_the_manager_or_wider(placement, bob, alice, ada):
    shared = ObjectiveFactory.create(placement=placement, visibility="manager")
    ObjectiveFactory.create(placement=placement, visibility="private")
    ObjectiveFactory.create(placement=placement, visibility="mentors")
    everyone = ObjectiveFactory.create(placement=placement, visibility="organization")
    assert selectors.roadmap(placement, viewer=bob).objectives == [shared, everyone]
    assert selectors.roadmap(placement, viewer=ada).objectives == [everyone]
    assert len(selectors.roadmap(placement, viewer=alice).objectives) == 4


@pytest.mark.parametrize("n", [1, 8])
def test_the_owners_roadmap_costs_three_queries_however_long(
    placement, alice, n, django_assert_num_queries
):
    add_objectives(placement, n)
    with django_assert_num_queries(3):
        # 1 objectives, 2 their milestones, 3 their stakeholders (with users and teams)
        found = selectors.roadmap(placement, viewer=alice)
        for o in found.objectives:
            list(o.milestones.all())
            [s.name for s in o.stakeholders.all()]
    assert len(found.objectives) == n


@pytest.mark.parametrize("n", [1, 8])
def test_a_managers_view_costs_only_the_relationship_queries_more(
    placement, bob, n, django_assert_num_queries
):
    add_objectives(placement, n)
    with django_assert_num_queries(5):
        # 1 how Bob stands to Alice, 2 whether he mentors her, 3 objectives, 4 milestones,
        # 5 stakeholders
        found = selectors.roadmap(placement, viewer=bob)
    assert len(found.objectives) == n


# --- Gap plans -----------------------------------------------------------------------------------


def test_a_gap_without_objectives_has_no_plan_yet(placement, alice):
    plans = selectors.gap_plans(placement, viewer=alice)
    assert set(plans) == {"shipping", "reviews"}
    assert plans["shipping"].stage == Stage.NONE
    assert plans["shipping"].progress == 0.0


def test_the_stage_follows_the_objectives_through_the_loop(placement, alice, bob):
    objective = ObjectiveFactory.create(
        placement=placement,
        milestones=[MilestoneIn("Plan", TODAY), MilestoneIn("Build"), MilestoneIn("Ship")],
    )
    stage = lambda: selectors.gap_plans(placement, viewer=alice)["shipping"]  # noqa: E731
    assert (stage().stage, stage().progress) == (Stage.PLANNED, 0.0)
    services.set_milestone_done(milestone=objective.milestones.all()[0], by=alice, done=True)
    assert stage().stage == Stage.IN_PROGRESS
    assert stage().progress == pytest.approx(1 / 3)
    # A self-rating after completion does not count as reassessment.
    services.complete_objective(objective=objective, by=alice, link="https://example.com/doc")
    assessments.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    assert (stage().stage, stage().progress) == (Stage.DONE, 1.0)
    assessments.rate_as_manager(
        placement=placement, manager=bob, ratings=[Rating("shipping", "l2")]
    )
    assert stage().stage == Stage.REASSESSED
    assert selectors.gap_plans(placement, viewer=alice)["reviews"].stage == Stage.NONE


def test_a_rating_given_before_the_objective_was_done_is_no_reassessment(placement, alice, bob):
    objective = ObjectiveFactory.create(placement=placement)
    assessments.rate_as_manager(
        placement=placement, manager=bob, ratings=[Rating("shipping", "l1")]
    )
    services.complete_objective(objective=objective, by=alice, note="Done")
    assert selectors.gap_plans(placement, viewer=alice)["shipping"].stage == Stage.DONE


def test_dropped_objectives_show_but_count_for_nothing(placement, alice):
    dropped = ObjectiveFactory.create(placement=placement)
    services.drop_objective(objective=dropped, by=alice, reason="No longer needed")
    plan = selectors.gap_plans(placement, viewer=alice)["shipping"]
    assert (plan.objectives, plan.stage) == ([dropped], Stage.NONE)
    done = ObjectiveFactory.create(placement=placement)
    services.complete_objective(objective=done, by=alice, note="Done")
    ObjectiveFactory.create(placement=placement)
    plan = selectors.gap_plans(placement, viewer=alice)["shipping"]
    # One done (1) and one untouched (0): half way, and in progress.
    assert (plan.stage, plan.progress) == (Stage.IN_PROGRESS, 0.5)


def test_gap_plans_show_a_manager_only_what_they_may_see(placement, alice, bob):
    ObjectiveFactory.create(placement=placement, visibility="private")
    assert selectors.gap_plans(placement, viewer=bob)["shipping"].stage == Stage.NONE
    assert selectors.gap_plans(placement, viewer=alice)["shipping"].stage == Stage.PLANNED


@pytest.mark.parametrize("n", [1, 8])
def test_gap_plans_cost_four_queries_however_many_objectives(
    placement, alice, n, django_assert_num_queries
):
    add_objectives(placement, n)
    with django_assert_num_queries(4):
        # 1 objectives, 2 milestones, 3 stakeholders, 4 the newest rating by others per competency
        plans = selectors.gap_plans(placement, viewer=alice)
    assert len(plans["shipping"].objectives) == n


# --- Templates -----------------------------------------------------------------------------------


def test_templates_list_the_library_and_the_viewers_organization(placement, alice, acme, globex):
    library = TemplateFactory.create(title="Library plan")
    ours = TemplateFactory.create(organization=acme, title="Acme plan", author_name="Bob")
    TemplateFactory.create(organization=globex, title="Globex plan", author_name="Eve")
    TemplateFactory.create(title="Draft plan", status=TemplateStatus.DRAFT)
    page = selectors.templates(viewer=alice, organization=acme)
    assert {t.title for t in page.object_list} == {library.title, ours.title}
    other = selectors.templates(viewer=alice, organization=globex)  # not a member there
    assert [t.title for t in other.object_list] == [library.title]


def test_templates_are_searched_by_competency_step_framework_and_words(alice, acme):
    TemplateFactory.create(title="Ship a feature")
    TemplateFactory.create(title="Review well", competency="reviews")
    TemplateFactory.create(title="Lead a migration", from_step="l2", to_step="l3")
    TemplateFactory.create(title="Other framework", framework_key="other")

    def titles(**filters):
        page = selectors.templates(viewer=alice, organization=acme, **filters)
        return sorted(t.title for t in page.object_list)

    assert titles(competency="reviews") == ["Review well"]
    assert titles(step="l3") == ["Lead a migration"]
    assert titles(step="l2") == [
        "Lead a migration",
        "Other framework",
        "Review well",
        "Ship a feature",
    ]
    assert titles(framework_key="other") == ["Other framework"]
    assert titles(q="migration LEAD") == ["Lead a migration"]


def test_templates_carry_their_applied_count_and_mean_rating(placement, alice, bob, acme, ladder):
    template = TemplateFactory.create()
    services.apply_template(template=template, placement=placement, by=alice)
    services.apply_template(template=template, placement=placement, by=alice)
    services.rate_template(template=template, by=alice, stars=4)
    bobs = assessments.place(
        user=bob, organization=acme, version=ladder, track="ic", current_level="l1"
    )
    services.apply_template(template=template, placement=bobs, by=bob)
    services.rate_template(template=template, by=bob, stars=5)
    [found] = selectors.templates(viewer=alice, organization=acme).object_list
    usage = selectors.usage_of(found)
    assert (usage.applied, usage.rating, usage.ratings) == (3, 4.5, 2)
    assert selectors.template_usage(template) == usage
    stats = selectors.template_stats(template, viewer=alice)
    assert (stats.applied_by_me, stats.my_stars) == (True, 4)


@pytest.mark.parametrize("n", [2, 12])
def test_the_template_list_costs_three_queries_however_many(
    placement, alice, acme, n, django_assert_num_queries
):
    for i in range(n):
        template = TemplateFactory.create(organization=acme if i % 2 else None, author_name="x")
        services.apply_template(template=template, placement=placement, by=alice)
        services.rate_template(template=template, by=alice, stars=3)
    with django_assert_num_queries(3):
        # 1 Alice's membership of Acme, 2 the count, 3 the page with counts and ratings
        page = selectors.templates(viewer=alice, organization=acme)
        rows = [(t.title, t.organization, selectors.usage_of(t)) for t in page.object_list]
    assert len(rows) == n
    assert all(usage.applied == 1 for _t, _o, usage in rows)


def test_templates_to_review_are_others_in_organizations_one_curates(acme, ada, bob):
    bobs = TemplateFactory.create(organization=acme, author=bob, status=TemplateStatus.IN_REVIEW)
    TemplateFactory.create(organization=acme, author=ada, status=TemplateStatus.IN_REVIEW)
    TemplateFactory.create(status=TemplateStatus.IN_REVIEW)  # the library's: staff review it
    assert selectors.templates_to_review(viewer=ada, organization=acme) == [bobs]
    assert selectors.templates_to_review(viewer=bob, organization=acme) == []


# --- Dashboard and calendar ----------------------------------------------------------------------


def test_overdue_lists_open_objectives_and_milestones_past_their_day(placement, alice, acme):
    late = ObjectiveFactory.create(placement=placement, milestones=[MilestoneIn("Plan", TODAY)])
    on_time = ObjectiveFactory.create(
        placement=placement, milestones=[MilestoneIn("Later", TODAY + timedelta(days=3))]
    )
    done = ObjectiveFactory.create(placement=placement)
    services.complete_objective(objective=done, by=alice, note="Done")
    Objective.objects.filter(pk__in=[late.pk, done.pk]).update(due_on=TODAY - timedelta(days=2))
    Milestone.objects.filter(objective=late).update(due_on=TODAY - timedelta(days=4))
    items = selectors.overdue(alice, acme, TODAY)
    assert [(i.objective, i.milestone is not None, i.title) for i in items] == [
        (late, True, "Plan"),
        (late, False, late.title),
    ]
    assert on_time not in [i.objective for i in items]


@pytest.mark.parametrize("n", [1, 6])
def test_overdue_costs_two_queries(placement, alice, acme, n, django_assert_num_queries):
    add_objectives(placement, n)
    Objective.objects.update(due_on=TODAY - timedelta(days=1))
    Milestone.objects.update(due_on=TODAY - timedelta(days=1))
    with django_assert_num_queries(2):
        # 1 objectives past due, 2 milestones past due (with their objective)
        items = selectors.overdue(alice, acme, TODAY)
    assert len(items) == 3 * n


@pytest.mark.parametrize("n", [1, 6])
def test_the_calendar_has_every_objective_not_dropped_in_two_queries(
    placement, alice, n, django_assert_num_queries
):
    add_objectives(placement, n)
    dropped = ObjectiveFactory.create(placement=placement)
    services.drop_objective(objective=dropped, by=alice, reason="Cancelled")
    with django_assert_num_queries(2):
        # 1 objectives, 2 their milestones
        found = selectors.objectives_for_calendar(alice)
        days = [m.due_on for o in found for m in o.milestones.all()]
    assert len(found) == n
    assert len(days) == 2 * n
    assert dropped not in found


def test_the_calendar_leaves_out_organizations_one_has_left(placement, alice, ada):
    ObjectiveFactory.create(placement=placement)
    remove_member(membership=Membership.objects.get(organization__slug="acme", user=alice), by=ada)
    assert selectors.objectives_for_calendar(alice) == []


def test_a_managers_team_view_gets_each_reports_shared_open_objectives(placement, alice, bob):
    shared = ObjectiveFactory.create(placement=placement, visibility="manager")
    ObjectiveFactory.create(placement=placement, visibility="private")
    assert selectors.objectives_of([placement], viewer=bob) == {placement.pk: [shared]}


def test_an_objectives_check_uses_its_fields_as_context(placement):
    objective = ObjectiveFactory.create(placement=placement, title="Write the onboarding guide")
    check = selectors.objective_check(objective)
    assert check.text == "Write the onboarding guide"
    assert 0 <= check.score <= 100


def test_ones_own_templates_and_calendar_feed_are_found(acme, bob, alice):
    mine = TemplateFactory.create(organization=acme, author=bob, status=TemplateStatus.DRAFT)
    TemplateFactory.create(organization=acme, author=alice, author_name="Alice")
    assert list(selectors.templates_by(bob, acme)) == [mine]
    assert not selectors.has_calendar_feed(alice)
    services.create_calendar_feed(user=alice)
    feed = selectors.live_calendar_feed(alice)
    assert feed is not None
    assert selectors.has_calendar_feed(alice)

"""Writes for objectives, milestones, proposals, templates and the calendar feed.

Every bad input gets an error naming its field, and nothing is written: the counts
of objectives, milestones, stakeholders and audit events stay as they were.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Team
from upward.accounts.tests.factories import TeamFactory
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.models import AuditEvent
from upward.frameworks.tests.factories import FrameworkVersionFactory, small_document
from upward.roadmaps import services
from upward.roadmaps.models import (
    CalendarFeed,
    Milestone,
    Objective,
    RoadmapTemplate,
    Stakeholder,
    Status,
    TemplateRating,
    TemplateStatus,
)
from upward.roadmaps.services import MilestoneIn, StakeholderIn
from upward.roadmaps.tests.factories import (
    SPECIFIC,
    MilestoneFactory,
    ObjectiveFactory,
    TemplateFactory,
    template_objective,
)

TODAY = timezone.localdate()
SOON = TODAY + timedelta(days=30)
VAGUE = "Read a book on leadership"


def counts() -> tuple[int, ...]:
    """Everything a roadmap write could leave behind."""
    return (
        Objective.objects.count(),
        Milestone.objects.count(),
        Stakeholder.objects.count(),
        RoadmapTemplate.objects.count(),
        TemplateRating.objects.count(),
        AuditEvent.objects.count(),
    )


def create(placement, **changes):
    data = {
        "owner": placement.user,
        "placement": placement,
        "title": SPECIFIC,
        "competencies": ["shipping"],
        "due_on": SOON,
    }
    data.update(changes)
    return services.create_objective(**data)


# --- Creating ------------------------------------------------------------------------------------


def test_an_objective_aims_at_the_step_the_target_level_expects_by_default(placement):
    objective = create(placement)
    assert objective.target_step == "l2"
    assert (objective.status, objective.visibility) == (Status.PLANNED, "manager")
    assert objective.organization == placement.organization
    assert AuditEvent.objects.filter(code="roadmap.objective.created").count() == 1


def test_stakeholders_are_named_after_the_person_or_team_unless_named(placement, bob, platform):
    objective = create(
        placement,
        stakeholders=[
            StakeholderIn(user_id=bob.pk),
            StakeholderIn(team_id=platform.pk),
            StakeholderIn(email="Pat@Partner.example"),
            StakeholderIn(name="Product manager"),
        ],
    )
    names = list(objective.stakeholders.values_list("name", "email"))
    assert names == [
        ("Bob", ""),
        ("Platform", ""),
        ("pat@partner.example", "pat@partner.example"),
        ("Product manager", ""),
    ]


def test_a_quarter_sets_the_deadline_to_its_last_day(placement):
    quarter = f"{TODAY.year + 1}-Q2"
    objective = create(placement, due_on=None, quarter=quarter)
    assert objective.due_on == date(TODAY.year + 1, 6, 30)
    assert objective.quarter == quarter


def test_milestones_done_on_creation_start_the_objective(placement):
    objective = create(
        placement,
        milestones=[MilestoneIn("Plan written", SOON, done=True), MilestoneIn("Shipped", SOON)],
    )
    assert objective.status == Status.ACTIVE
    assert [m.done_at is not None for m in objective.milestones.all()] == [True, False]


@pytest.fixture
def elsewhere(db):
    """A team of another organization."""
    return TeamFactory.create(name="Elsewhere")


BAD_CREATIONS = [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "Ship it\nand more"}, "title"),
    ({"competencies": []}, "competencies"),
    ({"competencies": ["cooking"]}, "competencies"),
    ({"competencies": ["shipping", "cooking"]}, "competencies"),
    ({"target_step": "l9"}, "target_step"),
    ({"due_on": TODAY - timedelta(days=1)}, "due_on"),
    ({"due_on": None, "quarter": "2020-Q1"}, "quarter"),
    ({"due_on": None, "quarter": "next quarter"}, "quarter"),
    ({"due_on": None, "quarter": f"{TODAY.year + 1}-Q5"}, "quarter"),
    ({"due_on": date(TODAY.year + 1, 8, 1), "quarter": f"{TODAY.year + 1}-Q1"}, "due_on"),
    (
        {
            "milestones": [
                MilestoneIn("Plan", SOON - timedelta(days=9)),
                MilestoneIn("Build", SOON),
                MilestoneIn("Launch party", SOON + timedelta(days=1)),
            ]
        },
        "milestones[2].due_on",
    ),
    ({"milestones": [MilestoneIn("", SOON)]}, "milestones[0].title"),
    ({"stakeholders": [StakeholderIn(email="not-an-address")]}, "stakeholders[0].email"),
    ({"stakeholders": [StakeholderIn(name="Pat"), StakeholderIn()]}, "stakeholders[1].name"),
    ({"visibility": "friends"}, "visibility"),
    ({"kind": "hobby"}, "kind"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_CREATIONS)
def test_a_bad_objective_names_its_field_and_writes_nothing(placement, changes, field):
    before = counts()
    with pytest.raises(Invalid) as error:
        create(placement, **changes)
    assert error.value.field == field
    assert error.value.message
    assert counts() == before


def test_a_stakeholder_from_another_organization_is_refused(placement, eve, elsewhere):
    before = counts()
    with pytest.raises(Invalid) as error:
        create(placement, stakeholders=[StakeholderIn(user_id=eve.pk)])
    assert error.value.field == "stakeholders[0].user_id"
    with pytest.raises(Invalid) as error:
        create(placement, stakeholders=[StakeholderIn(team_id=elsewhere.pk)])
    assert error.value.field == "stakeholders[0].team_id"
    assert counts() == before


def test_only_the_member_plans_on_their_current_placement(placement, bob, alice, acme, ladder):
    before = counts()
    with pytest.raises(Invalid) as error:
        create(placement, owner=bob)
    assert error.value.field == "placement"
    newer = assessments.place(
        user=alice, organization=acme, version=ladder, track="ic", current_level="l2"
    )
    placement.refresh_from_db()
    before = counts()
    with pytest.raises(Invalid) as error:
        create(placement)
    assert error.value.field == "placement"
    assert counts() == before
    assert create(newer).placement == newer


def test_a_competency_with_its_own_scale_takes_a_level_key_as_its_step(acme, alice, ada):
    doc = small_document(key="scaled")
    doc["competencies"][1]["scale"] = [
        {"key": "novice", "name": "Novice"},
        {"key": "skilled", "name": "Skilled"},
        {"key": "expert", "name": "Expert"},
    ]
    for e in doc["expectations"]:
        if e["competency"] == "reviews":
            e["step"] = {"l1": "novice", "l2": "skilled", "l3": "expert"}[e["level"]]
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada, document=doc)
    placement = assessments.place(
        user=alice, organization=acme, version=version, track="ic", current_level="l1"
    )
    assert create(placement, competencies=["reviews"]).target_step == "skilled"
    assert create(placement, competencies=["reviews"], target_step="l3").target_step == "l3"
    with pytest.raises(Invalid) as error:
        create(placement, competencies=["reviews"], target_step="master")
    assert error.value.field == "target_step"


# --- Updating ------------------------------------------------------------------------------------


def test_an_update_changes_only_the_fields_given_and_records_them(placement, alice):
    objective = create(placement)
    services.update_objective(objective=objective, by=alice, title="Ship the billing export")
    objective.refresh_from_db()
    assert objective.title == "Ship the billing export"
    assert objective.due_on == SOON
    event = AuditEvent.objects.get(code="roadmap.objective.updated")
    assert event.data == {"fields": ["title"]}


def test_a_past_deadline_may_stay_but_not_be_set_anew(placement, alice):
    objective = create(placement)
    Objective.objects.filter(pk=objective.pk).update(due_on=TODAY - timedelta(days=3))
    objective.refresh_from_db()
    services.update_objective(objective=objective, by=alice, title="Renamed while late")
    before = counts()
    with pytest.raises(Invalid) as error:
        services.update_objective(objective=objective, by=alice, due_on=TODAY - timedelta(days=1))
    assert error.value.field == "due_on"
    assert counts() == before


def test_a_deadline_before_a_milestone_is_refused(placement, alice):
    objective = create(placement, milestones=[MilestoneIn("Launch", SOON)])
    with pytest.raises(Invalid) as error:
        services.update_objective(objective=objective, by=alice, due_on=SOON - timedelta(days=1))
    assert error.value.field == "due_on"
    objective.refresh_from_db()
    assert objective.due_on == SOON


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"competencies": ["cooking"]}, "competencies"),
        ({"target_step": "l7"}, "target_step"),
        ({"visibility": "everyone"}, "visibility"),
        ({"status": "done"}, "status"),
        ({"stakeholders": [StakeholderIn(email="nope")]}, "stakeholders[0].email"),
    ],
)
def test_a_bad_update_names_its_field_and_changes_nothing(placement, alice, changes, field):
    objective = create(placement, stakeholders=[StakeholderIn(name="Tech lead")])
    before = counts()
    with pytest.raises(Invalid) as error:
        services.update_objective(objective=objective, by=alice, **changes)
    assert error.value.field == field
    assert counts() == before
    objective.refresh_from_db()
    assert (objective.title, objective.status) == (SPECIFIC, Status.PLANNED)
    assert list(objective.stakeholders.values_list("name", flat=True)) == ["Tech lead"]


def test_stakeholders_given_on_update_replace_the_old_ones(placement, alice, bob):
    objective = create(placement, stakeholders=[StakeholderIn(name="Tech lead")])
    services.update_objective(
        objective=objective, by=alice, stakeholders=[StakeholderIn(user_id=bob.pk)]
    )
    assert list(objective.stakeholders.values_list("name", flat=True)) == ["Bob"]


def test_deleting_an_objective_takes_its_milestones_along(placement, alice):
    objective = create(placement, milestones=[MilestoneIn("Plan", SOON)])
    services.delete_objective(objective=objective, by=alice)
    assert (Objective.objects.count(), Milestone.objects.count()) == (0, 0)
    assert AuditEvent.objects.filter(code="roadmap.objective.deleted").exists()


# --- Status --------------------------------------------------------------------------------------


def test_an_objective_goes_from_planned_to_done_with_its_evidence(placement, alice):
    objective = create(placement)
    services.start_objective(objective=objective, by=alice)
    assert objective.status == Status.ACTIVE
    assert objective.started_at is not None
    services.complete_objective(
        objective=objective, by=alice, link="https://git.example/pr/12", note="Shipped"
    )
    objective.refresh_from_db()
    assert objective.status == Status.DONE
    assert objective.completion_link == "https://git.example/pr/12"
    assert objective.completed_at is not None


@pytest.mark.parametrize(
    ("link", "note"),
    [("", ""), ("   ", ""), ("javascript:alert(1)", "done"), ("/relative/path", "")],
)
def test_completing_needs_a_safe_link_or_a_note(placement, alice, link, note):
    objective = create(placement)
    before = counts()
    with pytest.raises(Invalid) as error:
        services.complete_objective(objective=objective, by=alice, link=link, note=note)
    assert error.value.field == "link"
    assert counts() == before
    objective.refresh_from_db()
    assert objective.status == Status.PLANNED


def test_a_note_alone_completes_an_objective(placement, alice):
    objective = create(placement)
    services.complete_objective(objective=objective, by=alice, note="Demoed at the all-hands")
    assert objective.status == Status.DONE


def test_dropping_needs_a_reason(placement, alice):
    objective = create(placement)
    with pytest.raises(Invalid) as error:
        services.drop_objective(objective=objective, by=alice, reason="  ")
    assert error.value.field == "reason"
    services.drop_objective(objective=objective, by=alice, reason="The project was cancelled")
    objective.refresh_from_db()
    assert (objective.status, objective.dropped_reason) == (
        Status.DROPPED,
        "The project was cancelled",
    )


def test_a_closed_objective_is_reopened_before_anything_else(placement, alice):
    objective = create(placement)
    services.start_objective(objective=objective, by=alice)
    services.drop_objective(objective=objective, by=alice, reason="Reorganised")
    with pytest.raises(Conflict):
        services.complete_objective(objective=objective, by=alice, note="x")
    with pytest.raises(Conflict):
        services.start_objective(objective=objective, by=alice)
    services.reopen_objective(objective=objective, by=alice)
    objective.refresh_from_db()
    # It had started, so it is back in progress, with the reason gone.
    assert (objective.status, objective.dropped_reason) == (Status.ACTIVE, "")
    with pytest.raises(Conflict):
        services.reopen_objective(objective=objective, by=alice)


# --- Milestones ----------------------------------------------------------------------------------


def test_milestones_are_added_at_the_end_and_not_after_the_deadline(placement, alice):
    objective = create(placement)
    first = services.add_milestone(objective=objective, by=alice, title="Plan", due_on=TODAY)
    second = services.add_milestone(objective=objective, by=alice, title="Ship")
    assert (first.position, second.position) == (0, 1)
    before = counts()
    with pytest.raises(Invalid) as error:
        services.add_milestone(
            objective=objective, by=alice, title="Party", due_on=SOON + timedelta(days=1)
        )
    assert error.value.field == "due_on"
    with pytest.raises(Invalid) as error:
        services.add_milestone(objective=objective, by=alice, title=" ")
    assert error.value.field == "title"
    assert counts() == before


def test_ticking_a_milestone_off_starts_a_planned_objective(placement, alice):
    milestone = MilestoneFactory.create(objective=create(placement))
    services.set_milestone_done(milestone=milestone, by=alice, done=True)
    milestone.objective.refresh_from_db()
    assert milestone.done_at is not None
    assert milestone.objective.status == Status.ACTIVE
    services.set_milestone_done(milestone=milestone, by=alice, done=False)
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_a_milestone_keeps_its_day_unless_one_is_given(placement, alice):
    milestone = MilestoneFactory.create(objective=create(placement))
    day = milestone.due_on
    services.update_milestone(milestone=milestone, by=alice, title="Plan agreed")
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("Plan agreed", day)
    services.update_milestone(milestone=milestone, by=alice, due_on=None)
    milestone.refresh_from_db()
    assert milestone.due_on is None
    with pytest.raises(Invalid) as error:
        services.update_milestone(milestone=milestone, by=alice, due_on=SOON + timedelta(days=2))
    assert error.value.field == "due_on"
    services.delete_milestone(milestone=milestone, by=alice)
    assert not Milestone.objects.exists()


# --- Proposals and templates applied -------------------------------------------------------------


@pytest.fixture
def gaps(placement):
    """Alice rates herself l1 on both competencies: two gaps towards l2."""
    assessments.rate_self(
        placement=placement, ratings=[Rating("shipping", "l1"), Rating("reviews", "l1")]
    )
    return placement


def test_proposals_come_from_a_template_for_the_gap_or_else_from_the_expectation(gaps):
    template = TemplateFactory.create(
        objectives=[template_objective(), template_objective(title=SPECIFIC + " again")]
    )
    before = counts()
    proposals = services.propose_roadmap(placement=gaps, today=TODAY)
    assert counts() == before  # proposing writes nothing
    by_competency: dict[str, list[services.Proposal]] = {}
    for p in proposals:
        by_competency.setdefault(p.competency, []).append(p)
    shipping, reviews = by_competency["shipping"], by_competency["reviews"]
    assert [p.template_id for p in shipping] == [template.pk, template.pk]
    assert shipping[0].due_on == TODAY + timedelta(weeks=8)
    assert shipping[0].milestones == [
        ("Plan reviewed", TODAY + timedelta(weeks=2)),
        ("Released", TODAY + timedelta(weeks=8)),
    ]
    assert shipping[0].target_step == "l2"
    [fallback] = reviews
    assert fallback.template_id is None
    assert "reviews at l2" in fallback.expectation
    assert fallback.check.specific, fallback.check


def test_a_template_for_another_step_is_not_proposed(gaps):
    TemplateFactory.create(from_step="l2", to_step="l3")
    proposals = services.propose_roadmap(placement=gaps, today=TODAY)
    assert all(p.template_id is None for p in proposals)


def test_what_is_already_on_the_roadmap_is_not_proposed_again(gaps, alice):
    first = TemplateFactory.create(title="First")
    second = TemplateFactory.create(
        title="Second", objectives=[template_objective(title=SPECIFIC + " for the Billing team")]
    )
    proposals = services.propose_roadmap(placement=gaps, today=TODAY)
    services.accept_proposals(placement=gaps, by=alice, proposals=proposals)
    again = services.propose_roadmap(placement=gaps, today=TODAY)
    # Shipping's first template is taken, so its second is proposed; Reviews' proposal,
    # written from the expectation, is on the roadmap already, so Reviews gets none.
    assert [(p.competency, p.template_id) for p in again] == [("shipping", second.pk)]
    assert first.pk in {p.template_id for p in proposals}
    services.accept_proposals(placement=gaps, by=alice, proposals=again)
    assert services.propose_roadmap(placement=gaps, today=TODAY) == []


def test_accepting_proposals_writes_every_one_or_none(gaps, alice):
    template = TemplateFactory.create()
    proposals = services.propose_roadmap(placement=gaps, today=TODAY)
    objectives = services.accept_proposals(placement=gaps, by=alice, proposals=proposals)
    assert len(objectives) == len(proposals) == 2
    made = Objective.objects.get(template=template)
    assert made.milestones.count() == 2
    assert list(made.stakeholders.values_list("name", flat=True)) == ["Payments team"]
    proposals[1].title = ""
    before = counts()
    with pytest.raises(Invalid) as error:
        services.accept_proposals(placement=gaps, by=alice, proposals=proposals)
    assert error.value.field == "proposals[1].title"
    assert counts() == before


def test_applying_a_template_dates_everything_from_the_start(placement, alice):
    template = TemplateFactory.create()
    start = TODAY + timedelta(days=3)
    [objective] = services.apply_template(
        template=template, placement=placement, by=alice, start=start
    )
    assert objective.due_on == start + timedelta(weeks=8)
    assert [m.due_on for m in objective.milestones.all()] == [
        start + timedelta(weeks=2),
        start + timedelta(weeks=8),
    ]
    assert (objective.template, objective.target_step) == (template, "l2")
    assert AuditEvent.objects.filter(code="roadmap.template.applied").count() == 1


def test_a_template_that_does_not_fit_is_refused_and_nothing_is_written(placement, alice, globex):
    cases = [
        (TemplateFactory.create(competency="cooking"), Invalid, "competency"),
        (TemplateFactory.create(to_step="l9"), Invalid, "to_step"),
        (TemplateFactory.create(status=TemplateStatus.DRAFT), Conflict, None),
        (TemplateFactory.create(organization=globex), NotFound, None),
    ]
    before = counts()
    for template, error_class, field in cases:
        with pytest.raises(error_class) as error:
            services.apply_template(template=template, placement=placement, by=alice)
        assert error.value.field == field
    with pytest.raises(Invalid) as error:
        services.apply_template(
            template=TemplateFactory.create(), placement=placement, by=alice, start=date(2001, 1, 1)
        )
    assert error.value.field == "start"
    assert counts()[:3] == before[:3]


# --- Curating templates --------------------------------------------------------------------------


def write_template(by, organization, **changes):
    data = {
        "by": by,
        "organization": organization,
        "framework_key": "tiny",
        "competency": "shipping",
        "track": "ic",
        "from_step": "l1",
        "to_step": "l2",
        "title": "Ship a feature end to end",
        "summary": "Own one feature.",
        "duration_weeks": 12,
        "evidence": ["The release notes"],
        "objectives": [template_objective()],
    }
    data.update(changes)
    return services.create_template(**data)


def test_a_template_is_written_reviewed_by_a_second_person_and_published(ladder, acme, bob, ada):
    template = write_template(bob, acme, author_credentials="Staff engineer, 10 years")
    assert (template.status, template.author_name) == (TemplateStatus.DRAFT, "Bob")
    services.submit_template(template=template, by=bob)
    services.review_template(template=template, by=ada, approve=True, note="Clear")
    template.refresh_from_db()
    assert template.status == TemplateStatus.PUBLISHED
    assert (template.reviewed_by, template.published_at is not None) == (ada, True)


def test_nobody_reviews_their_own_template(ladder, acme, ada):
    template = write_template(ada, acme)
    services.submit_template(template=template, by=ada)
    with pytest.raises(Conflict):
        services.review_template(template=template, by=ada, approve=True)
    template.refresh_from_db()
    assert template.status == TemplateStatus.IN_REVIEW


def test_only_admins_review_and_only_curators_write(ladder, acme, alice, bob, maya):
    with pytest.raises(NotFound):
        write_template(alice, acme)  # a member without a curating role
    with pytest.raises(NotFound):
        write_template(bob, None)  # the library is site staff's
    template = write_template(maya, acme)
    services.submit_template(template=template, by=maya)
    with pytest.raises(NotFound):
        services.review_template(template=template, by=bob, approve=True)


def test_publishing_refuses_a_vague_objective_and_names_it(ladder, acme, bob, ada):
    template = write_template(
        bob, acme, objectives=[template_objective(), template_objective(title=VAGUE)]
    )
    services.submit_template(template=template, by=bob)
    before = counts()
    with pytest.raises(Invalid) as error:
        services.review_template(template=template, by=ada, approve=True)
    assert error.value.field == "objectives[1].title"
    assert counts() == before
    template.refresh_from_db()
    assert template.status == TemplateStatus.IN_REVIEW


def test_returning_a_template_needs_a_note_and_makes_it_a_draft_again(ladder, acme, bob, ada):
    template = write_template(bob, acme)
    services.submit_template(template=template, by=bob)
    with pytest.raises(Invalid) as error:
        services.review_template(template=template, by=ada, approve=False)
    assert error.value.field == "note"
    services.review_template(template=template, by=ada, approve=False, note="Add a measure")
    template.refresh_from_db()
    assert (template.status, template.review_note) == (TemplateStatus.DRAFT, "Add a measure")
    services.update_template(template=template, by=bob, title="Ship and measure a feature")
    template.refresh_from_db()
    assert template.title == "Ship and measure a feature"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"framework_key": "nope"}, "framework_key"),
        ({"competency": "cooking"}, "competency"),
        ({"track": "em"}, "track"),
        ({"from_step": "l7"}, "from_step"),
        ({"to_step": "l1"}, "to_step"),
        ({"title": ""}, "title"),
        ({"duration_weeks": 0}, "duration_weeks"),
        ({"objectives": []}, "objectives"),
        ({"objectives": [template_objective(), {"title": ""}]}, "objectives[1].title"),
        ({"objectives": [template_objective(kind="hobby")]}, "objectives[0].kind"),
        ({"objectives": [template_objective(timebox_weeks=20)]}, "objectives[0].timebox_weeks"),
        (
            {"objectives": [template_objective(milestones=[{"title": "Late", "week": 9}])]},
            "objectives[0].milestones",
        ),
    ],
)
def test_a_bad_template_names_its_field_and_writes_nothing(ladder, acme, bob, changes, field):
    before = counts()
    with pytest.raises(Invalid) as error:
        write_template(bob, acme, **changes)
    assert error.value.field == field
    assert counts() == before


def test_a_published_template_no_longer_changes_but_can_be_archived(ladder, acme, bob, ada):
    template = write_template(bob, acme)
    services.submit_template(template=template, by=bob)
    services.review_template(template=template, by=ada, approve=True)
    with pytest.raises(Conflict):
        services.update_template(template=template, by=ada, title="Changed")
    services.archive_template(template=template, by=ada)
    assert template.status == TemplateStatus.ARCHIVED


def test_only_someone_who_applied_a_template_rates_it_once(placement, alice, bob):
    template = TemplateFactory.create()
    with pytest.raises(Conflict):
        services.rate_template(template=template, by=alice, stars=5)
    services.apply_template(template=template, placement=placement, by=alice)
    with pytest.raises(Invalid) as error:
        services.rate_template(template=template, by=alice, stars=6)
    assert error.value.field == "stars"
    services.rate_template(template=template, by=alice, stars=4, comment="Useful")
    services.rate_template(template=template, by=alice, stars=5)
    assert list(TemplateRating.objects.values_list("stars", flat=True)) == [5]


# --- Calendar feed -------------------------------------------------------------------------------


def test_a_new_calendar_secret_ends_the_previous_one(alice):
    first = services.create_calendar_feed(user=alice)
    second = services.create_calendar_feed(user=alice)
    assert first != second
    live = CalendarFeed.objects.get(revoked_at__isnull=True)
    assert live.token_hash not in (first, second)  # only a hash is kept
    assert CalendarFeed.objects.count() == 2
    assert services.revoke_calendar_feed(user=alice) == 1
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


# --- Carrying objectives over to a new placement -------------------------------------------------


def test_open_objectives_move_to_the_new_placement_and_closed_ones_stay(
    placement, alice, acme, ladder
):
    planned = create(placement)
    done = create(placement, title="Ship the first slice with the team within two weeks")
    services.complete_objective(objective=done, by=alice, note="Shipped")
    newer = assessments.place(
        user=alice, organization=acme, version=ladder, track="ic", current_level="l2"
    )
    planned.refresh_from_db()
    done.refresh_from_db()
    assert planned.placement == newer
    assert planned.target_step == "l2"  # still a step of the track: the member decides
    assert done.placement == placement
    assert AuditEvent.objects.filter(code="roadmap.objective.carried_over").count() == 1


def test_competencies_the_new_version_lacks_leave_the_objective(placement, alice, acme, ada):
    both = create(placement, competencies=["shipping", "reviews"])
    only_reviews = create(placement, competencies=["reviews"])
    doc = small_document()
    doc["competencies"] = [c for c in doc["competencies"] if c["key"] == "shipping"]
    doc["expectations"] = [e for e in doc["expectations"] if e["competency"] == "shipping"]
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada, document=doc)
    newer = assessments.place(
        user=alice, organization=acme, version=version, track="ic", current_level="l1"
    )
    both.refresh_from_db()
    only_reviews.refresh_from_db()
    assert (both.placement, both.competencies) == (newer, ["shipping"])
    assert (only_reviews.placement, only_reviews.competencies) == (placement, ["reviews"])


def test_the_factories_make_what_the_services_would(placement):
    objective = ObjectiveFactory.create(placement=placement)
    assert objective.owner == placement.user
    assert MilestoneFactory.create(objective=objective).position == 0
    assert not Team.objects.filter(name="Elsewhere").exists()


def test_a_proposal_naming_a_template_one_may_not_use_is_refused(gaps, alice, globex):
    proposals = services.propose_roadmap(placement=gaps, today=TODAY)
    proposals[0].template_id = TemplateFactory.create(organization=globex, author_name="Eve").pk
    before = counts()
    with pytest.raises(Invalid) as error:
        services.accept_proposals(placement=gaps, by=alice, proposals=proposals)
    assert error.value.field == "proposals[0].template_id"
    assert counts() == before


def test_a_step_the_new_track_lacks_becomes_the_step_the_new_target_expects(acme, alice, ada):
    doc = small_document(key="two-tracks")
    doc["tracks"].append(
        {
            "key": "em",
            "name": "Management",
            "levels": [{"ref": "l1"}, {"key": "m2", "title": "Manager", "rank": 2}],
        }
    )
    doc["expectations"] += [
        {"competency": c, "level": "m2", "summary": f"{c} as a manager"}
        for c in ("shipping", "reviews")
    ]
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada, document=doc)
    ic = assessments.place(
        user=alice, organization=acme, version=version, track="ic", current_level="l1"
    )
    objective = create(ic, target_step="l3")
    em = assessments.place(
        user=alice, organization=acme, version=version, track="em", current_level="l1"
    )
    objective.refresh_from_db()
    assert (objective.placement, objective.target_step) == (em, "m2")

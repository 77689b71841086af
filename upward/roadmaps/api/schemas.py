"""The roadmap API's request and response bodies, each field listed with its bounds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from upward.core.schemas import MAX_PAGE, MAX_PAGE_SIZE, Day, Id
from upward.core.validators import EMAIL_PATTERN
from upward.roadmaps.models import Milestone

KindName = Literal["initiative", "stretch", "visibility", "mentoring", "learning"]
StatusName = Literal["planned", "active", "done", "dropped"]
TierName = Literal["private", "mentors", "manager", "organization", "public"]
CompetencyKey = Annotated[str, Field(max_length=100, description="A competency's key")]
StepKey = Annotated[str, Field(max_length=100, description="A level key or a step of a scale")]
Line = Annotated[str, Field(max_length=500)]
Title = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=10_000)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
FrameworkKey = Annotated[str, Field(max_length=80, description="A framework's key")]
Words = Annotated[str, Field(max_length=200, description="Words of the title or summary")]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
OBJECTIVES_PAGE_SIZE = 50
Quarter = Annotated[
    str,
    Field(
        max_length=7,
        pattern=r"^$|^\d{4}-Q[1-4]$",
        description='A quarter as "YYYY-Qn" (its last day becomes the deadline), or ""',
    ),
]
VISIBILITY_HELP = "Who besides you may see it: private, mentors, manager, organization, public"


# --- Schemas -----------------------------------------------------------------------------


class StakeholderIn(Schema):
    """Someone the objective is for or with: a person here (user_id), a team (team_id),
    or anyone by name and email."""

    name: str = Field("", max_length=200, description="Defaults to the person's or team's name")
    user_id: Id | None = None
    team_id: Id | None = None
    email: str = Field("", max_length=254, pattern=f"^$|{EMAIL_PATTERN}")


class StakeholderOut(Schema):
    name: str
    user_id: int | None
    team_id: int | None
    email: str


class MilestoneIn(Schema):
    title: Title
    due_on: Day | None = None
    done: bool = Field(False, strict=True)


class MilestoneCreateIn(Schema):
    title: Title
    due_on: Day | None = None


class MilestonePatch(Schema):
    title: Title | None = Field(None, description="null leaves it unchanged")
    due_on: Day | None = Field(None, description="null clears the date; leave it out to keep it")
    done: bool | None = Field(None, strict=True, description="Tick or untick it")


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    done: bool
    done_at: datetime | None

    @staticmethod
    def resolve_done(obj: Milestone) -> bool:
        return obj.done_at is not None


class ObjectiveIn(Schema):
    placement_id: Id = Field(..., description="Your placement the objective serves")
    title: Title
    description: LongText = ""
    kind: KindName = "initiative"
    competencies: list[CompetencyKey] = Field(..., max_length=50)
    target_step: StepKey = Field(
        "", description="Defaults to the step the placement's target level expects"
    )
    success_criteria: list[Line] = Field(default_factory=list, max_length=20)
    due_on: Day | None = Field(None, description="The deadline (or give a quarter)")
    quarter: Quarter = ""
    stakeholders: list[StakeholderIn] = Field(default_factory=list, max_length=20)
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=50)
    visibility: TierName = Field("manager", description=VISIBILITY_HELP)
    template_id: Id | None = Field(None, description="The template it was drawn from")


class ObjectivePatch(Schema):
    """The fields to change; any left out (or null, except due_on) stay as they are."""

    title: Title | None = None
    description: LongText | None = None
    kind: KindName | None = None
    competencies: list[CompetencyKey] | None = Field(None, max_length=50)
    target_step: StepKey | None = None
    success_criteria: list[Line] | None = Field(None, max_length=20)
    due_on: Day | None = Field(None, description="null clears the deadline")
    quarter: Quarter | None = None
    stakeholders: list[StakeholderIn] | None = Field(
        None, max_length=20, description="The whole new list"
    )
    visibility: TierName | None = Field(None, description=VISIBILITY_HELP)


class ObjectiveOut(Schema):
    id: int
    placement_id: int
    owner_id: int
    title: str
    description: str
    kind: str
    competencies: list[str]
    target_step: str
    success_criteria: list[str]
    due_on: date | None
    quarter: str
    status: str = Field(..., description="planned, active, done or dropped")
    dropped_reason: str
    completion_link: str
    completion_note: str
    visibility: str
    template_id: int | None
    stakeholders: list[StakeholderOut]
    milestones: list[MilestoneOut]
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    completed_at: datetime | None


class ObjectivesPageOut(Schema):
    items: list[ObjectiveOut]
    count: int = Field(..., description="How many there are on every page together")


class CompleteIn(Schema):
    link: str = Field("", max_length=500, description="Where the work can be seen")
    note: str = Field("", max_length=5000, description="What shows it was done")


class DropIn(Schema):
    reason: str = Field(..., max_length=2000, description="Why it was dropped")


class CheckIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000, description="The objective's sentence")
    stakeholders: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    timebox: str = Field("", max_length=100, description='A date or a quarter ("2027-Q3")')
    success_criteria: list[Line] = Field(default_factory=list, max_length=20)


class CheckOut(Schema):
    text: str
    score: int = Field(..., description="0 to 100")
    specific: bool
    missing: list[str] = Field(..., description='What it lacks: "action", "outcome", "context"')
    suggestions: list[str]


class ProposedMilestone(Schema):
    title: Title
    due_on: Day


class ProposedMilestoneOut(Schema):
    title: str
    due_on: date


class ProposalIn(Schema):
    """A proposal to accept, as it was offered or edited."""

    competency: CompetencyKey
    target_step: StepKey = ""
    title: Title
    description: LongText = ""
    kind: KindName = "initiative"
    success_criteria: list[Line] = Field(default_factory=list, max_length=20)
    stakeholders: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    due_on: Day | None = None
    milestones: list[ProposedMilestone] = Field(default_factory=list, max_length=50)
    template_id: Id | None = None


class ProposalOut(Schema):
    competency: str
    competency_name: str
    target_step: str
    title: str
    description: str
    kind: str
    success_criteria: list[str]
    stakeholders: list[str]
    due_on: date | None
    milestones: list[ProposedMilestoneOut]
    template_id: int | None
    expectation: str = Field(..., description="What the target step expects")
    check: CheckOut


class ProposalsOut(Schema):
    placement_id: int
    proposals: list[ProposalOut] = Field(..., description="One to three for each top gap")


class AcceptProposalsIn(Schema):
    proposals: list[ProposalIn] = Field(..., min_length=1, max_length=30)


class TemplateMilestone(Schema):
    title: Title
    week: int = Field(..., ge=0, le=104, description="Weeks after the day it is applied")


class TemplateObjectiveSchema(Schema):
    """One objective of a template, as applying it creates it."""

    title: Title
    kind: KindName = "initiative"
    description: LongText = ""
    success_criteria: list[Line] = Field(default_factory=list, max_length=6)
    stakeholders: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=6, description="Roles or teams"
    )
    timebox_weeks: int = Field(..., ge=1, le=104, description="Weeks after the day it is applied")
    milestones: list[TemplateMilestone] = Field(
        default_factory=list, max_length=8, description="In the order of their weeks"
    )


class TemplateIn(Schema):
    library: bool = Field(
        False, strict=True, description="Site staff: a library template instead of the org's"
    )
    framework_key: str = Field(..., max_length=80, description="The framework it is written for")
    competency: CompetencyKey
    track: str = Field(..., max_length=100)
    from_step: StepKey
    to_step: StepKey
    title: str = Field(..., max_length=200)
    summary: LongText = ""
    duration_weeks: int = Field(12, ge=1, le=104, description="How long it usually takes")
    evidence: list[Line] = Field(
        default_factory=list, max_length=10, description="What would show the step was reached"
    )
    objectives: list[TemplateObjectiveSchema] = Field(..., max_length=10)
    author_credentials: str = Field("", max_length=300)


class TemplatePatch(Schema):
    """The fields to change while the template is a draft; any left out stay as they are."""

    framework_key: str | None = Field(None, max_length=80)
    competency: CompetencyKey | None = None
    track: str | None = Field(None, max_length=100)
    from_step: StepKey | None = None
    to_step: StepKey | None = None
    title: str | None = Field(None, max_length=200)
    summary: LongText | None = None
    duration_weeks: int | None = Field(None, ge=1, le=104)
    evidence: list[Line] | None = Field(None, max_length=10)
    objectives: list[TemplateObjectiveSchema] | None = Field(None, max_length=10)
    author_credentials: str | None = Field(None, max_length=300)


class TemplateMilestoneOut(Schema):
    title: str
    week: int


class TemplateObjectiveOut(Schema):
    title: str
    kind: str
    description: str
    success_criteria: list[str]
    stakeholders: list[str]
    timebox_weeks: int
    milestones: list[TemplateMilestoneOut]


class TemplateOut(Schema):
    id: int
    key: str
    library: bool = Field(..., description="A built-in or site template, not the organization's")
    framework_key: str
    competency: str
    track: str
    from_step: str
    to_step: str
    title: str
    summary: str
    duration_weeks: int
    evidence: list[str]
    objectives: list[TemplateObjectiveOut]
    author_name: str
    author_credentials: str
    status: str = Field(..., description="draft, in_review, published or archived")
    review_note: str
    applied: int = Field(..., description="How many times members applied it")
    rating: float | None = Field(..., description="Mean stars (1 to 5), null before any")
    ratings: int = Field(..., description="How many rated it")
    published_at: datetime | None
    updated_at: datetime


class TemplatesPageOut(Schema):
    items: list[TemplateOut]
    count: int = Field(..., description="How many there are on every page together")


class ReviewIn(Schema):
    approve: bool = Field(..., strict=True, description="true publishes it, false sends it back")
    note: str = Field("", max_length=2000)


class ApplyIn(Schema):
    placement_id: Id
    start: Day | None = Field(None, description="Milestone dates count from it; default today")


class RateIn(Schema):
    stars: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


class RatingOut(Schema):
    template_id: int
    stars: int
    comment: str


class CalendarFeedOut(Schema):
    url: str = Field(..., description="The secret address to subscribe to; shown only this once")

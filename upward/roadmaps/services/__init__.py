"""Writes for roadmaps: objectives, milestones, proposals, templates, the calendar feed
and the overdue sweep. Every service checks all its input before writing anything."""

from __future__ import annotations

from upward.roadmaps.services.calendar import create_calendar_feed, revoke_calendar_feed
from upward.roadmaps.services.checks import MilestoneIn, StakeholderIn, quarter_end, quarter_of
from upward.roadmaps.services.milestones import (
    add_milestone,
    delete_milestone,
    set_milestone_done,
    update_milestone,
)
from upward.roadmaps.services.objectives import (
    carry_over,
    complete_objective,
    create_objective,
    delete_objective,
    drop_objective,
    reopen_objective,
    start_objective,
    update_objective,
)
from upward.roadmaps.services.proposals import (
    Proposal,
    accept_proposals,
    apply_template,
    propose_roadmap,
)
from upward.roadmaps.services.reminders import remind_overdue
from upward.roadmaps.services.templates import (
    archive_template,
    create_template,
    rate_template,
    review_template,
    submit_template,
    update_template,
)

__all__ = [
    "MilestoneIn",
    "Proposal",
    "StakeholderIn",
    "accept_proposals",
    "add_milestone",
    "apply_template",
    "archive_template",
    "carry_over",
    "complete_objective",
    "create_calendar_feed",
    "create_objective",
    "create_template",
    "delete_milestone",
    "delete_objective",
    "drop_objective",
    "propose_roadmap",
    "quarter_end",
    "quarter_of",
    "rate_template",
    "remind_overdue",
    "reopen_objective",
    "review_template",
    "revoke_calendar_feed",
    "set_milestone_done",
    "start_objective",
    "submit_template",
    "update_milestone",
    "update_objective",
    "update_template",
]

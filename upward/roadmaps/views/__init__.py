"""Pages for roadmaps: my roadmap and building it from the top gaps, objectives with
their milestones, the template library, a manager's view of a report's roadmap, and
the calendar feed.

Each view parses its input, checks access with `access.py` (missing and forbidden
both answer 404), calls one service or selector and renders. A service's error is
shown in place, on the field it names (`upward.core.http.service_errors`).
"""

from __future__ import annotations

from upward.roadmaps.views.feed import calendar
from upward.roadmaps.views.library import (
    template,
    template_apply,
    template_edit,
    template_new,
    template_rate,
    template_review,
    template_submit,
    templates,
)
from upward.roadmaps.views.objective import (
    check,
    milestone_add,
    milestone_delete,
    milestone_done,
    objective,
    objective_complete,
    objective_delete,
    objective_drop,
    objective_new,
    objective_reopen,
    objective_start,
)
from upward.roadmaps.views.roadmap import build, report, roadmap

__all__ = [
    "build",
    "calendar",
    "check",
    "milestone_add",
    "milestone_delete",
    "milestone_done",
    "objective",
    "objective_complete",
    "objective_delete",
    "objective_drop",
    "objective_new",
    "objective_reopen",
    "objective_start",
    "report",
    "roadmap",
    "template",
    "template_apply",
    "template_edit",
    "template_new",
    "template_rate",
    "template_review",
    "template_submit",
    "templates",
]

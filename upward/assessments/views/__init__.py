"""Pages for the competency delta: placement, my delta, self-assessment, feedback
requests and answers, and a manager's view of their team.

Each view parses its input, checks access with `access.py` (missing and
forbidden both answer 404), calls one service or selector and renders. A
service's error is shown in place by `service_errors`. Anonymous feedback is
never shown one by one: requests as counts, answers only in the delta's
aggregates, never with a name or a time.
"""

from __future__ import annotations

from upward.assessments.views.delta import delta_signals, my_delta, placement_delta, team_deltas
from upward.assessments.views.feedback import (
    feedback_answer,
    feedback_link,
    feedback_new,
    feedback_requests,
    feedback_thanks,
    feedback_withdraw,
    feedback_withdraw_anonymous,
)
from upward.assessments.views.placement import placement_assess, placement_edit, placement_rate

__all__ = [
    "delta_signals",
    "feedback_answer",
    "feedback_link",
    "feedback_new",
    "feedback_requests",
    "feedback_thanks",
    "feedback_withdraw",
    "feedback_withdraw_anonymous",
    "my_delta",
    "placement_assess",
    "placement_delta",
    "placement_edit",
    "placement_rate",
    "team_deltas",
]

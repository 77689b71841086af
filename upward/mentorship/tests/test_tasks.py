from __future__ import annotations

from upward.mentorship import tasks


def test_the_daily_task_reminds_nobody_when_no_room_is_due(db):
    assert tasks.send_check_in_reminders.call() == 0

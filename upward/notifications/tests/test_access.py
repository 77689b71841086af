"""Who may reach a notification: only the person it is for."""

from __future__ import annotations

import pytest

from upward.notifications.access import access_notification
from upward.notifications.services import notify
from upward.testing import allowed


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", True),
        ("bob", False),  # her manager
        ("maya", False),  # her mentor
        ("ada", False),  # her organization's admin
        ("eve", False),  # another organization
        ("anonymous", False),
    ],
)
def test_only_the_recipient_reaches_a_notification(people, who, expected):
    notice = notify(recipient=people["alice"], kind_key="feedback.answered", title="Hi")
    assert allowed(lambda: access_notification(people[who], notice.pk)) is expected


def test_a_missing_notification_is_not_found(people):
    assert not allowed(lambda: access_notification(people["alice"], 10**9))

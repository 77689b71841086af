"""Fixtures: Alice placed on Acme's ladder (from the assessments tests) and helpers
to make her a notification."""

from __future__ import annotations

import pytest

from upward.assessments.tests.conftest import ladder, placement  # noqa: F401 (fixtures)
from upward.notifications import services
from upward.notifications.kinds import Choice


@pytest.fixture
def notice(alice):
    """A notification for Alice that isn't emailed."""
    services.set_choice(user=alice, kind_key="feedback.answered", choice=Choice.OFF, by=alice)
    return services.notify(
        recipient=alice, kind_key="feedback.answered", title="Sam answered", url="/growth/"
    )

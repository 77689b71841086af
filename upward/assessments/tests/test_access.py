"""Who may see a placement and its delta, and feedback requests."""

from __future__ import annotations

import pytest

from conftest import allowed
from upward.assessments import access, services


@pytest.mark.parametrize(
    ("who", "write", "expected"),
    [
        ("alice", False, True),
        ("alice", True, True),
        ("bob", False, True),  # Alice's manager reads her delta
        ("bob", True, False),
        ("maya", False, False),  # a mentor sees only what a room shares (later)
        ("ada", False, False),  # an admin is not a manager
        ("eve", False, False),
        ("anonymous", False, False),
    ],
)
def test_placement_matrix(people, placement, who, write, expected):
    assert (
        allowed(lambda: access.access_placement(people[who], placement.pk, write=write)) is expected
    )


@pytest.mark.parametrize(
    ("who", "expected"), [("alice", False), ("bob", True), ("maya", False), ("eve", False)]
)
def test_only_a_manager_rates_a_report(people, placement, who, expected):
    assert allowed(lambda: access.access_report_placement(people[who], placement.pk)) is expected


@pytest.mark.parametrize(
    ("who", "as_rater", "expected"),
    [
        ("alice", False, True),
        ("alice", True, False),
        ("maya", True, True),
        ("maya", False, False),
        ("bob", True, False),  # a peer or manager who wasn't asked sees nothing
        ("eve", True, False),
        ("anonymous", True, False),
    ],
)
def test_feedback_request_matrix(people, placement, who, as_rater, expected):
    request = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=people["maya"]
    )
    result = allowed(
        lambda: access.access_feedback_request(people[who], request.pk, as_rater=as_rater)
    )
    assert result is expected

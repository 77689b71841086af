"""Who may see a placement and its delta, and feedback requests."""

from __future__ import annotations

import pytest

from upward.accounts.models import Membership
from upward.accounts.services import remove_member, remove_team_member
from upward.assessments import access, services
from upward.testing import allowed


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


def _leave_acme(person, *, ada, leaves):
    membership = Membership.objects.get(organization__slug="acme", user=person)
    remove_member(membership=membership, by=person if leaves else ada)


@pytest.mark.parametrize("leaves", [False, True], ids=["removed", "left"])
@pytest.mark.parametrize(
    ("who", "reach"),
    [
        ("alice", "placement"),
        ("alice", "placement-write"),
        ("alice", "request"),
        ("bob", "placement"),
        ("bob", "report-placement"),
        ("maya", "request-as-rater"),
    ],
)
def test_a_removed_member_reaches_nothing_of_the_organization(
    people, placement, who, reach, leaves
):
    request = services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=people["maya"]
    )
    user = people[who]
    calls = {
        "placement": lambda: access.access_placement(user, placement.pk),
        "placement-write": lambda: access.access_placement(user, placement.pk, write=True),
        "report-placement": lambda: access.access_report_placement(user, placement.pk),
        "request": lambda: access.access_feedback_request(user, request.pk),
        "request-as-rater": lambda: access.access_feedback_request(user, request.pk, as_rater=True),
    }
    assert allowed(calls[reach])
    _leave_acme(user, ada=people["ada"], leaves=leaves)
    assert not allowed(calls[reach])


def test_a_manager_no_longer_in_the_organization_reads_nothing_though_a_team_names_them(
    bob, acme, placement
):
    # Membership is what counts, even if a team row was left pointing at them.
    Membership.objects.filter(organization=acme, user=bob).delete()
    assert not allowed(lambda: access.access_placement(bob, placement.pk))
    assert not allowed(lambda: access.access_report_placement(bob, placement.pk))


def test_a_manager_rates_a_person_only_while_they_are_on_a_team_the_manager_leads(
    bob, ada, alice, platform, placement
):
    assert allowed(lambda: access.access_report_placement(bob, placement.pk))
    remove_team_member(team=platform, user=alice, by=ada)
    assert not allowed(lambda: access.access_placement(bob, placement.pk))
    assert not allowed(lambda: access.access_report_placement(bob, placement.pk))

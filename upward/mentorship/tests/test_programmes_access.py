"""Who reads a programme (its organization's members), who runs it and sees its proposal
(its admins), as matrices; everyone else gets 404."""

from __future__ import annotations

from datetime import date

import pytest

from upward.accounts.models import Organization, User
from upward.mentorship.access import access_pair, access_programme, may_run_programmes
from upward.mentorship.models import Pair, Programme
from upward.testing import allowed


@pytest.fixture
def programme(acme: Organization, ada: User) -> Programme:
    return Programme.objects.create(
        organization=acme, name="Spring", starts_on=date(2027, 1, 1), ends_on=date(2027, 4, 1)
    )


@pytest.fixture
def pair(programme: Programme, alice: User, maya: User) -> Pair:
    return Pair.objects.create(programme=programme, mentee=alice, mentor=maya, score=1.5)


@pytest.mark.parametrize(
    ("who", "reads", "runs"),
    [
        ("alice", True, False),
        ("bob", True, False),
        ("maya", True, False),
        ("ada", True, True),
        ("eve", False, False),
        ("anonymous", False, False),
    ],
)
def test_members_read_a_programme_and_only_its_admins_run_it(
    people: dict[str, User], programme: Programme, pair: Pair, who: str, reads: bool, runs: bool
) -> None:
    user = people[who]
    assert allowed(lambda: access_programme(user, programme.pk)) == reads
    assert allowed(lambda: access_programme(user, programme.pk, admin=True)) == runs
    assert allowed(lambda: access_pair(user, pair.pk)) == runs
    assert may_run_programmes(user, programme.organization) == runs


def test_an_admin_of_another_organization_runs_nothing_here(
    eve: User, programme: Programme, pair: Pair
) -> None:
    assert not allowed(lambda: access_programme(eve, programme.pk, admin=True))
    assert not allowed(lambda: access_pair(eve, pair.pk))


def test_a_missing_programme_answers_like_a_forbidden_one(ada: User) -> None:
    assert not allowed(lambda: access_programme(ada, 999_999))
    assert not allowed(lambda: access_pair(ada, 999_999))

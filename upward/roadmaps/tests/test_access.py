"""Who may see and change objectives, milestones and templates: matrices, 404 for the rest.

Alice owns the objectives. Bob is her manager, Maya her mentor (through a stand-in
provider), Sam a peer in Acme, Ada Acme's admin, Eve an admin of another
organization, and a visitor is not signed in.
"""

from __future__ import annotations

from functools import partial

import pytest

from upward.accounts.models import Membership, Role
from upward.accounts.services import remove_member
from upward.accounts.tests.factories import MembershipFactory
from upward.roadmaps import access, services
from upward.roadmaps.models import TemplateStatus
from upward.roadmaps.selectors import calendar_feed
from upward.roadmaps.tests.factories import MilestoneFactory, ObjectiveFactory, TemplateFactory
from upward.testing import allowed, make_user

TIERS = ["private", "mentors", "manager", "organization", "public"]
# Who reads an objective at each tier (Alice, the owner, reads and writes every one).
READERS = {
    "private": {"alice"},
    "mentors": {"alice", "maya"},
    "manager": {"alice", "maya", "bob"},
    "organization": {"alice", "maya", "bob", "sam", "ada"},
    "public": {"alice", "maya", "bob", "sam", "ada"},  # public never reaches other orgs
}
WHO = ["alice", "bob", "maya", "sam", "ada", "eve", "anonymous"]


@pytest.fixture
def everyone(people, acme, mentoring):
    sam = make_user("sam@acme.test", "Sam")
    MembershipFactory(organization=acme, user=sam, role=Role.MEMBER)
    return {**people, "sam": sam}


@pytest.fixture
def objectives(placement):
    return {tier: ObjectiveFactory.create(placement=placement, visibility=tier) for tier in TIERS}


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_objective_matrix(everyone, objectives, tier, who, write):
    expected = who == "alice" if write else who in READERS[tier]
    objective = objectives[tier]
    result = allowed(lambda: access.access_objective(everyone[who], objective.pk, write=write))
    assert result is expected


@pytest.mark.parametrize("tier", ["private", "manager"])
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_milestone_matrix_follows_its_objective(everyone, objectives, tier, who, write):
    expected = who == "alice" if write else who in READERS[tier]
    milestone = MilestoneFactory.create(objective=objectives[tier])
    result = allowed(lambda: access.access_milestone(everyone[who], milestone.pk, write=write))
    assert result is expected


def test_a_missing_objective_is_404_like_a_forbidden_one(everyone):
    assert not allowed(lambda: access.access_objective(everyone["alice"], 999_999))
    assert not allowed(lambda: access.access_milestone(everyone["alice"], 999_999))


def test_a_manager_who_stops_leading_the_team_stops_reading(everyone, objectives, platform):
    platform.manager = None
    platform.save(update_fields=["manager"])
    bob = everyone["bob"]
    assert not allowed(lambda: access.access_objective(bob, objectives["manager"].pk))
    assert allowed(lambda: access.access_objective(bob, objectives["organization"].pk))


@pytest.mark.parametrize("leaves", [False, True], ids=["removed", "left"])
def test_leaving_the_organization_ends_access_to_ones_own_objectives(
    everyone, objectives, ada, leaves
):
    alice = everyone["alice"]
    membership = Membership.objects.get(organization__slug="acme", user=alice)
    remove_member(membership=membership, by=alice if leaves else ada)
    for objective in objectives.values():
        for write in (False, True):
            assert not allowed(partial(access.access_objective, alice, objective.pk, write=write))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", True),
        ("bob", True),
        ("maya", False),
        ("sam", False),
        ("ada", False),
        ("eve", False),
        ("anonymous", False),
    ],
)
def test_report_roadmap_matrix(everyone, placement, who, expected):
    assert allowed(lambda: access.access_report_roadmap(everyone[who], placement.pk)) is expected


# --- Templates -----------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    user = make_user("staff@upward.test", "Staff")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def org_template(acme, author, status):
    return TemplateFactory.create(organization=acme, author=author, author_name="x", status=status)


TEMPLATE_CASES = [
    # (template, who, read, write)
    ("library", "alice", True, False),
    ("library", "eve", True, False),
    ("library", "staff", True, True),
    ("library", "ada", True, False),
    ("library", "anonymous", False, False),
    ("published", "alice", True, False),
    ("published", "bob", True, False),  # the author: published templates change no more
    ("published", "ada", True, True),
    ("published", "eve", False, False),
    ("published", "staff", False, False),
    ("draft", "bob", True, True),
    ("draft", "ada", True, True),
    ("draft", "alice", False, False),
    ("draft", "eve", False, False),
    ("in_review", "bob", True, False),
    ("in_review", "ada", True, True),
    ("in_review", "alice", False, False),
    ("archived", "alice", False, False),
    ("archived", "ada", True, True),
]


@pytest.mark.parametrize(("kind", "who", "read", "write"), TEMPLATE_CASES)
def test_template_matrix(everyone, staff, acme, kind, who, read, write):
    people = {**everyone, "staff": staff}
    if kind == "library":
        template = TemplateFactory.create()
    elif kind == "published":
        template = org_template(acme, people["bob"], TemplateStatus.PUBLISHED)
    else:
        template = org_template(acme, people["bob"], kind)
    user = people[who]
    assert allowed(lambda: access.access_template(user, template.pk)) is read
    assert allowed(lambda: access.access_template(user, template.pk, write=True)) is write


def test_an_author_who_left_no_longer_reads_their_draft(everyone, acme, ada):
    bob = everyone["bob"]
    template = org_template(acme, bob, TemplateStatus.DRAFT)
    remove_member(membership=Membership.objects.get(organization=acme, user=bob), by=ada)
    assert not allowed(lambda: access.access_template(bob, template.pk))


@pytest.mark.parametrize(
    ("who", "organization", "author", "curate"),
    [
        ("ada", "acme", True, True),
        ("bob", "acme", True, False),
        ("maya", "acme", True, False),
        ("alice", "acme", False, False),
        ("eve", "acme", False, False),
        ("staff", None, True, True),
        ("ada", None, False, False),
        ("anonymous", None, False, False),
    ],
)
def test_who_writes_and_who_curates_templates(
    everyone, staff, acme, who, organization, author, curate
):
    user = {**everyone, "staff": staff}[who]
    org = acme if organization else None
    assert access.may_author(user, org) is author
    assert access.may_curate(user, org) is curate


def test_a_calendar_secret_is_the_only_way_to_a_feed(alice):
    raw = services.create_calendar_feed(user=alice)
    feed = calendar_feed(raw)
    assert feed is not None
    assert feed.user == alice
    assert calendar_feed(raw[:-1] + "x") is None
    assert calendar_feed("") is None
    services.revoke_calendar_feed(user=alice)
    assert calendar_feed(raw) is None

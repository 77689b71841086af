"""Every API list costs the same number of queries however long it gets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from upward.accounts import services as accounts
from upward.accounts.models import Membership
from upward.assessments import services as assessments
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.testing import make_user


@pytest.fixture
def world(ada, alice, acme, maya):
    version = frameworks.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    frameworks.publish_version(version=version, by=ada)
    return {"version": version}


def _grow_placements(world, alice, acme, **_):
    for level in ("l1", "l2", "l1", "l2", "l1"):
        assessments.place(
            user=alice, organization=acme, version=world["version"], track="ic", current_level=level
        )


def _grow_requests(world, alice, acme, **_):
    placement = assessments.place(
        user=alice, organization=acme, version=world["version"], track="ic", current_level="l1"
    )
    for i in range(5):
        assessments.request_feedback(
            placement=placement, relationship="peer", competencies=[], email=f"p{i}@x.test"
        )


def _grow_incoming(world, maya, acme, **_):
    for i in range(5):
        person = make_user(f"asker{i}@acme.test")
        Membership.objects.create(organization=acme, user=person)
        placement = assessments.place(
            user=person,
            organization=acme,
            version=world["version"],
            track="ic",
            current_level="l1",
        )
        assessments.request_feedback(
            placement=placement, relationship="mentor", competencies=[], rater=maya
        )


def _grow_teams(ada, acme, **_):
    for i in range(5):
        accounts.create_team(organization=acme, name=f"Team {i}", manager=None, by=ada)


def _grow_invitations(ada, acme, **_):
    for i in range(5):
        accounts.invite_member(organization=acme, email=f"new{i}@acme.test", role="member", by=ada)


def _grow_organizations(alice, **_):
    for i in range(5):
        accounts.create_organization(name=f"Side project {i}", by=alice)


def _grow_tokens(alice, **_):
    for i in range(5):
        accounts.create_api_token(user=alice, name=f"t{i}", scope="read", days=5)


CASES = [
    ("alice", "/api/v1/placements", _grow_placements),
    ("alice", "/api/v1/feedback-requests", _grow_requests),
    ("maya", "/api/v1/feedback-requests/incoming", _grow_incoming),
    ("ada", "/api/v1/orgs/acme/teams", _grow_teams),
    ("ada", "/api/v1/orgs/acme/invitations", _grow_invitations),
    ("ada", "/api/v1/orgs/acme/audit", _grow_teams),
    ("alice", "/api/v1/tokens", _grow_tokens),
    ("alice", "/api/v1/orgs", _grow_organizations),
]


@pytest.mark.parametrize(("who", "url", "grow"), CASES)
def test_api_lists_have_a_fixed_query_budget(world, people, acme, who, url, grow):
    client = Client()
    client.force_login(people[who])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.content
        return len(queries), response.json()["count"]

    before, rows_before = count()
    grow(world=world, acme=acme, **{k: v for k, v in people.items() if k != "anonymous"})
    after, rows_after = count()
    assert rows_after > rows_before, "the list must actually have grown"
    assert after == before

"""Who may read and change frameworks and versions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from conftest import make_user
from upward.frameworks import access, services
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document


@pytest.fixture
def staff(db):
    user = make_user("staff@upward.test")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def people(alice, bob, maya, ada, eve, staff):
    return {
        "alice": alice,
        "bob": bob,
        "maya": maya,
        "ada": ada,
        "eve": eve,
        "staff": staff,
        "anonymous": AnonymousUser(),
    }


def _version(organization, by, publish=True):
    version = services.create_version(
        document=validate_document(small_document()), organization=organization, by=by
    )
    return services.publish_version(version=version, by=by) if publish else version


def allowed(call) -> bool:
    try:
        call()
    except Http404:
        return False
    return True


READERS = {
    "alice": True,
    "bob": True,
    "maya": True,
    "ada": True,
    "eve": False,
    "staff": False,
    "anonymous": False,
}
WRITERS = {
    "alice": False,
    "bob": False,
    "maya": False,
    "ada": True,
    "eve": False,
    "staff": False,
    "anonymous": False,
}


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("write", [False, True])
def test_organization_framework_matrix(people, acme, who, write):
    framework = _version(acme, people["ada"]).framework
    expected = (WRITERS if write else READERS)[who]
    assert (
        allowed(lambda: access.access_framework(people[who], framework.pk, write=write)) is expected
    )


@pytest.mark.parametrize(
    ("who", "write", "expected"),
    [
        ("alice", False, True),
        ("eve", False, True),
        ("anonymous", False, False),
        ("ada", True, False),
        ("eve", True, False),
        ("staff", True, True),
    ],
)
def test_library_framework_matrix(people, who, write, expected):
    framework = _version(None, None).framework
    assert (
        allowed(lambda: access.access_framework(people[who], framework.pk, write=write)) is expected
    )


@pytest.mark.parametrize("who", READERS)
def test_drafts_are_seen_only_by_those_who_may_change_them(people, acme, who):
    draft = _version(acme, people["ada"], publish=False)
    result = allowed(lambda: access.access_version(people[who], draft.framework_id, draft.number))
    assert result is WRITERS[who]


@pytest.mark.parametrize("who", READERS)
def test_published_versions_are_seen_by_every_reader(people, acme, who):
    version = _version(acme, people["ada"])
    result = allowed(lambda: access.access_version(people[who], version.framework_id, 1))
    assert result is READERS[who]


@pytest.mark.parametrize("who", ["alice", "ada", "eve"])
def test_a_personal_framework_is_its_persons_alone(people, who):
    alice = people["alice"]
    personal = alice.memberships.get(organization__is_personal=True).organization
    framework = _version(personal, alice).framework
    assert allowed(lambda: access.access_framework(people[who], framework.pk)) is (who == "alice")

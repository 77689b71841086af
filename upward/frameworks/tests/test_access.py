"""Who may read and change frameworks and versions."""

from __future__ import annotations

import pytest

from upward.accounts.models import Membership, Role
from upward.accounts.services import remove_member
from upward.frameworks import access, services
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document
from upward.testing import allowed, make_user


@pytest.fixture
def staff(db):
    user = make_user("staff@upward.test")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def everyone(people, staff):
    return {**people, "staff": staff}


def _version(organization, by, publish=True):
    version = services.create_version(
        document=validate_document(small_document()), organization=organization, by=by
    )
    return services.publish_version(version=version, by=by) if publish else version


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
def test_organization_framework_matrix(everyone, acme, who, write):
    framework = _version(acme, everyone["ada"]).framework
    expected = (WRITERS if write else READERS)[who]
    assert (
        allowed(lambda: access.access_framework(everyone[who], framework.pk, write=write))
        is expected
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
def test_library_framework_matrix(everyone, who, write, expected):
    framework = _version(None, None).framework
    assert (
        allowed(lambda: access.access_framework(everyone[who], framework.pk, write=write))
        is expected
    )


@pytest.mark.parametrize("who", READERS)
def test_drafts_are_seen_only_by_those_who_may_change_them(everyone, acme, who):
    draft = _version(acme, everyone["ada"], publish=False)
    result = allowed(lambda: access.access_version(everyone[who], draft.framework_id, draft.number))
    assert result is WRITERS[who]


@pytest.mark.parametrize("who", READERS)
def test_published_versions_are_seen_by_every_reader(everyone, acme, who):
    version = _version(acme, everyone["ada"])
    result = allowed(lambda: access.access_version(everyone[who], version.framework_id, 1))
    assert result is READERS[who]


@pytest.mark.parametrize("who", ["alice", "ada", "eve"])
def test_a_personal_framework_is_its_persons_alone(everyone, who):
    alice = everyone["alice"]
    personal = alice.memberships.get(organization__is_personal=True).organization
    framework = _version(personal, alice).framework
    assert allowed(lambda: access.access_framework(everyone[who], framework.pk)) is (who == "alice")


@pytest.mark.parametrize("leaves", [False, True], ids=["removed", "left"])
@pytest.mark.parametrize(
    "reach", ["framework", "framework-write", "version", "version-write", "draft", "change"]
)
def test_a_removed_admin_reaches_no_framework_of_the_organization(everyone, acme, reach, leaves):
    bob, ada = everyone["bob"], everyone["ada"]
    Membership.objects.filter(organization=acme, user=bob).update(role=Role.ADMIN)
    published = _version(acme, ada)
    framework = published.framework
    draft = services.start_draft(framework=framework, by=ada)
    calls = {
        "framework": lambda: access.access_framework(bob, framework.pk),
        "framework-write": lambda: access.access_framework(bob, framework.pk, write=True),
        "version": lambda: access.access_version(bob, framework.pk, published.number),
        "version-write": lambda: access.access_version(bob, framework.pk, draft.number, write=True),
        "draft": lambda: access.access_version(bob, framework.pk, draft.number),
        "change": lambda: _refuse_unless(access.can_change(bob, framework)),
    }
    assert allowed(calls[reach])
    bobs = Membership.objects.get(organization=acme, user=bob)
    remove_member(membership=bobs, by=bob if leaves else ada)
    assert not allowed(calls[reach])
    assert framework.pk not in access.changeable_ids(bob, [framework])


def _refuse_unless(ok: bool) -> None:
    from django.http import Http404

    if not ok:
        raise Http404

"""Framework storage: drafts, publishing, immutability, the built-in library."""

from __future__ import annotations

import copy

import pytest
import yaml

from upward.core.errors import Conflict, Invalid
from upward.core.models import AuditEvent
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion, Owner, VersionStatus
from upward.frameworks.selectors import document_of
from upward.frameworks.tests.factories import small_document


def _draft(org, by, **changes):
    return services.create_version(
        document=validate_document(small_document(**changes)), organization=org, by=by
    )


def test_a_new_document_becomes_a_draft_owned_by_the_organization(acme, ada):
    version = _draft(acme, ada)
    assert version.status == VersionStatus.DRAFT
    assert version.number == 1
    assert version.framework.owner == Owner.ORGANIZATION
    assert version.content_hash == document_of(version).content_hash()
    assert AuditEvent.objects.filter(code="framework.draft.created", organization=acme).exists()


def test_a_personal_framework_is_owned_by_the_person(alice):
    personal = alice.memberships.get(organization__is_personal=True).organization
    assert _draft(personal, alice).framework.owner == Owner.PERSON


def test_publishing_freezes_the_draft_and_archives_the_previous_version(acme, ada):
    first = services.publish_version(version=_draft(acme, ada), by=ada)
    second = services.start_draft(framework=first.framework, by=ada)
    assert second.number == 2
    assert second.document == first.document
    services.publish_version(version=second, by=ada)
    first.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.ARCHIVED, VersionStatus.PUBLISHED)
    codes = list(AuditEvent.objects.filter(organization=acme).values_list("code", flat=True))
    assert codes.count("framework.version.published") == 2


def test_a_published_version_cannot_be_edited(acme, ada):
    version = services.publish_version(version=_draft(acme, ada), by=ada)
    with pytest.raises(Conflict, match="never change"):
        services.update_draft(version=version, data=small_document(name="Changed"), by=ada)
    version.refresh_from_db()
    assert version.document["name"] == "Tiny Ladder"


def test_a_framework_has_at_most_one_draft(acme, ada):
    _draft(acme, ada)
    with pytest.raises(Conflict, match="already has a draft"):
        _draft(acme, ada)
    assert FrameworkVersion.objects.count() == 1


def test_editing_a_draft_validates_the_whole_document(acme, ada):
    version = _draft(acme, ada)
    bad = copy.deepcopy(version.document)
    bad["competencies"][0]["area"] = "nowhere"
    with pytest.raises(Invalid) as raised:
        services.update_draft(version=version, data=bad, by=ada)
    assert "competencies[0].area" in raised.value.message
    assert "nowhere" in raised.value.message
    version.refresh_from_db()
    assert version.document["competencies"][0]["area"] == "delivery"


def test_editing_a_draft_changes_its_hash(acme, ada):
    version = _draft(acme, ada)
    before = version.content_hash
    services.update_draft(version=version, data=small_document(name="Renamed"), by=ada)
    assert version.content_hash != before
    assert document_of(version).name == "Renamed"


def test_the_key_of_a_framework_cannot_change(acme, ada):
    version = _draft(acme, ada)
    with pytest.raises(Invalid) as raised:
        services.update_draft(version=version, data=small_document(key="other"), by=ada)
    assert raised.value.field == "document.key"


def test_discarding_the_only_draft_removes_the_framework(acme, ada):
    version = _draft(acme, ada)
    services.discard_draft(version=version, by=ada)
    assert not Framework.objects.exists()


def test_the_library_loads_once_and_republishes_only_what_changed(db, tmp_path):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(small_document()))
    assert len(services.load_library(directory=tmp_path)) == 1
    assert services.load_library(directory=tmp_path) == []
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(small_document(name="Tiny Ladder 2")))
    [again] = services.load_library(directory=tmp_path)
    assert again.number == 2
    framework = Framework.objects.get(organization=None, key="tiny")
    assert framework.owner == Owner.LIBRARY
    assert framework.name == "Tiny Ladder 2"


def test_a_broken_library_file_stops_the_load_with_its_problem(db, tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(small_document(key="a")))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(small_document(key="b", tracks=[])))
    with pytest.raises(Invalid, match="no tracks"):
        services.load_library(directory=tmp_path)
    assert not Framework.objects.exists()  # all or nothing

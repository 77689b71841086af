"""Importing a record: into a new personal space, frameworks by content hash, all or nothing,
errors naming the JSON path; and the round trip export -> delete -> import -> export."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from upward.accounts.models import Organization
from upward.assessments.models import Signal
from upward.assessments.selectors import delta_for
from upward.core.errors import Invalid
from upward.core.models import AuditEvent
from upward.evidence.models import Entry, Post
from upward.evidence.selectors.record import export_record
from upward.evidence.services.record import delete_account, import_record, read_record_file
from upward.evidence.tests.test_record_export import SCHEMA, World, build_world, schema_errors
from upward.frameworks.models import FrameworkVersion
from upward.testing import client_for, make_user

VOLATILE = {"exported_at", "created_at", "joined_at", "organization", "started_at", "done_at"}


def stable(value: Any) -> Any:
    """A record without what an import can't keep: times of writing, organization names."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def world(acme, ada, alice, bob, maya, django_capture_on_commit_callbacks) -> World:
    return build_world(acme, ada, alice, bob, maya, django_capture_on_commit_callbacks)


# The round trip ------------------------------------------------------------------------


def test_a_record_survives_export_deletion_and_import_into_a_new_account(world):
    before = export_record(world.alice)
    delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    again = make_user("alice@acme.test", "Alice")
    org = import_record(user=again, data=json.loads(json.dumps(before)))
    after = export_record(again)
    assert schema_errors(after, SCHEMA) == []
    for part in ("frameworks", "placements", "ratings_received", "roadmap", "evidence", "packets"):
        assert stable(after[part]) == stable(before[part]), part
    # Only her own posts come along; others' replies have no author here.
    assert [p["body"] for p in after["threads"][0]["posts"]] == ["Week one: spikes"]
    assert org.is_personal
    assert org.name == "Alice's imported record"


def test_an_imported_record_gives_the_same_delta(world):
    before = delta_for(world.placement)
    data = export_record(world.alice)
    someone = make_user("zed@example.test", "Zed")
    org = import_record(user=someone, data=data)
    placement = someone.placements.get(organization=org)
    after = delta_for(placement)
    mine = [(c.key, c.demonstrated, c.operating) for c in after.delta.competencies]
    theirs = [(c.key, c.demonstrated, c.operating) for c in before.delta.competencies]
    # The anonymous batch stays behind: compare the attributed part.
    assert mine[1:] == theirs[1:]
    assert mine[0][0] == "shipping"


def test_a_framework_known_by_its_hash_is_reused_from_the_library(world):
    library = FrameworkVersion.objects.get(pk=world.version.pk)
    library.framework.organization = None
    library.framework.owner = "library"
    library.framework.save(update_fields=["organization", "owner"])
    someone = make_user("zed@example.test", "Zed")
    org = import_record(user=someone, data=export_record(world.alice))
    assert someone.placements.get(organization=org).version_id == world.version.pk
    assert not FrameworkVersion.objects.filter(framework__organization=org).exists()


def test_an_unknown_framework_is_created_in_the_new_space_with_the_same_hash(world):
    someone = make_user("zed@example.test", "Zed")
    org = import_record(user=someone, data=export_record(world.alice))
    version = FrameworkVersion.objects.get(framework__organization=org)
    assert version.content_hash == world.version.content_hash
    assert version.status == "published"


def test_imported_raters_keep_their_names_and_count_as_one_voice_each(world):
    someone = make_user("zed@example.test", "Zed")
    org = import_record(user=someone, data=export_record(world.alice))
    keys = set(Signal.objects.filter(organization=org).values_list("source_key", flat=True))
    assert {"name:Bob", "name:Maya", f"user:{someone.pk}"} <= keys
    entry = Entry.objects.get(organization=org)
    assert f"evidence:{entry.pk}" in keys
    assert not any(k.startswith("anon:") for k in keys)


# Bad imports write nothing ---------------------------------------------------------------


def refused(user: Any, data: Any, field: str) -> Invalid:
    before = counts()
    with pytest.raises(Invalid) as caught:
        import_record(user=user, data=data)
    assert caught.value.field == field, caught.value.message
    assert counts() == before
    return caught.value


def test_a_newer_schema_version_is_refused_naming_the_version_read_here(world):
    data = export_record(world.alice)
    data["schema_version"] = 2
    error = refused(world.alice, data, "schema_version")
    assert "reads schema version 1" in error.message


def test_a_changed_framework_document_is_refused_by_its_hash(world):
    data = export_record(world.alice)
    data["frameworks"][0]["document"]["name"] = "Tampered"
    refused(world.alice, data, "frameworks[0].content_hash")


def test_an_unknown_competency_key_is_refused_naming_its_path(world):
    data = export_record(world.alice)
    data["ratings_received"][1]["competency"] = "juggling"
    error = refused(world.alice, data, "ratings_received[1].competency")
    assert "juggling" in error.message


def test_an_unknown_step_deep_in_an_entry_is_refused_naming_its_path(world):
    data = export_record(world.alice)
    data["evidence"][0]["competencies"][0]["step"] = "l9"
    refused(world.alice, data, "evidence[0].competencies[0].step")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["placements"][0].update(framework="0" * 64), "placements[0].framework"),
        (lambda d: d["placements"][0].update(track="nope"), "placements[0].track"),
        (lambda d: d["roadmap"][0].update(title=""), "roadmap[0].title"),
        (lambda d: d["roadmap"][0].update(due_on="soon"), "roadmap[0].due_on"),
        (lambda d: d["evidence"][0].update(placement="placement-9"), "evidence[0].placement"),
        (lambda d: d["threads"][0].update(visibility="world"), "threads[0].visibility"),
        (
            lambda d: d["packets"][0]["choices"].update(entries=["entry-7"]),
            "packets[0].choices.entries[0]",
        ),
        (lambda d: d.update(roadmap={}), "roadmap"),
        (
            lambda d: d["evidence"][0].update(links=[{"url": "javascript:alert(1)"}]),
            "evidence[0].links[0].url",
        ),
        (
            lambda d: d["roadmap"][0].update(completion_link="data:text/html,x"),
            "roadmap[0].completion_link",
        ),
    ],
)
def test_a_malformed_field_is_refused_naming_its_path(world, change, field):
    data = copy.deepcopy(export_record(world.alice))
    change(data)
    refused(world.alice, data, field)


def test_something_that_is_not_a_record_is_refused(db):
    refused(make_user("zed@example.test"), [1, 2], "record")
    with pytest.raises(Invalid) as caught:
        read_record_file(b"{not json")
    assert caught.value.field == "record"


def test_a_failure_late_in_the_import_leaves_no_personal_space(world):
    data = export_record(world.alice)
    data["packets"][0]["placement"] = "placement-5"
    spaces = Organization.objects.count()
    refused(world.alice, data, "packets[0].placement")
    assert Organization.objects.count() == spaces


def test_the_import_is_audited_with_counts(world):
    someone = make_user("zed@example.test", "Zed")
    org = import_record(user=someone, data=export_record(world.alice))
    event = AuditEvent.objects.get(code="evidence.record.imported")
    assert event.organization_id == org.pk
    assert event.data["entries"] == 1


# Page and API --------------------------------------------------------------------------


def upload(data: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile("record.json", json.dumps(data).encode(), "application/json")


def test_the_page_imports_an_uploaded_record(world):
    someone = make_user("zed@example.test", "Zed")
    response = client_for(someone).post(
        "/account/data/import/", {"record": upload(export_record(world.alice))}
    )
    assert response.status_code == 302
    assert someone.placements.count() == 1
    assert Post.objects.filter(author=someone).count() == 1


def test_the_page_shows_an_import_error_in_place(world):
    data = export_record(world.alice)
    data["schema_version"] = 7
    response = client_for(world.alice).post("/account/data/import/", {"record": upload(data)})
    assert response.status_code == 422
    assert "reads schema version 1" in response.content.decode()


def test_the_api_imports_an_uploaded_record(world):
    someone = make_user("zed@example.test", "Zed")
    file = io.BytesIO(json.dumps(export_record(world.alice)).encode())
    file.name = "record.json"
    response = client_for(someone).post("/api/v1/me/record/import", {"record": file})
    assert response.status_code == 201, response.content
    assert (
        response.json()["slug"]
        == Organization.objects.get(is_personal=True, name__contains="imported").slug
    )


def test_the_api_names_the_path_of_a_bad_field(world):
    data = export_record(world.alice)
    data["frameworks"][0]["document"]["name"] = "Tampered"
    file = io.BytesIO(json.dumps(data).encode())
    file.name = "record.json"
    response = client_for(world.alice).post("/api/v1/me/record/import", {"record": file})
    assert response.status_code == 422
    paths = [f["path"] for f in response.json()["error"]["fields"]]
    assert paths == ["body.frameworks[0].content_hash"]


def test_an_upload_past_the_limit_is_refused_unread(world, monkeypatch):
    from upward.core.uploads import LimitedUploadHandler

    monkeypatch.setattr(LimitedUploadHandler, "limit", 1000)
    client = client_for(world.alice)
    before = counts()
    response = client.post("/account/data/import/", {"record": upload(export_record(world.alice))})
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert counts() == before


def test_a_record_made_through_the_evidence_services_round_trips(
    world, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from upward.evidence.services.entries import confirm_entry, create_entry
    from upward.evidence.services.packets import create_packet
    from upward.evidence.services.threads import open_thread, post_update, reply

    alice, bob = world.alice, world.bob
    with django_capture_on_commit_callbacks(execute=True):
        entry = create_entry(
            owner=alice,
            placement=world.placement,
            title="Led the incident review",
            happened_on=timezone.localdate(),
            competencies=[{"competency": "reviews", "step": "l2"}],
            impact="Halved repeat incidents",
        )
        confirm_entry(entry=entry, by=bob, relation="manager", steps={"reviews": "l2"})
        thread = open_thread(
            owner=alice, organization=world.placement.organization, title="On call"
        )
        post_update(thread=thread, by=alice, body="First week on call")
        reply(thread=thread, by=bob, body="Nice start")
        create_packet(
            owner=alice, placement=world.placement, title="For l2", choices={"entries": [entry.pk]}
        )
    before = export_record(alice)
    someone = make_user("zed@example.test", "Zed")
    import_record(user=someone, data=before)
    after = export_record(someone)
    for part in ("evidence", "packets", "roadmap"):
        assert stable(after[part]) == stable(before[part]), part
    imported = [t for t in after["threads"] if t["title"] == "On call"]
    assert [p["body"] for p in imported[0]["posts"]] == ["First week on call"]

"""The person's record: what the export holds, that it follows the published schema, that
anonymous feedback appears only as released aggregates, the zip, the page and the API.

`world` builds Alice's record in Acme: ratings (her own, Bob's, three anonymous peers'),
Maya's written answer, an objective, an entry Bob confirmed, a thread with Bob's reply,
a packet; and what she gave others: a rating and answer for Bob, a confirmation of his
entry, a reply on his thread. The import and deletion tests use it too.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.accounts.models import Role, User
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments import services as assessments
from upward.assessments.models import Placement, Signal
from upward.assessments.services import Rating
from upward.evidence.models import (
    Confirmation,
    Entry,
    EntrySignal,
    Packet,
    Post,
    Thread,
)
from upward.evidence.selectors.record import export_record, record_zip
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.roadmaps import services as roadmaps
from upward.roadmaps.models import Objective
from upward.roadmaps.services import MilestoneIn, StakeholderIn
from upward.testing import client_for, make_user, page

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs/record.schema.json").read_text())


# A small JSON Schema check (the keywords docs/record.schema.json uses) ------------------

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "null": type(None),
}


def schema_errors(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Where `value` breaks `schema` (draft 2020-12 keywords: $ref, type, const, enum,
    pattern, minimum, minItems, properties, required, additionalProperties, items)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return schema_errors(value, SCHEMA["$defs"][name], path)
    errors = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        fits = [
            k
            for k in kinds
            if isinstance(value, TYPES[k]) and not (k == "integer" and isinstance(value, bool))
        ]
        if not fits:
            return [f"{path}: {value!r} is not {kinds}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, str) and schema.get("format") == "date":
        date.fromisoformat(value)
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: {value} < {schema['minimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                errors += schema_errors(item, props[key], f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected {key}")
            elif isinstance(extra, dict):
                errors += schema_errors(item, extra, f"{path}.{key}")
    return errors


def test_the_schema_check_catches_a_wrong_record():
    assert schema_errors({"schema_version": 2, "oops": 1}, SCHEMA)


# Alice's world ------------------------------------------------------------------------


@dataclass
class World:
    alice: User
    bob: User
    maya: User
    peers: list[User]
    placement: Placement
    version: FrameworkVersion
    entry: Entry
    objective: Objective


def add_entry(
    owner: User, placement: Placement, title: str, *, confirmer: User | None = None, **fields: Any
) -> Entry:
    """An entry and the signals it writes, as docs/delta-policy.md and the contract say:
    the claim keyed by the entry, a confirmation keyed by its confirmer."""
    happened = timezone.localdate() - timedelta(days=10)
    entry = Entry.objects.create(
        owner=owner,
        organization=placement.organization,
        placement=placement,
        title=title,
        happened_on=happened,
        competencies=[{"competency": "shipping", "step": "l2"}],
        **fields,
    )
    claim = Signal.objects.create(
        subject=owner,
        organization=placement.organization,
        version=placement.version,
        competency="shipping",
        step="l2",
        source="evidence",
        rater=owner,
        source_key=f"evidence:{entry.pk}",
        observed_on=happened,
    )
    EntrySignal.objects.create(entry=entry, signal=claim)
    if confirmer is not None:
        confirmation = Confirmation.objects.create(
            entry=entry, by=confirmer, relation="manager", steps={"shipping": "l2"}, note="Seen it"
        )
        said = Signal.objects.create(
            subject=owner,
            organization=placement.organization,
            version=placement.version,
            competency="shipping",
            step="l2",
            source="evidence",
            rater=confirmer,
            source_key=f"user:{confirmer.pk}",
            observed_on=happened,
        )
        EntrySignal.objects.create(entry=entry, confirmation=confirmation, signal=said)
    return entry


def ask_and_answer(placement: Placement, rater: User, *, anonymous: bool, **answer: Any) -> None:
    request = assessments.request_feedback(
        placement=placement,
        relationship="peer",
        competencies=["shipping", "reviews"],
        rater=rater,
        anonymous=anonymous,
    )
    assessments.respond(
        feedback_request=request,
        ratings=[Rating("shipping", answer.pop("step", "l2"), comment=answer.pop("comment", ""))],
        by=rater,
        **answer,
    )


def build_world(acme: Any, ada: User, alice: User, bob: User, maya: User, capture: Any) -> World:
    """Alice's record in Acme (see the module's docstring); `capture` runs on-commit work."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    version = framework_services.publish_version(
        version=framework_services.create_version(
            document=validate_document(small_document()), organization=acme, by=ada
        ),
        by=ada,
    )
    placement = assessments.place(
        user=alice, organization=acme, version=version, track="ic", current_level="l1"
    )
    bobs = assessments.place(
        user=bob, organization=acme, version=version, track="ic", current_level="l2"
    )
    peers = []
    for n in range(3):
        peer = make_user(f"peer{n}@acme.test", f"Peer {n}")
        MembershipFactory(organization=acme, user=peer, role=Role.MEMBER)
        peers.append(peer)
    with capture(execute=True):
        assessments.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
        assessments.rate_as_manager(
            placement=placement,
            manager=bob,
            ratings=[Rating("shipping", "l1", comment="Ships steadily")],
        )
        for peer in peers:
            ask_and_answer(placement, peer, anonymous=True, step="l3", consistent_at="quiet peer")
        ask_and_answer(
            placement, maya, anonymous=False, consistent_at="Clear plans", biggest_gap="Reviews"
        )
        ask_and_answer(
            bobs, alice, anonymous=False, comment="Bob unblocks us", consistent_at="Bob leads"
        )
    objective = roadmaps.create_objective(
        owner=alice,
        placement=placement,
        title="Lead the billing export release with the Payments team by the end of the quarter",
        competencies=["shipping"],
        due_on=timezone.localdate() + timedelta(days=40),
        milestones=[MilestoneIn(title="Plan reviewed", due_on=None)],
        stakeholders=[StakeholderIn(name="Payments lead", email="pay@acme.test")],
    )
    entry = add_entry(
        alice,
        placement,
        "Shipped the export",
        confirmer=bob,
        objective=objective,
        links=[{"url": "https://example.test/pull/1", "label": "The pull request"}],
        vouchers=["Pat from Payments"],
    )
    bobs_entry = add_entry(bob, bobs, "Bob's migration")
    Confirmation.objects.create(
        entry=bobs_entry, by=alice, relation="peer", steps={"shipping": "l3"}, note="Great work"
    )
    EntrySignal.objects.create(
        entry=bobs_entry,
        confirmation=Confirmation.objects.get(entry=bobs_entry, by=alice),
        signal=Signal.objects.create(
            subject=bob,
            organization=acme,
            version=version,
            competency="shipping",
            step="l3",
            source="evidence",
            rater=alice,
            source_key=f"user:{alice.pk}",
            observed_on=bobs_entry.happened_on,
        ),
    )
    thread = Thread.objects.create(
        owner=alice,
        organization=acme,
        title="Learning to estimate",
        last_activity_at=timezone.now(),
    )
    Post.objects.create(thread=thread, author=alice, is_update=True, body="Week one: spikes")
    Post.objects.create(thread=thread, author=bob, body="Try reference classes")
    bobs_thread = Thread.objects.create(
        owner=bob, organization=acme, title="Bob's thread", last_activity_at=timezone.now()
    )
    Post.objects.create(thread=bobs_thread, author=bob, is_update=True, body="Migrating")
    Post.objects.create(thread=bobs_thread, author=alice, body="Cheering you on")
    Packet.objects.create(
        owner=alice,
        organization=acme,
        placement=placement,
        title="Case for l2",
        summary="Ready",
        choices={"entries": [entry.pk], "objectives": [objective.pk], "anonymous": True},
    )
    return World(alice, bob, maya, peers, placement, version, entry, objective)


@pytest.fixture
def world(acme, ada, alice, bob, maya, django_capture_on_commit_callbacks) -> World:
    return build_world(acme, ada, alice, bob, maya, django_capture_on_commit_callbacks)


# The export ----------------------------------------------------------------------------


def test_the_export_follows_the_published_schema(world):
    record = export_record(world.alice)
    assert schema_errors(record, SCHEMA) == []


def test_an_empty_record_follows_the_schema_too(db):
    assert schema_errors(export_record(make_user("new@example.test", "New")), SCHEMA) == []


def test_the_export_holds_what_alice_put_in_and_received(world):
    record = export_record(world.alice)
    assert record["person"]["email"] == "alice@acme.test"
    assert [f["content_hash"] for f in record["frameworks"]] == [world.version.content_hash]
    assert record["placements"][0]["framework"] == world.version.content_hash
    received = {(s["rater"], s["source"], s["step"]) for s in record["ratings_received"]}
    assert received == {("you", "self", "l2"), ("Bob", "manager", "l1"), ("Maya", "peer", "l2")}
    assert record["feedback"]["received"][0]["from"] == "Maya"
    assert record["roadmap"][0]["milestones"][0]["title"] == "Plan reviewed"
    [entry] = record["evidence"]
    assert entry["objective"] == record["roadmap"][0]["ref"]
    assert [(c["by"], c["steps"]) for c in entry["confirmations"]] == [("Bob", {"shipping": "l2"})]
    [thread] = record["threads"]
    assert [(p["author"], p["mine"]) for p in thread["posts"]] == [("you", True), ("Bob", False)]
    assert record["packets"][0]["choices"] == {
        "entries": [entry["ref"]],
        "objectives": [record["roadmap"][0]["ref"]],
        "anonymous": True,
    }


def test_the_export_holds_what_alice_gave_others(world):
    record = export_record(world.alice)
    assert [(s["subject"], s["comment"]) for s in record["ratings_given"]] == [
        ("Bob", "Bob unblocks us")
    ]
    assert record["feedback"]["given"][0]["to"] == "Bob"
    assert [c["entry"] for c in record["confirmations_given"]] == ["Bob's migration"]
    assert [p["body"] for p in record["posts_elsewhere"]] == ["Cheering you on"]


def test_anonymous_ratings_appear_only_as_released_aggregates(world):
    record = export_record(world.alice)
    [agg] = record["anonymous_ratings"]
    assert (agg["competency"], agg["count"], agg["median"]) == ("shipping", 3, "l3")
    assert {"placement", "competency", "count", "distribution", "median", "sometimes"} == set(agg)
    text = json.dumps(record)
    assert "anon:" not in text
    assert not any(f"Peer {n}" in text or f"peer{n}@" in text for n in range(3))
    assert all(s["rater"] not in ("", "anonymous") for s in record["ratings_received"])
    assert (
        record["feedback"]["anonymous_received"]
        == [{"consistent_at": "quiet peer", "biggest_gap": ""}] * 3
    )


def test_anonymous_ratings_below_the_threshold_are_not_in_the_export(world, acme):
    acme.anonymity_threshold = 5
    acme.save(update_fields=["anonymity_threshold"])
    record = export_record(world.alice)
    assert record["anonymous_ratings"] == []
    assert record["feedback"]["anonymous_received"] == []


def test_the_zip_holds_the_json_a_readme_a_readable_page_and_sections(world):
    bundle = zipfile.ZipFile(io.BytesIO(record_zip(world.alice)))
    names = set(bundle.namelist())
    assert {"record.json", "README.md", "record.html", "sections/evidence.md"} <= names
    assert json.loads(bundle.read("record.json"))["person"]["name"] == "Alice"
    html = bundle.read("record.html").decode()
    assert "Shipped the export" in html
    assert "<script" not in html
    assert "src=" not in html
    assert "href=" not in html
    assert "Shipped the export" in bundle.read("sections/evidence.md").decode()


# Page and API --------------------------------------------------------------------------


def test_the_data_page_offers_download_import_and_deletion(alice):
    shown = page(alice, "/account/data/")
    assert "Download JSON" in shown.words
    assert "Import the record" in shown.words
    assert "Delete my account" in shown.words
    assert "What stays" in shown.words


def test_the_settings_menu_links_to_the_data_page(alice):
    assert 'href="/account/data/"' in page(alice, "/settings/profile/").html


def test_the_page_downloads_json_and_zip(world):
    client = client_for(world.alice)
    as_json = client.get("/account/data/export/?format=json")
    assert as_json["Content-Disposition"].startswith("attachment")
    assert json.loads(as_json.content)["schema_version"] == 1
    as_zip = client.get("/account/data/export/?format=zip")
    assert as_zip["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(as_zip.content)).namelist()


def test_the_data_page_needs_a_signed_in_person(client):
    assert client.get("/account/data/").status_code == 302
    assert client.get("/account/data/export/").status_code == 302


def test_the_api_answers_the_record_as_json_and_as_zip(world):
    client = client_for(world.alice)
    body = client.get("/api/v1/me/record").json()
    assert body["person"]["email"] == "alice@acme.test"
    assert schema_errors(body, SCHEMA) == []
    zipped = client.get("/api/v1/me/record.zip")
    assert zipped.status_code == 200
    assert "record.json" in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()


def test_the_api_record_needs_authentication(client):
    assert client.get("/api/v1/me/record").status_code == 401


def test_the_export_costs_the_same_queries_however_long_the_record(world):
    # About 27 queries for one placement: placements, objectives (+ milestones and
    # stakeholders), threads (+ posts), entries (+ confirmations, their signal links and
    # signals, collaborators), answers received and given, two delta reads (aggregates
    # and released answers: standing, signals, answers each), frameworks, memberships,
    # ratings received and given, confirmations given, replies elsewhere, packets.
    with CaptureQueriesContext(connection) as few:
        export_record(world.alice)
    for n in range(5):
        add_entry(world.alice, world.placement, f"More {n}", confirmer=world.bob)
        thread = Thread.objects.create(
            owner=world.alice,
            organization=world.placement.organization,
            title=f"Thread {n}",
            last_activity_at=timezone.now(),
        )
        Post.objects.create(thread=thread, author=world.bob, body="A reply")
    with CaptureQueriesContext(connection) as more:
        export_record(world.alice)
    assert len(more) == len(few)

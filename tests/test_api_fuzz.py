"""Fuzz every API operation from its OpenAPI schema, in process, on seeded data.

Schemathesis generates requests (schema examples, boundary values and random
ones, valid and invalid) for each operation, sends them as a member and as an
admin with a write token, and checks each answer: no server error, a status
code and body the schema documents, and nothing written by a refused request.
The seed is fixed and the examples per operation bounded, so a run is
repeatable and takes a few minutes on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.color import no_style
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership, User
from upward.accounts.services import (
    create_api_token,
    create_personal_organization,
    invite_member,
)
from upward.api import api
from upward.assessments import services as assessments
from upward.assessments.models import FeedbackRequest
from upward.core.tokens import digest
from upward.frameworks import services as frameworks
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document

SEED = 20_260_101
# The secret of an emailed feedback link the seed stores, so link operations reach it.
LINK_SECRET = "fuzz-link-secret-0123456789"
EXAMPLES_PER_OPERATION = 20

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION},
        "phases": {
            "examples": {"enabled": True},
            # Methods an operation doesn't have answer 405 from the router alone.
            "coverage": {"enabled": True, "unexpected-methods": []},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        # Generated values for these would only ever name nothing (404).
        "parameters": {"path.slug": "acme", "path.secret": LINK_SECRET},
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = WSGIHandler()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Bookkeeping that any authenticated request may update, refused or not.
NOT_STATE = {"accounts.ApiToken": {"last_used_at"}}
# Tables filled by migrations that no request writes.
STATIC_APPS = {"auth", "contenttypes"}


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["member", "admin"])
def token(request, db, in_process_requests) -> str:
    """A write token for Alice (a member) or Ada (an admin), in an organization with data."""
    people = seed()
    _token, raw = create_api_token(user=people[request.param], name="fuzz", scope="write", days=1)
    return raw


def seed() -> dict[str, User]:
    """Acme with an admin, a manager and a member on a team; a library framework and
    Acme's own, published, with a draft; a placement and open feedback requests."""
    # Ids start at 1 on both databases, so the small ids generated name seeded rows.
    models = [m for m in apps.get_models() if m._meta.app_label not in STATIC_APPS]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    acme = Organization.objects.create(name="Acme", slug="acme")
    people = {}
    for key, email, role in (
        ("admin", "ada@acme.test", Role.ADMIN),
        ("manager", "bob@acme.test", Role.MANAGER),
        ("member", "alice@acme.test", Role.MEMBER),
        ("mentor", "maya@acme.test", Role.MENTOR),
    ):
        # No password: hashing one costs more than the rest of the seed, and tokens sign in.
        people[key] = User.objects.create_user(email=email, name=key.title())
        create_personal_organization(user=people[key])
        Membership.objects.create(organization=acme, user=people[key], role=role)
    team = Team.objects.create(organization=acme, name="Platform", manager=people["manager"])
    TeamMembership.objects.create(team=team, user=people["member"], organization=acme)
    invite_member(organization=acme, email="new@acme.test", role="member", by=people["admin"])

    library = frameworks.create_version(
        document=validate_document(small_document(key="lib")), organization=None, by=None
    )
    frameworks.publish_version(version=library, by=None)
    ladder = frameworks.create_version(
        document=validate_document(small_document()), organization=acme, by=people["admin"]
    )
    frameworks.publish_version(version=ladder, by=people["admin"])
    frameworks.start_draft(framework=ladder.framework, by=people["admin"])

    placement = assessments.place(
        user=people["member"], organization=acme, version=ladder, track="ic", current_level="l1"
    )
    for rater, anonymous in ((people["mentor"], False), (people["admin"], True)):
        assessments.request_feedback(
            placement=placement,
            relationship="peer",
            competencies=[],
            rater=rater,
            anonymous=anonymous,
        )
    emailed = assessments.request_feedback(
        placement=placement, relationship="peer", competencies=[], email="pat@outside.test"
    )
    FeedbackRequest.objects.filter(pk=emailed.pk).update(token_hash=digest(LINK_SECRET))
    return people


def fingerprint() -> dict[str, Any]:
    """Every row of every table the app writes, so a comparison shows any write.

    One query reads them all, each table's rows as one text in key order (hashed on
    PostgreSQL): the check runs twice per generated request, so its cost is most of
    the test's."""
    labels, parts = [], []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.app_label in STATIC_APPS:
            continue
        skipped = NOT_STATE.get(model._meta.label, set())
        columns = [quote(f.column) for f in model._meta.concrete_fields if f.attname not in skipped]
        table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
        labels.append(model._meta.label)
        parts.append(_rows_as_text(table, key, columns))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return dict(zip(labels, cursor.fetchone(), strict=True))


def _rows_as_text(table: str, key: str, columns: list[str]) -> str:
    """A scalar subquery giving a table's rows as one value that changes with any write."""
    if connection.vendor == "postgresql":
        row = f"CAST(ROW({', '.join(columns)}) AS text)"
        return f"(SELECT md5(string_agg({row}, '|' ORDER BY {key})) FROM {table})"  # noqa: S608 (names from the models)
    row = " || ',' || ".join(f"quote({c})" for c in columns)
    return f"(SELECT group_concat(r, '|') FROM (SELECT {row} AS r FROM {table} ORDER BY {key}))"  # noqa: S608 (names from the models)


@schema.parametrize()
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=EXAMPLES_PER_OPERATION,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_request_as_its_schema_says(case, token):
    before = fingerprint()
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
    if 400 <= response.status_code < 500:
        assert fingerprint() == before, (
            f"{case.method} {case.formatted_path} answered {response.status_code} "
            "but changed the database"
        )


def test_the_fingerprint_sees_a_write_but_not_a_token_being_used(token, client):
    before = fingerprint()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert fingerprint() == before
    Team.objects.create(organization=Organization.objects.get(slug="acme"), name="Growth")
    assert fingerprint() != before

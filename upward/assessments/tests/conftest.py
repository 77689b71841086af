"""Shared fixtures: Acme's published ladder, Alice placed on it, and requests she sent."""

from __future__ import annotations

import pytest

from upward.assessments import services
from upward.assessments.services import feedback as feedback_services
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.tests.factories import small_document


@pytest.fixture
def ladder(acme, ada):
    version = framework_services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    return framework_services.publish_version(version=version, by=ada)


@pytest.fixture
def placement(alice, acme, ladder):
    return services.place(
        user=alice, organization=acme, version=ladder, track="ic", current_level="l1"
    )


@pytest.fixture
def asked_maya(placement, maya):
    return services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya, message="Be frank"
    )


@pytest.fixture
def link(placement, monkeypatch):
    """An emailed request and the secret of its link (normally only in the email)."""
    monkeypatch.setattr(feedback_services, "new_link_secret", lambda: "the-secret")
    request = services.request_feedback(
        placement=placement, relationship="peer", competencies=["shipping"], email="pat@out.test"
    )
    return request

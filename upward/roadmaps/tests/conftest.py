"""Shared fixtures: Acme's tiny published ladder and Alice placed on it (l1 -> l2)."""

from __future__ import annotations

import pytest

from upward.accounts import relationships
from upward.assessments import services as assessments
from upward.core.visibility import Relationship
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
    return assessments.place(
        user=alice, organization=acme, version=ladder, track="ic", current_level="l1"
    )


@pytest.fixture
def mentoring(maya):
    """A stand-in for the mentorship app: Maya mentors everyone in Acme."""

    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    relationships.register_provider(Relationship.MENTOR, provider)
    yield
    relationships.unregister_provider(Relationship.MENTOR, provider)

"""Shared fixtures: Acme's published ladder and Alice placed on it."""

from __future__ import annotations

import pytest

from upward.assessments import services
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

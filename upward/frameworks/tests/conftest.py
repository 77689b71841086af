"""Shared fixtures for the framework tests: Acme's published framework, its draft,
and a points-based framework.
"""

from __future__ import annotations

import pytest

from upward.frameworks import services
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.frameworks.tests.pages import FIXTURES, publish


@pytest.fixture
def tiny(acme, ada) -> FrameworkVersion:
    """Acme's published three-level framework (version 1)."""
    return publish(small_document(), acme, ada)


@pytest.fixture
def draft(tiny, ada) -> FrameworkVersion:
    """Version 2 of Acme's framework: a draft, seen only by its editors."""
    return services.start_draft(framework=tiny.framework, by=ada)


@pytest.fixture
def snowflake(acme, ada) -> FrameworkVersion:
    data = (FIXTURES / "tiny_constants.js").read_bytes()
    version = services.import_framework(files={"constants.js": data}, organization=acme, by=ada)
    return services.publish_version(version=version, by=ada)

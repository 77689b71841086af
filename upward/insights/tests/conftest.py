"""Every insights test starts with no cube kept: database ids repeat between tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_kept_cubes() -> None:
    from upward.insights.selectors.cube import forget_cubes

    forget_cubes()

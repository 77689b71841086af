"""Fixtures for the engine tests: small invented frameworks, never real ones."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from upward.engine.formats import upward as upward_format
from upward.engine.framework import Expectation, FrameworkDocument

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    """The text of a fixture file."""
    return (FIXTURES / name).read_text(encoding="utf-8")


MINIMAL: dict[str, Any] = {
    "key": "tiny",
    "name": "Tiny",
    "areas": [{"key": "craft", "name": "Craft"}],
    "competencies": [{"key": "code", "name": "Code", "area": "craft", "kind": "skill"}],
    "tracks": [
        {
            "key": "ic",
            "name": "IC",
            "levels": [{"key": "one", "title": "One"}, {"key": "two", "title": "Two"}],
        }
    ],
    "expectations": [{"competency": "code", "level": "one", "summary": "Writes code."}],
}


def minimal(**changes: Any) -> dict[str, Any]:
    """A copy of the smallest valid document, with top-level fields replaced."""
    doc = copy.deepcopy(MINIMAL)
    doc.update(changes)
    return doc


@pytest.fixture
def orbit_text() -> str:
    return fixture_text("orbit.yaml")


@pytest.fixture
def orbit(orbit_text: str) -> FrameworkDocument:
    return upward_format.read(orbit_text, "orbit.yaml").framework


def expected(fw: FrameworkDocument, competency: str, level: str) -> Expectation:
    """The expectation, which the test knows exists."""
    found = fw.expectation(competency, level)
    assert found is not None, f"no expectation for {competency} at {level}"
    return found

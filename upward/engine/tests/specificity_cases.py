"""The labelled objectives of specificity_cases.yaml, as `Case` tuples."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import yaml

CASES_FILE = Path(__file__).with_name("specificity_cases.yaml")
ROLES = frozenset({"engineering", "design", "product", "management", "data"})
LABELS = {"specific": True, "vague": False}


class Case(NamedTuple):
    batch: str
    role: str
    specific: bool
    text: str


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    """Every case, batch by batch, in file order; a malformed entry fails loudly."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for batch, entries in data.items():
        for role, label, text in entries:
            assert role in ROLES, f"{batch}: unknown role {role!r}"
            cases.append(Case(batch, role, LABELS[label], text))
    return cases


CASES = load_cases()

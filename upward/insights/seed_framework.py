"""The framework of a synthetic organization: areas, competencies of the three kinds,
an IC track of six levels and a management track of four, and every level's
expectations, worded from `seed_names`.

Each level names a few core competencies (required); the others it expects are
nice to have (optional), so a dozen signals a person can show readiness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upward.engine.framework.models import KINDS, FrameworkDocument
from upward.insights import seed_names as words

IC, MANAGEMENT = "ic", "mgmt"
# Where each rank sits on the own scale of skill competencies (ranks 1..6).
RANKS = (1, 2, 3, 4, 5, 6)
SCALE_POSITIONS = (0.0, 1.0, 2.0, 3.0, 3.5, 4.0)
# The own-scale step each rank requires.
REQUIRED_STEP = {1: 0, 2: 1, 3: 2, 4: 3, 5: 3, 6: 4}
# Share of a level's expected competencies that are core (required).
CORE_SHARE = 0.08


@dataclass(frozen=True)
class Plan:
    """The generated framework with what the seed needs to rate people against it."""

    document: FrameworkDocument
    keys: list[str]  # competency keys in document order
    scaled: np.ndarray  # bool per competency: it has its own scale
    entry_rank: np.ndarray  # int per competency: the lowest rank that expects it
    core: dict[str, list[int]]  # level key -> indexes of its core competencies


def level_table() -> list[tuple[str, str, int, int]]:
    """(track, level key, index on its track, rank) of every level."""
    rows = [(IC, key, i, rank) for i, (key, _c, _t, rank) in enumerate(words.IC_LEVELS)]
    rows += [
        (MANAGEMENT, key, i, rank) for i, (key, _c, _t, rank) in enumerate(words.MANAGER_LEVELS)
    ]
    return rows


def build(rng: np.random.Generator, *, competencies: int, key: str, name: str) -> Plan:
    """A valid framework document with `competencies` competencies."""
    areas = words.AREAS[: max(1, min(len(words.AREAS), -(-competencies // 8)))]
    comps, keys = [], []
    kinds = rng.choice(len(KINDS), size=competencies, p=[0.35, 0.35, 0.30])
    weights = rng.choice([1.0, 1.0, 1.5, 2.0], size=competencies)
    entry = rng.choice([1, 1, 1, 2, 3], size=competencies)
    for i in range(competencies):
        area_key, _name, topics = areas[i % len(areas)]
        topic = topics[(i // len(areas)) % len(topics)]
        rounds = i // (len(areas) * len(topics))
        comp_key = f"{area_key}-{_slug(topic)}" + (f"-{rounds + 1}" if rounds else "")
        kind = KINDS[int(kinds[i])]
        comp: dict[str, object] = {
            "key": comp_key,
            "name": topic.capitalize() + (f" {rounds + 1}" if rounds else ""),
            "area": area_key,
            "kind": kind,
            "weight": float(weights[i]),
            "description": "Someone who " + words.KIND_PHRASES[kind].format(topic=topic) + ".",
        }
        if kind == "skill":
            comp["scale"] = [{"key": k, "name": n} for k, n in words.SCALE]
        comps.append(comp)
        keys.append(comp_key)
    scaled = np.array([c["kind"] == "skill" for c in comps])
    core: dict[str, list[int]] = {}
    expectations = []
    for _t, level, _i, rank in level_table():
        expected = [i for i in range(competencies) if entry[i] <= rank]
        size = min(len(expected), max(1, round(CORE_SHARE * len(expected))))
        chosen = sorted(int(i) for i in rng.choice(expected, size=size, replace=False))
        core[level] = chosen
        for i in expected:
            topic = str(comps[i]["name"]).lower()
            row: dict[str, object] = {
                "competency": keys[i],
                "level": level,
                "summary": f"Brings {topic} to {words.REACH[rank - 1]}.",
            }
            if scaled[i]:
                row["step"] = words.SCALE[REQUIRED_STEP[rank]][0]
            if i not in chosen:
                row["optional"] = True
            expectations.append(row)
    data = {
        "key": key,
        "name": name,
        "description": "A generated framework for trying insights at scale.",
        "areas": [{"key": k, "name": n} for k, n, _t in areas],
        "competencies": comps,
        "tracks": [
            _track(IC, "Individual contributor", words.IC_LEVELS),
            _track(MANAGEMENT, "Management", words.MANAGER_LEVELS),
        ],
        "expectations": expectations,
    }
    return Plan(
        document=FrameworkDocument.model_validate(data),
        keys=keys,
        scaled=scaled,
        entry_rank=entry.astype(np.int64),
        core=core,
    )


def _track(key: str, name: str, levels: tuple[tuple[str, str, str, int], ...]) -> dict[str, object]:
    return {
        "key": key,
        "name": name,
        "levels": [
            {"key": k, "code": code, "title": title, "rank": rank}
            for k, code, title, rank in levels
        ],
    }


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())

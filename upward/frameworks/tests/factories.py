"""Small framework documents made up for tests."""

from __future__ import annotations

from typing import Any

LEVELS = ["l1", "l2", "l3"]
COMPETENCIES = [("shipping", "impact", "delivery"), ("reviews", "skill", "craft")]


def small_document(key: str = "tiny", name: str = "Tiny Ladder", **changes: Any) -> dict[str, Any]:
    """A valid three-level, two-competency framework with every cell filled."""
    doc: dict[str, Any] = {
        "key": key,
        "name": name,
        "areas": [
            {"key": "delivery", "name": "Delivery"},
            {"key": "craft", "name": "Craft"},
        ],
        "competencies": [
            {"key": c, "name": c.title(), "area": a, "kind": k} for c, k, a in COMPETENCIES
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "Individual Contributor",
                "levels": [
                    {"key": lv, "code": lv.upper(), "title": f"Level {i + 1}", "rank": i + 1}
                    for i, lv in enumerate(LEVELS)
                ],
            }
        ],
        "expectations": [
            {
                "competency": c,
                "level": lv,
                "summary": f"{c} at {lv}: scope number {i}",
                "signals": [f"{c} signal {i}a", f"{c} signal {i}b"],
                "examples": [f"{c} example {i}"],
            }
            for c, _k, _a in COMPETENCIES
            for i, lv in enumerate(LEVELS)
        ],
    }
    doc.update(changes)
    return doc

"""Small framework documents made up for tests, and factories for frameworks and versions."""

from __future__ import annotations

from typing import Any

import factory

from upward.accounts.tests.factories import OrganizationFactory, UserFactory
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion

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


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    """A framework version made through the services: published, or a draft with `draft=True`."""

    class Meta:
        model = FrameworkVersion

    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(UserFactory)
    document = factory.LazyFunction(small_document)
    draft = False

    @classmethod
    def _create(cls, model_class: type[FrameworkVersion], **kwargs: Any) -> FrameworkVersion:
        by = kwargs["created_by"]
        version = services.create_version(
            document=validate_document(kwargs["document"]),
            organization=kwargs["organization"],
            by=by,
        )
        if kwargs["draft"]:
            return version
        return services.publish_version(version=version, by=by)

"""A record's frameworks, by content hash: a library version, or the checked document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from upward.engine.framework.models import FrameworkDocument
from upward.engine.limits import LimitExceeded, check_document
from upward.evidence.services.record.fields import _fail, _list, _obj, _text
from upward.frameworks.models import FrameworkVersion


@dataclass
class _Framework:
    doc: FrameworkDocument
    data: dict[str, Any]
    existing: FrameworkVersion | None
    competencies: dict[str, set[str]] = field(default_factory=dict)

    def check_competency(self, key: Any, path: str) -> str:
        if not isinstance(key, str) or key not in self.competencies:
            raise _fail(path, f"'{key}' is not a competency key of framework '{self.doc.key}'.")
        return key

    def check_step(self, competency: str, step: Any, path: str) -> str:
        if not isinstance(step, str) or step not in self.competencies[competency]:
            raise _fail(path, f"'{step}' is not a step of '{competency}'.")
        return step


def _steps_by_competency(doc: FrameworkDocument) -> dict[str, set[str]]:
    levels = {lv.key for t in doc.tracks for lv in doc.levels_of(t.key)}
    out = {}
    for c in doc.competencies:
        steps = (
            {s.key for t in doc.tracks for s in doc.steps(c.key, t.key)} if doc.tracks else set()
        )
        out[c.key] = steps | levels
    return out


def _frameworks(data: dict[str, Any]) -> dict[str, _Framework]:
    """Each framework by content hash: a library version with that hash, or the given
    document, whose recomputed hash must be the one it is given with."""
    out: dict[str, _Framework] = {}
    for i, raw in enumerate(_list(data.get("frameworks"), "frameworks")):
        path = f"frameworks[{i}]"
        item = _obj(raw, path)
        given = _text(item, "content_hash", path, required=True)
        document = _obj(item.get("document"), f"{path}.document")
        doc = _document(document, f"{path}.document")
        if doc.content_hash() != given:
            raise _fail(
                f"{path}.content_hash",
                "the document's content hash is not the one given: the framework was changed "
                "after export, so its keys may no longer mean the same.",
            )
        existing = (
            FrameworkVersion.objects.filter(
                content_hash=given, framework__organization__isnull=True
            )
            .select_related("framework")
            .first()
        )
        out[given] = _Framework(doc, doc.to_dict(), existing, _steps_by_competency(doc))
    return out


def _document(data: dict[str, Any], path: str) -> FrameworkDocument:
    """A framework document checked against the limits and the schema, or Invalid at `path`."""
    try:
        check_document(data)
        return FrameworkDocument.model_validate(data)
    except LimitExceeded as error:
        raise _fail(path, f"the framework is not valid: {error}.") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise _fail(path, f"the framework is not valid: {where}: {first.get('msg', '')}") from None


def _framework_of(frameworks: dict[str, _Framework], value: Any, path: str) -> _Framework:
    if not isinstance(value, str) or value not in frameworks:
        raise _fail(path, f"'{value}' is not the content hash of a framework in the record.")
    return frameworks[value]

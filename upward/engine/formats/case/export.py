"""Write a framework as a 1EdTech CASE 1.1 CFPackage (JSON).

Every part of the framework is a CFItem with an Upward item type (Area,
Competency, Proficiency Level, Track, Level, Expectation, Signal, Example);
structure is `isChildOf` with sequence numbers, steps are `hasSkillLevel`,
an expectation `isRelatedTo` its level. Upward-only facts ride in
`conceptKeywords` (`upward:kind=skill`) and the document's `notes` (JSON with the
framework key and the points rule). docs/framework-format.md has the table.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from upward.engine.framework import FrameworkDocument, Level, LevelRef

NAMESPACE = uuid.UUID("5f2b7c1e-9a43-4d0c-8e61-3c1f0b6a2d47")  # Upward's CASE identifiers

AREA, COMPETENCY, STEP = "Area", "Competency", "Proficiency Level"
TRACK, LEVEL, EXPECTATION = "Track", "Level", "Expectation"
SIGNAL, EXAMPLE = "Signal", "Example"
ITEM_TYPES = [AREA, COMPETENCY, STEP, TRACK, LEVEL, EXPECTATION, SIGNAL, EXAMPLE]


def write(framework: FrameworkDocument, *, changed_at: datetime | None = None) -> str:
    """The CFPackage as JSON text; identifiers are stable UUIDs derived from keys."""
    return json.dumps(_Package(framework, changed_at).build(), ensure_ascii=False, indent=2) + "\n"


def stable_id(*parts: str) -> str:
    """A UUID that is the same every time for the same framework part."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


class _Package:
    def __init__(self, fw: FrameworkDocument, changed_at: datetime | None) -> None:
        self.fw = fw
        moment = (changed_at or datetime.now(UTC)).astimezone(UTC)
        self.when = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        self.doc_id = stable_id(fw.key)
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []

    def link(self, identifier: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}

    def item(self, kind: str, parts: tuple[str, ...], statement: str, **fields: Any) -> str:
        identifier = stable_id(self.fw.key, kind, *parts)
        item = {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "CFDocumentURI": self.link(self.doc_id, self.fw.name),
            "fullStatement": statement,
            "CFItemType": kind,
            "CFItemTypeURI": self.link(stable_id("item-type", kind), kind),
            "lastChangeDateTime": self.when,
        }
        item.update({k: v for k, v in fields.items() if v not in (None, "", [])})
        self.items.append(item)
        return identifier

    def associate(
        self, origin: str, kind: str, destination: str, title: str, sequence: int | None = None
    ) -> None:
        identifier = stable_id(self.fw.key, "association", origin, kind, destination)
        association: dict[str, Any] = {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "CFDocumentURI": self.link(self.doc_id, self.fw.name),
            "associationType": kind,
            "originNodeURI": self.link(origin, "origin"),
            "destinationNodeURI": self.link(destination, title),
            "lastChangeDateTime": self.when,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        self.associations.append(association)

    def build(self) -> dict[str, Any]:
        areas = {a.key: self.area(i, a.key) for i, a in enumerate(self.fw.areas)}
        competencies = {
            c.key: self.competency(i, c.key, areas) for i, c in enumerate(self.fw.competencies)
        }
        levels = self.tracks()
        for i, e in enumerate(self.fw.expectations):
            self.expectation(i, e.competency, e.level, competencies, levels)
        return {
            "CFDocument": self.document(),
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": self.definitions(),
        }

    def document(self) -> dict[str, Any]:
        fw, source = self.fw, self.fw.attribution
        upward: dict[str, Any] = {"format_version": fw.format_version, "key": fw.key}
        upward["attribution"] = source is not None
        if fw.level_rule is not None:
            upward["level_rule"] = fw.level_rule.model_dump(mode="json", exclude_defaults=True)
        document: dict[str, Any] = {
            "identifier": self.doc_id,
            "uri": f"urn:uuid:{self.doc_id}",
            "frameworkType": "Career framework",
            "caseVersion": "1.1",
            "creator": source.source if source else "Upward",
            "title": fw.name,
            "lastChangeDateTime": self.when,
            "notes": json.dumps({"upward": upward}, ensure_ascii=False, sort_keys=True),
            "CFPackageURI": self.link(self.doc_id, fw.name),
        }
        if fw.description:
            document["description"] = fw.description
        if source and source.url:
            document["officialSourceURL"] = source.url
        if source and source.licence:
            document["licenseURI"] = self.link(stable_id(fw.key, "licence"), source.licence)
        return document

    def area(self, index: int, key: str) -> str:
        area = self.fw.area(key)
        identifier = self.item(
            AREA, (key,), area.name, humanCodingScheme=key, notes=area.description
        )
        self.associate(identifier, "isChildOf", self.doc_id, self.fw.name, index + 1)
        return identifier

    def competency(self, index: int, key: str, areas: dict[str, str]) -> str:
        c = self.fw.competency(key)
        keywords = [f"upward:kind={c.kind}", f"upward:weight={c.weight!r}"]
        identifier = self.item(
            COMPETENCY,
            (key,),
            c.name,
            humanCodingScheme=key,
            notes=c.description,
            conceptKeywords=keywords,
        )
        self.associate(identifier, "isChildOf", areas[c.area], c.area, index + 1)
        for n, step in enumerate(c.scale, start=1):
            step_id = self.item(
                STEP, (key, step.key), step.name, humanCodingScheme=step.key, notes=step.description
            )
            self.associate(step_id, "isChildOf", identifier, key, n)
            self.associate(identifier, "hasSkillLevel", step_id, step.key, n)
            self.texts(step_id, ("step", key, step.key), step.signals, step.examples)
        return identifier

    def tracks(self) -> dict[str, str]:
        levels: dict[str, str] = {}
        defining = {
            item.key: t.key for t in self.fw.tracks for item in t.levels if isinstance(item, Level)
        }
        for key, track_key in defining.items():
            level = self.fw.level(key)
            keywords = [f"upward:track={track_key}"]
            if level.rank is not None:
                keywords.append(f"upward:rank={level.rank}")
            levels[key] = self.item(
                LEVEL,
                (key,),
                level.title,
                humanCodingScheme=key,
                alternativeLabel=level.code,
                notes=level.summary,
                conceptKeywords=keywords,
            )
        offset = len(self.fw.areas)
        for i, track in enumerate(self.fw.tracks):
            track_id = self.item(
                TRACK,
                (track.key,),
                track.name,
                humanCodingScheme=track.key,
                notes=track.description,
            )
            self.associate(track_id, "isChildOf", self.doc_id, self.fw.name, offset + i + 1)
            for n, item in enumerate(track.levels, start=1):
                key = item.ref if isinstance(item, LevelRef) else item.key
                if key in levels:
                    self.associate(levels[key], "isChildOf", track_id, track.key, n)
        return levels

    def expectation(
        self,
        index: int,
        competency: str,
        level: str,
        competencies: dict[str, str],
        levels: dict[str, str],
    ) -> None:
        e = self.fw.expectation(competency, level)
        assert e is not None
        parts = (competency, level)
        identifier = self.item(
            EXPECTATION,
            parts,
            e.summary,
            humanCodingScheme=f"{competency}@{level}",
            conceptKeywords=["upward:optional"] if e.optional else None,
        )
        self.associate(identifier, "isChildOf", competencies[competency], competency, index + 1)
        self.associate(identifier, "isRelatedTo", levels[level], level)
        if e.step is not None:
            step_id = stable_id(self.fw.key, STEP, competency, e.step)
            self.associate(identifier, "hasSkillLevel", step_id, e.step)
        self.texts(identifier, ("expectation", *parts), e.signals, e.examples)

    def texts(
        self, parent: str, parts: tuple[str, ...], signals: list[str], examples: list[str]
    ) -> None:
        for kind, texts in ((SIGNAL, signals), (EXAMPLE, examples)):
            for n, text in enumerate(texts, start=1):
                identifier = self.item(kind, (*parts, str(n)), text)
                self.associate(identifier, "isChildOf", parent, parts[-1], n)

    def definitions(self) -> dict[str, Any]:
        types = [
            {
                "identifier": stable_id("item-type", kind),
                "uri": f"urn:uuid:{stable_id('item-type', kind)}",
                "title": kind,
                "description": f"Upward {kind.lower()}",
                "hierarchyCode": str(n),
                "typeCode": kind,
                "lastChangeDateTime": self.when,
            }
            for n, kind in enumerate(ITEM_TYPES, start=1)
        ]
        definitions: dict[str, Any] = {"CFItemTypes": types}
        source = self.fw.attribution
        if source and source.licence:
            identifier = stable_id(self.fw.key, "licence")
            definitions["CFLicenses"] = [
                {
                    "identifier": identifier,
                    "uri": f"urn:uuid:{identifier}",
                    "title": source.licence,
                    "licenseText": source.licence,
                    "lastChangeDateTime": self.when,
                }
            ]
        return definitions

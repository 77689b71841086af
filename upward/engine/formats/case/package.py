"""A CASE package parsed for mapping: items, associations, repaired quirks, lookups."""

from __future__ import annotations

import json
from typing import Any

from upward.engine.formats._common import SourceReader, slugify
from upward.engine.issues import Loc
from upward.engine.links import safe_link

NOT_IN_SEQUENCE = 10**9


class Package:
    """A package's items and associations, with the quirks of real packages repaired."""

    def __init__(self, src: SourceReader, data: dict[str, Any]) -> None:
        self.src = src
        self.document = src.get(data, (), "CFDocument", dict)
        self.items: dict[str, dict[str, Any]] = {}
        self.item_locs: dict[str, Loc] = {}
        for i, item in enumerate(src.items(data, (), "CFItems", required=False)):
            self.add_item(src.check(item, ("CFItems", i), dict), ("CFItems", i))
        self.links: list[tuple[str, str, str, int | None, Loc]] = []
        for i, assoc in enumerate(src.items(data, (), "CFAssociations", required=False)):
            self.add_association(
                src.check(assoc, ("CFAssociations", i), dict), ("CFAssociations", i)
            )
        self.check_definitions(data.get("CFDefinitions"))
        if data.get("CFRubrics"):
            src.warn(("CFRubrics",), "rubrics are not imported")

    def add_item(self, item: dict[str, Any], loc: Loc) -> None:
        """Index an item, repairing `educationalLevel` and a missing `fullStatement`."""
        src = self.src
        identifier = src.get(item, loc, "identifier", str)
        if "educationalLevel" in item and "educationLevel" not in item:
            src.warn((*loc, "educationalLevel"), "'educationalLevel' read as 'educationLevel'")
            item["educationLevel"] = item.pop("educationalLevel")
        if item.get("fullStatement") is None:
            fallback = item.get("abbreviatedStatement") or item.get("humanCodingScheme") or ""
            src.warn((*loc, "fullStatement"), f"no fullStatement: using {fallback!r}")
            item["fullStatement"] = fallback
        src.check(item["fullStatement"], (*loc, "fullStatement"), str)
        if identifier in self.items:
            raise src.fail((*loc, "identifier"), f"duplicate item identifier '{identifier}'")
        self.items[identifier] = item
        self.item_locs[identifier] = loc

    def add_association(self, assoc: dict[str, Any], loc: Loc) -> None:
        """Record an association, reading a text `sequenceNumber` as a number."""
        src = self.src
        kind = src.get(assoc, loc, "associationType", str)
        origin = src.get(
            src.get(assoc, loc, "originNodeURI", dict), (*loc, "originNodeURI"), "identifier", str
        )
        target = src.get(
            src.get(assoc, loc, "destinationNodeURI", dict),
            (*loc, "destinationNodeURI"),
            "identifier",
            str,
        )
        sequence = assoc.get("sequenceNumber")
        if isinstance(sequence, str):
            if not sequence.strip().lstrip("-").isdigit():
                raise src.fail(
                    (*loc, "sequenceNumber"), f"must be a whole number, found {sequence!r}"
                )
            src.warn(
                (*loc, "sequenceNumber"),
                f"sequenceNumber is the text {sequence!r}; read as {int(sequence)}",
            )
            sequence = int(sequence)
        elif sequence is not None and not isinstance(sequence, int):
            raise src.fail((*loc, "sequenceNumber"), f"must be a whole number, found {sequence!r}")
        self.links.append((origin, kind, target, sequence, loc))

    def check_definitions(self, definitions: Any) -> None:
        """Warn about null descriptions in the definitions (they break the schema)."""
        if not isinstance(definitions, dict):
            return
        for group, entries in definitions.items():
            for i, entry in enumerate(entries if isinstance(entries, list) else []):
                if (
                    isinstance(entry, dict)
                    and "description" in entry
                    and entry["description"] is None
                ):
                    self.src.warn(
                        ("CFDefinitions", group, i, "description"), "null description read as empty"
                    )

    # Shared lookups --------------------------------------------------------------

    def kind(self, identifier: str) -> str:
        """The item's type title (`CFItemType`, or the title of its `CFItemTypeURI`)."""
        item = self.items.get(identifier, {})
        kind = item.get("CFItemType") or (item.get("CFItemTypeURI") or {}).get("title") or ""
        return str(kind)

    def children(self, parent: str, kind: str = "isChildOf") -> list[str]:
        """Items linked to `parent` by `kind` (origin -> parent), in sequence order."""
        found = [
            (seq if seq is not None else NOT_IN_SEQUENCE, n, o)
            for n, (o, k, t, seq, _) in enumerate(self.links)
            if k == kind and t == parent and o in self.items
        ]
        return [o for _, _, o in sorted(found)]

    def targets(self, origin: str, kind: str) -> list[str]:
        """Destinations of `origin`'s associations of one type."""
        return [t for o, k, t, _, _ in self.links if o == origin and k == kind]

    def sequence(self, origin: str, target: str) -> int:
        """The sequence number of `origin` under `target` (unnumbered ones sort last)."""
        for o, k, t, seq, _ in self.links:
            if o == origin and t == target and k == "isChildOf" and seq is not None:
                return seq
        return NOT_IN_SEQUENCE

    def keywords(self, identifier: str) -> dict[str, str]:
        """Upward's `upward:name=value` concept keywords of an item."""
        out: dict[str, str] = {}
        for word in self.items[identifier].get("conceptKeywords") or []:
            if isinstance(word, str) and word.startswith("upward:"):
                name, _, value = word[len("upward:") :].partition("=")
                out[name] = value
        return out

    def of_kind(self, kind: str) -> list[str]:
        """Identifiers of the items of one type, in file order."""
        return [i for i in self.items if self.kind(i) == kind]

    def doc_notes(self) -> dict[str, Any]:
        """The `upward` object Upward's export keeps in the document notes, if any."""
        try:
            notes = json.loads(self.document.get("notes") or "")
        except (json.JSONDecodeError, TypeError, RecursionError):
            return {}
        found = notes.get("upward") if isinstance(notes, dict) else None
        return found if isinstance(found, dict) else {}

    def frame(self, key: str) -> dict[str, Any]:
        """Key, name, description and attribution from the CFDocument."""
        src, document = self.src, self.document
        title = src.get(document, ("CFDocument",), "title", str).strip()
        licence = _link(document.get("licenseURI"), "title")
        # The package URI is an identifier (often urn:uuid:...); only a web address is a link.
        package = safe_link(_link(document.get("CFPackageURI"), "uri"))
        url = document.get("officialSourceURL") or package
        return {
            "key": key or slugify(title, "case"),
            "name": title,
            "description": document.get("description") or "",
            "attribution": {
                "source": document.get("creator") or document.get("publisher") or title,
                "url": str(url),
                "licence": str(licence),
            },
        }

    def key_of(self, identifier: str) -> str:
        """The item's human coding scheme, which holds Upward keys."""
        return str(self.items[identifier].get("humanCodingScheme") or "")

    def mark(self, doc_loc: Loc, identifier: str) -> None:
        """Point a framework document path at the item's line."""
        self.src.mark(doc_loc, self.item_locs[identifier])

    def parent(self, identifier: str) -> str:
        """The item's first `isChildOf` destination, or ""."""
        parents = self.targets(identifier, "isChildOf")
        return parents[0] if parents else ""


def _link(value: Any, field: str) -> str:
    # LinkURI objects by the schema; a bare URI string in some real packages.
    if isinstance(value, dict):
        return str(value.get(field) or "")
    return value if isinstance(value, str) else ""

"""Reading the spreadsheet sections other than the matrix (see sheets.py).

`SectionReader` holds what every section reader shares: the source map being
built, the warnings, and the levels found in the matrix header.
"""

from __future__ import annotations

from typing import Any

from upward.engine.formats._common import humanize, slugify
from upward.engine.formats.sheets import Section, SheetRow
from upward.engine.issues import FrameworkError, Issue, Loc
from upward.engine.sourcemap import SourceMap

_FRAMEWORK_FIELDS = ("key", "name", "description")
_ATTRIBUTION_FIELDS = ("source", "url", "licence")


def number(text: str) -> int | float | str | None:
    """A cell as a number: blank is None, `2` is 2, `1.5` is 1.5; other text stays
    text so validation reports it with its row."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


class Table:
    """A section's rows after its header, with columns found by header name."""

    def __init__(self, section: Section) -> None:
        rows = [r for r in section.rows if not r.blank]
        self.header = rows[0] if rows else SheetRow(0, [])
        self.columns = {c.strip().lower(): i for i, c in enumerate(self.header.cells) if c.strip()}
        self.rows = rows[1:]

    def col(self, name: str) -> int | None:
        """The index of the column with this header, if there is one."""
        return self.columns.get(name)

    def value(self, row: SheetRow, name: str) -> str:
        """The row's cell in the named column ("" when absent)."""
        return row.get(self.col(name))


class SectionReader:
    """Shared state and the readers of the framework, areas, scales, tracks and points."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.smap = SourceMap()
        self.warnings: list[Issue] = []
        self.levels: dict[str, dict[str, Any]] = {}
        self.level_track: dict[str, str] = {}
        self.level_lines: dict[str, tuple[int, str | None]] = {}
        self.expectation_count = 0

    # Helpers -------------------------------------------------------------------

    def at(self, loc: Loc, row: SheetRow, section: Section) -> None:
        """Remember that a document path came from this row."""
        self.smap.add(loc, row.line, section.file)

    def warn(self, section: Section, row: SheetRow | None, path: str, message: str) -> None:
        """Record a warning at a row."""
        line = row.line if row else None
        self.warnings.append(Issue(path, message, line, "warning", section.file or self.file))

    def fail(self, section: Section, row: SheetRow, path: str, message: str) -> FrameworkError:
        """An error at a row, carrying the warnings so far."""
        issue = Issue(path, message, row.line, "error", section.file or self.file)
        return FrameworkError([issue], self.warnings)

    # Sections ------------------------------------------------------------------

    def _framework(self, section: Section | None, doc: dict[str, Any]) -> None:
        values: dict[str, str] = {}
        if section is not None:
            table = Table(section)
            for row in table.rows:
                name, value = table.value(row, "field").strip(), table.value(row, "value")
                if name in _FRAMEWORK_FIELDS or name.startswith("attribution."):
                    values[name] = value
                    self.at((name.split(".")[0],), row, section)
                else:
                    self.warn(section, row, "framework", f"unknown field '{name}' ignored")
        stem = self.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if "key" not in values or "name" not in values:
            self.warnings.append(
                Issue(
                    "framework",
                    "no framework key or name: taken from the file name",
                    None,
                    "warning",
                    self.file,
                )
            )
        doc["key"] = values.get("key") or slugify(stem, "framework")
        doc["name"] = values.get("name") or humanize(stem)
        if values.get("description"):
            doc["description"] = values["description"]
        attribution = {k: values.get(f"attribution.{k}", "") for k in _ATTRIBUTION_FIELDS}
        if any(attribution.values()):
            doc["attribution"] = attribution

    def _areas(self, section: Section | None, competencies: list[dict[str, Any]]) -> list[Any]:
        if section is None:
            keys = list(dict.fromkeys(c.get("area", "") for c in competencies if c.get("area")))
            self.warnings.append(
                Issue(
                    "areas",
                    "no areas section: areas made from the matrix's area column",
                    None,
                    "warning",
                    self.file,
                )
            )
            return [{"key": k, "name": humanize(k)} for k in keys]
        table = Table(section)
        areas: list[dict[str, Any]] = []
        for row in table.rows:
            self.at(("areas", len(areas)), row, section)
            area = {"key": table.value(row, "key").strip(), "name": table.value(row, "name")}
            if table.value(row, "description"):
                area["description"] = table.value(row, "description")
            areas.append(area)
        return areas

    def _scales(self, section: Section | None, competencies: list[dict[str, Any]]) -> None:
        if section is None:
            return
        table = Table(section)
        by_key = {c["key"]: (i, c) for i, c in enumerate(competencies)}
        last: tuple[str, str] | None = None
        for row in table.rows:
            owner, key = table.value(row, "competency").strip(), table.value(row, "step").strip()
            if owner not in by_key:
                raise self.fail(
                    section,
                    row,
                    "scales.competency",
                    f"unknown competency '{owner}' (not in the matrix)",
                )
            index, competency = by_key[owner]
            scale = competency.setdefault("scale", [])
            if (owner, key) != last:
                self.at(("competencies", index, "scale", len(scale)), row, section)
                step: dict[str, Any] = {"key": key, "name": table.value(row, "name")}
                if table.value(row, "description"):
                    step["description"] = table.value(row, "description")
                scale.append(step)
                last = (owner, key)
            for column, name in (("signal", "signals"), ("example", "examples")):
                if table.value(row, column).strip():
                    scale[-1].setdefault(name, []).append(table.value(row, column))

    def _tracks(self, section: Section | None) -> list[dict[str, Any]]:
        orders: list[tuple[dict[str, Any], list[str], SheetRow | None]] = []
        if section is not None:
            table = Table(section)
            for row in table.rows:
                track = {"key": table.value(row, "key").strip(), "name": table.value(row, "name")}
                if table.value(row, "description"):
                    track["description"] = table.value(row, "description")
                orders.append((track, table.value(row, "levels").split(), row))
        else:
            for key in dict.fromkeys(self.level_track.get(k, "main") for k in self.levels):
                levels = [k for k in self.levels if self.level_track.get(k, "main") == key]
                orders.append(({"key": key, "name": humanize(key)}, levels, None))
            self.warnings.append(
                Issue(
                    "tracks",
                    "no tracks section: tracks made from the matrix's track row",
                    None,
                    "warning",
                    self.file,
                )
            )
        return self._place_levels(orders, section)

    def _place_levels(
        self,
        orders: list[tuple[dict[str, Any], list[str], SheetRow | None]],
        section: Section | None,
    ) -> list[dict[str, Any]]:
        tracks = []
        for i, (track, keys, row) in enumerate(orders):
            owned = [k for k, t in self.level_track.items() if t == track["key"]]
            for key in owned:
                if key not in keys and section is not None:
                    keys.append(key)
                    self.warn(
                        section,
                        row,
                        f"tracks[{i}].levels",
                        f"level '{key}' belongs to track '{track['key']}' in the matrix"
                        " but is missing from its list: added at the end",
                    )
            items: list[dict[str, Any]] = []
            for key in keys:
                defining = self.level_track.get(key, orders[0][0]["key"])
                if key in self.levels and defining == track["key"]:
                    line, file = self.level_lines[key]
                    self.smap.add(("tracks", i, "levels", len(items)), line, file)
                    items.append(dict(self.levels[key]))
                else:
                    if row is not None and section is not None:
                        self.at(("tracks", i, "levels", len(items)), row, section)
                    items.append({"ref": key})
            if row is not None and section is not None:
                self.at(("tracks", i), row, section)
            track["levels"] = items
            tracks.append(track)
        return tracks

    def _points(self, by_name: dict[str, Section], doc: dict[str, Any]) -> None:
        names = ("step_points", "thresholds", "titles")
        if not any(n in by_name for n in names):
            return
        rule: dict[str, Any] = {"kind": "points", "step_points": {}, "thresholds": [], "titles": []}
        if "step_points" in by_name:
            section = by_name["step_points"]
            table = Table(section)
            for row in table.rows:
                step = table.value(row, "step").strip()
                self.at(("level_rule", "step_points", step), row, section)
                rule["step_points"][step] = number(table.value(row, "points"))
        if "thresholds" in by_name:
            section = by_name["thresholds"]
            table = Table(section)
            for row in table.rows:
                self.at(("level_rule", "thresholds", len(rule["thresholds"])), row, section)
                rule["thresholds"].append(
                    {
                        "min_points": number(table.value(row, "min_points")),
                        "level": table.value(row, "level").strip(),
                    }
                )
        if "titles" in by_name:
            section = by_name["titles"]
            table = Table(section)
            for row in table.rows:
                self.at(("level_rule", "titles", len(rule["titles"])), row, section)
                title: dict[str, Any] = {
                    "title": table.value(row, "title"),
                    "min_points": number(table.value(row, "min_points")),
                    "tracks": table.value(row, "tracks").split(),
                }
                if number(table.value(row, "max_points")) is not None:
                    title["max_points"] = number(table.value(row, "max_points"))
                rule["titles"].append(title)
        doc["level_rule"] = rule

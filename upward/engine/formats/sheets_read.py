"""Read the spreadsheet layout (see sheets.py) back into a framework document."""

from __future__ import annotations

from typing import Any

from upward.engine.formats._common import humanize, slugify
from upward.engine.formats.sheets import (
    COMPETENCY_COLUMNS,
    COMPETENCY_FIELDS,
    LEVEL_FIELDS,
    Section,
    SheetRow,
)
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import FrameworkError, Issue, Loc
from upward.engine.sourcemap import SourceMap

_REQUIRED = {"required", "yes", "x", "true", "✓", "✔"}
_FRAMEWORK_FIELDS = ("key", "name", "description")
_ATTRIBUTION_FIELDS = ("source", "url", "licence")


def read_sections(sections: list[Section], file: str, fmt: str) -> ImportResult:
    """Build and validate a framework from spreadsheet sections."""
    return _Reader(file).read(sections, fmt)


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


class _Table:
    """A section's rows after its header, with columns found by header name."""

    def __init__(self, section: Section) -> None:
        rows = [r for r in section.rows if not r.blank]
        self.header = rows[0] if rows else SheetRow(0, [])
        self.columns = {c.strip().lower(): i for i, c in enumerate(self.header.cells) if c.strip()}
        self.rows = rows[1:]

    def col(self, name: str) -> int | None:
        return self.columns.get(name)

    def value(self, row: SheetRow, name: str) -> str:
        return row.get(self.col(name))


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.smap = SourceMap()
        self.warnings: list[Issue] = []
        self.levels: dict[str, dict[str, Any]] = {}
        self.level_track: dict[str, str] = {}
        self.level_lines: dict[str, tuple[int, str | None]] = {}
        self.expectation_count = 0

    def read(self, sections: list[Section], fmt: str) -> ImportResult:
        by_name = {s.name: s for s in sections}
        if "matrix" not in by_name:
            names = ", ".join(by_name) or "none"
            raise FrameworkError.single(
                f"no matrix section (found: {names}); see the spreadsheet layout in the docs",
                file=self.file,
            )
        doc: dict[str, Any] = {}
        self._framework(by_name.get("framework"), doc)
        competencies, expectations = self._matrix(by_name["matrix"])
        doc["areas"] = self._areas(by_name.get("areas"), competencies)
        self._scales(by_name.get("scales"), competencies)
        doc["competencies"] = competencies
        doc["tracks"] = self._tracks(by_name.get("tracks"))
        doc["expectations"] = expectations
        self._points(by_name, doc)
        return parse_framework(
            doc, source=self.smap, file=self.file, warnings=self.warnings, fmt=fmt
        )

    # Helpers -------------------------------------------------------------------

    def at(self, loc: Loc, row: SheetRow, section: Section) -> None:
        self.smap.add(loc, row.line, section.file)

    def warn(self, section: Section, row: SheetRow | None, path: str, message: str) -> None:
        line = row.line if row else None
        self.warnings.append(Issue(path, message, line, "warning", section.file or self.file))

    def fail(self, section: Section, row: SheetRow, path: str, message: str) -> FrameworkError:
        issue = Issue(path, message, row.line, "error", section.file or self.file)
        return FrameworkError([issue], self.warnings)

    # Sections ------------------------------------------------------------------

    def _framework(self, section: Section | None, doc: dict[str, Any]) -> None:
        values: dict[str, str] = {}
        if section is not None:
            table = _Table(section)
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
        table = _Table(section)
        areas: list[dict[str, Any]] = []
        for row in table.rows:
            self.at(("areas", len(areas)), row, section)
            area = {"key": table.value(row, "key").strip(), "name": table.value(row, "name")}
            if table.value(row, "description"):
                area["description"] = table.value(row, "description")
            areas.append(area)
        return areas

    def _matrix(self, section: Section) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        table = _Table(section)
        if table.col("competency") is None:
            raise self.fail(
                section,
                table.header,
                "matrix",
                "the first row must name the columns, starting with 'competency'",
            )
        level_cols = [
            (i, name.strip())
            for i, name in enumerate(table.header.cells)
            if name.strip() and name.strip().lower() not in COMPETENCY_COLUMNS
        ]
        for _, key in level_cols:
            self.levels[key] = {"key": key}
            self.level_lines[key] = (table.header.line, section.file)
        competencies: list[dict[str, Any]] = []
        blocks: list[tuple[dict[str, Any], dict[str, list[SheetRow]]]] = []
        for row in table.rows:
            key = table.value(row, "competency").strip()
            field = table.value(row, "field").strip().lower() or "summary"
            if not key:
                self._level_row(section, table, row, field, level_cols)
                continue
            if field not in COMPETENCY_FIELDS:
                raise self.fail(
                    section,
                    row,
                    "matrix.field",
                    f"unknown field '{field}' (use {', '.join(COMPETENCY_FIELDS)})",
                )
            if not blocks or blocks[-1][0]["key"] != key:
                competency = self._competency(section, table, row, len(competencies))
                competencies.append(competency)
                blocks.append((competency, {}))
            blocks[-1][1].setdefault(field, []).append(row)
        self._finish_levels(section)
        expectations: list[dict[str, Any]] = []
        for competency, fields in blocks:
            expectations += self._expectations(section, competency, fields, level_cols)
        return competencies, expectations

    def _level_row(
        self,
        section: Section,
        table: _Table,
        row: SheetRow,
        field: str,
        level_cols: list[tuple[int, str]],
    ) -> None:
        if row.blank:
            return
        if field not in LEVEL_FIELDS:
            raise self.fail(
                section,
                row,
                "matrix.competency",
                f"a row without a competency key must describe levels"
                f" ({', '.join(LEVEL_FIELDS)}), not '{field}'",
            )
        for index, key in level_cols:
            value = row.get(index)
            if field == "track":
                if value.strip():
                    self.level_track[key] = value.strip()
            elif field == "rank":
                if number(value) is not None:
                    self.levels[key]["rank"] = number(value)
            elif value:
                self.levels[key][field] = value

    def _finish_levels(self, section: Section) -> None:
        for key, level in self.levels.items():
            if not level.get("title"):
                level["title"] = level.get("code") or key
                self.warnings.append(
                    Issue(
                        "matrix.title",
                        f"level '{key}' has no title: using '{level['title']}'",
                        self.level_lines[key][0],
                        "warning",
                        section.file or self.file,
                    )
                )

    def _competency(
        self, section: Section, table: _Table, row: SheetRow, index: int
    ) -> dict[str, Any]:
        self.at(("competencies", index), row, section)
        competency: dict[str, Any] = {"key": table.value(row, "competency").strip()}
        competency["name"] = table.value(row, "name")
        for name in ("area", "kind"):
            competency[name] = table.value(row, name).strip()
        weight = number(table.value(row, "weight"))
        if weight is not None:
            competency["weight"] = weight
        if table.value(row, "description"):
            competency["description"] = table.value(row, "description")
        return competency

    def _expectations(
        self,
        section: Section,
        competency: dict[str, Any],
        fields: dict[str, list[SheetRow]],
        level_cols: list[tuple[int, str]],
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        marked = "expected" in fields
        for index, level in level_cols:
            cell = self._cell(fields, index)
            expected = cell["expected"].strip().lower()
            has_content = any(cell[k] for k in ("summary", "step", "signals", "examples"))
            if not expected and not has_content:
                continue
            if expected and expected not in _REQUIRED and expected != "optional":
                row = fields["expected"][0]
                raise self.fail(
                    section,
                    row,
                    "matrix.expected",
                    f"'{cell['expected']}' in column '{level}': use required, optional"
                    " or leave it blank",
                )
            if marked and not expected:
                self.warn(
                    section,
                    fields["summary"][0] if "summary" in fields else None,
                    "matrix.expected",
                    f"'{competency['key']}' has text at '{level}' but is not marked"
                    " expected there: read as required",
                )
            e: dict[str, Any] = {"competency": competency["key"], "level": level}
            for name in ("summary", "step", "signals", "examples"):
                if cell[name]:
                    e[name] = cell[name].strip() if name == "step" else cell[name]
            if expected == "optional":
                e["optional"] = True
            first_row = next(iter(fields.values()))[0]
            self.at(("expectations", self.expectation_count), first_row, section)
            self.expectation_count += 1
            out.append(e)
        return out

    @staticmethod
    def _cell(fields: dict[str, list[SheetRow]], index: int) -> dict[str, Any]:
        def first(name: str) -> str:
            rows = fields.get(name, [])
            return rows[0].get(index) if rows else ""

        def items(name: str) -> list[str]:
            return [r.get(index) for r in fields.get(name, []) if r.get(index).strip()]

        return {
            "summary": first("summary"),
            "expected": first("expected"),
            "step": first("step"),
            "signals": items("signal"),
            "examples": items("example"),
        }

    def _scales(self, section: Section | None, competencies: list[dict[str, Any]]) -> None:
        if section is None:
            return
        table = _Table(section)
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
            table = _Table(section)
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
            table = _Table(section)
            for row in table.rows:
                step = table.value(row, "step").strip()
                self.at(("level_rule", "step_points", step), row, section)
                rule["step_points"][step] = number(table.value(row, "points"))
        if "thresholds" in by_name:
            section = by_name["thresholds"]
            table = _Table(section)
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
            table = _Table(section)
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

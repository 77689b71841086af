"""Read the spreadsheet layout (see sheets.py) back into a framework document.

This module reads the matrix; sheets_sections.py reads the other sections.
"""

from __future__ import annotations

from typing import Any

from upward.engine.formats.sheets import (
    COMPETENCY_COLUMNS,
    COMPETENCY_FIELDS,
    LEVEL_FIELDS,
    Section,
    SheetRow,
)
from upward.engine.formats.sheets_sections import SectionReader, Table, number
from upward.engine.framework import ImportResult, parse_framework
from upward.engine.issues import FrameworkError, Issue

_REQUIRED = {"required", "yes", "x", "true", "✓", "✔"}


def read_sections(sections: list[Section], file: str, fmt: str) -> ImportResult:
    """Build and validate a framework from spreadsheet sections."""
    return _Reader(file).read(sections, fmt)


class _Reader(SectionReader):
    """Reads the matrix itself, then the other sections, into one document."""

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

    def _matrix(self, section: Section) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        table = Table(section)
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
        table: Table,
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
        self, section: Section, table: Table, row: SheetRow, index: int
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

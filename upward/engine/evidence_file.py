"""Evidence entries from a YAML or JSON file, for `upward packet` (no database).

The file is a list of entries:

    - key: checkout                      # unique in the file
      title: Led the checkout rewrite
      date: 2026-09-10                   # when it happened; not after today
      competencies: {delivery: ic4}      # what it shows: competency -> step
      impact: ...                        # optional, Markdown
      body: ...                          # optional, Markdown: what happened
      scope: organization                # optional
      metric: p95 latency                # optional, with `before` and `after`
      links: [{url: https://..., label: Pull request}]
      confirmations:
        - {by: Bob, relation: manager, steps: {delivery: ic4}}
      objective: Rewrite checkout        # optional: the objective it completes

Each entry is the member's claim for each competency it names (keyed
`evidence:<key>`); each confirmation is an independent signal from the person
who gave it (keyed by `by`), as docs/delta-policy.md ("Evidence") describes.
Every problem is reported with its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from upward.engine.delta import Signal, Source, Target
from upward.engine.framework.models import FrameworkDocument
from upward.engine.issues import FrameworkError, Issue, Loc, error, format_loc
from upward.engine.level_steps import step_for
from upward.engine.packet import Confirmer, EvidenceInput
from upward.engine.sourcemap import SourceMap, load_json, load_yaml

FIELDS = {
    "key",
    "title",
    "date",
    "competencies",
    "impact",
    "body",
    "scope",
    "metric",
    "before",
    "after",
    "links",
    "confirmations",
    "objective",
}
TEXTS = ("impact", "body", "scope", "metric", "before", "after", "objective")
CONFIRMATION_FIELDS = {"by", "relation", "steps"}
LINK_FIELDS = {"url", "label"}
RELATIONS = ("manager", "peer", "mentor", "collaborator")


def read_evidence(
    text: str,
    filename: str,
    *,
    targets: Sequence[Target],
    today: date,
    framework: FrameworkDocument | None = None,
) -> tuple[list[EvidenceInput], list[Signal]]:
    """Parse an evidence file against the delta's targets (competencies and steps).

    Returns the entries and the signals they imply; raises FrameworkError listing
    every bad entry with its line. With `framework`, a level key given for a
    competency with its own scale reads as the step that level expects."""
    loader = load_json if text.lstrip().startswith("[") else load_yaml
    data, smap, _warnings = loader(text)
    if not isinstance(data, list):
        raise FrameworkError.single(
            "an evidence file is a list of {key, title, date, competencies, ...}",
            line=smap.line_for(()),
            file=filename,
        )
    reader = _Reader(smap, {t.key: t for t in targets}, today, framework)
    entries: list[EvidenceInput] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        entry = reader.entry(item, index)
        if entry is None:
            continue
        if entry.key in seen:
            reader.bad((index, "key"), f"'{entry.key}' is the key of an earlier entry")
            continue
        seen.add(entry.key)
        entries.append(entry)
    if reader.issues:
        raise FrameworkError([i.located(file=filename) for i in reader.issues])
    return entries, signals_of(entries)


def signals_of(entries: Sequence[EvidenceInput]) -> list[Signal]:
    """The delta's signals of the entries: a claim per competency, keyed by the entry,
    and a confirmation per confirmed competency, keyed by who confirmed it."""
    out = []
    for entry in entries:
        for competency, step in entry.steps.items():
            out.append(
                Signal(
                    competency, step, Source.EVIDENCE, f"evidence:{entry.key}", entry.happened_on
                )
            )
        for competency, confirmer in entry.confirmations:
            out.append(
                Signal(
                    competency,
                    confirmer.step,
                    Source.EVIDENCE,
                    confirmer.name,
                    entry.happened_on,
                    confirmed=True,
                )
            )
    return out


class _Reader:
    """Reads entries one by one, collecting every problem with its line."""

    def __init__(
        self,
        smap: SourceMap,
        targets: dict[str, Target],
        today: date,
        framework: FrameworkDocument | None,
    ) -> None:
        self.smap = smap
        self.targets = targets
        self.today = today
        self.framework = framework
        self.issues: list[Issue] = []

    def bad(self, loc: Loc, message: str) -> None:
        self.issues.append(error(format_loc(("evidence", *loc)), message, self.smap.line_for(loc)))

    def entry(self, item: Any, index: int) -> EvidenceInput | None:
        if not isinstance(item, dict):
            self.bad((index,), "each entry is a mapping")
            return None
        before = len(self.issues)
        for extra in sorted(set(item) - FIELDS, key=str):
            self.bad((index, extra), f"unknown field (use {', '.join(sorted(FIELDS))})")
        key = self._required_text(item, index, "key")
        title = self._required_text(item, index, "title")
        happened_on = self._date(item, index)
        steps = self._steps(item.get("competencies"), (index, "competencies"), None)
        texts = {name: self._text(item, index, name) for name in TEXTS}
        links = self._links(item.get("links"), index)
        confirmations = self._confirmations(item.get("confirmations"), index, steps)
        if len(self.issues) > before or not (key and title and happened_on and steps):
            return None
        return EvidenceInput(
            key=key,
            title=title,
            happened_on=happened_on,
            steps=steps,
            impact=texts["impact"],
            body=texts["body"],
            scope=texts["scope"],
            metric=texts["metric"],
            metric_before=texts["before"],
            metric_after=texts["after"],
            links=links,
            confirmations=confirmations,
            objective=texts["objective"],
        )

    def _required_text(self, item: dict[str, Any], index: int, name: str) -> str:
        value = item.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.bad((index, name), "is missing")
            return ""
        if isinstance(value, dict | list):
            self.bad((index, name), "is a text")
            return ""
        return " ".join(str(value).split())

    def _text(self, item: dict[str, Any], index: int, name: str) -> str:
        value = item.get(name)
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.bad((index, name), "is a text")
            return ""
        return str(value).strip()

    def _date(self, item: dict[str, Any], index: int) -> date | None:
        value = item.get("date")
        if value in (None, ""):
            self.bad((index, "date"), "is missing")
            return None
        day = value if isinstance(value, date) else None
        if day is None:
            try:
                day = date.fromisoformat(str(value))
            except ValueError:
                self.bad((index, "date"), f"'{value}' is not a date (use YYYY-MM-DD)")
                return None
        if day > self.today:
            self.bad(
                (index, "date"), f"{day.isoformat()} is after today ({self.today.isoformat()})"
            )
            return None
        return day

    def _steps(self, value: Any, loc: Loc, allowed: dict[str, str] | None) -> dict[str, str] | None:
        """A {competency: step} mapping, each checked against the framework; with
        `allowed`, only competencies the entry names."""
        if value in (None, {}):
            self.bad(loc, "is missing (a mapping of competency to step)")
            return None
        if not isinstance(value, dict):
            self.bad(loc, "is a mapping of competency to step")
            return None
        out: dict[str, str] = {}
        for competency, step in value.items():
            where = (*loc, str(competency))
            target = self.targets.get(str(competency))
            if target is None:
                self.bad(where, f"unknown competency '{competency}'")
                continue
            if allowed is not None and target.key not in allowed:
                names = ", ".join(allowed) or "none"
                self.bad(where, f"'{target.key}' is not a competency of the entry ({names})")
                continue
            if isinstance(step, dict | list) or step in (None, ""):
                self.bad(where, "is a step (a level key or a step of the competency's scale)")
                continue
            given = str(step)
            found = step_for(self.framework, target.key, given) if self.framework else given
            if found not in target.steps:
                self.bad(
                    where,
                    f"'{given}' is not a step of '{target.key}' (steps: {', '.join(target.steps)})",
                )
                continue
            out[target.key] = found
        return out

    def _links(self, value: Any, index: int) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.bad((index, "links"), "is a list of {url, label}")
            return ()
        out = []
        for n, link in enumerate(value):
            loc: Loc = (index, "links", n)
            if not isinstance(link, dict):
                self.bad(loc, "each link is a mapping {url, label}")
                continue
            for extra in sorted(set(link) - LINK_FIELDS, key=str):
                self.bad((*loc, extra), "unknown field (use label, url)")
            url = str(link.get("url") or "").strip()
            if not url.startswith(("https://", "http://")) or len(url.split()) != 1:
                self.bad((*loc, "url"), f"'{url}' is not a web address (http:// or https://)")
                continue
            label = link.get("label")
            if isinstance(label, dict | list):
                self.bad((*loc, "label"), "is a text")
                continue
            out.append((" ".join(str(label or "").split()), url))
        return tuple(out)

    def _confirmations(
        self, value: Any, index: int, steps: dict[str, str] | None
    ) -> tuple[tuple[str, Confirmer], ...]:
        """Who confirmed the entry, at which steps; only competencies the entry names
        (when those could be read)."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.bad((index, "confirmations"), "is a list of {by, relation, steps}")
            return ()
        out: list[tuple[str, Confirmer]] = []
        people: set[str] = set()
        for n, item in enumerate(value):
            loc: Loc = (index, "confirmations", n)
            if not isinstance(item, dict):
                self.bad(loc, "each confirmation is a mapping {by, relation, steps}")
                continue
            for extra in sorted(set(item) - CONFIRMATION_FIELDS, key=str):
                self.bad((*loc, extra), "unknown field (use by, relation, steps)")
            by = " ".join(str(item.get("by") or "").split())
            if not by or isinstance(item.get("by"), dict | list):
                self.bad((*loc, "by"), "is missing (who confirmed the entry)")
            elif by.casefold() in people:
                self.bad((*loc, "by"), f"{by} confirmed this entry already")
            people.add(by.casefold())
            relation = str(item.get("relation") or "")
            if relation not in RELATIONS:
                shown = f"'{relation}' is not" if relation else "is missing:"
                self.bad((*loc, "relation"), f"{shown} a relation (use {', '.join(RELATIONS)})")
            confirmed = self._steps(item.get("steps"), (*loc, "steps"), steps or None)
            if not by or relation not in RELATIONS or not confirmed:
                continue
            out += [(c, Confirmer(by, relation, step)) for c, step in confirmed.items()]
        return tuple(out)

"""Reading a record file: its JSON, checked whole into a plan that is ready to write."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from upward.assessments.models import Source
from upward.core.errors import Invalid
from upward.core.visibility import Tier
from upward.engine.limits import LimitExceeded, check_json_shape
from upward.evidence.models import Relation
from upward.evidence.selectors.record import SCHEMA_VERSION
from upward.evidence.services.record.fields import (
    _choice,
    _day,
    _email,
    _fail,
    _links,
    _list,
    _moment,
    _obj,
    _strings,
    _text,
    _web_address,
)
from upward.evidence.services.record.frameworks import _Framework, _framework_of, _frameworks
from upward.roadmaps.models import Kind, Status


def read_record_file(raw: bytes) -> Any:
    """The JSON of an uploaded record, refused before parsing when too deep or too large."""
    try:
        check_json_shape(raw)
        return json.loads(raw)
    except LimitExceeded as error:
        raise Invalid(f"The record {error}.", field="record") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise Invalid(
            f"The file is not a JSON record exported from Upward ({error}).", field="record"
        ) from None


@dataclass
class _Plan:
    """The checked document, ready to write."""

    frameworks: dict[str, _Framework]
    placements: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    packets: list[dict[str, Any]] = field(default_factory=list)
    placement_refs: dict[str, _Framework] = field(default_factory=dict)


def _check_version(data: dict[str, Any]) -> None:
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(
            "schema_version",
            f"expected a whole number; this instance reads version {SCHEMA_VERSION}.",
        )
    if version > SCHEMA_VERSION:
        raise Invalid(
            f"schema_version: this record was written by a newer Upward (schema version "
            f"{version}); this instance reads schema version {SCHEMA_VERSION}. Import it on an "
            "instance that is up to date.",
            field="schema_version",
        )


def _read(data: Any) -> _Plan:
    data = _obj(data, "record")
    _check_version(data)
    plan = _Plan(frameworks=_frameworks(data))
    _read_placements(plan, data)
    _read_signals(plan, data)
    objective_refs = _read_objectives(plan, data)
    post_refs = _read_threads(plan, data, objective_refs)
    entry_refs = _read_entries(plan, data, objective_refs, post_refs)
    _read_packets(plan, data, objective_refs, entry_refs)
    return plan


def _read_placements(plan: _Plan, data: dict[str, Any]) -> None:
    for i, raw in enumerate(_list(data.get("placements"), "placements")):
        path = f"placements[{i}]"
        item = _obj(raw, path)
        ref = _text(item, "ref", path, required=True)
        fw = _framework_of(plan.frameworks, item.get("framework"), f"{path}.framework")
        tracks = {t.key: {lv.key for lv in fw.doc.levels_of(t.key)} for t in fw.doc.tracks}
        track = _choice(item, "track", path, tracks, "")
        target_track = _choice(item, "target_track", path, tracks, track)
        levels = {
            "track": track,
            "current_level": _choice(item, "current_level", path, tracks[track], ""),
            "target_track": target_track,
            "target_level": _choice(item, "target_level", path, tracks[target_track], ""),
        }
        plan.placements.append(
            {
                "ref": ref,
                "framework": fw,
                **levels,
                "is_active": bool(item.get("is_active", False)),
                "created_at": _moment(item, "created_at", path),
            }
        )
        plan.placement_refs[ref] = fw


def _placement_of(plan: _Plan, value: Any, path: str) -> str:
    if not isinstance(value, str) or value not in plan.placement_refs:
        raise _fail(path, f"'{value}' names no placement of the record.")
    return value


def _read_signals(plan: _Plan, data: dict[str, Any]) -> None:
    for i, raw in enumerate(_list(data.get("ratings_received"), "ratings_received")):
        path = f"ratings_received[{i}]"
        item = _obj(raw, path)
        fw = _framework_of(plan.frameworks, item.get("framework"), f"{path}.framework")
        competency = fw.check_competency(item.get("competency"), f"{path}.competency")
        sometimes = item.get("sometimes_step") or ""
        plan.signals.append(
            {
                "framework": fw,
                "competency": competency,
                "step": fw.check_step(competency, item.get("step"), f"{path}.step"),
                "sometimes_step": fw.check_step(competency, sometimes, f"{path}.sometimes_step")
                if sometimes
                else "",
                "source": _choice(item, "source", path, Source.values, ""),
                # A source key holds 100 characters: "name:" and the name's first 95.
                "rater": _text(item, "rater", path, required=True)[:95],
                "comment": _text(item, "comment", path),
                "observed_on": _day(item, "observed_on", path, required=True),
            }
        )


def _read_objectives(plan: _Plan, data: dict[str, Any]) -> set[str]:
    refs = set()
    for i, raw in enumerate(_list(data.get("roadmap"), "roadmap")):
        path = f"roadmap[{i}]"
        item = _obj(raw, path)
        placement = _placement_of(plan, item.get("placement"), f"{path}.placement")
        fw = plan.placement_refs[placement]
        competencies = _strings(item, "competencies", path)
        for j, key in enumerate(competencies):
            fw.check_competency(key, f"{path}.competencies[{j}]")
        status = _choice(item, "status", path, Status.values, Status.PLANNED)
        dropped_reason = _text(item, "dropped_reason", path)
        if status == Status.DROPPED and not dropped_reason.strip():
            raise _fail(f"{path}.dropped_reason", "a dropped objective needs its reason.")
        quarter = _text(item, "quarter", path, limit=7)
        due_on = _day(item, "due_on", path)
        if quarter and due_on is None:
            raise _fail(f"{path}.due_on", "an objective with a quarter needs its last day.")
        milestones = []
        for j, m in enumerate(_list(item.get("milestones"), f"{path}.milestones")):
            where = f"{path}.milestones[{j}]"
            m = _obj(m, where)
            milestones.append(
                {
                    "title": _text(m, "title", where, limit=300, required=True),
                    "due_on": _day(m, "due_on", where),
                    "done_at": _moment(m, "done_at", where),
                }
            )
        stakeholders = []
        for j, s in enumerate(_list(item.get("stakeholders"), f"{path}.stakeholders")):
            where = f"{path}.stakeholders[{j}]"
            s = _obj(s, where)
            stakeholders.append(
                {
                    "name": _text(s, "name", where, limit=200, required=True),
                    "email": _email(s, where),
                }
            )
        ref = _text(item, "ref", path, required=True)
        refs.add(ref)
        plan.objectives.append(
            {
                "ref": ref,
                "placement": placement,
                "title": _text(item, "title", path, limit=300, required=True),
                "description": _text(item, "description", path),
                "kind": _choice(item, "kind", path, Kind.values, Kind.INITIATIVE),
                "competencies": competencies,
                "target_step": _text(item, "target_step", path, limit=100),
                "success_criteria": _strings(item, "success_criteria", path),
                "due_on": due_on,
                "quarter": quarter,
                "status": status,
                "dropped_reason": dropped_reason,
                "completion_link": _web_address(item, "completion_link", path)[:500],
                "completion_note": _text(item, "completion_note", path),
                "visibility": _choice(item, "visibility", path, Tier.values, Tier.MANAGER),
                "created_at": _moment(item, "created_at", path),
                "started_at": _moment(item, "started_at", path),
                "completed_at": _moment(item, "completed_at", path),
                "milestones": milestones,
                "stakeholders": stakeholders,
            }
        )
    return refs


def _optional_ref(item: dict[str, Any], key: str, path: str, known: set[str]) -> str | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    if value not in known:
        raise _fail(f"{path}.{key}", f"'{value}' names nothing in the record.")
    return str(value)


def _read_threads(plan: _Plan, data: dict[str, Any], objective_refs: set[str]) -> set[str]:
    """Threads with the member's own posts; others' replies stay behind (a post must
    have an author on this instance)."""
    known = {c for fw in plan.frameworks.values() for c in fw.competencies}
    post_refs = set()
    for i, raw in enumerate(_list(data.get("threads"), "threads")):
        path = f"threads[{i}]"
        item = _obj(raw, path)
        competencies = _strings(item, "competencies", path)
        for j, key in enumerate(competencies):
            if key not in known:
                raise _fail(
                    f"{path}.competencies[{j}]",
                    f"'{key}' is not a competency key of any framework in the record.",
                )
        posts = []
        for j, p in enumerate(_list(item.get("posts"), f"{path}.posts")):
            where = f"{path}.posts[{j}]"
            p = _obj(p, where)
            ref = _text(p, "ref", where, required=True)
            # An entry may name any post of the record; only the member's own come along.
            post_refs.add(ref)
            if not p.get("mine"):
                continue
            posts.append(
                {
                    "ref": ref,
                    "is_update": bool(p.get("is_update", False)),
                    "body": _text(p, "body", where, required=True),
                    "created_at": _moment(p, "created_at", where),
                    "edited_at": _moment(p, "edited_at", where),
                }
            )
        plan.threads.append(
            {
                "title": _text(item, "title", path, limit=200, required=True),
                "competencies": competencies,
                "objective": _optional_ref(item, "objective", path, objective_refs),
                "visibility": _choice(item, "visibility", path, Tier.values, Tier.ORGANIZATION),
                "created_at": _moment(item, "created_at", path),
                "posts": posts,
            }
        )
    return post_refs


def _read_entries(
    plan: _Plan, data: dict[str, Any], objective_refs: set[str], post_refs: set[str]
) -> set[str]:
    refs = set()
    for i, raw in enumerate(_list(data.get("evidence"), "evidence")):
        path = f"evidence[{i}]"
        item = _obj(raw, path)
        placement = _placement_of(plan, item.get("placement"), f"{path}.placement")
        fw = plan.placement_refs[placement]
        claimed: dict[str, str] = {}
        for j, c in enumerate(_list(item.get("competencies"), f"{path}.competencies")):
            where = f"{path}.competencies[{j}]"
            c = _obj(c, where)
            key = fw.check_competency(c.get("competency"), f"{where}.competency")
            claimed[key] = fw.check_step(key, c.get("step"), f"{where}.step")
        if not claimed:
            raise _fail(f"{path}.competencies", "an entry shows at least one competency.")
        confirmations = []
        for j, c in enumerate(_list(item.get("confirmations"), f"{path}.confirmations")):
            where = f"{path}.confirmations[{j}]"
            c = _obj(c, where)
            steps = _obj(c.get("steps", {}), f"{where}.steps")
            for key, step in steps.items():
                if key not in claimed:
                    raise _fail(
                        f"{where}.steps.{key}", f"'{key}' is not a competency of the entry."
                    )
                fw.check_step(key, step, f"{where}.steps.{key}")
            confirmations.append(
                {
                    "by": _text(c, "by", where, required=True)[:95],
                    "relation": _choice(c, "relation", where, Relation.values, Relation.PEER),
                    "steps": dict(steps),
                    "note": _text(c, "note", where),
                    "created_at": _moment(c, "created_at", where),
                }
            )
        links = _links(item, path)
        ref = _text(item, "ref", path, required=True)
        refs.add(ref)
        plan.entries.append(
            {
                "ref": ref,
                "placement": placement,
                "objective": _optional_ref(item, "objective", path, objective_refs),
                "post": _optional_ref(item, "post", path, post_refs),
                "title": _text(item, "title", path, limit=300, required=True),
                "body": _text(item, "body", path),
                "impact": _text(item, "impact", path),
                "scope": _text(item, "scope", path, limit=100),
                "metric": _text(item, "metric", path, limit=200),
                "metric_before": _text(item, "metric_before", path, limit=100),
                "metric_after": _text(item, "metric_after", path, limit=100),
                "links": links,
                "vouchers": _strings(item, "vouchers", path),
                "happened_on": _day(item, "happened_on", path, required=True),
                "competencies": [{"competency": k, "step": s} for k, s in claimed.items()],
                "visibility": _choice(item, "visibility", path, Tier.values, Tier.MANAGER),
                "created_at": _moment(item, "created_at", path),
                "confirmations": confirmations,
            }
        )
    return refs


def _read_packets(
    plan: _Plan, data: dict[str, Any], objective_refs: set[str], entry_refs: set[str]
) -> None:
    for i, raw in enumerate(_list(data.get("packets"), "packets")):
        path = f"packets[{i}]"
        item = _obj(raw, path)
        given = _obj(item.get("choices", {}), f"{path}.choices")
        choices: dict[str, Any] = {}
        for name, known in (("entries", entry_refs), ("objectives", objective_refs)):
            if name in given:
                refs = _strings(given, name, f"{path}.choices")
                for j, ref in enumerate(refs):
                    if ref not in known:
                        raise _fail(
                            f"{path}.choices.{name}[{j}]", f"'{ref}' names nothing in the record."
                        )
                choices[name] = refs
        if "quotes" in given:
            # Written answers are not imported, so a packet that chose some keeps none.
            choices["quotes"] = []
        if "anonymous" in given:
            choices["anonymous"] = bool(given["anonymous"])
        plan.packets.append(
            {
                "placement": _placement_of(plan, item.get("placement"), f"{path}.placement"),
                "title": _text(item, "title", path, limit=200, required=True),
                "summary": _text(item, "summary", path),
                "choices": choices,
                "created_at": _moment(item, "created_at", path),
            }
        )

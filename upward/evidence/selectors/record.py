"""The person's record: everything they put in or received, as one JSON document
(docs/record.schema.json) and as a readable zip.

Anonymous feedback appears only as the anonymity rule lets the person see it
(upward.core.anonymity, through the delta): released aggregates per competency and
released open answers sorted by their text, never one anonymous rating, its key,
its date or its order. Objects refer to each other by refs local to the document
("placement-1", "entry-3"), never by database ids.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from upward.accounts.models import Membership, User
from upward.assessments.models import FeedbackResponse, Placement, Signal
from upward.assessments.selectors import deltas_for
from upward.evidence.models import Confirmation, Entry, Packet, Post, Thread
from upward.frameworks.models import FrameworkVersion
from upward.roadmaps.models import Objective

__all__ = [
    "ERASED_ADDRESS",
    "FORMER_MEMBER",
    "SCHEMA_VERSION",
    "export_record",
    "rater_name",
    "record_zip",
]

SCHEMA_VERSION = 1
# How someone whose account was deleted is named wherever their contribution stays.
FORMER_MEMBER = "A former member"
# Source keys of raters known only by name: imported from another instance.
NAME_KEY = "name:"
ERASED_KEY = "erased:"
# Where a request to a deleted person points: a reserved domain that mail never reaches.
ERASED_ADDRESS = "former-member@erased.invalid"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def rater_name(*, rater: User | None, source_key: str) -> str:
    """What to call whoever gave a signal: their name, the name or address it was
    imported or asked with, or a former member."""
    if rater is not None:
        return rater.display_name
    if source_key.startswith(NAME_KEY):
        return source_key.removeprefix(NAME_KEY)
    if source_key.startswith("email:"):
        return source_key.removeprefix("email:")
    return FORMER_MEMBER


class _Refs:
    """Document-local names for rows, given in the order rows are met."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.by_id: dict[int, str] = {}

    def add(self, pk: int) -> str:
        ref = f"{self.kind}-{len(self.by_id) + 1}"
        self.by_id[pk] = ref
        return ref

    def get(self, pk: int | None) -> str | None:
        return self.by_id.get(pk) if pk is not None else None

    def of(self, ids: Iterable[Any]) -> list[str]:
        return [self.by_id[i] for i in ids if isinstance(i, int) and i in self.by_id]


def export_record(user: User) -> dict[str, Any]:
    """Everything `user` put in or received, as plain JSON data (schema_version 1)."""
    placements = list(
        Placement.objects.filter(user=user)
        .select_related("version__framework", "organization")
        .order_by("created_at", "id")
    )
    place_refs = _Refs("placement")
    for p in placements:
        place_refs.add(p.pk)
    objectives, objective_refs = _objectives(user, place_refs)
    threads, post_refs, thread_refs = _threads(user, objective_refs)
    entries, entry_refs = _entries(user, place_refs, objective_refs, post_refs)
    feedback, answer_refs = _feedback(user, placements, place_refs)
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "person": {
            "name": user.name,
            "email": user.email,
            "time_zone": user.time_zone,
            "languages": list(user.languages),
        },
        "frameworks": _frameworks(user, placements),
        "organizations": _organizations(user),
        "placements": [_placement(p, place_refs) for p in placements],
        "ratings_received": _ratings_received(user),
        "anonymous_ratings": _anonymous_ratings(user, placements, place_refs),
        "ratings_given": _ratings_given(user),
        "feedback": feedback,
        "roadmap": objectives,
        "evidence": entries,
        "confirmations_given": _confirmations_given(user),
        "threads": threads,
        "posts_elsewhere": _posts_elsewhere(user, thread_refs),
        "packets": _packets(user, place_refs, entry_refs, objective_refs, answer_refs),
    }


def _frameworks(user: User, placements: list[Placement]) -> list[dict[str, Any]]:
    """Every framework version the record refers to, once by content hash."""
    version_ids = {p.version_id for p in placements}
    version_ids |= set(
        Signal.objects.filter(Q(subject=user) | Q(rater=user)).values_list("version_id", flat=True)
    )
    versions = FrameworkVersion.objects.filter(pk__in=version_ids).select_related("framework")
    out: dict[str, dict[str, Any]] = {}
    for v in versions.order_by("framework__key", "number", "id"):
        out.setdefault(
            v.content_hash,
            {
                "content_hash": v.content_hash,
                "key": v.framework.key,
                "name": v.document.get("name", v.framework.name),
                "document": v.document,
            },
        )
    return list(out.values())


def _organizations(user: User) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return [
        {
            "name": m.organization.name,
            "slug": m.organization.slug,
            "is_personal": m.organization.is_personal,
            "role": m.role,
            "joined_at": _moment(m.joined_at),
        }
        for m in memberships.order_by("joined_at", "id")
    ]


def _placement(p: Placement, refs: _Refs) -> dict[str, Any]:
    return {
        "ref": refs.by_id[p.pk],
        "organization": p.organization.name,
        "framework": p.version.content_hash,
        "track": p.track,
        "current_level": p.current_level,
        "target_track": p.target_track,
        "target_level": p.target_level,
        "is_active": p.is_active,
        "created_at": _moment(p.created_at),
    }


def _signal(s: Signal) -> dict[str, Any]:
    return {
        "organization": s.organization.name,
        "framework": s.version.content_hash,
        "competency": s.competency,
        "step": s.step,
        "sometimes_step": s.sometimes_step,
        "source": s.source,
        "comment": s.comment,
        "observed_on": _day(s.observed_on),
    }


def _ratings_received(user: User) -> list[dict[str, Any]]:
    """Attributed signals about the person, with who gave them. Anonymous ones are
    left out (see `_anonymous_ratings`), and so are the signals evidence wrote (they
    travel with their entries)."""
    rows = (
        Signal.objects.filter(subject=user, evidence_link__isnull=True)
        .exclude(source_key__startswith="anon:")
        .select_related("rater", "version", "organization")
        .order_by("created_at", "id")
    )
    return [
        {
            **_signal(s),
            "rater": "you"
            if s.rater_id == user.pk
            else rater_name(rater=s.rater, source_key=s.source_key),
        }
        for s in rows
    ]


def _anonymous_ratings(
    user: User, placements: list[Placement], refs: _Refs
) -> list[dict[str, Any]]:
    """Released anonymous ratings per placement and competency, as the delta shows them:
    a count, a spread over the steps, a median and how many see a higher step sometimes."""
    out = []
    reports = deltas_for(placements, viewer=user)
    for p in placements:
        for key, agg in sorted(reports[p.pk].anonymous.items()):
            out.append(
                {
                    "placement": refs.by_id[p.pk],
                    "competency": key,
                    "count": agg.count,
                    "distribution": [{"step": s, "count": n} for s, n in agg.distribution],
                    "median": agg.median,
                    "sometimes": agg.sometimes,
                }
            )
    return out


def _ratings_given(user: User) -> list[dict[str, Any]]:
    """Attributed ratings the person gave others (evidence confirmations are listed
    under confirmations_given instead)."""
    rows = (
        Signal.objects.filter(rater=user, evidence_link__isnull=True)
        .exclude(subject=user)
        .select_related("subject", "version", "organization")
        .order_by("created_at", "id")
    )
    return [{**_signal(s), "subject": s.subject.display_name} for s in rows]


def _feedback(user: User, placements: list[Placement], refs: _Refs) -> tuple[dict[str, Any], _Refs]:
    """Written answers: attributed ones received and given, and the anonymous ones
    released to the person (no name, relationship or date, sorted by their text)."""
    answer_refs = _Refs("answer")
    received = []
    rows = (
        FeedbackResponse.objects.filter(subject=user, anonymous=False)
        .select_related("request__rater")
        .order_by("answered_on", "id")
    )
    for r in rows:
        request = r.request
        who = ""
        if request is not None and request.rater is not None:
            who = request.rater.display_name
        elif request is not None and request.rater_email != ERASED_ADDRESS:
            who = request.rater_email
        received.append(
            {
                "ref": answer_refs.add(r.pk),
                "placement": refs.get(r.placement_id),
                "from": who or FORMER_MEMBER,
                "relationship": r.relationship,
                "consistent_at": r.consistent_at,
                "biggest_gap": r.biggest_gap,
                "answered_on": _day(r.answered_on),
            }
        )
    given = [
        {
            "to": r.subject.display_name,
            "relationship": r.relationship,
            "consistent_at": r.consistent_at,
            "biggest_gap": r.biggest_gap,
            "answered_on": _day(r.answered_on),
        }
        for r in FeedbackResponse.objects.filter(request__rater=user, anonymous=False)
        .select_related("subject")
        .order_by("answered_on", "id")
    ]
    return {
        "received": received,
        "anonymous_received": _anonymous_answers(user, placements),
        "given": given,
    }, answer_refs


def _anonymous_answers(user: User, placements: list[Placement]) -> list[dict[str, str]]:
    """Released anonymous open answers, once per organization, sorted by their text."""
    first: dict[int, Placement] = {}
    for p in placements:
        first.setdefault(p.organization_id, p)
    reports = deltas_for(list(first.values()), viewer=user)
    out = []
    for report in reports.values():
        for q in report.quotes:
            if q["who"] == "anonymous":
                out.append({"consistent_at": q["consistent_at"], "biggest_gap": q["biggest_gap"]})
    return sorted(out, key=lambda q: (q["consistent_at"], q["biggest_gap"]))


def _objectives(user: User, place_refs: _Refs) -> tuple[list[dict[str, Any]], _Refs]:
    refs = _Refs("objective")
    rows = (
        Objective.objects.filter(owner=user)
        .prefetch_related("milestones", "stakeholders")
        .order_by("created_at", "id")
    )
    out = []
    for o in rows:
        out.append(
            {
                "ref": refs.add(o.pk),
                "placement": place_refs.get(o.placement_id),
                "title": o.title,
                "description": o.description,
                "kind": o.kind,
                "competencies": list(o.competencies),
                "target_step": o.target_step,
                "success_criteria": list(o.success_criteria),
                "due_on": _day(o.due_on),
                "quarter": o.quarter,
                "status": o.status,
                "dropped_reason": o.dropped_reason,
                "completion_link": o.completion_link,
                "completion_note": o.completion_note,
                "visibility": o.visibility,
                "created_at": _moment(o.created_at),
                "started_at": _moment(o.started_at),
                "completed_at": _moment(o.completed_at),
                "milestones": [
                    {"title": m.title, "due_on": _day(m.due_on), "done_at": _moment(m.done_at)}
                    for m in o.milestones.all()
                ],
                "stakeholders": [{"name": s.name, "email": s.email} for s in o.stakeholders.all()],
            }
        )
    return out, refs


def _threads(user: User, objective_refs: _Refs) -> tuple[list[dict[str, Any]], _Refs, _Refs]:
    """The person's threads with every post on them, as the owner sees them."""
    thread_refs, post_refs = _Refs("thread"), _Refs("post")
    posts = Post.objects.select_related("author").annotate(reacted=Count("reactions"))
    rows = (
        Thread.objects.filter(owner=user)
        .select_related("organization")
        .prefetch_related(Prefetch("posts", queryset=posts.order_by("created_at", "id")))
        .order_by("created_at", "id")
    )
    out = []
    for t in rows:
        out.append(
            {
                "ref": thread_refs.add(t.pk),
                "organization": t.organization.name,
                "title": t.title,
                "competencies": list(t.competencies),
                "objective": objective_refs.get(t.objective_id),
                "visibility": t.visibility,
                "created_at": _moment(t.created_at),
                "posts": [_post(p, user, post_refs) for p in t.posts.all()],
            }
        )
    return out, post_refs, thread_refs


def _post(p: Post, user: User, refs: _Refs) -> dict[str, Any]:
    mine = p.author_id == user.pk
    return {
        "ref": refs.add(p.pk),
        "author": "you" if mine else (p.author.display_name if p.author else FORMER_MEMBER),
        "mine": mine,
        "is_update": p.is_update,
        "body": p.body,
        "created_at": _moment(p.created_at),
        "edited_at": _moment(p.edited_at),
        "reactions": p.reacted,  # type: ignore[attr-defined]
    }


def _posts_elsewhere(user: User, thread_refs: _Refs) -> list[dict[str, Any]]:
    rows = (
        Post.objects.filter(author=user)
        .exclude(thread__owner=user)
        .select_related("thread__owner")
        .order_by("created_at", "id")
    )
    return [
        {
            "thread": p.thread.title,
            "thread_owner": p.thread.owner.display_name,
            "is_update": p.is_update,
            "body": p.body,
            "created_at": _moment(p.created_at),
            "edited_at": _moment(p.edited_at),
        }
        for p in rows
    ]


def _entries(
    user: User, place_refs: _Refs, objective_refs: _Refs, post_refs: _Refs
) -> tuple[list[dict[str, Any]], _Refs]:
    refs = _Refs("entry")
    confirmations = Confirmation.objects.select_related("by").prefetch_related(
        "signal_links__signal"
    )
    rows = (
        Entry.objects.filter(owner=user)
        .prefetch_related(Prefetch("confirmations", queryset=confirmations), "collaborators__user")
        .order_by("created_at", "id")
    )
    out = []
    for e in rows:
        out.append(
            {
                "ref": refs.add(e.pk),
                "placement": place_refs.get(e.placement_id),
                "objective": objective_refs.get(e.objective_id),
                "post": post_refs.get(e.post_id),
                "title": e.title,
                "body": e.body,
                "impact": e.impact,
                "scope": e.scope,
                "metric": e.metric,
                "metric_before": e.metric_before,
                "metric_after": e.metric_after,
                "links": list(e.links),
                "vouchers": list(e.vouchers),
                "happened_on": _day(e.happened_on),
                "competencies": list(e.competencies),
                "visibility": e.visibility,
                "created_at": _moment(e.created_at),
                "confirmations": [_confirmation(c) for c in e.confirmations.all()],
                "collaborators": [
                    {"name": c.user.display_name, "status": c.status} for c in e.collaborators.all()
                ],
            }
        )
    return out, refs


def _confirmation(c: Confirmation) -> dict[str, Any]:
    if c.by is not None:
        by = c.by.display_name
    else:
        keys = [link.signal.source_key for link in c.signal_links.all()]
        by = rater_name(rater=None, source_key=keys[0]) if keys else FORMER_MEMBER
    return {
        "by": by,
        "relation": c.relation,
        "steps": dict(c.steps),
        "note": c.note,
        "created_at": _moment(c.created_at),
    }


def _confirmations_given(user: User) -> list[dict[str, Any]]:
    rows = (
        Confirmation.objects.filter(by=user)
        .select_related("entry__owner")
        .order_by("created_at", "id")
    )
    return [
        {
            "entry": c.entry.title,
            "owner": c.entry.owner.display_name,
            "relation": c.relation,
            "steps": dict(c.steps),
            "note": c.note,
            "created_at": _moment(c.created_at),
        }
        for c in rows
    ]


def _packets(
    user: User, place_refs: _Refs, entry_refs: _Refs, objective_refs: _Refs, answer_refs: _Refs
) -> list[dict[str, Any]]:
    """Packets with their choices in refs. Share links are left out: only their
    secrets' hashes are kept, and a link means nothing on another instance."""
    out = []
    for p in Packet.objects.filter(owner=user).order_by("created_at", "id"):
        choices: dict[str, Any] = {}
        given = p.choices or {}
        for name, refs in (
            ("entries", entry_refs),
            ("objectives", objective_refs),
            ("quotes", answer_refs),
        ):
            if isinstance(given.get(name), list):
                choices[name] = refs.of(given[name])
        if "anonymous" in given:
            choices["anonymous"] = bool(given["anonymous"])
        out.append(
            {
                "placement": place_refs.get(p.placement_id),
                "title": p.title,
                "summary": p.summary,
                "choices": choices,
                "created_at": _moment(p.created_at),
            }
        )
    return out


# The readable bundle ------------------------------------------------------------------

SECTIONS = (
    ("placements", "Placements"),
    ("ratings_received", "Ratings received"),
    ("anonymous_ratings", "Anonymous ratings (released aggregates)"),
    ("ratings_given", "Ratings given"),
    ("roadmap", "Roadmap"),
    ("evidence", "Evidence"),
    ("confirmations_given", "Confirmations given"),
    ("threads", "Growth threads"),
    ("posts_elsewhere", "Replies on others' threads"),
    ("packets", "Promotion packets"),
)


def _lines(value: Any, depth: int) -> list[str]:
    """Nested Markdown bullets for a value of the record; empty values are left out."""
    pad = "  " * depth
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if item in (None, "", [], {}) or key in ("ref", "document"):
                continue
            if isinstance(item, dict | list):
                out += [f"{pad}- {key}:", *_lines(item, depth + 1)]
            else:
                out.append(f"{pad}- {key}: {item}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                inner = _lines(item, depth + 1)
                out += [f"{pad}-{inner[0].lstrip()[1:]}", *inner[1:]] if inner else []
            else:
                out.append(f"{pad}- {item}")
        return out
    return [f"{pad}- {value}"]


def section_markdown(title: str, items: list[dict[str, Any]]) -> str:
    """One part of the record as Markdown: a heading per item, its fields as bullets."""
    out = [f"# {title}", ""]
    for n, item in enumerate(items, 1):
        name = item.get("title") or item.get("competency") or item.get("thread") or "Item"
        out += [f"## {n}. {name}", "", *_lines(item, 0), ""]
    if not items:
        out.append("Nothing here.")
    return "\n".join(out) + "\n"


def record_zip(user: User) -> bytes:
    """The record as a zip: record.json, a README.md, a self-contained record.html and
    one Markdown file per section."""
    record = export_record(user)
    context = {"record": record, "sections": SECTIONS}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("record.json", json.dumps(record, indent=2, ensure_ascii=False))
        bundle.writestr("README.md", render_to_string("evidence/record_readme.md", context))
        bundle.writestr("record.html", render_to_string("evidence/record_bundle.html", context))
        for key, title in SECTIONS:
            bundle.writestr(f"sections/{key}.md", section_markdown(title, record[key]))
    return buffer.getvalue()

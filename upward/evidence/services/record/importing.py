"""Importing a record: writing the checked plan into a new personal space, all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.accounts.services import create_personal_organization
from upward.assessments.models import Placement, Signal, Source
from upward.assessments.services.events import announce
from upward.core import audit
from upward.core.audit import AuditCode
from upward.evidence.models import Confirmation, Entry, EntrySignal, Packet, Post, Thread
from upward.evidence.selectors.record import NAME_KEY
from upward.evidence.services.record.reading import _Plan, _read
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.services import create_version, publish_version
from upward.roadmaps.models import Milestone, Objective, Stakeholder


def _backdate(model: type[Model], pk: int, **moments: datetime | None) -> None:
    """Keep the record's times: auto_now_add fields are set on insert, so afterwards."""
    kept = {k: v for k, v in moments.items() if v is not None}
    if kept:
        model._default_manager.filter(pk=pk).update(**kept)


@transaction.atomic
def import_record(*, user: User, data: Any) -> Organization:
    """Import an exported record into a new personal space of `user`; all or nothing.

    Errors name the JSON path (`frameworks[0].content_hash`, `evidence[2].competencies[0].step`).
    """
    plan = _read(data)
    org = create_personal_organization(user=user)
    org.name = f"{user.display_name}'s imported record"[:120]
    org.save(update_fields=["name"])
    versions = _store_frameworks(plan, org, user)
    placements = _store_placements(plan, org, user, versions)
    self_key = f"user:{user.pk}"
    Signal.objects.bulk_create(
        [
            Signal(
                subject=user,
                organization=org,
                version=versions[id(s["framework"])],
                competency=s["competency"],
                step=s["step"],
                sometimes_step=s["sometimes_step"],
                source=s["source"],
                rater=user if s["rater"] == "you" else None,
                source_key=self_key if s["rater"] == "you" else NAME_KEY + s["rater"],
                comment=s["comment"],
                observed_on=s["observed_on"],
            )
            for s in plan.signals
        ]
    )
    announce(org.pk, [user.pk])
    objectives = _store_objectives(plan, org, user, placements)
    posts = _store_threads(plan, org, user, objectives)
    entries = _store_entries(plan, org, user, placements, objectives, posts)
    for p in plan.packets:
        choices = dict(p["choices"])
        if "entries" in choices:
            choices["entries"] = [entries[r] for r in choices["entries"]]
        if "objectives" in choices:
            choices["objectives"] = [objectives[r] for r in choices["objectives"]]
        placement = placements[p["placement"]]
        packet = Packet.objects.create(
            owner=user,
            organization=org,
            placement=placement,
            title=p["title"],
            summary=p["summary"],
            choices=choices,
        )
        _backdate(Packet, packet.pk, created_at=p["created_at"])
    audit.record(
        org,
        AuditCode.EVIDENCE_RECORD_IMPORTED,
        actor=user,
        data={
            "frameworks": len(plan.frameworks),
            "placements": len(plan.placements),
            "signals": len(plan.signals),
            "objectives": len(plan.objectives),
            "entries": len(plan.entries),
            "threads": len(plan.threads),
            "packets": len(plan.packets),
        },
    )
    return org


def _store_frameworks(plan: _Plan, org: Organization, user: User) -> dict[int, FrameworkVersion]:
    versions = {}
    for fw in plan.frameworks.values():
        if fw.existing is not None:
            versions[id(fw)] = fw.existing
            continue
        draft = create_version(document=fw.doc, organization=org, by=user, source_format="record")
        versions[id(fw)] = publish_version(version=draft, by=user)
    return versions


def _store_placements(
    plan: _Plan, org: Organization, user: User, versions: dict[int, FrameworkVersion]
) -> dict[str, Placement]:
    # A personal space holds one active placement: the record's last active one.
    active = [p for p in plan.placements if p["is_active"]]
    keep = active[-1]["ref"] if active else None
    out = {}
    for p in plan.placements:
        placement = Placement.objects.create(
            user=user,
            organization=org,
            version=versions[id(p["framework"])],
            track=p["track"],
            current_level=p["current_level"],
            target_track=p["target_track"],
            target_level=p["target_level"],
            is_active=p["ref"] == keep,
        )
        _backdate(Placement, placement.pk, created_at=p["created_at"])
        out[p["ref"]] = placement
    return out


def _store_objectives(
    plan: _Plan, org: Organization, user: User, placements: dict[str, Placement]
) -> dict[str, int]:
    out = {}
    for o in plan.objectives:
        fields = {
            k: v
            for k, v in o.items()
            if k not in {"ref", "placement", "milestones", "stakeholders", "created_at"}
        }
        objective = Objective.objects.create(
            owner=user, organization=org, placement=placements[o["placement"]], **fields
        )
        _backdate(Objective, objective.pk, created_at=o["created_at"])
        Milestone.objects.bulk_create(
            [Milestone(objective=objective, position=i, **m) for i, m in enumerate(o["milestones"])]
        )
        Stakeholder.objects.bulk_create(
            [
                Stakeholder(objective=objective, position=i, **s)
                for i, s in enumerate(o["stakeholders"])
            ]
        )
        out[o["ref"]] = objective.pk
    return out


def _store_threads(
    plan: _Plan, org: Organization, user: User, objectives: dict[str, int]
) -> dict[str, Post]:
    out = {}
    for t in plan.threads:
        times = [p["created_at"] for p in t["posts"] if p["created_at"]]
        started = t["created_at"] or timezone.now()
        thread = Thread.objects.create(
            owner=user,
            organization=org,
            title=t["title"],
            competencies=t["competencies"],
            objective_id=objectives.get(t["objective"]) if t["objective"] else None,
            visibility=t["visibility"],
            last_activity_at=max(times, default=started),
        )
        _backdate(Thread, thread.pk, created_at=t["created_at"])
        for p in t["posts"]:
            post = Post.objects.create(
                thread=thread,
                author=user,
                is_update=p["is_update"],
                body=p["body"],
                edited_at=p["edited_at"],
            )
            _backdate(Post, post.pk, created_at=p["created_at"])
            out[p["ref"]] = post
    return out


def _store_entries(
    plan: _Plan,
    org: Organization,
    user: User,
    placements: dict[str, Placement],
    objectives: dict[str, int],
    posts: dict[str, Post],
) -> dict[str, int]:
    out = {}
    for e in plan.entries:
        placement = placements[e["placement"]]
        fields = {
            k: v
            for k, v in e.items()
            if k not in {"ref", "placement", "objective", "post", "confirmations", "created_at"}
        }
        entry = Entry.objects.create(
            owner=user,
            organization=org,
            placement=placement,
            objective_id=objectives.get(e["objective"]) if e["objective"] else None,
            post=posts.get(e["post"]) if e["post"] else None,
            **fields,
        )
        _backdate(Entry, entry.pk, created_at=e["created_at"])

        for c in entry.competencies:
            claim = _evidence_signal(
                entry, c["competency"], c["step"], rater=user, key=f"evidence:{entry.pk}"
            )
            EntrySignal.objects.create(entry=entry, signal=claim)
        for c in e["confirmations"]:
            confirmation = Confirmation.objects.create(
                entry=entry, by=None, relation=c["relation"], steps=c["steps"], note=c["note"]
            )
            _backdate(Confirmation, confirmation.pk, created_at=c["created_at"])
            for key, step in c["steps"].items():
                said = _evidence_signal(entry, key, step, rater=None, key=NAME_KEY + c["by"])
                EntrySignal.objects.create(entry=entry, confirmation=confirmation, signal=said)
        out[e["ref"]] = entry.pk
    return out


def _evidence_signal(
    entry: Entry, competency: str, step: str, *, rater: User | None, key: str
) -> Signal:
    """A signal an imported entry records: the claim, or one confirmation's step."""
    return Signal.objects.create(
        subject=entry.owner,
        organization=entry.organization,
        version=entry.placement.version,
        competency=competency,
        step=step,
        source=Source.EVIDENCE,
        rater=rater,
        source_key=key,
        observed_on=entry.happened_on,
    )

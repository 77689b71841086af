"""Writes for promotion packets and their share links.

A packet stores only what the member chose (`Packet.choices`); its contents are read
live (see selectors.packets). A share link's secret is returned once and only its
hash is kept (`upward.core.tokens`); opening one records who opened it and when.
Every input is checked before anything is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Membership, User
from upward.assessments.models import Placement
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.tokens import digest, new_link_secret
from upward.evidence.emails_packets import notify_packet_opened
from upward.evidence.models import Packet, ShareLink, ShareOpen
from upward.evidence.selectors.packets import CHOICE_KINDS, eligible_ids

__all__ = [
    "LINK_DAYS",
    "LinkEnded",
    "check_choices",
    "create_packet",
    "create_share_link",
    "delete_packet",
    "open_share_link",
    "revoke_share_link",
    "update_packet",
]

LINK_DAYS = (1, 90)  # how long a share link may live, in days, at least and at most
TITLE_MAX = 200
SUMMARY_MAX = 20_000
LABEL_MAX = 100
# What each kind of choice is called in an error.
KIND_NAMES = {
    "entries": "one of your evidence entries on this placement's framework",
    "quotes": "one of the attributed answers you received on this framework",
    "objectives": "one of this placement's done objectives",
}


class LinkEnded(Conflict):
    """The share link was revoked or has expired: it is known, but shows nothing now."""

    status = 410
    code = "gone"


# --- Packets -----------------------------------------------------------------------------


@transaction.atomic
def create_packet(
    *,
    owner: User,
    placement: Placement,
    title: str,
    summary: str = "",
    choices: dict[str, Any] | None = None,
) -> Packet:
    """A new packet for one of the owner's placements (its target level)."""
    if placement.user_id != owner.pk:
        raise Invalid("Choose one of your own placements.", field="placement")
    packet = Packet(
        owner=owner,
        organization_id=placement.organization_id,
        placement=placement,
        title=_title(title),
        summary=_summary(summary),
        choices=check_choices(choices or {}, owner=owner, placement=placement),
    )
    packet.save()
    audit.record(packet, AuditCode.EVIDENCE_PACKET_CREATED, actor=owner)
    return packet


@transaction.atomic
def update_packet(
    *,
    packet: Packet,
    by: User,
    title: str | None = None,
    summary: str | None = None,
    choices: dict[str, Any] | None = None,
) -> Packet:
    """Change a packet's title, summary or choices (those given); only its owner may."""
    _own(packet, by)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _title(title)
    if summary is not None:
        changes["summary"] = _summary(summary)
    if choices is not None:
        changes["choices"] = check_choices(choices, owner=by, placement=packet.placement)
    changed = [name for name, value in changes.items() if getattr(packet, name) != value]
    if not changed:
        return packet
    for name in changed:
        setattr(packet, name, changes[name])
    packet.save(update_fields=[*changed, "updated_at"])
    audit.record(packet, AuditCode.EVIDENCE_PACKET_UPDATED, actor=by, data={"fields": changed})
    return packet


@transaction.atomic
def delete_packet(*, packet: Packet, by: User) -> None:
    """Delete a packet; its share links stop working at once (they go with it)."""
    _own(packet, by)
    audit.record(packet, AuditCode.EVIDENCE_PACKET_DELETED, actor=by)
    packet.delete()


def _own(packet: Packet, by: User) -> None:
    if packet.owner_id != by.pk:
        raise NotFound("There is no such packet.")


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid("Give the packet a title.", field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"Keep the title to {TITLE_MAX} characters.", field="title")
    return title


def _summary(summary: str) -> str:
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise Invalid(f"Keep the summary to {SUMMARY_MAX} characters.", field="summary")
    return summary


def check_choices(choices: Any, *, owner: User, placement: Placement) -> dict[str, Any]:
    """The choices, checked and tidied: known keys only, each id one the owner may
    include (errors name it, `choices.entries[2]`), `anonymous` a yes or no."""
    if not isinstance(choices, dict):
        raise Invalid("Choices must be an object.", field="choices")
    unknown = [key for key in choices if key not in (*CHOICE_KINDS, "anonymous")]
    if unknown:
        raise Invalid(
            f"Unknown choice '{unknown[0]}': use entries, quotes, objectives or anonymous.",
            field=f"choices.{unknown[0]}",
        )
    out: dict[str, Any] = {}
    eligible = eligible_ids(owner, placement) if any(k in choices for k in CHOICE_KINDS) else {}
    for kind in CHOICE_KINDS:
        if kind in choices:
            out[kind] = _ids(choices[kind], kind, eligible[kind])
    if "anonymous" in choices:
        if not isinstance(choices["anonymous"], bool):
            raise Invalid("Say true or false.", field="choices.anonymous")
        out["anonymous"] = choices["anonymous"]
    return out


def _ids(given: Any, kind: str, eligible: set[int]) -> list[int]:
    if not isinstance(given, list):
        raise Invalid("Give a list of ids.", field=f"choices.{kind}")
    out: list[int] = []
    for i, value in enumerate(given):
        field = f"choices.{kind}[{i}]"
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("Give an id (a whole number).", field=field)
        if value not in eligible:
            raise Invalid(f"{value} is not {KIND_NAMES[kind]}.", field=field)
        if value not in out:
            out.append(value)
    return out


# --- Share links -------------------------------------------------------------------------


@transaction.atomic
def create_share_link(
    *, packet: Packet, by: User, days: int, label: str = ""
) -> tuple[ShareLink, str]:
    """A read-only link to the packet that lives `days` days (1 to 90). The secret is
    returned this once: only its hash is kept."""
    _own(packet, by)
    low, high = LINK_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise Invalid(f"Choose from {low} to {high} days.", field="days")
    label = (label or "").strip()
    if len(label) > LABEL_MAX:
        raise Invalid(f"Keep the label to {LABEL_MAX} characters.", field="label")
    secret = new_link_secret()
    link = ShareLink.objects.create(
        packet=packet,
        token_hash=digest(secret),
        label=label,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        link,
        AuditCode.EVIDENCE_SHARE_LINK_CREATED,
        actor=by,
        organization=packet.organization,
        data={"packet": packet.pk, "days": days, "label": label},
    )
    return link, secret


@transaction.atomic
def revoke_share_link(*, link: ShareLink, by: User) -> ShareLink:
    """End a share link now; it then answers that it was revoked, and when."""
    packet = link.packet
    _own(packet, by)
    if link.revoked_at is not None:
        raise Conflict(f"This link was already revoked on {_day(link.revoked_at)}.")
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit.record(
        link,
        AuditCode.EVIDENCE_SHARE_LINK_REVOKED,
        actor=by,
        organization=packet.organization,
        data={"packet": packet.pk},
    )
    return link


@transaction.atomic
def open_share_link(*, secret: str, viewer: User | Any | None) -> ShareLink:
    """The link a secret opens, recording who opened it (None: someone not signed in).

    Unknown secrets raise NotFound, as do links whose owner has left the packet's
    organization or is no longer active; revoked and expired ones raise `LinkEnded`
    saying when. The owner looking at their own link is not counted as an open."""
    link = (
        ShareLink.objects.select_related(
            "packet__owner",
            "packet__organization",
            "packet__placement__organization",
            "packet__placement__version__framework",
        )
        .filter(token_hash=digest(secret or ""))
        .first()
    )
    if link is None or not _owner_still_there(link.packet):
        raise NotFound("This link does not exist.")
    if link.revoked_at is not None:
        raise LinkEnded(f"This link was revoked on {_day(link.revoked_at)}.")
    if link.expires_at <= timezone.now():
        raise LinkEnded(f"This link expired on {_day(link.expires_at)}.")
    signed_in = viewer if viewer is not None and viewer.is_authenticated else None
    if signed_in is not None and signed_in.pk == link.packet.owner_id:
        return link
    first = not link.opens.exists()
    ShareOpen.objects.create(link=link, viewer=signed_in)
    if first:
        notify_packet_opened(link=link, viewer=signed_in)
    return link


def _owner_still_there(packet: Packet) -> bool:
    owner = packet.owner
    if not owner.is_active:
        return False
    return Membership.objects.filter(organization_id=packet.organization_id, user=owner).exists()


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"

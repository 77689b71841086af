"""Routes for promotion packets and their share links, under /orgs/{slug}/packets.

A packet is its owner's alone: anyone else, the manager included, gets 404, as for a
packet that does not exist or belongs to another organization. The document is
assembled when read (see upward.evidence.selectors.packets).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from upward.accounts.access import access_organization
from upward.accounts.current import api_caller
from upward.assessments.access import access_placement
from upward.assessments.models import Placement
from upward.assessments.selectors import active_placement
from upward.core.errors import Invalid
from upward.core.schemas import ErrorOut, Id, Pages
from upward.engine.packet import PacketDoc, to_markdown
from upward.evidence.access.packets import access_packet, access_share_link
from upward.evidence.models import Packet, ShareLink
from upward.evidence.rendering import filename
from upward.evidence.selectors.packets import (
    link_status,
    packet_document,
    packets_of,
    share_links_of,
)
from upward.evidence.services import packets as services

router = Router(tags=["evidence"])

PACKETS = "/orgs/{slug}/packets"
PACKET = PACKETS + "/{packet_id}"


# --- Schemas -----------------------------------------------------------------------------


class ChoicesIn(Schema):
    """What goes in the packet. Leave a list out to include every eligible item of its
    kind (new ones too); give a list, even empty, to include only those."""

    entries: list[Id] | None = Field(None, max_length=1000, description="Evidence entry ids")
    quotes: list[Id] | None = Field(
        None, max_length=1000, description="Ids of attributed written answers to quote"
    )
    objectives: list[Id] | None = Field(None, max_length=1000, description="Done objective ids")
    anonymous: bool | None = Field(
        None, description="Include anonymous summaries where the anonymity rule allows (default)"
    )


class ChoicesOut(Schema):
    entries: list[int] | None
    quotes: list[int] | None
    objectives: list[int] | None
    anonymous: bool


class PacketIn(Schema):
    placement_id: Id | None = Field(
        None, description="One of your placements here; your current one when left out"
    )
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=20_000, description="Your own words, in Markdown")
    choices: ChoicesIn | None = None


class PacketPatch(Schema):
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=20_000)
    choices: ChoicesIn | None = Field(None, description="Replaces the choices as a whole")


class PacketOut(Schema):
    id: int
    placement_id: int
    title: str
    summary: str
    choices: ChoicesOut
    created_at: datetime
    updated_at: datetime


class ConfirmerOut(Schema):
    name: str
    relation: str
    step: str


class PacketLinkOut(Schema):
    label: str
    url: str


class ProofOut(Schema):
    key: str
    title: str
    happened_on: date
    step: str
    confirmed: bool
    confirmed_by: list[ConfirmerOut]
    impact: str
    body: str
    scope: str
    metric: str
    metric_before: str
    metric_after: str
    links: list[PacketLinkOut]
    objective: str


class PacketQuoteOut(Schema):
    text: str
    who: str
    relation: str
    on: date | None
    question: str = Field(..., description="consistent_at or biggest_gap")


class SpreadOut(Schema):
    step: str
    count: int


class AnonymousOut(Schema):
    count_label: str = Field(..., description='Stepped: "5+", "10+"; never an exact count')
    median: str
    spread: list[SpreadOut]


class DoneObjectiveOut(Schema):
    title: str
    completed_on: date | None
    note: str


class SectionOut(Schema):
    key: str
    name: str
    kind: str
    expected: str | None
    expectation: str
    status: str
    operating: str | None
    demonstrated: str | None
    proof: list[ProofOut]
    quotes: list[PacketQuoteOut]
    anonymous: AnonymousOut | None
    objectives: list[DoneObjectiveOut]


class MissingOut(Schema):
    key: str
    name: str
    reason: str


class DocumentOut(Schema):
    title: str
    person: str
    framework: str
    track: str
    current_level: str
    target_level: str
    generated_on: date
    readiness: float
    summary: str
    sections: list[SectionOut]
    missing: list[MissingOut]


class PacketDetailOut(Schema):
    packet: PacketOut
    document: DocumentOut


class ShareLinkIn(Schema):
    days: int = Field(
        14, ge=services.LINK_DAYS[0], le=services.LINK_DAYS[1], description="How long it works"
    )
    label: str = Field("", max_length=100, description="Who it is for")


class OpenOut(Schema):
    viewer: str | None = Field(..., description="Who opened it; null: someone not signed in")
    opened_at: datetime


class ShareLinkOut(Schema):
    id: int
    label: str
    status: str = Field(..., description="live, expired or revoked")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    opens: list[OpenOut]


class ShareLinkCreatedOut(ShareLinkOut):
    secret: str = Field(..., description="Shown this once; only its hash is kept")
    url: str


# --- Lookups -----------------------------------------------------------------------------


def _packet(request: HttpRequest, slug: str, packet_id: int) -> Packet:
    """The caller's packet in the organization in the path, or 404."""
    packet = access_packet(api_caller(request), packet_id, write=True)
    if packet.organization.slug != slug:
        raise Http404
    return packet


def _placement(request: HttpRequest, slug: str, placement_id: int | None) -> Placement:
    membership = access_organization(api_caller(request), slug)
    if placement_id is None:
        found = active_placement(api_caller(request), membership.organization)
        if found is None:
            raise Invalid("Place yourself on a framework first.", field="placement_id")
        return found
    placement = access_placement(api_caller(request), placement_id, write=True)
    if placement.organization_id != membership.organization_id:
        raise Http404
    return placement


def _choices(given: ChoicesIn | None) -> dict[str, Any] | None:
    return given.model_dump(exclude_none=True) if given is not None else None


# --- Out ---------------------------------------------------------------------------------


def _packet_out(packet: Packet) -> dict[str, Any]:
    choices = packet.choices or {}
    return {
        "id": packet.pk,
        "placement_id": packet.placement_id,
        "title": packet.title,
        "summary": packet.summary,
        "choices": {
            "entries": choices.get("entries"),
            "quotes": choices.get("quotes"),
            "objectives": choices.get("objectives"),
            "anonymous": choices.get("anonymous", True),
        },
        "created_at": packet.created_at,
        "updated_at": packet.updated_at,
    }


def _document_out(doc: PacketDoc) -> dict[str, Any]:
    return {
        **{name: getattr(doc, name) for name in DocumentOut.model_fields if name != "sections"},
        "missing": [vars(m) for m in doc.missing],
        "sections": [
            {
                **vars(s),
                "proof": [
                    {
                        **vars(p),
                        "confirmed": p.confirmed,
                        "confirmed_by": [vars(c) for c in p.confirmed_by],
                        "links": [{"label": label, "url": url} for label, url in p.links],
                    }
                    for p in s.proof
                ],
                "quotes": [vars(q) for q in s.quotes],
                "anonymous": (
                    {
                        "count_label": s.anonymous.count_label,
                        "median": s.anonymous.median,
                        "spread": [{"step": st, "count": n} for st, n in s.anonymous.spread],
                    }
                    if s.anonymous
                    else None
                ),
                "objectives": [vars(o) for o in s.objectives],
            }
            for s in doc.sections
        ],
    }


def _link_out(link: ShareLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "label": link.label,
        "status": link_status(link),
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "opens": [
            {"viewer": o.viewer.display_name if o.viewer else None, "opened_at": o.opened_at}
            for o in link.opens.all()
        ],
    }


# --- Routes ------------------------------------------------------------------------------


@router.get(PACKETS, response=list[PacketOut])
@paginate(Pages, page_size=50)
def list_packets(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Your packets in the organization, last changed first."""
    membership = access_organization(api_caller(request), slug)
    return [_packet_out(p) for p in packets_of(api_caller(request), membership.organization)]


@router.post(PACKETS, response={201: PacketOut, 404: ErrorOut})
def create_packet(request: HttpRequest, slug: str, payload: PacketIn) -> Status:
    """Start a packet for one of your placements' target level. Choice ids that are not
    yours answer 422 naming them (choices.entries[2]), and nothing is written."""
    placement = _placement(request, slug, payload.placement_id)
    packet = services.create_packet(
        owner=api_caller(request),
        placement=placement,
        title=payload.title,
        summary=payload.summary,
        choices=_choices(payload.choices),
    )
    return Status(201, _packet_out(packet))


@router.get(PACKET, response=PacketDetailOut)
def get_packet(request: HttpRequest, slug: str, packet_id: Id) -> dict[str, Any]:
    """A packet and its document as assembled now: per competency of the target level,
    the expectation, the delta's standing, the evidence, quotes, anonymous summaries
    (only as the anonymity rule releases them), done objectives; and missing proof."""
    packet = _packet(request, slug, packet_id)
    return {"packet": _packet_out(packet), "document": _document_out(packet_document(packet))}


@router.patch(PACKET, response=PacketOut)
def update_packet(
    request: HttpRequest, slug: str, packet_id: Id, payload: PacketPatch
) -> dict[str, Any]:
    """Change a packet's title, summary or choices (the fields given)."""
    packet = _packet(request, slug, packet_id)
    changed = services.update_packet(
        packet=packet,
        by=api_caller(request),
        title=payload.title,
        summary=payload.summary,
        choices=_choices(payload.choices),
    )
    return _packet_out(changed)


@router.delete(PACKET, response={204: None})
def delete_packet(request: HttpRequest, slug: str, packet_id: Id) -> Status:
    """Delete a packet; its share links stop working."""
    services.delete_packet(packet=_packet(request, slug, packet_id), by=api_caller(request))
    return Status(204, None)


@router.get(
    PACKET + "/markdown",
    openapi_extra={
        "responses": {
            200: {
                "description": "The packet as a Markdown file",
                "content": {"text/markdown": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_packet_markdown(request: HttpRequest, slug: str, packet_id: Id) -> HttpResponse:
    """The packet as Markdown."""
    doc = packet_document(_packet(request, slug, packet_id))
    response = HttpResponse(to_markdown(doc), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(doc, "md")}"'
    return response


@router.get(PACKET + "/links", response=list[ShareLinkOut])
def list_share_links(request: HttpRequest, slug: str, packet_id: Id) -> list[dict[str, Any]]:
    """The packet's share links, newest first, each with who opened it and when."""
    return [_link_out(link) for link in share_links_of(_packet(request, slug, packet_id))]


@router.post(PACKET + "/links", response={201: ShareLinkCreatedOut, 404: ErrorOut})
def create_share_link(
    request: HttpRequest, slug: str, packet_id: Id, payload: ShareLinkIn
) -> Status:
    """A read-only link to the packet that works for `days` days. The secret and its
    address are in this answer only."""
    packet = _packet(request, slug, packet_id)
    link, secret = services.create_share_link(
        packet=packet, by=api_caller(request), days=payload.days, label=payload.label
    )
    url = request.build_absolute_uri(reverse("evidence:shared_packet", args=[secret]))
    body = {**_link_out(link), "opens": [], "secret": secret, "url": url}
    return Status(201, body)


@router.post(
    PACKET + "/links/{link_id}/revoke", response={200: ShareLinkOut, 404: ErrorOut, 409: ErrorOut}
)
def revoke_share_link(
    request: HttpRequest, slug: str, packet_id: Id, link_id: Id
) -> dict[str, Any]:
    """End a share link now (409 when it already was)."""
    packet = _packet(request, slug, packet_id)
    link = access_share_link(api_caller(request), link_id)
    if link.packet_id != packet.pk:
        raise Http404
    return _link_out(services.revoke_share_link(link=link, by=api_caller(request)))

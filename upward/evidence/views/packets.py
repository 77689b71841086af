"""Pages for promotion packets: my packets, a new one for my current placement, the
packet as it will be shared with the builder choosing what goes in, its downloads
(Markdown, HTML, PDF), its share links, and the shared page a link opens.

A packet is its owner's alone (`access_packet`): others see it only through a share
link. Each view checks access, calls one service or selector and renders; a
service's error is shown in place (`service_errors`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from upward.accounts.current import current_membership
from upward.assessments.models import Placement
from upward.assessments.selectors import active_placement
from upward.core.errors import NotFound
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.engine.packet import to_markdown
from upward.evidence.access.packets import access_packet, access_share_link
from upward.evidence.models import Packet, ShareLink
from upward.evidence.rendering import filename, packet_html, packet_pdf, shown
from upward.evidence.selectors.packets import (
    CHOICE_KINDS,
    PacketBuilder,
    link_status,
    packet_builder,
    packet_document,
    packets_of,
    share_links_of,
)
from upward.evidence.services.packets import (
    LINK_DAYS,
    LinkEnded,
    create_packet,
    create_share_link,
    delete_packet,
    open_share_link,
    revoke_share_link,
    update_packet,
)
from upward.frameworks.selectors import document_of

__all__ = [
    "packet",
    "packet_delete",
    "packet_edit",
    "packet_export",
    "packet_link_revoke",
    "packet_links",
    "packet_list",
    "packet_new",
    "shared_packet",
]

PAGE = "evidence/packet_detail.html"
LINK_TONES = {"live": "good", "expired": "warn", "revoked": "bad"}
EXPORTS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


class PacketForm(ServiceForm):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your case in a few paragraphs, in Markdown. It opens the packet.",
    )


class LinkForm(ServiceForm):
    days = forms.IntegerField(
        min_value=LINK_DAYS[0],
        max_value=LINK_DAYS[1],
        initial=14,
        label="Works for (days)",
        help_text=f"From {LINK_DAYS[0]} to {LINK_DAYS[1]} days; you can revoke it sooner.",
    )
    label = forms.CharField(
        max_length=100,
        required=False,
        help_text="Who it is for, so you know it again in the list.",
    )


def _placement(request: AuthedRequest) -> Placement | None:
    membership = current_membership(request)
    if membership is None:
        return None
    return active_placement(request.user, membership.organization)


def _target(placement: Placement) -> str:
    """The placement's target level by its code and title (the document is cached)."""
    return document_of(placement.version).level(placement.target_level).label


# --- My packets --------------------------------------------------------------------------


@login_required
@require_safe
def packet_list(request: AuthedRequest) -> HttpResponse:
    """My packets in the organization I'm working in."""
    membership = current_membership(request)
    found = packets_of(request.user, membership.organization) if membership else []
    rows = [{"packet": p, "target": _target(p.placement)} for p in found]
    context = {"rows": rows, "placement": _placement(request), "membership": membership}
    return render(request, "evidence/packet_list.html", context)


@login_required
@get_or_post
def packet_new(request: AuthedRequest) -> HttpResponse:
    """A new packet for my current placement's target level."""
    placement = _placement(request)
    if placement is None:
        messages.info(
            request,
            "Place yourself on a framework first: a packet makes the case for its next level.",
        )
        return redirect("assessments:placement_edit")
    target = _target(placement)
    data = request.POST if request.method == "POST" else None
    form = PacketForm(data, initial={"title": f"Towards {target}"})
    if form.is_valid():
        with service_errors(form):
            made = create_packet(owner=request.user, placement=placement, **form.cleaned_data)
            messages.success(request, "Packet created. Choose what goes in it below.")
            return redirect("evidence:packet", made.pk)
    context = {"form": form, "placement": placement, "target": target, "editing": None}
    return render(request, "evidence/packet_form.html", context, status=form.status)


# --- One packet --------------------------------------------------------------------------


def _page(
    request: AuthedRequest,
    item: Packet,
    *,
    builder_form: ServiceForm | None = None,
    link_form: LinkForm | None = None,
    created: tuple[ShareLink, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The packet as it will be shared, its builder and its share links: a fixed
    number of queries, whatever the packet holds (see `packet_builder`)."""
    builder = packet_builder(item)
    now = timezone.now()
    links = [
        {"link": link, "status": (s := link_status(link, now=now)), "tone": LINK_TONES[s]}
        for link in share_links_of(item)
    ]
    context: dict[str, Any] = {
        "packet": item,
        "builder": builder,
        "shown": shown(builder.doc),
        "links": links,
        "builder_form": builder_form or ServiceForm(),
        "link_form": link_form or LinkForm(),
        "created": created[0] if created else None,
        "created_url": request.build_absolute_uri(_shared_url(created[1])) if created else "",
    }
    return render(request, PAGE, context, status=status)


def _shared_url(secret: str) -> str:
    return reverse("evidence:shared_packet", args=[secret])


@login_required
@get_or_post
def packet(request: AuthedRequest, packet_id: int) -> HttpResponse:
    """The packet; a POST saves what goes in it (the builder's boxes)."""
    item = access_packet(request.user, packet_id, write=request.method == "POST")
    if request.method == "GET":
        return _page(request, item)
    form = ServiceForm(request.POST)
    with service_errors(form):
        builder = packet_builder(item)
        update_packet(packet=item, by=request.user, choices=_choices(request.POST, builder))
        messages.success(request, "Saved. The packet now holds what you ticked.")
        return redirect(reverse("evidence:packet", args=[item.pk]) + "#builder")
    return _page(request, item, builder_form=form, status=form.status)


def _choices(data: QueryDict, builder: PacketBuilder) -> dict[str, Any]:
    """The boxes ticked as choices. A kind with every box ticked is saved as "all", so
    evidence added later goes in too, as it does in a new packet."""
    out: dict[str, Any] = {"anonymous": data.get("anonymous") == "on"}
    for kind in CHOICE_KINDS:
        ticked = [int(v) if v.isdigit() else v for v in data.getlist(kind)]
        offered = {c.id for c in getattr(builder, kind)}
        if set(ticked) == offered:  # none offered yet counts as all, too
            continue
        out[kind] = ticked
    return out


@login_required
@get_or_post
def packet_edit(request: AuthedRequest, packet_id: int) -> HttpResponse:
    """Change the packet's title and summary."""
    item = access_packet(request.user, packet_id, write=True)
    data = request.POST if request.method == "POST" else None
    form = PacketForm(data, initial={"title": item.title, "summary": item.summary})
    if form.is_valid():
        with service_errors(form):
            update_packet(packet=item, by=request.user, **form.cleaned_data)
            messages.success(request, "Packet saved.")
            return redirect("evidence:packet", item.pk)
    context = {"form": form, "placement": item.placement, "editing": item}
    return render(request, "evidence/packet_form.html", context, status=form.status)


@login_required
@get_or_post
def packet_delete(request: AuthedRequest, packet_id: int) -> HttpResponse:
    """Delete the packet and end its share links."""
    item = access_packet(request.user, packet_id, write=True)
    if request.method == "GET":
        return redirect(reverse("evidence:packet", args=[item.pk]) + "#delete")
    delete_packet(packet=item, by=request.user)
    messages.success(request, f"“{item.title}” deleted. Its links no longer open.")
    return redirect("evidence:packet_list")


@login_required
@require_safe
def packet_export(request: AuthedRequest, packet_id: int, extension: str) -> HttpResponse:
    """The packet as a file: Markdown, a self-contained HTML document, or a PDF."""
    item = access_packet(request.user, packet_id)
    if extension not in EXPORTS:
        raise Http404
    doc = packet_document(item)
    body: str | bytes
    if extension == "md":
        body = to_markdown(doc)
    elif extension == "html":
        body = packet_html(doc)
    else:
        body = packet_pdf(doc)
    response = HttpResponse(body, content_type=EXPORTS[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename(doc, extension)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Share links -------------------------------------------------------------------------


@login_required
@get_or_post
def packet_links(request: AuthedRequest, packet_id: int) -> HttpResponse:
    """Make a share link; its address is shown this once, on the page it answers with."""
    item = access_packet(request.user, packet_id, write=request.method == "POST")
    if request.method == "GET":
        return redirect(reverse("evidence:packet", args=[item.pk]) + "#links")
    form = LinkForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            made = create_share_link(packet=item, by=request.user, **form.cleaned_data)
            # Rendered straight into this response, never kept in the session.
            return _page(request, item, created=made, status=201)
    return _page(request, item, link_form=form, status=form.status)


@login_required
@get_or_post
def packet_link_revoke(request: AuthedRequest, link_id: int) -> HttpResponse:
    """End a share link now."""
    link = access_share_link(request.user, link_id)
    back = reverse("evidence:packet", args=[link.packet_id]) + "#links"
    if request.method == "GET":
        return redirect(back)
    form = ServiceForm(request.POST)
    with service_errors(form):
        revoke_share_link(link=link, by=request.user)
        messages.success(request, "Link revoked. It stopped working at once.")
        return redirect(back)
    if form.service_error is not None:
        messages.error(request, form.service_error.message)
    return redirect(back)


@require_safe
def shared_packet(request: HttpRequest, secret: str) -> HttpResponse:
    """The packet a share link opens, read-only, for anyone holding the address (no
    sign-in). A revoked or expired link says so and when (410); an unknown one is 404."""
    try:
        link = open_share_link(secret=secret, viewer=request.user)
    except NotFound:
        raise Http404 from None
    except LinkEnded as ended:
        response = render(
            request, "evidence/packet_gone.html", {"message": ended.message}, status=410
        )
        return _private(response)
    doc = packet_document(link.packet)
    context = {"shown": shown(doc), "link": link, "packet": link.packet}
    return _private(render(request, "evidence/packet_shared.html", context))


def _private(response: HttpResponse) -> HttpResponse:
    """Keep a shared page out of search engines, shared caches and other sites' logs."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, private=True, no_store=True)
    return response

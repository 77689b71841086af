"""Who may see and change promotion packets and their share links.

A packet is its owner's alone, to read and to change, while they are still a member
of its organization. Nobody else reads it here, not their manager nor their mentor:
others see a packet only through a share link the owner made (`shared_packet`).
Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import User
from upward.evidence.models import Packet, ShareLink

__all__ = ["access_packet", "access_share_link"]


def access_packet(user: User | AnonymousUser, packet_id: int, *, write: bool = False) -> Packet:
    """A packet the user owns (read or change alike: nobody else may do either)."""
    if not user.is_authenticated:
        raise Http404
    packet = get_object_or_404(
        Packet.objects.select_related(
            "owner", "organization", "placement__organization", "placement__version__framework"
        ),
        pk=packet_id,
        organization__memberships__user=user,  # still a member there
    )
    if packet.owner_id == user.pk:
        return packet
    raise Http404


def access_share_link(user: User | AnonymousUser, link_id: int) -> ShareLink:
    """A share link of a packet the user owns (to list or revoke it)."""
    if not user.is_authenticated:
        raise Http404
    link = get_object_or_404(ShareLink.objects.select_related("packet"), pk=link_id)
    access_packet(user, link.packet_id, write=True)
    return link

"""What the evidence app tells people about packets: a share link opened for the first time.

Only the first open of each link is told, so a panel reading a packet many times
makes one notification, not one per visit; every open is listed on the packet's
page. The default is instant, like a confirmation: the member shared the link to
be read and wants to know when it was.
"""

from __future__ import annotations

from django.urls import reverse

from upward.accounts.models import User
from upward.evidence.models import ShareLink
from upward.notifications.services import notify, register_kind

PACKET_OPENED = register_kind(
    "evidence.packet_opened", "Someone opened a link to your promotion packet"
).key


def notify_packet_opened(*, link: ShareLink, viewer: User | None) -> None:
    """Tell the packet's owner their link was opened for the first time, and by whom."""
    packet = link.packet
    who = viewer.display_name if viewer is not None else "Someone not signed in"
    named = f"the link “{link.label}”" if link.label else "a link"
    notify(
        recipient=packet.owner,
        kind_key=PACKET_OPENED,
        title=f"Your packet was opened: {packet.title}",
        url=reverse("evidence:packet", args=[packet.pk]) + f"#link-{link.pk}",
        body=(
            f"{who} opened {named} to “{packet.title}” for the first time. "
            "The packet's page lists every time it is opened, and you can revoke the link there."
        ),
    )

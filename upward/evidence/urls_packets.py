"""Routes for promotion packets, their downloads and share links, and the shared page."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.evidence.views import packets as views

PACKET = "packets/<int:packet_id>/"

urlpatterns: list[URLPattern] = [
    path("packets/", views.packet_list, name="packet_list"),
    path("packets/new/", views.packet_new, name="packet_new"),
    path(PACKET, views.packet, name="packet"),
    path(PACKET + "edit/", views.packet_edit, name="packet_edit"),
    path(PACKET + "delete/", views.packet_delete, name="packet_delete"),
    path(PACKET + "packet.<str:extension>", views.packet_export, name="packet_export"),
    path(PACKET + "links/", views.packet_links, name="packet_links"),
    path("links/<int:link_id>/revoke/", views.packet_link_revoke, name="packet_link_revoke"),
    path("shared/<str:secret>/", views.shared_packet, name="shared_packet"),
]

"""API for mentorship: profiles, the directory, matches and requests, rooms, the mentor
dashboard and programmes."""

from __future__ import annotations

from ninja import Router

from upward.mentorship.api import dashboard, profiles, programmes, rooms

router = Router(tags=["mentorship"])
router.add_router("/", profiles.router)
router.add_router("/", rooms.router)
router.add_router("/", dashboard.router)
router.add_router("/", programmes.router)

__all__ = ["router"]

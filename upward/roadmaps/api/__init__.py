"""API for roadmaps: objectives and their milestones, proposals from the gaps, templates,
the specificity check and the calendar feed.

Objectives, milestones and templates live under /orgs/{slug}/roadmap/: an id that
belongs to another organization answers 404 there, like one that does not exist.
"""

from __future__ import annotations

from ninja import Router

from upward.roadmaps.api import objectives, person, templates

router = Router(tags=["roadmaps"])
router.add_router("/", objectives.router)
router.add_router("/", templates.router)
router.add_router("/", person.router)

__all__ = ["router"]

"""API for proof: evidence entries and confirmations, growth threads, promotion packets
and the person's record."""

from __future__ import annotations

from ninja import Router

from upward.evidence.api import entries, packets, record, threads

router = Router(tags=["evidence"])
router.add_router("/", entries.router)
router.add_router("/", threads.router)
router.add_router("/", packets.router)
router.add_router("/", record.router)

__all__ = ["router"]

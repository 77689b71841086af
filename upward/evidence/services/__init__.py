"""Writes for proof: entries and confirmations, threads, packets and share links, and the
person's record. Every service checks all its input before writing anything."""

from __future__ import annotations

from upward.evidence.services.entries import *  # noqa: F403
from upward.evidence.services.packets import *  # noqa: F403
from upward.evidence.services.record import *  # noqa: F403
from upward.evidence.services.threads import *  # noqa: F403

"""Reads for proof: the evidence log, the feed and threads, packets, the person's record."""

from __future__ import annotations

from upward.evidence.selectors.entries import *  # noqa: F403
from upward.evidence.selectors.packets import *  # noqa: F403
from upward.evidence.selectors.record import *  # noqa: F403
from upward.evidence.selectors.threads import *  # noqa: F403

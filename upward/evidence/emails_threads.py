"""What the evidence app tells people (threads)."""

from __future__ import annotations

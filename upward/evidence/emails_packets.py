"""What the evidence app tells people (packets)."""

from __future__ import annotations

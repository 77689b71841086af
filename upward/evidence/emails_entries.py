"""What the evidence app tells people (entries)."""

from __future__ import annotations

"""What the evidence app tells people (record)."""

from __future__ import annotations

"""What the evidence app tells people, through notifications (kinds registered per area)."""

from __future__ import annotations

from upward.evidence import emails_entries, emails_packets, emails_record, emails_threads

__all__ = ["emails_entries", "emails_packets", "emails_record", "emails_threads"]

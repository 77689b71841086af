"""What mentorship tells people, through notifications (kinds registered per area)."""

from __future__ import annotations

from upward.mentorship import (
    emails_accountability,
    emails_programmes,
    emails_requests,
    emails_rooms,
)

__all__ = ["emails_accountability", "emails_programmes", "emails_requests", "emails_rooms"]

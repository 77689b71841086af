"""Writes for evidence entries, their confirmations and their collaborators.

An entry is a signal (docs/delta-policy.md): it writes one `evidence` signal per
competency it names, the member's claim, keyed `evidence:<entry id>`; each
confirmation writes one per competency it states, keyed `user:<confirmer id>`, so
a confirmer counts as the same voice wherever else they rate the member. The
`EntrySignal` rows remember which signals belong to what, and every write here
keeps them in step: an entry's signals always say what the entry says now.

Every input is checked before anything is written, and each service runs in one
transaction, so a bad field leaves everything as it was. Errors name the field
("competencies[1].step", "links[0].url", "happened_on", "steps.shipping", ...).
"""

from __future__ import annotations

from upward.evidence.services.entries.checks import ENTRY_FIELDS
from upward.evidence.services.entries.confirmations import (
    answer_collaboration,
    confirm_entry,
    request_confirmation,
    withdraw_confirmation,
)
from upward.evidence.services.entries.writes import create_entry, delete_entry, update_entry

__all__ = [
    "ENTRY_FIELDS",
    "answer_collaboration",
    "confirm_entry",
    "create_entry",
    "delete_entry",
    "request_confirmation",
    "update_entry",
    "withdraw_confirmation",
]

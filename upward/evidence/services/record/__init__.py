"""Writes for the person's record: importing an exported record into a new personal
space, and deleting an account.

Import checks the whole document first and writes nothing unless all of it is right;
frameworks travel by content hash, so competency and step keys keep their meaning.
Deletion removes the person's own data and keeps, anonymised, what others rely on:
ratings and confirmations they gave (each still one independent voice), written
answers they gave, and their replies on others' threads (see docs/record.md).
"""

from __future__ import annotations

from upward.evidence.selectors.record import ERASED_ADDRESS, export_record, record_zip
from upward.evidence.services.record.erasure import delete_account
from upward.evidence.services.record.importing import import_record
from upward.evidence.services.record.reading import read_record_file

__all__ = [
    "ERASED_ADDRESS",
    "delete_account",
    "export_record",
    "import_record",
    "read_record_file",
    "record_zip",
]

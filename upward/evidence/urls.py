"""Routes for proof: the evidence log, growth threads and the public profile, promotion
packets and their share links, and the person's record (export, import, deletion)."""

from __future__ import annotations

from upward.evidence import urls_entries, urls_packets, urls_record, urls_threads

app_name = "evidence"

urlpatterns = [
    *urls_entries.urlpatterns,
    *urls_threads.urlpatterns,
    *urls_packets.urlpatterns,
    *urls_record.urlpatterns,
]

from __future__ import annotations

from django.urls import URLPattern, path

from upward.evidence.views import record

urlpatterns: list[URLPattern] = [
    path("account/data/", record.record, name="record"),
    path("account/data/export/", record.record_export, name="record_export"),
    path("account/data/import/", record.record_import, name="record_import"),
    path("account/data/delete/", record.account_delete, name="account_delete"),
]

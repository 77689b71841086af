"""URL routes: pages per app, the API at /api/v1/, allauth under /accounts/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from upward.api import api
from upward.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("upward.accounts.urls")),
    path("", include("upward.assessments.urls")),
    path("", include("upward.frameworks.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "upward.core.views.bad_request"
handler403 = "upward.core.views.forbidden"
handler404 = "upward.core.views.not_found"
handler500 = "upward.core.views.server_error"

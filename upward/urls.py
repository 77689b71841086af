"""URL routes: pages per app, the API at /api/v1/, allauth under /accounts/."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from upward import home
from upward.api import api
from upward.core import views as core_views

# Staff sign in through allauth like everyone else, second factor included; the admin's
# own login form would skip it. Signed-in people who are not staff get 403.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("upward.accounts.urls")),
    path("", include("upward.assessments.urls")),
    path("", include("upward.frameworks.urls")),
    path("", include("upward.notifications.urls")),
    path("", include("upward.roadmaps.urls")),
    path("", include("upward.roadmaps.urls_calendar")),
    path("", include("upward.evidence.urls")),
    path("", include("upward.mentorship.urls")),
    path("", include("upward.insights.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "upward.core.views.bad_request"
handler403 = "upward.core.views.forbidden"
handler404 = "upward.core.views.not_found"
handler500 = "upward.core.views.server_error"

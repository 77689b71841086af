from __future__ import annotations

from django.urls import path

from upward.accounts import views

urlpatterns = [
    path("invitations/<str:secret>/", views.invitation_accept, name="invitation_accept"),
]

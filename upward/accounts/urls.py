"""Routes for organization, team, invitation, audit log, profile and API token pages."""

from __future__ import annotations

from django.urls import path

from upward.accounts import views

app_name = "accounts"

urlpatterns = [
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/switch/", views.org_switch, name="org_switch"),
    path("orgs/<slug:slug>/", views.org_detail, name="org_detail"),
    path("orgs/<slug:slug>/leave/", views.org_leave, name="org_leave"),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("orgs/<slug:slug>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "orgs/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("orgs/<slug:slug>/teams/", views.team_create, name="team_create"),
    path("orgs/<slug:slug>/teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path(
        "orgs/<slug:slug>/teams/<int:team_id>/members/",
        views.team_member_add,
        name="team_member_add",
    ),
    path(
        "orgs/<slug:slug>/teams/<int:team_id>/members/<int:user_id>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path("orgs/<slug:slug>/teams/<int:team_id>/rename/", views.team_rename, name="team_rename"),
    path("orgs/<slug:slug>/teams/<int:team_id>/manager/", views.team_manager, name="team_manager"),
    path("orgs/<slug:slug>/teams/<int:team_id>/delete/", views.team_delete, name="team_delete"),
    path("orgs/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("invitations/<str:secret>/", views.invitation_accept, name="invitation_accept"),
    path("settings/profile/", views.profile, name="profile"),
    path("settings/profile/photo/", views.profile_photo, name="profile_photo"),
    path("settings/profile/photo/remove/", views.profile_photo_remove, name="profile_photo_remove"),
    path("people/<int:user_id>/photo/", views.photo, name="photo"),
    path("people/photo/<str:token>/", views.photo_by_link, name="photo_by_link"),
    path("settings/tokens/", views.token_list, name="token_list"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]

"""Routes for growth threads (the organization's feed, threads, posts) and the public
profile, which answers without an account."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.evidence.views import public, threads

THREAD = "threads/<int:thread_id>/"
POST = "posts/<int:post_id>/"

urlpatterns: list[URLPattern] = [
    path("threads/", threads.threads, name="threads"),
    path("threads/new/", threads.thread_new, name="thread_new"),
    path(THREAD, threads.thread, name="thread"),
    path(THREAD + "edit/", threads.thread_edit, name="thread_edit"),
    path(THREAD + "delete/", threads.thread_delete, name="thread_delete"),
    path(THREAD + "post/", threads.thread_post, name="thread_post"),
    path(THREAD + "reply/", threads.thread_reply, name="thread_reply"),
    path(POST + "edit/", threads.post_edit, name="post_edit"),
    path(POST + "delete/", threads.post_delete, name="post_delete"),
    path(POST + "react/", threads.post_react, name="post_react"),
    path(POST + "promote/", threads.post_promote, name="post_promote"),
    path("u/<int:user_id>/", public.public_profile, name="public_profile"),
    path("u/<int:user_id>/threads/<int:thread_id>/", public.public_thread, name="public_thread"),
]

"""A person's public profile: what they made public, readable without an account.

It lists only their public threads and public evidence entries, with their name and
initials: no email address, photo, organization, framework or competency, nothing
else of theirs. Someone who made nothing public has no profile (404).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from upward.evidence.access.threads import access_public_thread
from upward.evidence.selectors import threads as selectors


@require_GET
def public_profile(request: HttpRequest, user_id: int) -> HttpResponse:
    """Someone's public threads and evidence entries."""
    profile = selectors.public_profile(user_id)
    if profile is None:
        raise Http404
    return render(request, "evidence/public_profile.html", {"profile": profile})


@require_GET
def public_thread(request: HttpRequest, user_id: int, thread_id: int) -> HttpResponse:
    """One public thread: its updates and replies, with reaction counts; nothing to fill in."""
    thread = access_public_thread(user_id, thread_id)
    context = {"thread": thread, "posts": selectors.public_thread_posts(thread)}
    return render(request, "evidence/public_thread.html", context)

"""The inbox, marking read, email settings, and the unsubscribe link from an email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from upward.core.errors import NotFound
from upward.core.http import AuthedRequest, get_or_post, service_errors
from upward.notifications import access, selectors, services
from upward.notifications.forms import PreferencesForm
from upward.notifications.kinds import kind, stored_kinds
from upward.notifications.messages import read_unsubscribe_token

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    """The person's notifications, newest first, a page at a time."""
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@get_or_post
def notification_read(request: AuthedRequest, notification_id: int) -> HttpResponse:
    """Mark one of my notifications read."""
    notification = access.access_notification(request.user, notification_id)
    if request.method == "POST":
        services.mark_read(notification=notification)
    return redirect("notifications:list")


@login_required
@get_or_post
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    """Mark all my notifications read."""
    if request.method == "POST":
        count = services.mark_all_read(user=request.user)
        messages.success(request, f"Marked {count} notification(s) read.")
    return redirect("notifications:list")


@login_required
@get_or_post
def notification_settings(request: AuthedRequest) -> HttpResponse:
    """How I get email about each kind: right away, in a digest, or not at all."""
    kinds = stored_kinds()
    current = selectors.choices_of(request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, kinds=kinds, initial_choices=current)
    if form.is_valid():
        with service_errors(form):
            for key, choice in form.cleaned_data.items():
                if choice != current[key]:
                    services.set_choice(
                        user=request.user, kind_key=key, choice=choice, by=request.user
                    )
            messages.success(request, "Email settings saved.")
            return redirect("notifications:settings")
    context = {"form": form}
    return render(request, "notifications/notification_settings.html", context, status=form.status)


@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes without a CSRF token
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request: HttpRequest, signed: str) -> HttpResponse:
    """A signed link from an email: GET asks to confirm, POST turns those emails off."""
    try:
        if request.method == "GET":
            _user_id, keys = read_unsubscribe_token(signed)
            done = False
        else:
            _user, keys = services.unsubscribe(token=signed)
            done = True
    except NotFound:
        raise Http404 from None
    labels = [kind(key).label for key in keys]
    context = {"labels": labels, "done": done, "signed": signed}
    return render(request, "notifications/notification_unsubscribe.html", context)

"""The organization's insight settings, for its admins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from upward.core.http import AuthedRequest, get_or_post, service_errors
from upward.insights.forms import SettingsForm
from upward.insights.selectors import settings_of
from upward.insights.services.settings import change_settings
from upward.insights.views.common import scope_of


@login_required
@get_or_post
def insight_settings(request: AuthedRequest) -> HttpResponse:
    """The readiness that counts as ready and the ratings a rater's leniency needs."""
    scope = scope_of(request)
    if not scope.admin:
        raise Http404
    org = scope.organization
    current = settings_of(org)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            with service_errors(form):
                change_settings(
                    request.user,
                    org,
                    ready_threshold=form.cleaned_data["ready_threshold"],
                    min_ratings=form.cleaned_data["min_ratings"],
                )
                messages.success(request, "Insight settings saved.")
                return redirect("insights:settings")
    else:
        initial = {"ready_threshold": current.ready_threshold, "min_ratings": current.min_ratings}
        form = SettingsForm(initial=initial)
    context = {"scope": scope, "org": org, "form": form}
    return render(request, "insights/settings.html", context, status=form.status)

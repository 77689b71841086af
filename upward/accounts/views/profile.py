"""My profile: name, time zone and languages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from upward.accounts import profiles, services
from upward.accounts.forms import ProfileForm
from upward.core.http import AuthedRequest, get_or_post, service_errors


@login_required
@get_or_post
def profile(request: AuthedRequest) -> HttpResponse:
    """Show and change my profile; nothing is saved unless every field is right."""
    user = request.user
    initial = {
        "name": user.name,
        "time_zone": user.time_zone,
        "languages": ", ".join(user.languages),
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        with service_errors(form):
            services.update_profile(
                user=user,
                name=form.cleaned_data["name"],
                time_zone=form.cleaned_data["time_zone"],
                languages=form.language_list(),
            )
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
    context = {"form": form, "language_names": profiles.language_names(user.languages)}
    return render(request, "accounts/profile_detail.html", context, status=form.status)

"""My profile: name, time zone, languages and an optional photo; and photos as others see them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from upward.accounts import access, photos, profiles, selectors, services
from upward.accounts.forms import PhotoForm, ProfileForm
from upward.accounts.models import User
from upward.core.http import AuthedRequest, get_or_post, service_errors
from upward.core.uploads import UploadTooLarge

# A photo's URL carries its version, so a browser may keep it as long as it likes;
# "private" because who may see it depends on who asks.
LONG_CACHE = "private, max-age=31536000, immutable"
CHECK_CACHE = "private, no-cache"


@login_required
@get_or_post
def profile(request: AuthedRequest) -> HttpResponse:
    """Show and change my profile; nothing is saved unless every field is right."""
    user = request.user
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=_initial(user))
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
    return _profile_page(request, form=form, photo_form=PhotoForm(), status=form.status)


def _profile_page(
    request: AuthedRequest, *, form: ProfileForm, photo_form: PhotoForm, status: int
) -> HttpResponse:
    context = {
        "form": form,
        "photo_form": photo_form,
        "language_names": profiles.language_names(request.user.languages),
    }
    return render(request, "accounts/profile_detail.html", context, status=status)


def _initial(user: User) -> dict[str, str]:
    return {"name": user.name, "time_zone": user.time_zone, "languages": ", ".join(user.languages)}


@csrf_exempt  # checked below, once the photo's own size limit is in place
@login_required
@get_or_post
def profile_photo(request: AuthedRequest) -> HttpResponse:
    """Upload or replace my photo; a refused file leaves the earlier one as it was.

    The photo's upload handler goes first, before anything (the CSRF check
    included) reads the body, so an oversized upload is refused unread.
    """
    if request.method == "GET":
        return redirect("accounts:profile")
    request.upload_handlers.insert(0, photos.PhotoUploadHandler(request))
    try:
        return _save_photo(request)
    except UploadTooLarge as too_large:
        refused = PhotoForm.refused(str(too_large))
        form = ProfileForm(initial=_initial(request.user))
        return _profile_page(request, form=form, photo_form=refused, status=413)


@csrf_protect
def _save_photo(request: AuthedRequest) -> HttpResponse:
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        with service_errors(photo_form):
            services.set_photo(user=request.user, data=photo_form.cleaned_data["photo"].read())
            messages.success(request, "Photo saved.")
            return redirect("accounts:profile")
    return _profile_page(
        request,
        form=ProfileForm(initial=_initial(request.user)),
        photo_form=photo_form,
        status=photo_form.status,
    )


@login_required
@get_or_post
def profile_photo_remove(request: AuthedRequest) -> HttpResponse:
    """Remove my photo: my initials stand for me again."""
    if request.method == "POST":
        services.remove_photo(user=request.user)
        messages.success(request, "Photo removed; your initials stand for you again.")
    return redirect("accounts:profile")


@require_safe
def photo(request: HttpRequest, user_id: int) -> HttpResponse:
    """A person's photo, for them and for people in their organizations (404 for others)."""
    owner = access.access_photo_owner(request.user, user_id)  # type: ignore[arg-type]
    return _photo_response(request, owner)


@require_safe
def photo_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A person's photo, by the signed link on a page for someone without an account."""
    return _photo_response(request, access.access_photo_by_link(token))


def _photo_response(request: HttpRequest, owner: User) -> HttpResponse:
    """The photo with its ETag; 304 when the browser already has this version."""
    etag = f'"{owner.photo_version}"'
    cache = LONG_CACHE if request.GET.get("v") == owner.photo_version else CHECK_CACHE
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(selectors.photo_of(owner), content_type=photos.CONTENT_TYPE)
        response["Content-Disposition"] = "inline"
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response

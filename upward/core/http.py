"""How HTML views answer: service errors shown in place, htmx fragments, redirects.

`service_errors` is the one place where HTML views translate `UpwardError`s
(the API does the same in `upward/api.py`); views never catch them themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from upward.core.errors import UpwardError

if TYPE_CHECKING:
    # The stubs' name for settings.AUTH_USER_MODEL, so core need not import the app.
    from django.contrib.auth.models import _User

# Pages answer GET and actions POST, but only after the access check, so that a
# stranger gets 404 whatever the method. A GET of an action's URL (a bookmark, a
# reload after an error) goes to the page the action belongs to.
get_or_post = require_http_methods(["GET", "POST"])


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is a signed-in person."""

    user: _User


class ServiceForm(forms.Form):
    """A form that can also carry the error a service raised for its input."""

    service_error: UpwardError | None = None

    def locate(self, field: str | None) -> str | None:
        """The form field that shows a service's error about `field`. A form whose
        fields don't match the service's names one to one (one text area for a
        list, a picker per competency) says where each one goes."""
        return field

    @property
    def status(self) -> int:
        """The status to re-render with: the service error's, 422 for bad input, else 200."""
        if self.service_error is not None:
            return self.service_error.status
        if self.is_bound and self.errors:
            return 422
        return 200


@contextmanager
def service_errors(form: ServiceForm) -> Iterator[None]:
    """Put a service's `UpwardError` on `form` (a bound one) instead of letting it propagate.

    The rest of the `with` block is skipped, so a view writes

        with service_errors(form):
            services.do_it(...)
            return redirect(...)
        return render_page(..., status=form.status)

    The error goes on its field when the form has it, else above the form.
    """
    try:
        yield
    except UpwardError as error:
        error.field = form.locate(error.field)
        field = error.field if error.field in form.fields else None
        form.errors  # noqa: B018 (validates the form if the view hasn't; add_error needs that)
        form.add_error(field, error.message)
        form.service_error = error


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (and wants a fragment back, not a page)."""
    return request.headers.get("HX-Request") == "true"


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page; or, for htmx, only its `fragment` partial plus any messages."""
    if fragment is None or not is_htmx(request):
        return render(request, template, context, status=status)
    html = render_to_string(f"{template}#{fragment}", context, request)
    # Messages go out of band into the page's message area.
    html += render_to_string("base.html#messages", {"oob": True}, request)
    return HttpResponse(html, status=status)


def redirect_or_fragment(
    request: HttpRequest, url: str, fragment: Callable[[], HttpResponse]
) -> HttpResponse:
    """After a write: redirect (POST/redirect/GET), or for htmx the refreshed fragment."""
    if is_htmx(request):
        return fragment()
    return HttpResponseRedirect(url)


def see_other(request: HttpRequest, url: str) -> HttpResponse:
    """Send the browser to another page after a write; htmx makes it a full page load."""
    if is_htmx(request):
        return HttpResponse(headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)

"""Site-wide pages that need no app: the health check and the error pages."""

from __future__ import annotations

from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from upward.core.uploads import UploadTooLarge
from upward.engine.limits import MAX_FILES


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers; also the ceiling for API benchmarks."""
    return JsonResponse({"ok": True})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # An upload refused while it streamed in: say which limit, and answer 413.
    if isinstance(exception, UploadTooLarge):
        return render(request, "400.html", {"message": str(exception)}, status=413)
    if isinstance(exception, TooManyFilesSent):
        message = f"Upload at most {MAX_FILES} files at once (the limit for one import)."
        return render(request, "400.html", {"message": message}, status=400)
    return render(request, "400.html", status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may have come from one of them.
    from django.template.loader import get_template

    return HttpResponse(get_template("500.html").render({}), status=500)

"""Request handling shared by every route."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


def api_head_as_get(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """HEAD on an API read answers as GET does, with the same headers and no body.

    The API declares its reads as GET only; HEAD is the same read without the
    body, so it runs the GET operation (auth, access and all) and drops the body.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD" or not request.path_info.startswith(API_PREFIX):
            return get_response(request)
        request.method = "GET"
        response = get_response(request)
        request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []  # type: ignore[attr-defined]
        else:
            length = len(response.content)
            response.content = b""
            response.headers["Content-Length"] = str(length)
        return response

    return middleware

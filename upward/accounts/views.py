from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    raise NotImplementedError

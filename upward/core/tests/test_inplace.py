"""The in-place editor: one thing's form and display, Edit, Save and Cancel, with
and without htmx, and errors (the form's and the service's) shown in place."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory, override_settings

from upward.core.errors import Conflict, Invalid
from upward.core.http import ServiceForm
from upward.core.inplace import InPlace, top_errors
from upward.core.tests.pages import HTMX, text

PAGE = """<html><body><h1>Edit {{ form.key.value }}</h1>
{% partialdef form inline %}<form class="form"{% include "core/inplace.html#attrs" %}>
{% csrf_token %}{% include "core/inplace.html#errors" %}
{{ form.key }}{{ form.name.errors }}{{ form.name }}
{% include "core/inplace.html#actions" %}</form>{% endpartialdef %}
</body></html>"""

SHOW = """{% partialdef thing %}<div id="thing-{{ key }}">{{ name }}</div>{% endpartialdef %}"""

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [settings.BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ],
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"thing/page.html": PAGE, "thing/show.html": SHOW},
                ),
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        },
    }
]

THING = InPlace(page="thing/page.html", display="thing/show.html#thing", autofocus="name")


class ThingForm(ServiceForm):
    key = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=10)


@pytest.fixture(autouse=True)
def _templates() -> Iterator[None]:
    with override_settings(TEMPLATES=TEMPLATES):
        yield


def make_request(method: str = "get", data: dict[str, str] | None = None, **headers: Any):
    request = getattr(RequestFactory(), method)("/thing/", data or {}, **headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def form_context(request: HttpRequest):
    def build(form: ServiceForm) -> dict[str, Any]:
        key = form["key"].value() or ""
        inplace = THING.editing(
            request, form, url="/thing/", back=f"/things/#{key}", cancel=f"/thing/?key={key}&view=1"
        )
        return {"form": form, "inplace": inplace}

    return build


class Recorder:
    """Stands in for a service and the view's answers, remembering each call."""

    def __init__(self, error: Exception | None = None) -> None:
        self.saved: list[dict[str, Any]] = []
        self.error = error

    def save(self, data: dict[str, Any]) -> None:
        if self.error is not None:
            raise self.error
        self.saved.append(dict(data))

    @staticmethod
    def display(data: dict[str, Any]) -> dict[str, Any]:
        return {"key": data["key"], "name": data["name"]}

    @staticmethod
    def done(data: dict[str, Any]) -> HttpResponse:
        return HttpResponseRedirect(f"/things/#{data['key']}")


def post(recorder: Recorder, data: dict[str, str], **kwargs: Any) -> HttpResponse:
    headers = {k: v for k, v in kwargs.items() if k.startswith("HTTP_")}
    options = {k: v for k, v in kwargs.items() if not k.startswith("HTTP_")}
    request = make_request("post", data, **headers)
    return THING.save(
        request,
        ThingForm(request.POST),
        form_context(request),
        save=recorder.save,
        display=recorder.display,
        done=recorder.done,
        **options,
    )


# --- Opening the form ----------------------------------------------------------------------


def test_without_htmx_the_form_is_a_page_of_its_own_that_posts_plainly():
    request = make_request()
    response = THING.edit(request, ThingForm(initial={"key": "a"}), form_context(request))
    html = text(response)
    assert response.status_code == 200
    assert html.startswith("<html>")
    assert 'method="post" action="/thing/"' in html
    assert "hx-" not in html
    assert 'href="/things/#a"' in html
    assert "autofocus" not in html


def test_with_htmx_only_the_form_comes_back_ready_to_swap_in():
    request = make_request("get", None, **HTMX)
    response = THING.edit(request, ThingForm(initial={"key": "a"}), form_context(request))
    html = text(response)
    assert html.lstrip().startswith('<form class="form" method="post" action="/thing/"')
    assert 'hx-post="/thing/" hx-target="closest td" hx-swap="innerHTML"' in html
    assert 'hx-get="/thing/?key=a&view=1"' in html
    assert "<h1>" not in html
    assert 'name="name" maxlength="10" autofocus' in html


def test_a_form_without_a_cancel_link_for_htmx_gets_only_the_plain_one():
    request = make_request("get", None, **HTMX)

    def no_cancel(form: ServiceForm) -> dict[str, Any]:
        return {"form": form, "inplace": THING.editing(request, form, url="/t/", back="/b/")}

    html = text(THING.edit(request, ThingForm(), no_cancel))
    assert 'href="/b/"' in html
    assert "hx-get" not in html


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [({"view": "1"}, HTMX, True), ({"view": "1"}, {}, False), ({}, HTMX, False)],
)
def test_only_htmx_asking_for_the_view_gets_the_thing_instead_of_the_form(query, headers, expected):
    request = RequestFactory().get("/thing/", query, **headers)
    assert THING.wants_display(request) is expected


def test_cancel_shows_the_thing_and_the_messages_out_of_band():
    response = THING.show(make_request("get", None, **HTMX), {"key": "a", "name": "Ann"})
    html = text(response)
    assert html.startswith('<div id="thing-a">Ann</div>')
    assert 'id="messages"' in html
    assert 'hx-swap-oob="true"' in html


# --- Saving --------------------------------------------------------------------------------


def test_saving_with_htmx_calls_the_service_once_and_shows_the_thing():
    recorder = Recorder()
    response = post(recorder, {"key": "a", "name": "Ann"}, **HTMX)
    assert response.status_code == 200
    assert text(response).startswith('<div id="thing-a">Ann</div>')
    assert recorder.saved == [{"key": "a", "name": "Ann"}]


def test_saving_without_htmx_answers_with_what_the_view_says_is_done():
    recorder = Recorder()
    response = post(recorder, {"key": "a", "name": "Ann"})
    assert response.status_code == 302
    assert response["Location"] == "/things/#a"
    assert len(recorder.saved) == 1


def test_bad_input_never_reaches_the_service_and_comes_back_in_place():
    recorder = Recorder()
    response = post(recorder, {"key": "a", "name": "far too long a name"}, **HTMX)
    html = text(response)
    assert response.status_code == 422
    assert html.lstrip().startswith("<form")
    assert "Ensure this value has at most 10 characters" in html
    assert 'value="far too long a name"' in html
    assert recorder.saved == []


def test_bad_input_without_htmx_comes_back_as_the_page():
    response = post(Recorder(), {"key": "a", "name": ""})
    assert response.status_code == 422
    assert text(response).startswith("<html>")


def test_a_hidden_fields_error_is_shown_above_the_form_with_its_name():
    response = post(Recorder(), {"name": "Ann"}, **HTMX)
    assert response.status_code == 422
    assert '<ul class="errorlist nonfield" role="alert">' in text(response)
    assert "<li>Key: This field is required.</li>" in text(response)


def test_a_service_conflict_is_shown_above_the_form_with_its_status():
    recorder = Recorder(Conflict("Someone changed it meanwhile."))
    response = post(recorder, {"key": "a", "name": "Ann"}, **HTMX)
    assert response.status_code == 409
    assert "<li>Someone changed it meanwhile.</li>" in text(response)
    assert "thing-a" not in text(response)


def test_a_service_error_naming_a_field_is_shown_on_that_field():
    recorder = Recorder(Invalid("Taken already.", field="name"))
    response = post(recorder, {"key": "a", "name": "Ann"}, **HTMX)
    assert response.status_code == 422
    assert "Taken already." in text(response)
    assert "errorlist nonfield" not in text(response)


def test_a_caller_may_say_a_post_is_not_in_place_even_from_htmx():
    recorder = Recorder()
    response = post(recorder, {"key": "a", "name": "Ann"}, in_place=False, **HTMX)
    assert response.status_code == 302
    failed = post(recorder, {"key": "a", "name": ""}, in_place=False, **HTMX)
    assert failed.status_code == 422
    assert text(failed).startswith("<html>")  # the whole page: it wasn't one thing's form


# --- The errors above the form ------------------------------------------------------------


def test_top_errors_are_the_forms_own_then_each_hidden_fields_named():
    form = ThingForm({"name": "Ann"})
    form.is_valid()
    form.add_error(None, "Not now.")
    assert top_errors(form) == ["Not now.", "Key: This field is required."]


def test_a_valid_form_has_no_top_errors():
    form = ThingForm({"key": "a", "name": "Ann"})
    assert form.is_valid()
    assert top_errors(form) == []

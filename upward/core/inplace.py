"""Editing one thing where it is shown: Edit, Save and Cancel without leaving the page.

A page shows things (a cell of a matrix, a step of a scale, a competency's rating
card); each can turn into its form in place with htmx and back. Without
JavaScript the same links and forms work as ordinary pages. An `InPlace` names
the two faces of one kind of thing (the form's own page, with a partial holding
the form, and the partial that shows the thing), and a view answers every request
with its methods `wants_display`, `show`, `edit` and `save`:

    CELL = InPlace(
        page="frameworks/cell_edit.html",           # the form's own page ...
        display="frameworks/version_edit.html#cell",  # ... and the thing itself
        autofocus="summary",
    )

    def framework_cell(request, ...):
        version = access...(request.user, ...)      # access first, 404 for strangers
        if request.method == "GET":
            keys = ...                              # 404 for a link naming nothing
            if CELL.wants_display(request):         # htmx Cancel
                return CELL.show(request, display_context(keys))
            return CELL.edit(request, CellForm(initial=...), form_context)
        return CELL.save(
            request,
            CellForm(request.POST),
            form_context,
            save=lambda data: services.edit_draft(...),   # one service call
            display=lambda data: display_context(data),   # after a save, for htmx
            done=lambda data: redirect(...),               # after a save, without htmx
        )

What each request gets back:

- GET: the form. Without htmx its whole page; with htmx only the page's
  `form` partial, to swap in for the thing (`in_place` is true, the `autofocus`
  field is focused).
- GET with `view=1` from htmx (the form's Cancel): the display partial.
- POST: the form is validated and `save` calls the service inside
  `core.http.service_errors`, so a service's `Invalid`/`Conflict` lands on the
  form. Saved: htmx gets the display partial (plus messages, out of band), a
  plain browser gets `done(data)` (a redirect back to the thing). Not saved: the
  form again, in place or as its page, with the form's status (422, 409, ...).
  A `save` that finds nothing to do raises `Invalid` like a service would.

`form_context(form)` returns the context of the form's page (`edit` adds
`in_place`). It includes `inplace`, made by `InPlace.editing(request, form,
url=..., back=..., cancel=...)`: `url` is where the form posts, `back` the page
Cancel leads to without JavaScript, `cancel` the htmx Cancel (the same URL with
`view=1`; empty for none). The partials of `core/inplace.html` draw the form
from it:

    {% partialdef form inline %}
      <form class="form"{% include "core/inplace.html#attrs" %}>
        {% csrf_token %}
        {% include "core/inplace.html#errors" %}   {# the form's own, hidden fields' #}
        ...the hidden and visible fields...
        {% include "core/inplace.html#actions" %}  {# Save, and Cancel #}
      </form>
    {% endpartialdef %}

The display partial holds the Edit link: `href` the form's page (it works
without JavaScript), `hx-get` the same URL, `hx-target` the editor's `target`.
Defaults fit a cell of a table (`closest td`, `innerHTML`); a card that replaces
itself says `target="closest fieldset"` (or its element) and `swap="outerHTML"`.

A card that is always a form, one of several in a longer form (the rating cards
of a self-assessment), has no Edit or Cancel: its own submit button posts with
`core/inplace.html#hx` and a value naming the card, and the view calls `save`
with `in_place=` saying whether this POST was for the card alone; `display` and
the form partial are then the same card.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from upward.core.http import ServiceForm, is_htmx, render_page, service_errors

# The context of a form's page, built from the form (bound or not).
FormContext = Callable[[ServiceForm], Mapping[str, Any]]


@dataclass(frozen=True)
class Editing:
    """What the `core/inplace.html` partials need to draw one form."""

    url: str
    back: str
    cancel: str
    in_place: bool
    target: str
    swap: str
    # Shown above the form: its own errors and those of its hidden fields, named.
    errors: list[str]


@dataclass(frozen=True)
class InPlace:
    """One kind of thing edited in place: its form's page and the partial that shows it."""

    page: str
    display: str
    form_fragment: str = "form"
    target: str = "closest td"
    swap: str = "innerHTML"
    autofocus: str = ""

    def wants_display(self, request: HttpRequest) -> bool:
        """Whether this GET is htmx's Cancel, asking for the thing instead of its form."""
        return bool(request.GET.get("view")) and is_htmx(request)

    def editing(
        self, request: HttpRequest, form: ServiceForm, *, url: str, back: str, cancel: str = ""
    ) -> Editing:
        """The `inplace` context of a form: where it posts, where Cancel goes, its errors."""
        in_place = is_htmx(request)
        return Editing(url, back, cancel, in_place, self.target, self.swap, top_errors(form))

    def show(self, request: HttpRequest, context: Mapping[str, Any]) -> HttpResponse:
        """The thing itself: the display partial, with any messages out of band."""
        template, _, fragment = self.display.partition("#")
        return render_page(request, template, context, fragment=fragment or None)

    def edit(
        self,
        request: HttpRequest,
        form: ServiceForm,
        form_context: FormContext,
        *,
        in_place: bool | None = None,
    ) -> HttpResponse:
        """The form: its own page, or (in place, for htmx) only its partial."""
        in_place = is_htmx(request) if in_place is None else in_place
        if in_place and self.autofocus in form.fields:
            form.fields[self.autofocus].widget.attrs["autofocus"] = True
        context = {"in_place": in_place, **form_context(form)}
        fragment = self.form_fragment if in_place else None
        return render_page(request, self.page, context, fragment=fragment, status=form.status)

    def save(
        self,
        request: HttpRequest,
        form: ServiceForm,
        form_context: FormContext,
        *,
        save: Callable[[dict[str, Any]], object],
        display: Callable[[dict[str, Any]], Mapping[str, Any]],
        done: Callable[[dict[str, Any]], HttpResponse],
        in_place: bool | None = None,
    ) -> HttpResponse:
        """Validate, save through the service, and answer with the thing or the form again."""
        in_place = is_htmx(request) if in_place is None else in_place
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form):
                save(data)
                if in_place:
                    return self.show(request, display(data))
                return done(data)
        return self.edit(request, form, form_context, in_place=in_place)


def top_errors(form: ServiceForm) -> list[str]:
    """The errors no visible field shows: the form's own, then each hidden field's, named."""
    errors = [str(e) for e in form.non_field_errors()]
    for field in form.hidden_fields():
        errors += [f"{field.label}: {e}" for e in field.errors]
    return errors

"""The template library: search it, read a template, apply it, rate it once applied,
and (organization admins and site staff) write, submit and review templates."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from upward.accounts.current import current_membership
from upward.accounts.models import Organization
from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.frameworks.selectors import document_of
from upward.roadmaps import selectors, services
from upward.roadmaps.access import access_template, may_author, may_curate
from upward.roadmaps.forms import (
    ApplyForm,
    RateForm,
    ReviewForm,
    TemplateFilterForm,
    TemplateForm,
    template_initial,
)
from upward.roadmaps.models import RoadmapTemplate, TemplateStatus
from upward.roadmaps.views.common import my_placement

# The author's own templates shown above the library (drafts first to mind).
MINE_SHOWN = 10


def _organization(request: AuthedRequest) -> Organization | None:
    membership = current_membership(request)
    return membership.organization if membership else None


@login_required
@require_GET
def templates(request: AuthedRequest) -> HttpResponse:
    """Published templates of the library and of my organization, searched by competency,
    step, framework and words; each with how often it was applied and how it was rated."""
    org = _organization(request)
    placement = my_placement(request)
    doc = document_of(placement.version) if placement else None
    track = placement.target_track if placement else ""
    # Without a search, my own framework's templates come first: the ones I can apply.
    mine = placement.version.framework.key if placement else ""
    form = TemplateFilterForm(
        request.GET or None, document=doc, track=track, initial={"framework": mine}
    )
    query = (
        form.query()
        if request.GET
        else {"competency": "", "step": "", "framework_key": mine, "q": ""}
    )
    raw_page = request.GET.get("page", "1")
    page = selectors.templates(
        viewer=request.user,
        organization=org,
        page=int(raw_page) if raw_page.isdigit() else 1,
        **query,
    )
    names = {c.key: c.name for c in doc.competencies} if doc else {}
    author = may_author(request.user, org) or request.user.is_staff
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "query": query,
        "org": org,
        "may_author": author,
        "mine": list(selectors.templates_by(request.user)[:MINE_SHOWN]) if author else [],
        "to_review": selectors.templates_to_review(viewer=request.user, organization=org),
        "rows": [
            {"template": t, "name": names.get(t.competency) or _readable(t.competency)}
            for t in page
        ],
        "filters": urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v]),
    }
    return render(request, "roadmaps/template_list.html", context)


def _readable(key: str) -> str:
    """A competency key of another framework, as words ("business-impact": "Business impact")."""
    return key.replace("-", " ").replace("_", " ").capitalize()


def _template_page(
    request: AuthedRequest, template: RoadmapTemplate, *, status: int = 200, **forms: Any
) -> HttpResponse:
    org = _organization(request)
    user = request.user
    stats = selectors.template_stats(template, viewer=user)
    own = template.author_id == user.pk
    curator = may_curate(user, template.organization)
    placement = my_placement(request)
    doc = document_of(placement.version) if placement else None
    names = {c.key: c.name for c in doc.competencies} if doc else {}
    context = {
        "template": template,
        "competency": names.get(template.competency) or _readable(template.competency),
        "stats": stats,
        "placement": placement,
        "apply_form": forms.get("apply_form") or ApplyForm(),
        "rate_form": forms.get("rate_form") or RateForm(initial=stats.own_rating_initial),
        "review_form": forms.get("review_form") or ReviewForm(),
        "action_form": forms.get("action_form"),
        "may_edit": template.status == TemplateStatus.DRAFT and (own or curator),
        "may_submit": template.status == TemplateStatus.DRAFT and (own or curator),
        "may_review": template.status == TemplateStatus.IN_REVIEW and curator and not own,
        "org": org,
    }
    return render(request, "roadmaps/template_detail.html", context, status=status)


@login_required
@require_GET
def template(request: AuthedRequest, template_id: int) -> HttpResponse:
    """A template: its plan, evidence, author, how often it was applied and its rating."""
    return _template_page(request, access_template(request.user, template_id))


@login_required
@get_or_post
def template_apply(request: AuthedRequest, template_id: int) -> HttpResponse:
    """Put a template's objectives on my roadmap (then edit them as my own)."""
    item = access_template(request.user, template_id)
    if request.method == "GET":
        return redirect("roadmaps:template", item.pk)
    placement = my_placement(request)
    form = ApplyForm(request.POST)
    if placement is None:
        messages.info(request, "Place yourself on a framework first: objectives serve its gaps.")
        return redirect("assessments:placement_edit")
    if form.is_valid():
        with service_errors(form):
            made = services.apply_template(
                template=item,
                placement=placement,
                by=request.user,
                start=form.cleaned_data["start"],
            )
            count = len(made)
            messages.success(
                request,
                f"{count} objective{'s' if count != 1 else ''} from “{item.title}” "
                "added to your roadmap.",
            )
            return redirect("roadmaps:roadmap")
    return _template_page(request, item, apply_form=form, status=form.status)


@login_required
@get_or_post
def template_rate(request: AuthedRequest, template_id: int) -> HttpResponse:
    """Rate a template I applied."""
    item = access_template(request.user, template_id)
    if request.method == "GET":
        return redirect("roadmaps:template", item.pk)
    form = RateForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.rate_template(
                template=item,
                by=request.user,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"].strip(),
            )
            messages.success(request, "Thank you for rating it.")
            return redirect("roadmaps:template", item.pk)
    return _template_page(request, item, rate_form=form, status=form.status)


@login_required
@get_or_post
def template_submit(request: AuthedRequest, template_id: int) -> HttpResponse:
    """Send a draft for review by a second person."""
    item = access_template(request.user, template_id, write=True)
    if request.method == "GET":
        return redirect("roadmaps:template", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.submit_template(template=item, by=request.user)
        messages.success(request, "Sent for review. Someone else will approve or return it.")
        return redirect("roadmaps:template", item.pk)
    return _template_page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def template_review(request: AuthedRequest, template_id: int) -> HttpResponse:
    """Approve (and publish) a template in review, or return it to its author."""
    item = access_template(request.user, template_id)
    if not may_curate(request.user, item.organization):
        raise Http404
    if request.method == "GET":
        return redirect(reverse("roadmaps:template", args=[item.pk]) + "#review")
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        with service_errors(form):
            services.review_template(
                template=item,
                by=request.user,
                approve=approve,
                note=form.cleaned_data["note"].strip(),
            )
            messages.success(request, "Published." if approve else "Returned to its author.")
            return redirect("roadmaps:template", item.pk)
    return _template_page(request, item, review_form=form, status=form.status)


# --- Writing templates -----------------------------------------------------------------------


def _template_fields(form: TemplateForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "framework_key": data["framework_key"],
        "competency": data["competency"].strip(),
        "track": data["track"].strip(),
        "from_step": data["from_step"].strip(),
        "to_step": data["to_step"].strip(),
        "title": data["title"].strip(),
        "summary": data["summary"].strip(),
        "duration_weeks": data["duration_weeks"],
        "evidence": [line.strip() for line in data["evidence"].splitlines() if line.strip()],
        "objectives": form.objectives(),
        "author_credentials": data["author_credentials"].strip(),
    }


@login_required
@get_or_post
def template_new(request: AuthedRequest) -> HttpResponse:
    """Write a template for my organization (or, site staff, for the library)."""
    org = _organization(request)
    staff = bool(request.user.is_staff)
    if not staff and not may_author(request.user, org):
        raise Http404
    placement = my_placement(request)
    initial = {}
    if placement is not None:
        initial = {
            "framework_key": document_of(placement.version).key,
            "track": placement.target_track,
            "from_step": placement.current_level,
            "to_step": placement.target_level,
        }
    data = request.POST if request.method == "POST" else None
    form = TemplateForm(data, staff=staff, initial=initial)
    if form.is_valid():
        library = staff and form.cleaned_data.get("library")
        with service_errors(form):
            made = services.create_template(
                by=request.user,
                organization=None if library else org,
                **_template_fields(form),
            )
            messages.success(request, "Draft saved. Submit it for review when it's ready.")
            return redirect("roadmaps:template", made.pk)
    context = {"form": form, "org": org, "template": None}
    return render(request, "roadmaps/template_edit.html", context, status=form.status)


@login_required
@get_or_post
def template_edit(request: AuthedRequest, template_id: int) -> HttpResponse:
    """Change a draft template."""
    item = access_template(request.user, template_id, write=True)
    staff = bool(request.user.is_staff)
    if request.method == "POST":
        form = TemplateForm(request.POST, staff=False)
    else:
        form = TemplateForm(initial=template_initial(item), staff=False)
    if form.is_valid():
        with service_errors(form):
            services.update_template(template=item, by=request.user, **_template_fields(form))
            messages.success(request, "Template saved.")
            return redirect("roadmaps:template", item.pk)
    context = {"form": form, "org": item.organization, "template": item, "staff": staff}
    return render(request, "roadmaps/template_edit.html", context, status=form.status)

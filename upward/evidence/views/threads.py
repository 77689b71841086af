"""Growth threads: the organization's feed, opening a thread, a thread's page with its
updates and replies, reactions, editing and deleting posts, and promoting an update to
an evidence entry.

Each view checks access through `access.threads` (missing and forbidden both answer
404), calls one service or selector and renders; a service's error is shown in
place, on the field it names.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from upward.accounts.current import current_membership
from upward.accounts.models import Organization
from upward.assessments.selectors import active_placement
from upward.core.http import (
    AuthedRequest,
    ServiceForm,
    get_or_post,
    redirect_or_fragment,
    render_page,
    service_errors,
)
from upward.evidence.access.threads import access_post, access_thread
from upward.evidence.forms_threads import (
    EditForm,
    PromoteForm,
    ReactForm,
    ReplyForm,
    ThreadForm,
    UpdateForm,
)
from upward.evidence.models import Post, Thread
from upward.evidence.selectors import threads as selectors
from upward.evidence.services import threads as services
from upward.frameworks.selectors import document_of

PAGE = "evidence/thread_detail.html"
FEED_PAGE_SIZE = 20


# --- The feed and new threads -----------------------------------------------------------


@login_required
@require_GET
def threads(request: AuthedRequest) -> HttpResponse:
    """Threads in my current organization that I may read, newest activity first."""
    membership = current_membership(request)
    if membership is None:
        return redirect("accounts:org_list")
    org = membership.organization
    page = Paginator(selectors.feed(request.user, org), FEED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tags = selectors.tag_names(page.object_list, org)
    rows = [{"thread": t, "tags": tags[t.pk]} for t in page.object_list]
    context = {"page": page, "rows": rows, "org": org}
    return render(request, "evidence/feed.html", context)


def _thread_form(
    request: AuthedRequest, org: Organization, thread: Thread | None, data: Any
) -> ThreadForm:
    """The thread form with the owner's competencies and open objectives to pick from
    (and the thread's own objective, open or not)."""
    placement = active_placement(request.user, org)
    objectives = selectors.objectives_to_tag(request.user, org)
    initial = {}
    if thread is not None:
        initial = {
            "title": thread.title,
            "competencies": list(thread.competencies),
            "objective": thread.objective_id,
            "visibility": thread.visibility,
        }
        if thread.objective is not None and thread.objective not in objectives:
            objectives.append(thread.objective)
    return ThreadForm(
        data,
        document=document_of(placement.version) if placement else None,
        objectives=objectives,
        creating=thread is None,
        initial=initial,
    )


@login_required
@get_or_post
def thread_new(request: AuthedRequest) -> HttpResponse:
    """Open a thread in my current organization."""
    membership = current_membership(request)
    if membership is None:
        return redirect("accounts:org_list")
    data = request.POST if request.method == "POST" else None
    form = _thread_form(request, membership.organization, None, data)
    if data is not None and form.is_valid():
        with service_errors(form):
            made = services.open_thread(
                owner=request.user, organization=membership.organization, **form.changes()
            )
            messages.success(request, "Thread opened. Post updates as the work moves on.")
            return redirect("evidence:thread", made.pk)
    context = {"form": form, "org": membership.organization}
    return render(request, "evidence/thread_new.html", context, status=form.status)


# --- A thread ---------------------------------------------------------------------------


def _page(
    request: AuthedRequest,
    thread: Thread,
    *,
    status: int = 200,
    promote: PromoteForm | None = None,
    **forms_: ServiceForm | None,
) -> HttpResponse:
    """The thread's page, with the form that failed (if any) shown with its errors."""
    shown = selectors.thread_page(thread, request.user)
    own = thread.owner_id == request.user.pk
    posts = []
    for item in shown.posts:
        form = None
        if own and item.post.is_update and item.entry_id is None:
            failed = promote is not None and promote.prefix == f"promote-{item.post.pk}"
            form = promote if failed else _promote_form(shown, item.post)
        posts.append((item, form))
    context = {
        "shown": shown,
        "posts": posts,
        "thread": thread,
        "own": own,
        "me": request.user,
        "update_form": forms_.get("update_form") or UpdateForm(),
        "reply_form": forms_.get("reply_form") or ReplyForm(),
        "action_form": forms_.get("action_form"),
        "open_promote": promote.prefix if promote is not None else "",
    }
    return render_page(request, PAGE, context, status=status)


def _promote_form(shown: selectors.ThreadPage, post: Post, data: Any = None) -> PromoteForm:
    return PromoteForm(
        data,
        post=post,
        document=shown.document,
        track=shown.track,
        tags=list(shown.thread.competencies),
    )


def _back(thread_id: int, post_id: int | None = None) -> str:
    url = reverse("evidence:thread", args=[thread_id])
    return f"{url}#post-{post_id}" if post_id else url


@login_required
@require_GET
def thread(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """A thread: its updates and replies in order, reactions, and the forms to add to it."""
    return _page(request, access_thread(request.user, thread_id))


@login_required
@get_or_post
def thread_edit(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """Change my thread's title, tags, objective or audience."""
    item = access_thread(request.user, thread_id, write=True)
    data = request.POST if request.method == "POST" else None
    form = _thread_form(request, item.organization, item, data)
    if data is not None and form.is_valid():
        with service_errors(form):
            services.update_thread(thread=item, by=request.user, **form.changes())
            messages.success(request, "Thread saved.")
            return redirect("evidence:thread", item.pk)
    context = {"form": form, "thread": item}
    return render(request, "evidence/thread_edit.html", context, status=form.status)


@login_required
@get_or_post
def thread_delete(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """Delete my thread with its posts."""
    item = access_thread(request.user, thread_id, write=True)
    if request.method == "GET":
        return redirect("evidence:thread", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.delete_thread(thread=item, by=request.user)
        messages.success(request, f"“{item.title}” deleted.")
        return redirect("evidence:threads")
    return _page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def thread_post(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """Post an update to my thread."""
    item = access_thread(request.user, thread_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk) + "#update")
    form = UpdateForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            post = services.post_update(
                thread=item, by=request.user, body=form.cleaned_data["body"]
            )
            return redirect(_back(item.pk, post.pk))
    return _page(request, item, update_form=form, status=form.status)


@login_required
@get_or_post
def thread_reply(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """Reply to a thread I may read."""
    item = access_thread(request.user, thread_id)
    if request.method == "GET":
        return redirect(_back(item.pk) + "#reply")
    form = ReplyForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            post = services.reply(thread=item, by=request.user, body=form.cleaned_data["body"])
            return redirect(_back(item.pk, post.pk))
    return _page(request, item, reply_form=form, status=form.status)


# --- Posts ------------------------------------------------------------------------------


@login_required
@get_or_post
def post_edit(request: AuthedRequest, post_id: int) -> HttpResponse:
    """Rewrite a post of mine."""
    post = access_post(request.user, post_id, write=True)
    data = request.POST if request.method == "POST" else None
    form = EditForm(data, initial={"body": post.body})
    if data is not None and form.is_valid():
        with service_errors(form):
            services.edit_post(post=post, by=request.user, body=form.cleaned_data["body"])
            messages.success(request, "Saved.")
            return redirect(_back(post.thread_id, post.pk))
    context = {"form": form, "post": post, "thread": post.thread}
    return render(request, "evidence/thread_post_edit.html", context, status=form.status)


@login_required
@get_or_post
def post_delete(request: AuthedRequest, post_id: int) -> HttpResponse:
    """Delete a post of mine, or a reply in my thread."""
    post = access_post(request.user, post_id)
    if request.method == "GET":
        return redirect(_back(post.thread_id, post.pk))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.delete_post(post=post, by=request.user)
        messages.success(request, "Post deleted.")
        return redirect(_back(post.thread_id))
    return _page(request, post.thread, action_form=form, status=form.status)


@login_required
@get_or_post
def post_react(request: AuthedRequest, post_id: int) -> HttpResponse:
    """Give a reaction to a post, or take it back; htmx gets the post's reactions back."""
    post = access_post(request.user, post_id)
    back = _back(post.thread_id, post.pk)
    if request.method == "GET":
        return redirect(back)
    form = ReactForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            change = services.react if form.cleaned_data["on"] else services.unreact
            change(post=post, by=request.user, kind=form.cleaned_data["kind"])
            return redirect_or_fragment(request, back, lambda: _reactions(request, post))
    return _page(request, post.thread, action_form=form, status=form.status)


def _reactions(request: AuthedRequest, post: Post) -> HttpResponse:
    """One post's reactions alone, for htmx."""
    items = selectors.thread_posts(post.thread, request.user)
    item = next(i for i in items if i.post.pk == post.pk)
    return render_page(request, PAGE, {"item": item}, fragment="reactions")


@login_required
@get_or_post
def post_promote(request: AuthedRequest, post_id: int) -> HttpResponse:
    """Make one of my updates an evidence entry."""
    post = access_post(request.user, post_id, write=True)
    if request.method == "GET":
        return redirect(_back(post.thread_id, post.pk))
    shown = selectors.thread_page(post.thread, request.user)
    form = _promote_form(shown, post, request.POST)
    if form.is_valid():
        with service_errors(form):
            data = form.cleaned_data
            services.promote_post(
                post=post,
                by=request.user,
                competencies=form.competencies(),
                title=data["title"],
                happened_on=data["happened_on"],
                impact=data["impact"],
                visibility=data["visibility"] or None,
            )
            messages.success(request, "Kept as evidence. The update links to its entry.")
            return redirect(_back(post.thread_id, post.pk))
    return _page(request, post.thread, promote=form, status=form.status)

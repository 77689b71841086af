"""What a member should do next, read for the dashboard: a selector returning plain data.

A fixed number of queries whatever the amount of feedback or the size of a team
(see `next_actions`). Anonymous feedback shows only the way the anonymity rule
allows (upward.core.anonymity): answers as the stepped count the delta page
shows, requests as the counts the request list shows; never one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.accounts.relationships import reports_of
from upward.assessments.models import (
    FeedbackRequest,
    FeedbackResponse,
    Placement,
    RequestStatus,
    Signal,
    Source,
)
from upward.assessments.selectors import (
    DeltaReport,
    active_placements,
    anonymous_requests,
    deltas_for,
    requests_received,
    requests_sent,
    step_code,
)
from upward.core import anonymity
from upward.engine.delta import Status

# Answers this recent count as new on the dashboard.
ARRIVED_DAYS = 30
# A report without a rating from their manager for this long is due one.
RATING_DUE_DAYS = 90
TOP_ITEMS = 5


@dataclass(frozen=True)
class ToAnswer:
    """A request waiting for the member's answer."""

    request_id: int
    requester: str
    framework: str
    expires_at: date
    url: str


@dataclass(frozen=True)
class Arrived:
    """An attributed answer the member received lately."""

    who: str
    relationship: str
    answered_on: date


@dataclass(frozen=True)
class GapStep:
    """One top gap, and what to do about it."""

    key: str
    name: str
    expected: str
    demonstrated: str  # "" until enough independent signals show a step
    operating: str  # the middle of what was counted: "" when nothing was
    action: str
    url: str


@dataclass(frozen=True)
class OpenRequest:
    """An attributed request the member sent that nobody has answered yet."""

    who: str
    relationship: str
    expires_at: date


@dataclass(frozen=True)
class ReportItem:
    """A report with something open for their manager; `placement_id` None: not placed."""

    name: str
    placement_id: int | None
    last_rated: date | None
    rating_due: bool
    top_gap: str
    waiting: list[ToAnswer]


@dataclass
class NextActions:
    """Everything the dashboard suggests, in the order it shows it."""

    placement_id: int | None = None
    target: str = ""
    to_answer: list[ToAnswer] = field(default_factory=list)
    arrived: list[Arrived] = field(default_factory=list)
    anonymous_answers: anonymity.Stepped | None = None
    gaps: list[GapStep] = field(default_factory=list)
    unassessed: int = 0
    unconfirmed: int = 0
    open_requests: list[OpenRequest] = field(default_factory=list)
    anonymous_requests: anonymity.RequestCounts | None = None
    is_manager: bool = False
    reports: list[ReportItem] = field(default_factory=list)

    @property
    def needs_placement(self) -> bool:
        return self.placement_id is None

    @property
    def up_to_date(self) -> bool:
        """Placed, and nothing waits for the member to act (answers that arrived are news)."""
        waiting = (self.to_answer, self.gaps, self.open_requests, self.reports)
        counts = self.unassessed or self.unconfirmed
        return not self.needs_placement and not counts and not any(waiting)


def next_actions(
    user: User, organization: Organization, *, today: date | None = None
) -> NextActions:
    """The member's next actions in an organization, in at most 10 queries: the
    placement, its delta (2), requests to answer, answers arrived, requests sent,
    anonymous request counts; for a manager, reports, their placements and the
    manager's last ratings (their deltas come in the same 2 delta queries)."""
    today = today or timezone.localdate()
    reports = list(reports_of(user, organization))
    placed = active_placements([user, *reports], organization)
    own = placed.get(user.pk)
    deltas = deltas_for(list(placed.values()), today=today)
    out = NextActions(is_manager=bool(reports))
    received = _to_answer(user, organization)
    report_ids = {r.pk for r in reports}
    out.to_answer = [r for requester, r in received if requester not in report_ids]
    if own is not None:
        _own(out, user, organization, deltas[own.pk], today=today)
    if reports:
        out.reports = _reports(user, organization, reports, placed, deltas, received, today=today)
    return out


def _own(
    out: NextActions, user: User, organization: Organization, view: DeltaReport, *, today: date
) -> None:
    """The member's own items: gaps, answers arrived and requests still open."""
    placement = view.placement
    out.placement_id = placement.pk
    out.target = view.target.code or view.target.title
    out.gaps = _gaps(view)
    out.unassessed = len(view.delta.needs_assessment)
    out.unconfirmed = sum(1 for c in view.delta.competencies if c.status == Status.UNCONFIRMED)
    out.anonymous_answers = view.anonymous_answers
    since = today - timedelta(days=ARRIVED_DAYS)
    answers = (
        FeedbackResponse.objects.filter(
            subject=user, organization=organization, anonymous=False, answered_on__gte=since
        )
        .select_related("request__rater")
        .order_by("-answered_on", "-id")[:TOP_ITEMS]
    )
    out.arrived = [Arrived(_rater(r), r.relationship, r.answered_on) for r in answers]
    sent = (
        requests_sent(user)
        .filter(organization=organization, status=RequestStatus.PENDING)
        .filter(expires_at__gt=timezone.now())
        .defer("placement__version__document")
    )
    out.open_requests = [
        OpenRequest(r.rater.display_name if r.rater else r.rater_email, r.relationship, _day(r))
        for r in sent
    ]
    out.anonymous_requests = anonymous_requests(user, organization)


def _gaps(view: DeltaReport) -> list[GapStep]:
    """Each top gap with a next step: rate yourself first, then ask others about it."""
    doc = view.document
    placement_id = view.placement.pk
    ask = reverse("assessments:feedback_new", args=[placement_id])
    rate = reverse("assessments:placement_assess", args=[placement_id])
    out = []
    for key in view.delta.top_gaps:
        item = view.competency(key)
        self_rated = any(e.source == Source.SELF for e in view.explained.get(key, []))
        action, url = (
            ("Ask for feedback on it", f"{ask}?competency={key}")
            if self_rated
            else ("Rate yourself on it", f"{rate}#competency-{key}")
        )
        expected = step_code(doc, key, item.expected or "")
        shown = step_code(doc, key, item.demonstrated or "")
        operating = step_code(doc, key, item.operating or "")
        out.append(GapStep(key, item.name, expected, shown, operating, action, url))
    return out


def _to_answer(user: User, organization: Organization) -> list[tuple[int, ToAnswer]]:
    """Open requests addressed to the member here, with their requester's id (1 query)."""
    rows = (
        requests_received(user)
        .filter(organization=organization)
        .defer("placement__version__document")
        .order_by("expires_at", "id")
    )
    return [
        (
            r.requester_id,
            ToAnswer(
                request_id=r.pk,
                requester=r.requester.display_name,
                framework=r.placement.version.framework.name,
                expires_at=_day(r),
                url=reverse("assessments:feedback_answer", args=[r.pk]),
            ),
        )
        for r in rows
    ]


def _reports(
    manager: User,
    organization: Organization,
    reports: list[User],
    placed: dict[int, Placement],
    deltas: dict[int, DeltaReport],
    received: list[tuple[int, ToAnswer]],
    *,
    today: date,
) -> list[ReportItem]:
    """Reports with something open for their manager: a rating due, or a request
    waiting for the manager's answer (1 query: the manager's last ratings)."""
    last = dict(
        Signal.objects.filter(
            organization=organization,
            rater=manager,
            source=Source.MANAGER,
            subject_id__in=[r.pk for r in reports],
        )
        .values("subject_id")
        .annotate(last=Max("created_at"))
        .values_list("subject_id", "last")
    )
    due_before = today - timedelta(days=RATING_DUE_DAYS)
    out = []
    for report in reports:
        placement = placed.get(report.pk)
        view = deltas.get(placement.pk) if placement is not None else None
        rated = timezone.localdate(last[report.pk]) if report.pk in last else None
        due = view is not None and (rated is None or rated < due_before)
        waiting = [item for requester, item in received if requester == report.pk]
        if not due and not waiting:
            continue
        gap = view.competency(view.delta.top_gaps[0]).name if view and view.delta.top_gaps else ""
        out.append(
            ReportItem(
                name=report.display_name,
                placement_id=view.placement.pk if view else None,
                last_rated=rated,
                rating_due=due,
                top_gap=gap,
                waiting=waiting,
            )
        )
    return out


def _rater(response: FeedbackResponse) -> str:
    request = response.request
    if request is None:
        return ""
    return request.rater.display_name if request.rater else request.rater_email


def _day(request: FeedbackRequest) -> date:
    return timezone.localdate(request.expires_at)

"""Reads of work orders for the inbox, the detail page and the managers' board (CONVENTIONS §4, §5).

Every read starts from ``orders_for(user)``, which applies the user's data scope. The inbox page costs
a fixed number of queries whatever the number of rows: one aggregate for the tab counts, one COUNT and
one page query (everything a row shows comes from ``select_related``), one for the tag texts and one
for the working-day calendar behind the due badges.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Evaluation, Tag, User
from evaluations.scope import visible_to
from evaluations.workdays import WorkdaySpan, add_working_days

from . import figures
from .models import (
    CLOCK_STATES,
    OPEN_STATES,
    Appeal,
    Decision,
    ExtensionRequest,
    Source,
    State,
    WorkOrder,
    WorkOrderEvent,
)
from .services.base import ACTION_NAMES

PAGE_SIZE = 20
# The states in which the rectification clock runs (an appeal
# pauses the clock; once approved, the department's part is done).
# Columns the list never shows: decrypting them for every row would be wasted work.
_ENCRYPTED = (
    "evaluation__evaluator_name",
    "evaluation__evaluator_phone",
    "evaluation__record__applicant_name",
    "evaluation__record__applicant_id_number",
    "evaluation__record__applicant_phone",
)

TABS: list[tuple[str, Any]] = [
    ("dispatch", gettext_lazy("待派发")),
    ("handling", gettext_lazy("待签收/整改中")),
    ("review", gettext_lazy("待审核")),
    ("revisit", gettext_lazy("待回访")),
    ("overdue", gettext_lazy("已逾期")),
    ("due_today", gettext_lazy("今日到期")),
    ("due_soon", gettext_lazy("1个工作日内到期")),
    ("all", gettext_lazy("全部")),
]
TAB_KEYS = [key for key, _label in TABS]


def orders_for(user: User) -> QuerySet[WorkOrder]:
    """The work orders ``user`` may see, with everything a list row or the detail header shows."""
    queryset = WorkOrder.objects.select_related(
        "evaluation",
        "evaluation__record",
        "evaluation__matter",
        "evaluation__staff",
        "evaluation__window",
        "department",
        "office_region",
        "handler",
    )
    return visible_to(user, queryset)


def _with_pending_extension() -> Q:
    # IN (uncorrelated subquery) lets PostgreSQL hash the few pending requests once, rather than probe
    # them for every order as a correlated EXISTS would.
    return Q(pk__in=ExtensionRequest.objects.filter(status=Decision.PENDING).values("order_id"))


def next_working_day(today: date) -> date:
    return add_working_days(today, 1)


def _tab_conditions(today: date, next_day: date) -> dict[str, Q]:
    return {
        "dispatch": Q(state=State.CREATED),
        "handling": Q(state__in=(State.DISPATCHED, State.HANDLING)),
        "review": Q(state__in=(State.REVIEWING, State.APPEALING)) | _with_pending_extension(),
        "revisit": Q(state=State.REVISITING),
        "overdue": Q(state__in=CLOCK_STATES, due__lt=today),
        "due_today": Q(state__in=CLOCK_STATES, due=today),
        "due_soon": Q(state__in=CLOCK_STATES, due__gte=today, due__lte=next_day),
        "all": Q(),
    }


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int


def inbox_tabs(user: User, today: date | None = None, next_day: date | None = None) -> list[Tab]:
    """Every tab with its count, in one aggregate query."""
    today = today or timezone.localdate()
    conditions = _tab_conditions(today, next_day or next_working_day(today))
    counts = orders_for(user).aggregate(
        **{
            key: Count("pk", filter=condition) if condition else Count("pk")
            for key, condition in conditions.items()
        }
    )
    return [Tab(key, str(label), counts[key]) for key, label in TABS]


def default_tab(user: User) -> str:
    """The tab a role works from: the office dispatches, a department rectifies, 12345 revisits."""
    return {"office": "dispatch", "department": "handling", "hotline": "revisit"}.get(user.role, "all")


def filtered(queryset: QuerySet[WorkOrder], filters: dict[str, Any]) -> QuerySet[WorkOrder]:
    """Apply the inbox filters; empty values are ignored."""
    exact = {
        "source": "source",
        "department": "department",
        "category": "category",
        "state": "state",
        "channel": "evaluation__channel",
        "created_from": "created_at__date__gte",
        "created_to": "created_at__date__lte",
    }
    for name, lookup in exact.items():
        if filters.get(name):
            queryset = queryset.filter(**{lookup: filters[name]})
    term = (filters.get("q") or "").strip()
    if term:
        # Exact or prefix, each through its own unique index (numbers are upper case, serials as sent);
        # two uncorrelated subqueries rather than an OR across a join, which would scan every order.
        by_number = WorkOrder.objects.filter(number__startswith=term.upper()).values("pk")
        by_serial = Evaluation.objects.filter(record__serial_no__startswith=term).values("pk")
        queryset = queryset.filter(Q(pk__in=by_number) | Q(evaluation_id__in=by_serial))
    return queryset


@dataclass(frozen=True)
class DueBadge:
    kind: str  # overdue, today, soon, ok, paused, late, done, or "" for none
    text: str


def due_badge(order: WorkOrder, today: date, span: WorkdaySpan) -> DueBadge:
    """The due-date badge of a list row or a detail page, in working days from ``today``."""
    if order.state == State.APPEALING:
        return DueBadge("paused", _("申诉期间暂停计时"))
    if order.state == State.CLOSED and order.closed_at and order.due:
        late = timezone.localtime(order.closed_at).date() > order.due
        return DueBadge("late", _("逾期办结")) if late else DueBadge("done", _("按期办结"))
    if order.state not in CLOCK_STATES or order.due is None:
        return DueBadge("", "")
    if order.due < today:
        days = span.between(order.due, today)
        if days < 1:
            return DueBadge("overdue", _("已逾期"))
        return DueBadge("overdue", _("已逾期 %(n)d 个工作日") % {"n": days})
    left = span.between(today, order.due)
    if left == 0:
        return DueBadge("today", _("今日到期"))
    return DueBadge("soon" if left == 1 else "ok", _("剩余 %(n)d 个工作日") % {"n": left})


def contact_badge(order: WorkOrder, today: date, span: WorkdaySpan) -> DueBadge:
    """The contact limit's badge (Tianjin art. 20, Ganzhou art. 17): kept or missed once recorded; while
    the department holds the order, the working days left or past, like the rectification badge."""
    if order.contact_due is None:
        return DueBadge("", "")
    if order.contacted_at is not None:
        if order.contacted_on_time:
            return DueBadge("done", _("已按时联系"))
        return DueBadge("late", _("超时联系"))
    if order.state not in CLOCK_STATES:
        return DueBadge("", "")
    if order.contact_due < today:
        days = span.between(order.contact_due, today)
        return DueBadge("overdue", _("联系已超时 %(n)d 个工作日") % {"n": max(days, 1)})
    left = span.between(today, order.contact_due)
    if left == 0:
        return DueBadge("today", _("今日须联系"))
    return DueBadge("soon" if left == 1 else "ok", _("联系剩余 %(n)d 个工作日") % {"n": left})


@dataclass
class Row:
    order: WorkOrder
    badge: DueBadge
    tags: list[str]
    contact: DueBadge = DueBadge("", "")


def tag_texts() -> dict[str, str]:
    return dict(Tag.objects.values_list("code", "text"))


def rating_tags(order: WorkOrder) -> list[str]:
    """The codes of the rating's tags; none for a supervision order, which has no rating."""
    return order.evaluation.tags if order.evaluation is not None else []


def inbox_page(
    user: User, tab: str, filters: dict[str, Any], page: Any, today: date | None = None,
    next_day: date | None = None, size: int = PAGE_SIZE,
) -> Page[Row]:  # fmt: skip
    """One page of the inbox: ``page.object_list`` holds ``Row``s, ordered by due date then age."""
    today = today or timezone.localdate()
    queryset = orders_for(user).defer(*_ENCRYPTED)
    condition = _tab_conditions(today, next_day or next_working_day(today)).get(tab, Q())
    if condition:
        queryset = queryset.filter(condition)
    queryset = filtered(queryset, filters).order_by(F("due").asc(nulls_last=True), "created_at", "pk")
    result = Paginator(queryset, size).get_page(page)
    orders = list(result.object_list)
    span = WorkdaySpan([today, *(day for order in orders for day in (order.due, order.contact_due) if day)])
    texts = tag_texts()
    page = cast("Page[Row]", result)  # the same page: its orders are swapped for their Rows just below
    page.object_list = [
        Row(
            order,
            due_badge(order, today, span),
            [texts.get(code, code) for code in rating_tags(order)],
            contact_badge(order, today, span),
        )
        for order in orders
    ]
    return page


# --- the detail page ----------------------------------------------------------------------------


def get_order(user: User, number: str) -> WorkOrder | None:
    """One order by number, only through the user's scope (None: not there, or not theirs)."""
    queryset = orders_for(user).select_related("evaluation__window__hall", "department__region")
    return queryset.filter(number=number).first()


def pending_extension(order: WorkOrder) -> ExtensionRequest | None:
    return ExtensionRequest.objects.filter(order=order, status=Decision.PENDING).first()


@dataclass
class Step:
    """One line of the timeline: the event and what happened, in words (派发, 签收, 查看联系电话…)."""

    event: WorkOrderEvent
    label: str

    @property
    def to_label(self) -> str:
        """The state a transition led to; a withdrawn order's is 已撤销, not its state's 申诉成立 (nobody
        appealed: the rating was ruled 刷评 or 恶意评价, services.withdrawal)."""
        if self.event.action == "withdraw":
            return str(gettext_lazy("已撤销"))
        return str(self.event.get_to_state_display())


@dataclass
class OrderFile:
    """Everything the detail page shows besides the order itself."""

    tags: list[str]
    badge: DueBadge
    contact: DueBadge
    timeline: list[Step]
    extensions: list[ExtensionRequest]
    appeals: list[Appeal]

    @property
    def pending_extension(self) -> ExtensionRequest | None:
        return next((row for row in self.extensions if row.status == Decision.PENDING), None)


# Events of the contact limit, told apart from those of the rectification limit on the timeline.
_EVENT_NAMES: dict[tuple[str, str], Any] = {
    (WorkOrderEvent.Kind.WARNING, "contact"): gettext_lazy("联系时限提醒"),
    (WorkOrderEvent.Kind.OVERDUE, "contact"): gettext_lazy("联系超时"),
    (WorkOrderEvent.Kind.REVEAL, "text"): gettext_lazy("查看完整文字"),
    (WorkOrderEvent.Kind.NOTE, "publish_reply"): gettext_lazy("审定公开答复"),
    (WorkOrderEvent.Kind.NOTE, "remind"): gettext_lazy("催办"),
}
# A supervision order's revisit is the office's re-inspection (复查).
_SUPERVISION_NAMES: dict[str, Any] = {"record_revisit": gettext_lazy("复查办结")}


def order_file(order: WorkOrder, today: date | None = None) -> OrderFile:
    codes = rating_tags(order)
    texts = dict(Tag.objects.filter(code__in=codes).values_list("code", "text")) if codes else {}
    today = today or timezone.localdate()
    span = WorkdaySpan([today, *(day for day in (order.due, order.contact_due) if day)])
    return OrderFile(
        tags=[texts.get(code, code) for code in codes],
        badge=due_badge(order, today, span),
        contact=contact_badge(order, today, span),
        timeline=[
            Step(
                event,
                str(
                    _EVENT_NAMES.get((event.kind, event.action))
                    or (order.is_supervision and _SUPERVISION_NAMES.get(event.action))
                    or ACTION_NAMES.get(event.action)
                    or event.get_kind_display()
                ),
            )
            for event in order.events.select_related("actor").order_by("at", "pk")
        ],
        extensions=list(order.extensions.select_related("requested_by", "decided_by")),
        appeals=list(order.appeals.select_related("filed_by", "decided_by")),
    )


# --- the managers' board ------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One department's live figures; the rates are those of the reports (workorders/figures.py)."""

    department: str
    open: int
    overdue: int
    closed_month: int
    counted: int
    on_time: int
    rectified: int
    revisit_satisfied: int
    contact_owed: int
    contact_in_time: int

    @property
    def on_time_rate(self) -> float | None:
        """按期整改率 = 按期整改 / 有效差评工单 (an open order, overdue or not, is not on time)."""
        return self.on_time / self.counted if self.counted else None

    @property
    def revisit_rate(self) -> float | None:
        """回访满意率 = 回访满意 / 已整改."""
        return self.revisit_satisfied / self.rectified if self.rectified else None

    @property
    def on_time_percent(self) -> float | None:
        return None if self.on_time_rate is None else 100 * self.on_time_rate

    @property
    def revisit_percent(self) -> float | None:
        return None if self.revisit_rate is None else 100 * self.revisit_rate

    @property
    def contact_percent(self) -> float | None:
        """按时联系率 = 按时联系 / 应联系 (a contact not yet made is not on time)."""
        return 100 * self.contact_in_time / self.contact_owed if self.contact_owed else None


BOARD_COUNTS = (
    "open", "overdue", "closed_month", "counted", "on_time", "rectified", "revisit_satisfied", "contact_owed",
    "contact_in_time",
)  # fmt: skip


def board(user: User, today: date | None = None) -> list[BoardRow]:
    """Per department of the user's scope, in one grouped aggregate query.

    The orders as they stand today, whatever their rating date; 按期整改率 and 回访满意率 use the
    definitions of workorders/figures.py, which must agree with reporting/rollups/sql.py. The board is
    of bad reviews (差评工单): supervision orders are counted apart (figures.supervision_figures).
    """
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    rows = (
        visible_to(user, WorkOrder.objects.filter(source=Source.RATING))
        .values("department_id", "department__name")
        .annotate(
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("pk", filter=Q(state__in=CLOCK_STATES, due__lt=today)),
            closed_month=Count("pk", filter=Q(state=State.CLOSED, closed_at__date__gte=month_start)),
            counted=Count("pk", filter=figures.COUNTED),
            on_time=Count("pk", filter=figures.ON_TIME),
            rectified=Count("pk", filter=figures.RECTIFIED),
            revisit_satisfied=Count("pk", filter=figures.REVISIT_SATISFIED),
            contact_owed=Count("pk", filter=figures.CONTACT_OWED),
            contact_in_time=Count("pk", filter=figures.CONTACTED_ON_TIME),
        )
        .order_by("-overdue", "-open", "department__name")
    )
    return [
        BoardRow(
            row["department__name"],
            row["open"],
            row["overdue"],
            row["closed_month"],
            row["counted"],
            row["on_time"],
            row["rectified"],
            row["revisit_satisfied"],
            row["contact_owed"],
            row["contact_in_time"],
        )
        for row in rows
    ]

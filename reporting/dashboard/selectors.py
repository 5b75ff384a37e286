"""What the managers' dashboard (/reports/) reads, always within the user's data scope.

Figures, the 12-month trend and the channel mix come from the rollups only (reporting/models/rollups.py).
The 堵点 analysis and the overdue orders read raw rows: valid active bad reviews are rare (a few per
thousand ratings) and open overdue orders fewer still, and both are narrowed by ``visible_to``.
Evaluator names and phone numbers are never selected.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet, Sum

from evaluations.models import Evaluation, Tag, User
from evaluations.models.choices import BAD_GRADES, EvaluationKind, Grade, Validity
from evaluations.pii import mask_text
from evaluations.scope import visible_to
from evaluations.workdays import WorkdaySpan
from reporting.models import DailyRollup, DepartmentMonthly, Measures
from reporting.periods import Period
from reporting.rankings import Scope
from reporting.scoring import Totals
from workorders.models import CLOCK_STATES, State, WorkOrder

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

TREND_MONTHS = 12
TOP_ROWS = 10
TAGS_PER_ROW = 3
LATEST_COMMENTS = 10
OVERDUE_ROWS = 10


def monthly_totals(scope: Scope, period: Period, months: int = TREND_MONTHS) -> list[tuple[Period, Totals]]:
    """Summed rollup counts of each of the ``months`` months ending with ``period`` (one query)."""
    first = period
    for _ in range(months - 1):
        first = first.previous()
    rows = scope.filter(DepartmentMonthly.objects.filter(month__gte=first.first, month__lte=period.last))
    sums = rows.values("month").annotate(**{m: Sum(m) for m in Measures.MEASURES}).order_by()
    by_month = {(row["month"].year, row["month"].month): Totals.from_row(row) for row in sums}
    result, month = [], first
    while True:
        result.append((month, by_month.get((month.year, month.number), Totals())))
        if month == period:
            return result
        month = month.next()


def channel_mix(scope: Scope, period: Period) -> dict[str, int]:
    """Valid ratings (grades 1-5, active and default) of the month per rating channel."""
    rated = F("g1") + F("g2") + F("g3") + F("g4") + F("g5")
    rows = scope.filter(DailyRollup.objects.filter(day__gte=period.first, day__lte=period.last))
    sums = rows.values("channel").annotate(rated=Sum(rated)).order_by()
    return {row["channel"]: int(row["rated"] or 0) for row in sums}


def month_bad_reviews(period: Period) -> QuerySet[Evaluation]:
    """The month's valid, active bad reviews (差评), not yet narrowed to anyone's scope."""
    start, end = period.bounds
    return Evaluation.objects.filter(
        grade__in=BAD_GRADES,
        kind=EvaluationKind.ACTIVE,
        validity=Validity.VALID,
        rated_at__gte=start,
        rated_at__lt=end,
    )


def bad_reviews(user: User, period: Period) -> QuerySet[Evaluation]:
    """The month's valid, active bad reviews (差评) that ``user`` may see."""
    return visible_to(user, month_bad_reviews(period))


@dataclass
class Hotspot:
    """A department or matter with its bad reviews of the month and the tags they carried most."""

    name: str
    bad: int = 0
    tags: Counter = field(default_factory=Counter)
    top_tags: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Hotspots:
    tags: list[tuple[str, int]]  # the month's most frequent bad-review tags overall
    by_department: list[Hotspot]
    by_matter: list[Hotspot]
    bad: int


def _top(units: dict[object, Hotspot], texts: dict[str, str]) -> list[Hotspot]:
    rows = sorted(units.values(), key=lambda unit: (-unit.bad, unit.name))[:TOP_ROWS]
    for row in rows:
        row.top_tags = [(texts.get(code, code), n) for code, n in row.tags.most_common(TAGS_PER_ROW)]
    return rows


def hotspots(user: User, period: Period) -> Hotspots:
    """堵点: the tags of the month's bad reviews, overall, by department and by matter (two queries)."""
    return tally_hotspots(bad_reviews(user, period))


def tally_hotspots(reviews: QuerySet[Evaluation]) -> Hotspots:
    """堵点 of ``reviews`` (bad reviews already narrowed to a scope and a month); also the circular's."""
    rows = reviews.order_by().values_list(
        "department_id", "department__name", "matter_id", "matter__name", "tags"
    )
    overall: Counter = Counter()
    departments: dict[object, Hotspot] = {}
    matters: dict[object, Hotspot] = {}
    total = 0
    for department_id, department_name, matter_id, matter_name, tags in rows:
        total += 1
        overall.update(tags)
        units = [departments.setdefault(department_id, Hotspot(department_name))]
        if matter_id is not None:
            units.append(matters.setdefault(matter_id, Hotspot(f"{matter_name}（{department_name}）")))
        for unit in units:
            unit.bad += 1
            unit.tags.update(tags)
    texts = dict(Tag.objects.filter(code__in=list(overall)).values_list("code", "text")) if overall else {}
    return Hotspots(
        tags=[(texts.get(code, code), n) for code, n in overall.most_common(TOP_ROWS)],
        by_department=_top(departments, texts),
        by_matter=_top(matters, texts),
        bad=total,
    )


@dataclass(frozen=True)
class BadComment:
    rated_at: dt.datetime
    grade: int
    grade_label: "StrOrPromise"
    department: str
    matter: str
    comment: str


def latest_bad_comments(user: User, period: Period, limit: int = LATEST_COMMENTS) -> list[BadComment]:
    """The month's latest bad reviews that carry a written comment; no evaluator identity."""
    rows = (
        bad_reviews(user, period)
        .exclude(comment="")
        .order_by("-rated_at", "-pk")
        .values("rated_at", "grade", "department__name", "matter__name", "comment")[:limit]
    )
    comments = []
    for row in rows:
        grade = row["grade"]
        assert grade is not None  # a bad review is graded 1 or 2
        comments.append(
            BadComment(
                rated_at=row["rated_at"],
                grade=grade,
                grade_label=Grade(grade).label,
                department=row["department__name"],
                matter=row["matter__name"] or "",
                comment=mask_text(row["comment"]),  # citizens sometimes write their number in
            )
        )
    return comments


@dataclass(frozen=True)
class OverdueOrder:
    number: str
    state_label: "StrOrPromise"
    department: str
    matter: str
    due: dt.date
    working_days: int


@dataclass
class Overdue:
    count: int
    rows: list[OverdueOrder]


def overdue_orders(user: User, today: dt.date, limit: int = OVERDUE_ROWS) -> Overdue:
    """Open orders past their due date, most overdue first (the inbox's 已逾期 tab: an appeal pauses the
    clock and an order under review is the office's move, see workorders.selectors)."""
    queryset = visible_to(user, WorkOrder.objects.filter(state__in=CLOCK_STATES, due__lt=today))
    rows = list(
        queryset.order_by("due", "number").values(
            "number", "state", "due", "department__name", "evaluation__matter__name"
        )[:limit]
    )
    count = len(rows) if len(rows) < limit else queryset.count()
    dues: list[dt.date] = []
    for row in rows:
        due = row["due"]
        assert due is not None  # the query keeps only orders due before today
        dues.append(due)
    span = WorkdaySpan([today, *dues])
    return Overdue(
        count=count,
        rows=[
            OverdueOrder(
                number=row["number"],
                state_label=State(row["state"]).label,
                department=row["department__name"],
                matter=row["evaluation__matter__name"] or "",
                due=due,
                working_days=span.between(due, today),
            )
            for row, due in zip(rows, dues, strict=True)
        ],
    )


@dataclass
class Dashboard:
    period: Period
    months: list[tuple[Period, Totals]]
    channels: dict[str, int]
    hotspots: Hotspots
    comments: list[BadComment]
    overdue: Overdue

    @property
    def totals(self) -> Totals:
        return self.months[-1][1]


def dashboard_for(user: User, period: Period, *, today: dt.date) -> Dashboard:
    scope = Scope.for_user(user)
    return Dashboard(
        period=period,
        months=monthly_totals(scope, period),
        channels=channel_mix(scope, period),
        hotspots=hotspots(user, period),
        comments=latest_bad_comments(user, period),
        overdue=overdue_orders(user, today),
    )

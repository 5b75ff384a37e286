"""Reads for the public pages: published circulars (and withdrawn ones, shown as such), and a department's
bad reviews without anything that identifies the evaluator or the staff."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Department, Region, Tag
from evaluations.models.choices import Validity
from evaluations.pii import mask_text
from reporting.models import Circular, CircularState
from workorders.models import Source, State, WorkOrder

from ..periods import Period, local_day_bounds

# What the public may read: published circulars, and withdrawn ones (shown as withdrawn, with the reason).
PUBLIC_STATES = (CircularState.PUBLISHED, CircularState.WITHDRAWN)
# Of a month's public versions, the one shown: the published one, else the newest withdrawn.
_SHOWN_FIRST = Case(When(state=CircularState.PUBLISHED, then=Value(0)), default=Value(1))


def published() -> QuerySet[Circular]:
    """The published version of each region and month (at most one: a correction is published only after
    the version it replaces was withdrawn)."""
    return Circular.objects.filter(state=CircularState.PUBLISHED).select_related("region")


def public() -> QuerySet[Circular]:
    return Circular.objects.filter(state__in=PUBLIC_STATES).select_related("region")


def regions_with_circulars() -> list[Circular]:
    """The shown circular of the latest public month of every region that has one, in region-tree order."""
    latest = public().order_by("region_id", "-period", _SHOWN_FIRST, "-version").distinct("region_id")
    return sorted(latest, key=lambda c: c.region.path)


def region_circulars(region: Region) -> list[Circular]:
    """The shown circular of each public month of ``region``, newest month first."""
    shown = public().filter(region=region).order_by("period", _SHOWN_FIRST, "-version").distinct("period")
    return sorted(shown, key=lambda c: c.period, reverse=True)


def month_versions(region: Region, period: str) -> list[Circular]:
    """Every public version of the month, newest first: the history beside the one shown."""
    return list(public().filter(region=region, period=period).order_by("-version"))


def published_region_codes(codes: list[str]) -> set[str]:
    rows = published().filter(region__code__in=codes)
    return set(rows.values_list("region__code", flat=True))


def department_circulars(department: Department) -> list[Circular]:
    """Per month, the published circular of the nearest region that ranks ``department``."""
    listed = [{"code": department.code}]
    found = published().filter(
        Q(data__rankings__department__rows__contains=listed)
        | Q(data__rankings__department__unranked__contains=listed)
    )
    nearest: dict[str, Circular] = {}
    for circular in found:
        kept = nearest.get(circular.period)
        if kept is None or circular.region.level > kept.region.level:
            nearest[circular.period] = circular
    return [nearest[period] for period in sorted(nearest, reverse=True)]


def department_row(circular: Circular, code: str) -> tuple[dict | None, int]:
    """The department's row in ``circular`` and how many departments were ranked in it."""
    ranking = circular.data.get("rankings", {}).get("department", {})
    for row in [*ranking.get("rows", []), *ranking.get("unranked", [])]:
        if row["code"] == code:
            return row, len(ranking.get("rows", []))
    return None, 0


def status_label(order: WorkOrder) -> str:
    """The rectification status a citizen reads, from the work order's state."""
    if order.state == State.VOIDED:
        return order.state_label  # 申诉成立（不予采纳 / 未评 / 不属实, by the region's rules）
    return {
        State.CREATED: _("待处理"),
        State.DISPATCHED: _("待处理"),
        State.HANDLING: _("整改中"),
        State.APPEALING: _("申诉复核中"),
        State.REVIEWING: _("整改待审核"),
        State.REVISITING: _("已整改"),
        State.CLOSED: _("已办结"),
    }.get(order.state, order.state_label)


# The reply is published once the management office has approved the rectification.
REPLY_PUBLISHED_STATES = (State.REVISITING, State.CLOSED)


@dataclass
class PublicBadReview:
    day: dt.date
    matter: str
    grade: str
    tags: list[str]
    status: str
    state: str
    reply: str  # the office's approved public version, never the reply as the department wrote it
    reply_delivered: bool  # a reply exists but no public version is approved: say only that it went out


# Nothing else of the order or its rating is read, so no evaluator detail can leak into a page.
PUBLIC_ORDER_FIELDS = (
    "state", "public_reply", "public_reply_at", "department_id", "evaluation__rated_at",
    "evaluation__grade", "evaluation__tags", "evaluation__validity", "evaluation__matter__name",
)  # fmt: skip


def department_bad_reviews(department: Department, first: dt.date, last: dt.date) -> QuerySet[WorkOrder]:
    """Work orders of the department's bad reviews rated on the local days ``first``..``last`` (the months
    its published circulars cover): the valid ones and those found invalid on appeal (shown as such).

    Bad reviews only: a supervision order (监督查评) is the office's own finding, published through the
    office's circular if at all, never listed as a citizen's 差评."""
    start, end = local_day_bounds(first, last)
    return (
        WorkOrder.objects.filter(
            source=Source.RATING,
            department=department,
            evaluation__rated_at__gte=start,
            evaluation__rated_at__lt=end,
        )
        # Not one ruled 刷评 or 恶意评价 on the office's review: not a citizen's review at all.
        .filter(Q(evaluation__validity=Validity.VALID) | Q(state=State.VOIDED))
        .exclude(evaluation__validity=Validity.RULED)
        .select_related("evaluation", "evaluation__matter")
        .only(*PUBLIC_ORDER_FIELDS)
        .order_by("-evaluation__rated_at", "-pk")
    )


def public_reviews(orders: list[WorkOrder]) -> list[PublicBadReview]:
    """What the public may read of each order: no evaluator, no staff, no free-text comment."""
    ratings = [(order, order.evaluation) for order in orders if order.evaluation is not None]
    codes = {code for _order, evaluation in ratings for code in evaluation.tags}
    texts = dict(Tag.objects.filter(code__in=codes).values_list("code", "text"))
    out = []
    for order, evaluation in ratings:  # department_bad_reviews: a rating behind every order
        published = order.state in REPLY_PUBLISHED_STATES
        out.append(
            PublicBadReview(
                day=timezone.localdate(evaluation.rated_at),
                matter=evaluation.matter.name if evaluation.matter else _("窗口服务"),
                grade=evaluation.get_grade_display(),
                tags=[texts[code] for code in evaluation.tags if code in texts],
                status=status_label(order),
                state=order.state,
                # Only the version the office approved (issue 14); masked again in case a number slipped in.
                reply=mask_text(order.public_reply) if published and order.public_reply_at else "",
                reply_delivered=published and not order.public_reply_at,
            )
        )
    return out


def period_label(circular: Circular) -> str:
    return Period.parse(circular.period).label


def covered_days(circulars: list[Circular]) -> tuple[dt.date, dt.date]:
    """From the first day of the earliest month of ``circulars`` to the last day of the latest."""
    periods = [Period.parse(circular.period) for circular in circulars]
    return min(period.first for period in periods), max(period.last for period in periods)

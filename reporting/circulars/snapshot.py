"""What a circular freezes: the month's figures and rankings (Tianjin art. 23-26), the work orders overdue
or still open at the cut-off, the 堵点 (Ganzhou art. 21), the supervision results, and the typical cases.

Everything is read for the issuing region's own subtree and stored as JSON; nothing is recomputed later.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Region, Tag
from evaluations.pii import mask_text
from evaluations.policies import policy_for_region
from evaluations.workdays import WorkdaySpan
from workorders.models import CLOCK_STATES, OPEN_STATES, Source, State, WorkOrder

from ..dashboard.selectors import month_bad_reviews, tally_hotspots
from ..periods import Period
from ..rankings import LEVELS, Ranking, Row, Scope, build_ranking
from ..rankings.units import totals_by_unit
from ..scoring import Scale, Totals, figures
from .chain import closing_digest
from .numbers import office_of
from .supervision import supervision_results

# The levels a circular ranks, in the order the pages and the workbook show them.
CIRCULAR_LEVELS = tuple(LEVELS)
DEEPEST_REGION_LEVEL = 5
OPEN_ORDER_ROWS = 500  # stored in full up to this many; the total is stored beside them
HOTSPOT_TAGS = 10


def _row(row: Row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "rank": row.rank,
        "previous_rank": row.previous_rank,
        "low": row.low,
        "sample": row.sample,
        "figures": row.figures.as_dict(),
    }


def _ranking(ranking: Ranking) -> dict:
    return {"rows": [_row(r) for r in ranking.rows], "unranked": [_row(r) for r in ranking.unranked]}


def orders_in(region: Region) -> QuerySet[WorkOrder]:
    """Work orders supervised by an office inside ``region``'s subtree (the inbox's scope of its office)."""
    return WorkOrder.objects.filter(office_region__path__startswith=region.path)


def _what(order: WorkOrder) -> str:
    if order.evaluation is not None and order.evaluation.matter is not None:
        return order.evaluation.matter.name
    if order.evaluation is not None:
        return _("窗口服务")
    return mask_text(order.summary)[:60]


def open_orders(region: Region, period: Period, cut_off: dt.datetime) -> dict:
    """Orders opened up to the month's end that are still open at ``cut_off``, the overdue ones first
    (overdue as in the inbox: past ``due`` while the department holds the order)."""
    _start, end = period.bounds
    queryset = (
        orders_in(region)
        .filter(state__in=OPEN_STATES)
        # The month and before: a rating's order from its rating, a supervision one from its opening.
        .filter(Q(evaluation__rated_at__lt=end) | Q(evaluation__isnull=True, created_at__lt=end))
        .select_related("department", "evaluation__matter")
        .order_by("due", "number")
    )
    orders = list(queryset[:OPEN_ORDER_ROWS])
    today = timezone.localdate(cut_off)
    span = WorkdaySpan([today, *(o.due for o in orders if o.due)])
    rows = []
    for order in orders:
        overdue = order.state in CLOCK_STATES and order.due is not None and order.due < today
        rows.append(
            {
                "number": order.number,
                "source": str(Source(order.source).label),
                "department": order.department.name,
                "what": _what(order),
                "state": str(State(order.state).label),
                "due": order.due.isoformat() if order.due else None,
                "overdue": overdue,
                "overdue_days": span.between(order.due, today) if overdue and order.due else 0,
            }
        )
    rows.sort(key=lambda row: not row["overdue"])  # stable: by due date within each group
    total = len(rows) if len(rows) < OPEN_ORDER_ROWS else queryset.count()
    return {"total": total, "overdue": sum(row["overdue"] for row in rows), "rows": rows}


def hotspots(region: Region, period: Period) -> dict:
    """堵点: the month's most frequent bad-review tags in the region, and the departments with most."""
    found = tally_hotspots(Scope.for_region(region).filter(month_bad_reviews(period)))
    return {
        "bad": found.bad,
        "tags": [{"text": text, "count": n} for text, n in found.tags[:HOTSPOT_TAGS]],
        "departments": [
            {"name": unit.name, "bad": unit.bad, "tags": [text for text, _n in unit.top_tags]}
            for unit in found.by_department
        ],
    }


def case_snapshot(order: WorkOrder, tag_texts: dict[str, str]) -> dict:
    """A typical case as the circular prints it: no evaluator, no staff name."""
    evaluation = order.evaluation
    assert evaluation is not None  # typical cases are bad reviews
    return {
        "order": order.pk,
        "number": order.number,
        "rated_on": timezone.localdate(evaluation.rated_at).isoformat(),
        "department": order.department.name,
        "matter": evaluation.matter.name if evaluation.matter else _("窗口服务"),
        "grade": evaluation.get_grade_display(),
        "tags": [tag_texts.get(code, code) for code in evaluation.tags],
        "comment": mask_text(evaluation.comment),
        "state": str(State(order.state).label),
        "rectification": mask_text(order.rectification),
    }


def case_snapshots(orders: list[WorkOrder]) -> list[dict]:
    codes = {code for order in orders if order.evaluation for code in order.evaluation.tags}
    texts = dict(Tag.objects.filter(code__in=codes).values_list("code", "text")) if codes else {}
    return [case_snapshot(order, texts) for order in orders]


def circular_snapshot(region: Region, period: Period) -> tuple[dict, dict]:
    """(policy, data) of ``region`` for ``period``, read from the rollups and the orders as they are now."""
    policy = policy_for_region(region)
    scale = Scale.from_policy(policy)
    scope = Scope.for_region(region)
    departments = totals_by_unit("department", period, scope)
    summary = figures(sum(departments.values(), Totals()), scale)
    rankings = {}
    for level in CIRCULAR_LEVELS:
        if level == "region" and scope.depth >= DEEPEST_REGION_LEVEL:
            continue  # a village has no region below it
        rankings[level] = _ranking(build_ranking(level, period, scope, scale))
    policy_data = {
        **scale.as_dict(),
        "preset": policy.preset,
        "preset_label": str(policy.get_preset_display()),
        "source_region": policy.region.code if policy.region_id else None,
    }
    cut_off = timezone.localtime()
    data = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "issuer": office_of(region).name,  # 发文机关, as the admin named it then
        "period": str(period),
        "summary": summary.as_dict(),
        "rankings": rankings,
        "chain": closing_digest(period),  # 数据校验码 (reporting/circulars/chain.py)
        "generated_at": cut_off.isoformat(),
        "cut_off": cut_off.isoformat(),
        "open_orders": open_orders(region, period, cut_off),
        "hotspots": hotspots(region, period),
        "supervision": supervision_results(region, period),  # reporting/circulars/supervision.py
    }
    return policy_data, data

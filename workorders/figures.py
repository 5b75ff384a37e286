"""The work-order figures, defined once as ORM conditions on ``WorkOrder`` (issue 13, point 4(a)).

One vocabulary with the reports: these conditions are the ORM form of the SQL in
reporting/rollups/sql.py (``MEASURE_SQL``: "orders", "rectified", "on_time", "revisit_satisfied"),
which the dashboard, the rankings and the circulars read. The two MUST agree; a change to one is a
change to the other, and tests/reporting/test_figures_agree.py proves on a hand-computed set that
the board, the dashboard and the rankings API give the same numbers.

- counted (有效差评工单): the order of a *valid* bad review; an order voided on appeal (its rating's
  validity no longer 'valid') leaves every figure;
- rectified (已整改): approved by the office;
- on time (按期整改): rectified, and submitted (local date) no later than its due date. An open order,
  past due or not, is not (yet) on time: 按期整改率 = 按期整改差评数 / 有效差评数 (Ganzhou), so an
  overdue open order counts against the rate instead of vanishing from it;
- revisit satisfied (回访满意): the citizen answered 满意; 回访满意率 = 回访满意 / 已整改.
- contact owed (应联系) and contacted on time (按时联系): the counted orders with a contact limit
  (Tianjin art. 20, Ganzhou art. 17; none for an anonymous review without a phone), and those whose
  contact was recorded (or the reply sent) no later than it; as with 按期整改, an order not yet
  contacted stays in the denominator. The board's figure only: the reports have no contact measure.

Every rate here is of bad reviews only: a supervision order (监督查评, no rating behind it) is in none of
them, as it is in none of the rollups (which start from the ratings). Its own counts are
``supervision_figures`` below: opened, closed, overdue and still open, per managing office.

The board reads the orders as they stand now, grouped by the department handling them; the rollups
count the orders of the bad reviews rated in a period, grouped by the rated department. They differ
only in that selection (an order dispatched to another department, a rating outside the period).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from evaluations.models import Region, Validity

from .models import CLOCK_STATES, OPEN_STATES, RevisitResult, Source, State, WorkOrder

COUNTED = Q(source=Source.RATING, evaluation__validity=Validity.VALID)
RECTIFIED = COUNTED & Q(approved_at__isnull=False)
# submitted_at__date is the local (Asia/Shanghai) date, as ``AT TIME ZONE %(tz)s`` in the SQL.
ON_TIME = RECTIFIED & Q(due__isnull=False, submitted_at__date__lte=F("due"))
REVISIT_SATISFIED = COUNTED & Q(revisit_result=RevisitResult.SATISFIED)
CONTACT_OWED = COUNTED & Q(contact_due__isnull=False)
CONTACTED_ON_TIME = CONTACT_OWED & Q(contacted_at__date__lte=F("contact_due"))


# --- supervision orders (监督查评), counted apart from the bad reviews ----------------------------


@dataclass(frozen=True)
class SupervisionFigures:
    """One managing office's supervision orders for a period (local days ``first``..``last``).

    opened: created in the period; closed: 办结 (re-inspected) in the period, whenever opened;
    overdue: of those opened, past their due date (still being handled after it, or submitted late);
    open: of those opened, not closed yet."""

    region_code: str
    region_name: str
    opened: int
    closed: int
    overdue: int
    open: int


def supervision_figures(
    region: Region, first: date, last: date, today: date | None = None
) -> list[SupervisionFigures]:
    """Per managing office in ``region``'s subtree, the counts of its supervision orders (one grouped
    query; offices without any are left out). ``today`` decides what is overdue, default the real today."""
    today = today or timezone.localdate()
    opened = Q(created_at__date__gte=first, created_at__date__lte=last)
    overdue = Q(state__in=CLOCK_STATES, due__lt=today) | Q(due__isnull=False, submitted_at__date__gt=F("due"))
    rows = (
        WorkOrder.objects.filter(source=Source.SUPERVISION, office_region__path__startswith=region.path)
        .values("office_region__code", "office_region__name", "office_region__path")
        .annotate(
            opened=Count("pk", filter=opened),
            closed=Count(
                "pk", filter=Q(state=State.CLOSED, closed_at__date__gte=first, closed_at__date__lte=last)
            ),
            overdue=Count("pk", filter=opened & overdue),
            open=Count("pk", filter=opened & Q(state__in=OPEN_STATES)),
        )
        .filter(Q(opened__gt=0) | Q(closed__gt=0))
        .order_by("office_region__path")
    )
    return [
        SupervisionFigures(
            row["office_region__code"], row["office_region__name"],
            row["opened"], row["closed"], row["overdue"], row["open"],
        )
        for row in rows
    ]  # fmt: skip


def supervision_total(rows: list[SupervisionFigures], region: Region) -> SupervisionFigures:
    """The sum of ``supervision_figures`` rows, named for ``region`` (a circular's summary line)."""
    return SupervisionFigures(
        region.code,
        region.name,
        sum(row.opened for row in rows),
        sum(row.closed for row in rows),
        sum(row.overdue for row in rows),
        sum(row.open for row in rows),
    )

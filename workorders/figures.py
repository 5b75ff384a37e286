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

The board reads the orders as they stand now, grouped by the department handling them; the rollups
count the orders of the bad reviews rated in a period, grouped by the rated department. They differ
only in that selection (an order dispatched to another department, a rating outside the period).
"""

from django.db.models import F, Q

from evaluations.models import Validity

from .models import RevisitResult

COUNTED = Q(evaluation__validity=Validity.VALID)
RECTIFIED = COUNTED & Q(approved_at__isnull=False)
# submitted_at__date is the local (Asia/Shanghai) date, as ``AT TIME ZONE %(tz)s`` in the SQL.
ON_TIME = RECTIFIED & Q(due__isnull=False, submitted_at__date__lte=F("due"))
REVISIT_SATISFIED = COUNTED & Q(revisit_result=RevisitResult.SATISFIED)
CONTACT_OWED = COUNTED & Q(contact_due__isnull=False)
CONTACTED_ON_TIME = CONTACT_OWED & Q(contacted_at__date__lte=F("contact_due"))

"""A bad review ruled 刷评 or 恶意评价 on the office's flag review takes its work order with it.

The rating leaves every figure (evaluations/services/flags.py; 51号 五(二) "排除误评和恶意差评", 四(一)
"核实为误评或恶意差评的，评价结果不予采纳"), so nobody is to rectify, answer or call back about it: the order
ends as ``voided`` from whatever open state it is in (``withdraw``), its timeline says who ruled and
why, and an appeal the department had filed against the same review is granted by that ruling. It runs
inside the flag decision's transaction, so the ruling and the withdrawal are written together or not
at all.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from evaluations.models import Evaluation, User
from workorders.models import OPEN_STATES, Appeal, Decision, WorkOrder

from .base import transition


def workorder_withdraw(order: WorkOrder, *, by: User, reason: str, at: datetime) -> WorkOrder:
    """End ``order`` because its rating was ruled 刷评 or 恶意评价 (``reason``: the reviewer's)."""
    with translation.override(settings.LANGUAGE_CODE):  # a record, in the system's language, not the UI's
        note = _("评价经核查认定为刷评或恶意评价，工单撤销：%(reason)s") % {"reason": reason.strip()}
    current = transition(order, "withdraw", by=by, note=note, at=at)
    Appeal.objects.filter(order=current, status=Decision.PENDING).update(  # granted by the ruling
        status=Decision.APPROVED, decided_by=by, decided_at=at, decision_note=note
    )
    return current


def on_evaluation_ruled(
    sender: Any, evaluation: Evaluation, reason: str, by: User, at: datetime, **kwargs: Any
) -> str | None:
    """Receiver of evaluations.signals.evaluation_ruled: withdraw the rating's open work order, if any,
    and answer its number."""
    # Locked as read: a handler acting on it meanwhile waits, rather than fail the ruling as stale.
    open_order = WorkOrder.objects.select_for_update().filter(
        evaluation_id=evaluation.pk, state__in=OPEN_STATES
    )
    order = open_order.first()
    if order is None:
        return None
    return workorder_withdraw(order, by=by, reason=reason, at=at).number

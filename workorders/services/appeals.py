"""申诉复核: the department appeals a bad review; the office upholds it (the clock's paused days are
given back) or voids it (the rating is recorded as not adopted / 未评 / 不属实 by policy in an
append-only ``Ruling``; the rating itself is never changed by the application)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import RulingSource, User
from evaluations.policies import policy_for_region
from evaluations.services.rulings import ruling_record
from evaluations.workdays import add_working_days, working_days_between
from workorders.models import Appeal, Decision, WorkOrder

from .base import WorkOrderBlocked, transition
from .events import log_deadline


def workorder_appeal(order: WorkOrder, *, by: User, reason: str, evidence: str = "") -> Appeal:
    if not reason.strip():
        raise WorkOrderBlocked(_("请填写申诉理由。"))
    with transaction.atomic():
        current = transition(order, "appeal", by=by, note=reason, at=timezone.now())
        return Appeal.objects.create(
            order=current, filed_by=by, reason=reason.strip(), evidence=evidence.strip()
        )


def _pending_appeal(order: WorkOrder) -> Appeal:
    appeal = Appeal.objects.select_for_update().filter(order=order, status=Decision.PENDING).first()
    if appeal is None:
        raise WorkOrderBlocked(_("该工单没有待复核的申诉。"))
    return appeal


def workorder_uphold(order: WorkOrder, *, by: User, note: str) -> WorkOrder:
    """The bad review stands: back to handling, with the working days the review took given back."""
    if not note.strip():
        raise WorkOrderBlocked(_("请填写复核意见。"))
    with transaction.atomic():
        paused_since = WorkOrder.objects.get(pk=order.pk).paused_at
        current = transition(order, "uphold", by=by, note=note)
        returned = 0
        if paused_since is not None and current.due is not None:
            returned = working_days_between(timezone.localtime(paused_since).date(), timezone.localdate())
            if returned > 0:
                old_due = current.due
                current.due = add_working_days(current.due, returned)
                current.save(update_fields=["due"])
                text = _("申诉复核期间暂停计时 %(days)d 个工作日，整改时限由 %(old)s 顺延至 %(new)s。") % {
                    "days": returned,
                    "old": old_due,
                    "new": current.due,
                }
                log_deadline(current, by=by, note=text)
        appeal = _pending_appeal(current)
        appeal.status, appeal.decided_by, appeal.decided_at = Decision.REJECTED, by, timezone.now()
        appeal.decision_note, appeal.days_returned = note.strip(), returned
        appeal.save()
    return current


def workorder_void(order: WorkOrder, *, by: User, note: str) -> WorkOrder:
    """The bad review is mistaken or malicious: the order ends and the rating is marked invalid."""
    if not note.strip():
        raise WorkOrderBlocked(_("请填写复核意见（认定误评或恶意评价的依据）。"))
    with transaction.atomic():
        current = transition(order, "void", by=by, note=note, at=timezone.now())
        outcome = policy_for_region(current.department.region).invalid_outcome
        # A ruling row of its own; the database copies it onto the rating (evaluations/models/rulings.py).
        # A supervision order cannot be appealed (rules.has_rating), so it never gets here; were it to,
        # there is no rating to rule on, and none is touched.
        if current.evaluation is not None:
            ruling_record(
                evaluation=current.evaluation, outcome=outcome, reason=note, source=RulingSource.APPEAL, by=by
            )
        appeal = _pending_appeal(current)
        appeal.status, appeal.decided_by, appeal.decided_at = Decision.APPROVED, by, timezone.now()
        appeal.decision_note = note.strip()
        appeal.save()
    return current

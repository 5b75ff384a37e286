"""Extensions (延期): asked before the due date with a reason and a new date, at most N per order
(Ganzhou: 2), each approved by the management office; the citizen is told the new date by SMS."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import User
from evaluations.policies import policy_for_region
from evaluations.workdays import is_working_day
from workorders import rules
from workorders.models import Decision, ExtensionRequest, State, WorkOrder

from .base import WorkOrderBlocked, locked
from .events import log_deadline, log_extension_request
from .notices import tell_citizen_new_due


def extension_blocked(order: WorkOrder, pending: ExtensionRequest | None) -> str:
    """Why the handler cannot ask for an extension now, in Chinese ("" when they can): shown beside the
    disabled action on the order's page, and the refusal of ``extension_request``."""
    if pending is not None:
        return _("该工单已有一项待审核的延期申请（申请延至 %(date)s）。") % {"date": pending.new_due}
    allowed = policy_for_region(order.department.region).max_extensions
    if allowed == 0:
        return _("本地区的规则不允许延期，请在整改时限内办结。")
    if order.extensions_used >= allowed:
        return _("该工单已延期 %(n)d 次，已达上限（最多 %(max)d 次）。") % {
            "n": order.extensions_used,
            "max": allowed,
        }
    if order.due is None or timezone.localdate() > order.due:
        return _("整改时限 %(due)s 已过，延期须在时限届满前申请。") % {"due": order.due or "—"}
    return ""


def not_a_working_day(new_due: date) -> str | None:
    """Why ``new_due`` cannot be asked for, or None: a limit counted in working days ends on one."""
    if is_working_day(new_due):
        return None
    return _("申请延至的日期 %(date)s 不是工作日，请选择工作日。") % {"date": new_due}


def extension_request(order: WorkOrder, *, by: User, reason: str, new_due: date) -> ExtensionRequest:
    with transaction.atomic():
        current = locked(order.pk)
        if not rules.can_handle(current, by):
            raise WorkOrderBlocked(_("您无权为该工单申请延期。"))
        if current.state not in (State.DISPATCHED, State.HANDLING):
            raise WorkOrderBlocked(_("只有待签收或整改中的工单可以申请延期。"))
        reason_blocked = extension_blocked(current, pending=None)
        if reason_blocked:
            raise WorkOrderBlocked(reason_blocked)
        assert current.due is not None  # extension_blocked refuses an order without a due date
        if new_due <= current.due:
            raise WorkOrderBlocked(_("申请延至的日期须晚于现在的时限 %(due)s。") % {"due": current.due})
        if refusal := not_a_working_day(new_due):
            raise WorkOrderBlocked(refusal)
        if not reason.strip():
            raise WorkOrderBlocked(_("请填写延期理由。"))
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    order=current,
                    requested_by=by,
                    reason=reason.strip(),
                    new_due=new_due,
                    old_due=current.due,
                )
        except IntegrityError:
            raise WorkOrderBlocked(_("该工单已有一项待审核的延期申请。")) from None
        text = _("申请延期至 %(date)s：%(reason)s") % {"date": new_due, "reason": reason.strip()}
        log_extension_request(current, by=by, note=text)
    return request


def extension_decide(
    request: ExtensionRequest, *, by: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    with transaction.atomic():
        current = locked(request.order_id)
        pending = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if pending.status != Decision.PENDING:
            raise WorkOrderBlocked(_("该延期申请已审核。"))
        if not rules.can_supervise(current, by):
            raise WorkOrderBlocked(_("您无权审核该延期申请。"))
        if not approve and not note.strip():
            raise WorkOrderBlocked(_("不同意延期时请说明理由。"))
        if approve and (current.due is None or not current.is_open):
            raise WorkOrderBlocked(
                _("工单当前状态为“%(state)s”，不能再延期。") % {"state": current.get_state_display()}
            )
        pending.status = Decision.APPROVED if approve else Decision.REJECTED
        pending.decided_by, pending.decided_at, pending.decision_note = by, timezone.now(), note.strip()
        pending.save()
        if approve:
            assert current.due is not None  # approving an order without a due date was refused above
            current.due = max(current.due, pending.new_due)  # an appeal may have moved it later meanwhile
            current.extensions_used += 1
            current.save(update_fields=["due", "extensions_used"])
            text = _("同意延期，整改时限由 %(old)s 调整为 %(new)s。") % {
                "old": pending.old_due,
                "new": pending.new_due,
            }
        else:
            text = _("不同意延期：%(note)s") % {"note": note.strip()}
        log_deadline(current, by=by, note=text)
        if approve:
            transaction.on_commit(lambda: tell_citizen_new_due(current.pk))
    return pending

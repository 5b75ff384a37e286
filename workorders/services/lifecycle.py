"""Every state change of a work order: lock the row, check role, scope and conditions, transition,
save, and write the timeline event, all in one transaction (CONVENTIONS §2, §6, §7).

Two people acting on one order at once: the second waits for the row lock, then finds the order in
its new state and gets a clear message; nothing is applied twice.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from evaluations.models import Department, User
from evaluations.policies import policy_for_region
from evaluations.workdays import add_working_days
from workorders.models import CLOCK_STATES, Category, WorkOrder, WorkOrderEvent
from workorders.signals import workorder_transitioned

from .opening import managing_region


class WorkOrderBlocked(Exception):
    """The action is not possible now; ``message`` (Chinese) says why. Nothing was written."""

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


ACTION_NAMES = {
    "dispatch": _("派发"),
    "send_back": _("退回"),
    "accept": _("签收"),
    "submit": _("提交整改"),
    "approve": _("审核通过"),
    "reject": _("退回整改"),
    "appeal": _("申诉"),
    "uphold": _("维持差评"),
    "void": _("申诉成立"),
    "record_revisit": _("回访办结"),
}


def locked(order_id: int) -> WorkOrder:
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("evaluation", "department__region", "office_region")
        .get(pk=order_id)
    )


def transition(
    order: WorkOrder, action: str, *, by: User, note: str = "", prepare=None, **kwargs
) -> WorkOrder:
    """Lock, check, apply ``action`` and log it. ``prepare(order)`` may set fields the conditions read."""
    with transaction.atomic():
        current = locked(order.pk)
        method = getattr(current, action)
        name = ACTION_NAMES[action]
        if current.state != order.state:
            raise WorkOrderBlocked(
                _("工单 %(number)s 已被他人处理，当前状态为“%(state)s”，无法%(action)s。请刷新后查看。")
                % {"number": current.number, "state": current.get_state_display(), "action": name}
            )
        if not can_proceed(method, check_conditions=False):
            raise WorkOrderBlocked(
                _("工单当前状态为“%(state)s”，不能%(action)s。")
                % {"state": current.get_state_display(), "action": name}
            )
        if not permitted(current, action, by):
            raise WorkOrderBlocked(_("您无权对该工单执行“%(action)s”。") % {"action": name})
        if prepare is not None:
            prepare(current)
        for check in _conditions(method):
            if not check(current):
                raise WorkOrderBlocked(check.message)
        before = current.state
        method(**kwargs)
        current.save()
        event = WorkOrderEvent.objects.create(
            order=current, kind=WorkOrderEvent.Kind.TRANSITION, action=action, from_state=before,
            to_state=current.state, actor=by, note=note.strip(),
        )  # fmt: skip
        workorder_transitioned.send(sender=WorkOrder, order=current, action=action, event=event)
    return current


def permitted(order: WorkOrder, action: str, user: User) -> bool:
    """May ``user`` take ``action`` on ``order`` in its present state (role and scope only)?

    django_fsm.has_transition_perm also requires the conditions, which read what the action's own
    form supplies (a rectification text, a revisit result); pages use this to offer the action.
    """
    meta = getattr(order, action)._django_fsm
    return meta.has_transition(order.state) and meta.has_transition_perm(order, order.state, user)


def _conditions(method) -> list:
    meta = method._django_fsm
    found = []
    for source_transitions in meta.transitions.values():
        for check in source_transitions.conditions:
            if check not in found:
                found.append(check)
    return found


def due_dates(order: WorkOrder, start: date) -> tuple[date, date]:
    """(contact due, rectification due), counted in working days from ``start`` by the region's policy."""
    policy = policy_for_region(order.department.region)
    finish = {
        Category.SIMPLE: policy.finish_days_simple,
        Category.GENERAL: policy.finish_days_general,
        Category.COMPLEX: policy.finish_days_complex,
    }[order.category]
    contact, due = add_working_days(start, policy.contact_days), add_working_days(start, finish)
    # Ganzhou: contact in 2 for complex cases, but a clear one is answered (contacted) within 1.
    return min(contact, due), due


def workorder_dispatch(
    order: WorkOrder, *, by: User, category: str | None = None, department: Department | None = None,
    note: str = "",
) -> WorkOrder:  # fmt: skip
    now = timezone.now()

    def prepare(current: WorkOrder) -> None:
        if category:
            current.category = category
        if department is not None:
            # Only to a department in the dispatcher's own region; its county office then supervises.
            in_scope = by.region_id and department.region.path.startswith(by.region.path)
            if not (by.has_global_scope or in_scope):
                raise WorkOrderBlocked(_("只能派发给本辖区内的部门。"))
            current.department = department
            current.office_region = managing_region(department.region)
        current.contact_due, current.due = due_dates(current, timezone.localtime(now).date())

    return transition(order, "dispatch", by=by, note=note, prepare=prepare, at=now)


def workorder_send_back(order: WorkOrder, *, by: User, note: str) -> WorkOrder:
    if not note.strip():
        raise WorkOrderBlocked(_("请说明退回理由（例如：不属于本部门办理）。"))
    return transition(order, "send_back", by=by, note=note)


def workorder_accept(order: WorkOrder, *, by: User, note: str = "") -> WorkOrder:
    def prepare(current: WorkOrder) -> None:
        current.handler = by

    return transition(order, "accept", by=by, note=note, prepare=prepare, at=timezone.now())


def workorder_submit(order: WorkOrder, *, by: User, rectification: str, reply: str) -> WorkOrder:
    def prepare(current: WorkOrder) -> None:
        current.rectification = rectification.strip()
        current.reply = reply.strip()

    result = transition(order, "submit", by=by, prepare=prepare, at=timezone.now())
    from .notices import reply_to_citizen

    transaction.on_commit(lambda: reply_to_citizen(result.pk))
    return result


def workorder_approve(order: WorkOrder, *, by: User, note: str = "") -> WorkOrder:
    result = transition(order, "approve", by=by, note=note, at=timezone.now())
    from .revisit_link import send_revisit_link

    transaction.on_commit(lambda: send_revisit_link(result.pk))  # the citizen may answer by SMS
    return result


def workorder_reject(order: WorkOrder, *, by: User, note: str) -> WorkOrder:
    if not note.strip():
        raise WorkOrderBlocked(_("请说明退回整改的理由。"))
    return transition(order, "reject", by=by, note=note)


def workorder_record_revisit(
    order: WorkOrder, *, by: User, result: str, channel: str, note: str = ""
) -> WorkOrder:
    def prepare(current: WorkOrder) -> None:
        current.revisit_result = result
        current.revisit_channel = channel

    return transition(order, "record_revisit", by=by, note=note, prepare=prepare, at=timezone.now())


def is_overdue(order: WorkOrder, today: date | None = None) -> bool:
    """Overdue is derived, never stored as a state: an open order past its due date."""
    if order.due is None or order.state not in CLOCK_STATES:
        return False
    return (today or timezone.localdate()) > order.due

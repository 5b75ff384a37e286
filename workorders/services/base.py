"""The core of every state change: lock the row, check state, role, scope and conditions, apply the
transition, save and log it, all in one transaction (CONVENTIONS §2, §6, §7). The services of
lifecycle, appeals, extensions, notices and revisit_link build on it.

Two people acting on one order at once: the second waits for the row lock, then finds the order in
its new state and gets a clear message; nothing is applied twice.
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import User
from workorders import fsm
from workorders.models import WorkOrder
from workorders.signals import workorder_transitioned

from .events import log_transition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class WorkOrderBlocked(Exception):
    """The action is not possible now; ``message`` (Chinese) says why. Nothing was written."""

    def __init__(self, message: "StrOrPromise") -> None:
        self.message = str(message)
        super().__init__(self.message)


# Lazy: the timeline and messages show them in the reader's language, not the one at import.
ACTION_NAMES = {
    "dispatch": gettext_lazy("派发"),
    "send_back": gettext_lazy("退回"),
    "accept": gettext_lazy("签收"),
    "submit": gettext_lazy("提交整改"),
    "approve": gettext_lazy("审核通过"),
    "reject": gettext_lazy("退回整改"),
    "appeal": gettext_lazy("申诉"),
    "uphold": gettext_lazy("维持差评"),
    "void": gettext_lazy("申诉成立"),
    "withdraw": gettext_lazy("认定刷评撤销"),
    "record_revisit": gettext_lazy("回访办结"),
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
        if not fsm.from_state(current, action):
            raise WorkOrderBlocked(
                _("工单当前状态为“%(state)s”，不能%(action)s。")
                % {"state": current.get_state_display(), "action": name}
            )
        if not fsm.may_take(current, action, by):
            raise WorkOrderBlocked(_("您无权对该工单执行“%(action)s”。") % {"action": name})
        if prepare is not None:
            prepare(current)
        for check in fsm.conditions(current, action):
            if not check(current):
                raise WorkOrderBlocked(check.why(current))
        before = current.state
        method(**kwargs)
        current.save()
        event = log_transition(current, action=action, before=before, by=by, note=note)
        workorder_transitioned.send(sender=WorkOrder, order=current, action=action, event=event)
    return current

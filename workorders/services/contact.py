"""Contacting the citizen (联系评价人): a milestone with its own limit in working days, counted from
dispatch (Tianjin art. 20: 回访 within 1 working day for simple and general cases; Ganzhou art. 17:
答复 within 1, complex cases 联系 within 2). The order's state does not change.

The handler records when and how the citizen was reached. Submitting the rectification sends the
reply to the citizen by SMS; if no contact was recorded before, that reply is the contact, at that time.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import User
from workorders import rules
from workorders.models import CLOCK_STATES, ContactWay, WorkOrder

from .base import WorkOrderBlocked, locked
from .events import log_contact
from .notices import citizen_phone


def contact_text(order: WorkOrder) -> str:
    at = timezone.localtime(order.contacted_at).strftime("%Y-%m-%d %H:%M") if order.contacted_at else ""
    text = _("%(at)s 通过%(way)s联系评价人") % {"at": at, "way": order.get_contact_way_display()}
    if order.contacted_on_time is False:
        text += _("（超过联系时限 %(due)s）") % {"due": order.contact_due}
    text += "。"
    return text + order.contact_note if order.contact_note else text


def workorder_record_contact(
    order: WorkOrder, *, by: User, at: datetime, way: str, note: str = ""
) -> WorkOrder:
    with transaction.atomic():
        current = locked(order.pk)
        if not rules.can_handle(current, by):
            raise WorkOrderBlocked(_("您无权为该工单登记联系情况。"))
        if current.state not in CLOCK_STATES:
            raise WorkOrderBlocked(
                _("工单当前状态为“%(state)s”，不能登记联系评价人。") % {"state": current.get_state_display()}
            )
        if current.contacted_at is not None:
            raise WorkOrderBlocked(_("已登记过联系评价人，补充情况请在办理记录中说明。"))
        if way not in ContactWay.values or way == ContactWay.REPLY:
            raise WorkOrderBlocked(_("请选择联系方式。"))
        if at > timezone.now():
            raise WorkOrderBlocked(_("联系时间不能晚于现在。"))
        # Times are entered to the minute: the minute of dispatch itself is allowed.
        if current.dispatched_at is not None and at < current.dispatched_at.replace(second=0, microsecond=0):
            raise WorkOrderBlocked(_("联系时间不能早于派发时间。"))
        current.contacted_at, current.contact_way, current.contact_note = at, way, note.strip()
        current.save(update_fields=["contacted_at", "contact_way", "contact_note"])
        log_contact(current, by=by, note=contact_text(current))
    return current


def contact_by_reply(order: WorkOrder, *, at: datetime) -> bool:
    """On submit: the reply SMS is the contact, unless one was recorded or there is no phone to send to.

    Call inside the submit transaction, on the locked order; the caller saves it."""
    if order.contacted_at is not None or not citizen_phone(order):
        return False
    order.contacted_at, order.contact_way = at, ContactWay.REPLY
    return True

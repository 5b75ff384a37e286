"""The work order's main path: dispatch, send back, accept, submit, approve, reject, revisit, each through
``base.transition`` (lock, check, apply, log). Appeals and extensions have modules of their own."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Department, User
from evaluations.policies import policy_for_region
from evaluations.workdays import add_working_days
from workorders.models import WorkOrder

from .base import WorkOrderBlocked, transition
from .contact import contact_by_reply, contact_text
from .events import log_contact
from .notices import citizen_phone, reply_to_citizen
from .revisit_link import send_revisit_link


def due_dates(order: WorkOrder, start: date) -> tuple[date | None, date]:
    """(contact due, rectification due) in working days from ``start`` by the region's policy.

    The contact limit is None where the region's regulation sets none (Tianjin art. 20 (三)), and for an
    anonymous review that left no phone: nobody can be contacted, so no limit can be missed.
    """
    policy = policy_for_region(order.department.region)
    due = add_working_days(start, policy.finish_days(order.category))
    contact_days = policy.contact_days(order.category)
    if contact_days is None or not citizen_phone(order):
        return None, due
    # A case answered within its finish limit has been contacted by then at the latest.
    return min(add_working_days(start, contact_days), due), due


def workorder_dispatch(
    order: WorkOrder, *, by: User, category: str | None = None, department: Department | None = None,
    note: str = "",
) -> WorkOrder:  # fmt: skip
    now = timezone.now()

    def prepare(current: WorkOrder) -> None:
        if category:
            current.category = category
        if department is not None:
            # Only to a department in the dispatcher's own region. The supervising office stays the one of
            # the place the service was given (Ganzhou art. 19), whichever department handles it.
            region = by.region  # None (without a query) for a user with no region
            in_scope = region is not None and department.region.path.startswith(region.path)
            if not (by.has_global_scope or in_scope):
                raise WorkOrderBlocked(_("只能派发给本辖区内的部门。"))
            current.department = department
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
    now = timezone.now()
    contacted = False

    def prepare(current: WorkOrder) -> None:
        nonlocal contacted
        current.rectification = rectification.strip()
        current.reply = reply.strip()
        # A new reply needs a new public version (issue 14): the approved one no longer fits.
        current.public_reply, current.public_reply_at, current.public_reply_by = "", None, None
        contacted = contact_by_reply(current, at=now)

    with transaction.atomic():
        result = transition(order, "submit", by=by, prepare=prepare, at=now)
        if contacted:
            log_contact(result, by=by, note=contact_text(result))
    transaction.on_commit(lambda: reply_to_citizen(result.pk))
    return result


def workorder_approve(order: WorkOrder, *, by: User, note: str = "") -> WorkOrder:
    result = transition(order, "approve", by=by, note=note, at=timezone.now())
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

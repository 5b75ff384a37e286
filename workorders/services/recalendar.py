"""Deadlines that follow the calendar (工作日历调整后重算时限).

Deadlines are counted in working days (Ganzhou art. 17: contact in 2, finish in 10 working days from the
day after dispatch; an extension names a new 整改时限). A year whose holiday table is not entered yet is
counted Monday-Friday (evaluations.workdays); when its table is entered or corrected, the dates already
counted across it are wrong. ``evaluations.signals.work_calendar_changed`` tells this app after the
commit; ``recompute_due_dates`` counts the open orders' dates again:

1. contact and rectification limits from the dispatch date by the rule of dispatch (``due_dates``);
2. then, in the order they were decided since that dispatch, the working days an upheld appeal gave back
   (``Appeal.days_returned``, the count recorded at the decision; the pause's start is not kept after
   it) and each approved extension: the date the office approved is kept, moved to the next working day
   if it is no longer one. An order still paused by an appeal gets its days back when it is decided,
   counted by the calendar of that day.

Only orders whose dates move are written: one DEADLINE event each, and the escalation flags cleared when
the new due date is still ahead, so the warning is given again for the new date. Running it twice
changes nothing the second time.

The policy in force now is used, as at dispatch (there is no snapshot of the one in force then).
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from evaluations.models import User
from evaluations.workdays import add_working_days, is_working_day, known_years
from workorders.models import OPEN_STATES, Appeal, Decision, ExtensionRequest, WorkOrder

from .base import locked
from .events import log_deadline
from .lifecycle import due_dates

logger = logging.getLogger(__name__)


def recompute_due_dates(years: Iterable[int], *, by: User | None = None) -> int:
    """Count again the dates of the open orders whose counting touches ``years``; the number moved."""
    moved = 0
    for order_id in _touching(set(years)).values_list("pk", flat=True):
        with transaction.atomic():
            moved += _recompute(locked(order_id), by=by)
    return moved


def _touching(years: set[int]) -> QuerySet[WorkOrder]:
    """Open orders dispatched by the end of a changed year and due on or after its start: the days the
    dates were counted over, (dispatch, due], include that year's. Other orders counted no changed day."""
    touches = Q(pk__in=[])
    for year in years:
        next_year = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
        touches |= Q(dispatched_at__lt=next_year, due__gte=date(year, 1, 1))
    return (
        WorkOrder.objects.filter(state__in=OPEN_STATES, due__isnull=False, dispatched_at__isnull=False)
        .filter(touches)
        .order_by("pk")
    )


def expected_dates(order: WorkOrder) -> tuple[date | None, date]:
    """(contact due, due) of ``order`` counted on the calendar as it is now, from the dispatch on."""
    assert order.dispatched_at is not None
    dispatched = order.dispatched_at
    contact_due, due = due_dates(order, timezone.localtime(dispatched).date())
    if order.contact_due is None or contact_due is None:
        contact_due = order.contact_due  # whether there is a contact limit was settled at dispatch
    moves: list[tuple[datetime, Callable[[date], date]]] = []
    # An upheld appeal (the review stands, status "rejected"): the paused working days were given back.
    upheld = Appeal.objects.filter(
        order=order, status=Decision.REJECTED, decided_at__gte=dispatched, days_returned__gt=0
    ).values_list("decided_at", "days_returned")
    moves += [(at, partial(_plus_working_days, days)) for at, days in upheld if at]
    # An approved extension: the later of the due date then and the date approved (extension_decide).
    approved = ExtensionRequest.objects.filter(
        order=order, status=Decision.APPROVED, decided_at__gte=dispatched
    ).values_list("decided_at", "new_due")
    moves += [(at, partial(_extended_to, new_due)) for at, new_due in approved if at]
    for _at, move in sorted(moves, key=lambda step: step[0]):
        due = move(due)
    return contact_due, due


def _plus_working_days(days: int, due: date) -> date:
    return add_working_days(due, days)


def _extended_to(chosen: date, due: date) -> date:
    """The date a person chose is kept; if it is no longer a working day, the next working day."""
    return max(due, chosen if is_working_day(chosen) else add_working_days(chosen, 1))


def _recompute(order: WorkOrder, *, by: User | None) -> int:
    if order.state not in OPEN_STATES or order.due is None or order.dispatched_at is None:
        return 0  # moved on since it was listed
    contact_due, due = expected_dates(order)
    if (contact_due, due) == (order.contact_due, order.due):
        return 0
    if due != order.due:
        text = _("时限因工作日历调整由 %(old)s 改为 %(new)s。") % {"old": order.due, "new": due}
        if contact_due != order.contact_due:
            text += _("联系时限由 %(old)s 改为 %(new)s。") % {"old": order.contact_due, "new": contact_due}
    else:
        text = _("联系时限因工作日历调整由 %(old)s 改为 %(new)s。") % {
            "old": order.contact_due,
            "new": contact_due,
        }
    fields = ["contact_due", "due"]
    if due != order.due and due > timezone.localdate():
        order.warned_at = order.overdue_flagged_at = None  # warn again for the new date
        fields += ["warned_at", "overdue_flagged_at"]
    if contact_due != order.contact_due and contact_due is not None and contact_due > timezone.localdate():
        order.contact_warned_at = order.contact_overdue_at = None  # likewise for the contact limit
        fields += ["contact_warned_at", "contact_overdue_at"]
    order.contact_due, order.due = contact_due, due
    order.save(update_fields=fields)
    log_deadline(order, by=by, note=text)
    return 1


def on_work_calendar_changed(sender, *, years: Iterable[int], **kwargs) -> None:
    """Receiver of ``work_calendar_changed`` (after the commit): recompute in a worker, or here when the
    broker is down, since nothing else would run it again."""
    from workorders.tasks import recompute_calendar_due_dates

    changed = sorted(set(years))
    try:
        recompute_calendar_due_dates.delay(changed)
    except BrokerError as exc:
        logger.warning("Calendar of %s changed; broker unreachable (%s): recomputing here", changed, exc)
        recompute_due_dates(changed)


def calendar_gap_warning(order: WorkOrder) -> str | None:
    """After dispatch: a limit in a year whose holiday table is missing is counted Monday-Friday for now."""
    known = known_years()
    for label, day in ((_("整改时限"), order.due), (_("联系时限"), order.contact_due)):
        if day is not None and day.year not in known:
            text = _(
                "%(limit)s %(date)s 所在的 %(year)d 年尚未录入工作日历，"
                "暂按周一至周五计算；录入后将自动重算。"
            )
            return text % {"limit": label, "date": day, "year": day.year}
    return None

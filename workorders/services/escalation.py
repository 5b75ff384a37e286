"""Deadline warnings and overdue escalation (Celery beat), for the rectification limit and the contact
limit alike (Tianjin art. 20, Ganzhou art. 17). Overdue is derived from the date; the task only records
that it noticed: an event, a flag and notices to the managing office and the next
level up. Each order is claimed with a conditional UPDATE, so two runs (or two workers) never warn
or escalate the same order twice."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Role, SmsMessage, User
from evaluations.policies import policy_for_region
from evaluations.services.sms import sms_enqueue
from evaluations.workdays import add_working_days, is_working_day
from workorders.models import CLOCK_STATES, State, WorkOrder, WorkOrderEvent

from .events import log_overdue, log_warning

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def escalate(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return {
        "warned": _warn_due_soon(FINISH, today, now),
        "overdue": _flag_overdue(FINISH, today, now),
        "contact_warned": _warn_due_soon(CONTACT, today, now),
        "contact_overdue": _flag_overdue(CONTACT, today, now),
        "late_appeal_reviews": _flag_late_appeal_reviews(today, now),
    }


@dataclass(frozen=True)
class Limit:
    """A deadline the task watches: its date field, the flags that say it was noticed, the messages."""

    due: str
    warned: str
    flagged: str
    pending: Q  # the orders still owing what the deadline asks for
    warning: "StrOrPromise"
    overdue: "StrOrPromise"
    action: str  # the events' ``action``: "" for the rectification limit
    # The warning of a supervision order, which has nobody to reply to (the contact limit never applies).
    supervision_warning: "StrOrPromise | None" = None

    def warning_for(self, order: WorkOrder) -> "StrOrPromise":
        return self.supervision_warning if order.is_supervision and self.supervision_warning else self.warning


FINISH = Limit(
    due="due", warned="warned_at", flagged="overdue_flagged_at", pending=Q(), action="",
    warning=gettext_lazy("工单 %(number)s 将于 %(due)s 到期，请按时完成整改并答复评价人。"),
    overdue=gettext_lazy("工单 %(number)s（%(department)s）已超过整改时限 %(due)s，请督促办理。"),
    supervision_warning=gettext_lazy(
        "监督查评工单 %(number)s 将于 %(due)s 到期，请按时完成整改并提交整改情况。"
    ),
)  # fmt: skip
CONTACT = Limit(
    due="contact_due", warned="contact_warned_at", flagged="contact_overdue_at",
    pending=Q(contacted_at__isnull=True), action="contact",
    warning=gettext_lazy("工单 %(number)s 须于 %(due)s 前联系评价人，联系后请在工单中登记。"),
    overdue=gettext_lazy(
        "工单 %(number)s（%(department)s）已超过联系时限 %(due)s 仍未联系评价人，请督促办理。"
    ),
)  # fmt: skip


def _warn_due_soon(limit: Limit, today: date, now: datetime) -> int:
    tomorrow = add_working_days(today, 1)
    due_soon = WorkOrder.objects.filter(
        limit.pending,
        state__in=CLOCK_STATES,
        **{f"{limit.warned}__isnull": True, f"{limit.due}__range": (today, tomorrow)},
    )
    warned = 0
    for order_id in due_soon.values_list("pk", flat=True):
        with transaction.atomic():
            if not WorkOrder.objects.filter(pk=order_id, **{f"{limit.warned}__isnull": True}).update(
                **{limit.warned: now}
            ):
                continue  # another run took it
            order = WorkOrder.objects.select_related("department__region", "handler").get(pk=order_id)
            text = str(limit.warning_for(order)) % {"number": order.number, "due": getattr(order, limit.due)}
            log_warning(order, note=text, action=limit.action)
            _notify(order, _department_people(order), text, now)
            warned += 1
    return warned


def _flag_overdue(limit: Limit, today: date, now: datetime) -> int:
    overdue = WorkOrder.objects.filter(
        limit.pending, state__in=CLOCK_STATES, **{f"{limit.flagged}__isnull": True, f"{limit.due}__lt": today}
    )
    flagged = 0
    for order_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            if not WorkOrder.objects.filter(pk=order_id, **{f"{limit.flagged}__isnull": True}).update(
                **{limit.flagged: now}
            ):
                continue
            order = WorkOrder.objects.select_related(
                "department__region", "office_region__parent", "handler"
            ).get(pk=order_id)
            text = str(limit.overdue) % {
                "number": order.number,
                "department": order.department.name,
                "due": getattr(order, limit.due),
            }
            log_overdue(order, note=text, action=limit.action)
            _notify(order, _offices(order) + _department_people(order), text, now)
            flagged += 1
    return flagged


def _flag_late_appeal_reviews(today: date, now: datetime) -> int:
    """An appeal the office has not decided within its review limit (Ganzhou art. 19: 3 working days)
    is reported to the office and the level above, once per appeal."""
    flagged = 0
    appealing = WorkOrder.objects.filter(state=State.APPEALING, paused_at__isnull=False).select_related(
        "department__region", "office_region__parent"
    )
    for order in appealing:
        limit = policy_for_region(order.department.region).appeal_review_days
        if add_working_days(timezone.localtime(order.paused_at).date(), limit) >= today:
            continue
        with transaction.atomic():
            locked = WorkOrder.objects.select_for_update(skip_locked=True).filter(pk=order.pk).first()
            already = WorkOrderEvent.objects.filter(
                order=order, kind=WorkOrderEvent.Kind.OVERDUE, action="appeal_review", at__gte=order.paused_at
            )
            if locked is None or already.exists():
                continue
            text = _("工单 %(number)s 的申诉已超过 %(days)d 个工作日未复核，请尽快作出复核决定。") % {
                "number": order.number,
                "days": limit,
            }
            log_overdue(order, note=text, action="appeal_review")
            _notify(order, _offices(order), text, now)
            flagged += 1
    return flagged


def _department_people(order: WorkOrder) -> list[User]:
    if order.handler is not None:
        return [order.handler]
    return list(User.objects.filter(role=Role.DEPARTMENT, department=order.department, is_active=True))


def _offices(order: WorkOrder) -> list[User]:
    """The managing office and the next level up."""
    regions = [order.office_region_id]
    if order.office_region.parent_id:
        regions.append(order.office_region.parent_id)
    return list(User.objects.filter(role=Role.OFFICE, region_id__in=regions, is_active=True))


def _notify(order: WorkOrder, people: list[User], text: str, now: datetime) -> None:
    policy = policy_for_region(order.department.region)
    send_at = now if policy.urgent_notices else _next_working_moment(now, policy)
    for person in {person.pk: person for person in people}.values():
        if person.phone:
            sms_enqueue(
                phone=person.phone, body=text, kind=SmsMessage.Kind.NOTICE, policy=policy, now=send_at
            )


def notify_department(order: WorkOrder, text: str, now: datetime) -> None:
    """Send ``text`` to whoever holds ``order`` in the department (the handler, else its people),
    by the notice rules escalation uses (quiet hours unless the region sends urgent notices)."""
    _notify(order, _department_people(order), text, now)


def _next_working_moment(now: datetime, policy) -> datetime:
    """``now`` on a working day; otherwise the start of the next working day (quiet hours end)."""
    local = timezone.localtime(now)
    if is_working_day(local.date()):
        return now
    day = add_working_days(local.date(), 1)
    quiet_end = (
        policy.quiet_end if isinstance(policy.quiet_end, time) else time.fromisoformat(policy.quiet_end)
    )
    return timezone.make_aware(datetime.combine(day, quiet_end))

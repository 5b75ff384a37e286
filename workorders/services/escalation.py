"""Deadline warnings and overdue escalation (Celery beat). Overdue is derived from ``due``; the task
only records that it noticed: an event, a flag and notices to the managing office and the next
level up. Each order is claimed with a conditional UPDATE, so two runs (or two workers) never warn
or escalate the same order twice."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Role, SmsMessage, User
from evaluations.policies import policy_for_region
from evaluations.services.sms import sms_enqueue
from evaluations.workdays import add_working_days, is_working_day
from workorders.models import CLOCK_STATES, State, WorkOrder, WorkOrderEvent

from .events import log_overdue, log_warning


def escalate(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return {
        "warned": _warn_due_soon(today, now),
        "overdue": _flag_overdue(today, now),
        "late_appeal_reviews": _flag_late_appeal_reviews(today, now),
    }


def _warn_due_soon(today: date, now: datetime) -> int:
    tomorrow = add_working_days(today, 1)
    due_soon = WorkOrder.objects.filter(
        state__in=CLOCK_STATES, warned_at__isnull=True, due__range=(today, tomorrow)
    )
    warned = 0
    for order_id in due_soon.values_list("pk", flat=True):
        with transaction.atomic():
            if not WorkOrder.objects.filter(pk=order_id, warned_at__isnull=True).update(warned_at=now):
                continue  # another run took it
            order = WorkOrder.objects.select_related("department__region", "handler").get(pk=order_id)
            text = _("工单 %(number)s 将于 %(due)s 到期，请按时完成整改并答复评价人。") % {
                "number": order.number,
                "due": order.due,
            }
            log_warning(order, note=text)
            _notify(order, _department_people(order), text, now)
            warned += 1
    return warned


def _flag_overdue(today: date, now: datetime) -> int:
    overdue = WorkOrder.objects.filter(state__in=CLOCK_STATES, overdue_flagged_at__isnull=True, due__lt=today)
    flagged = 0
    for order_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            if not WorkOrder.objects.filter(pk=order_id, overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=now
            ):
                continue
            order = WorkOrder.objects.select_related(
                "department__region", "office_region__parent", "handler"
            ).get(pk=order_id)
            text = _("工单 %(number)s（%(department)s）已超过整改时限 %(due)s，请督促办理。") % {
                "number": order.number,
                "department": order.department.name,
                "due": order.due,
            }
            log_overdue(order, note=text)
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

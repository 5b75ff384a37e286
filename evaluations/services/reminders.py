"""SMS reminders for completed cases nobody has rated yet (Tianjin art. 16: after 24 h;
Ganzhou: as soon as a completed case arrives unrated). One reminder per case; none for a
consultation (Tianjin art. 15: not rated online, only the clerk may be rated in a hall)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Policy, Region, ServiceRecord, SmsMessage
from ..models.records import CONSULTATION_CASES
from ..policies import forget_policies, policy_for_region
from ..tokens import case_token
from .records import remind_after_sql
from .sms import sms_enqueue
from .timeouts import has_matter_rating


def rating_link(record: ServiceRecord) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/r/{case_token(record)}/?via=sms"


def reminder_text(record: ServiceRecord) -> str:
    return _(
        "【政务服务好差评】您在%(department)s办理的“%(matter)s”已办结，请在%(deadline)s前对本次服务作出评价：%(link)s"
    ) % {
        "department": record.department.name,
        "matter": record.matter.name,
        "deadline": timezone.localtime(record.rating_deadline).strftime("%m月%d日"),
        "link": rating_link(record),
    }


def reminders_send(*, now: datetime | None = None, limit: int = 500) -> int:
    """Queue a reminder for each due case, oldest due first; the due moment (``remind_after``) is stored
    on completion, so cases of regions without reminders are never read. A case is claimed with a
    conditional UPDATE, so never twice."""
    now = now or timezone.now()
    candidates = (
        ServiceRecord.objects.filter(
            status=ServiceRecord.Status.COMPLETED,
            reminder_sent_at__isnull=True,
            remind_after__lte=now,
            rating_deadline__gte=now,
        )
        .exclude(applicant_phone="")
        .exclude(has_matter_rating())
        .exclude(CONSULTATION_CASES)  # not rated, so not chased (Tianjin art. 15)
        .select_related("region", "department", "matter")
        .order_by("remind_after")[:limit]
    )
    policies: dict[int, Policy] = {}
    queued = 0
    for record in candidates:
        policy = policies.setdefault(record.region_id, policy_for_region(record.region))
        with transaction.atomic():
            claimed = ServiceRecord.objects.filter(pk=record.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                sms_enqueue(
                    phone=record.applicant_phone,
                    body=reminder_text(record),
                    kind=SmsMessage.Kind.REMINDER,
                    record=record,
                    policy=policy,
                    now=now,
                )
                queued += 1
    return queued


def reminders_reschedule(region: Region, *, now: datetime | None = None) -> int:
    """After ``region``'s rule changed: each open, unreminded case of its subtree gets the due moment of
    the rule it follows now (a sub-region with a rule of its own keeps that one); returns how many."""
    now = now or timezone.now()
    forget_policies()
    own_rules = dict(
        Policy.objects.filter(region__path__startswith=region.path)
        .exclude(region=region)
        .values_list("region__path", "reminder_hours")
    )
    inherited = policy_for_region(region).reminder_hours
    hours_by_region: dict[int | None, list[int]] = {}
    for region_id, path in Region.objects.filter(path__startswith=region.path).values_list("pk", "path"):
        nearest = max((p for p in own_rules if path.startswith(p)), key=len, default=None)
        hours = own_rules[nearest] if nearest is not None else inherited
        hours_by_region.setdefault(hours, []).append(region_id)
    waiting = ServiceRecord.objects.filter(
        status=ServiceRecord.Status.COMPLETED,
        completed_at__isnull=False,
        reminder_sent_at__isnull=True,
        rating_deadline__gte=now,
    ).exclude(CONSULTATION_CASES)
    return sum(
        waiting.filter(region_id__in=region_ids).update(remind_after=remind_after_sql(hours))
        for hours, region_ids in hours_by_region.items()
    )


@receiver(post_save, sender=Policy, dispatch_uid="reminders.policy_saved")
@receiver(post_delete, sender=Policy, dispatch_uid="reminders.policy_deleted")
def on_policy_changed(sender, instance: Policy, **kwargs) -> None:
    def reschedule() -> None:
        region = Region.objects.filter(pk=instance.region_id).first()
        if region is not None:
            reminders_reschedule(region)

    transaction.on_commit(reschedule)

"""Reads of the device pages, each a fixed number of queries whatever the size of the hall (the app's
selectors, at the app's top level as in workorders/selectors.py)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from evaluations.models import (
    BAD_GRADES,
    Evaluation,
    EvaluationKind,
    Hall,
    ServiceRecord,
    Stage,
    Target,
    User,
    Window,
)
from evaluations.scope import visible_to

from .models import Device, PendingRating
from .services.alerts import STATUS_LABELS, Alert, device_status, live_alerts

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import WithAnnotations


class RatedMark(TypedDict):
    """The annotations of ``cases_today``."""

    rated: bool
    matter_rated: bool  # first rated, actively: a follow-up (追评) may follow
    staff_rated: bool
    followed_up: bool


class IntakeMark(TypedDict):
    """The annotation of ``intake_cases_today``."""

    intake_rated: bool


@dataclass
class DeviceRow:
    device: Device
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class AlertRow:
    alert: Alert
    window: Window | None


@dataclass
class WindowRow:
    window: Window
    devices: list[DeviceRow] = field(default_factory=list)
    ratings: int = 0
    bad: int = 0
    alerts: list[Alert] = field(default_factory=list)


@dataclass
class Dashboard:
    hall: Hall
    rows: list[WindowRow]
    hall_devices: list[DeviceRow]  # devices of the whole hall (kiosks), bound to no window
    alerts: list[AlertRow]
    totals: dict[str, int]
    now: datetime


def start_of_day(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def hall_dashboard(user: User, hall: Hall, now: datetime) -> Dashboard:
    """Every window of ``hall`` in the user's scope with its devices, today's ratings and live alerts."""
    windows = list(visible_to(user, Window.objects.filter(hall=hall)).order_by("code"))
    devices = list(visible_to(user, Device.objects.filter(hall=hall)).order_by("serial"))
    rows = {window.pk: WindowRow(window) for window in windows}
    counts = (
        Evaluation.objects.filter(
            window__in=list(rows),
            kind=EvaluationKind.ACTIVE,
            rated_at__gte=start_of_day(now),
        )
        .values("window_id")
        .annotate(total=Count("pk"), bad=Count("pk", filter=Q(grade__in=BAD_GRADES)))
        .order_by()
    )
    for count in counts:
        rows[count["window_id"]].ratings, rows[count["window_id"]].bad = count["total"], count["bad"]
    hall_devices: list[DeviceRow] = []
    for device in devices:
        row = DeviceRow(device, device_status(device, now))
        (rows[device.window_id].devices if device.window_id in rows else hall_devices).append(row)
    alerts = live_alerts(devices=devices, window_ids=list(rows), now=now)
    for alert in alerts:
        if alert.window_id in rows:
            rows[alert.window_id].alerts.append(alert)
    totals = {status: 0 for status in STATUS_LABELS}
    for row in [*hall_devices, *(d for r in rows.values() for d in r.devices)]:
        totals[row.status] += 1
    totals["devices"] = len(devices)
    totals["ratings"] = sum(row.ratings for row in rows.values())
    totals["bad"] = sum(row.bad for row in rows.values())
    alert_rows = [AlertRow(alert, rows[alert.window_id].window if alert.window_id in rows else None)
                  for alert in alerts]  # fmt: skip
    return Dashboard(hall, list(rows.values()), hall_devices, alert_rows, totals, now)


def cases_today(window: Window, now: datetime) -> "QuerySet[WithAnnotations[ServiceRecord, RatedMark]]":
    """Cases completed at ``window`` today, newest first, each marked when already rated (and whether
    its first rating may take a follow-up, 追评)."""
    rated = Evaluation.objects.filter(record=OuterRef("pk"), stage=Stage.COMPLETION)
    first = rated.filter(assess_number=1, kind=EvaluationKind.ACTIVE)
    return (
        ServiceRecord.objects.filter(
            window=window, status=ServiceRecord.Status.COMPLETED, completed_at__gte=start_of_day(now)
        )
        .select_related("matter", "staff")
        .annotate(
            rated=Exists(rated),
            matter_rated=Exists(first.filter(target=Target.MATTER)),
            staff_rated=Exists(first.filter(target=Target.STAFF)),
            followed_up=Exists(rated.filter(assess_number=2)),
        )
        .order_by("-completed_at", "-pk")
    )


def intake_cases_today(
    window: Window, now: datetime
) -> "QuerySet[WithAnnotations[ServiceRecord, IntakeMark]]":
    """Joint-approval cases accepted at ``window`` today and not completed: the clerk may ask for the
    rating of the window service at intake (Tianjin art. 13)."""
    joint = ServiceRecord.joint_departments.through.objects.filter(servicerecord_id=OuterRef("pk"))
    rated = Evaluation.objects.filter(record=OuterRef("pk"), target=Target.STAFF, stage=Stage.INTAKE)
    return (
        ServiceRecord.objects.filter(
            Exists(joint),
            window=window,
            status=ServiceRecord.Status.ACCEPTED,
            staff__isnull=False,
            accepted_at__gte=start_of_day(now),
        )
        .select_related("matter", "staff")
        .annotate(intake_rated=Exists(rated))
        .order_by("-accepted_at", "-pk")
    )


def pending_at(window: Window) -> PendingRating | None:
    return (
        PendingRating.objects.filter(window=window).select_related("record__matter", "record__staff").first()
    )

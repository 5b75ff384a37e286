"""Device status and the two live alerts of a hall: a device gone offline, a burst of bad ratings.

Online / offline: a device is online while its last signed request is less than
``DEVICE_OFFLINE_MINUTES`` old; a device that never called is "not yet online" and raises no alert
(it may still be in its box); a deactivated device has no status.

Alerts are raised once and sent by SMS (kind notice, quiet hours kept by the outbox) to the hall
managers who see the hall:

- **offline**: during opening hours (a working day per the calendar, OPENING_START-OPENING_END local
  time) an active device whose last request is older than N minutes. The device had N minutes after
  opening to come online, so devices switched off overnight are not reported at 08:30 sharp. The alert
  is remembered on the row (``offline_alerted_at``, claimed with a conditional UPDATE so two workers
  raise it once); any request after the alert re-arms it. Shown while the device stays offline.
- **burst**: a window collecting ``DEVICE_BURST_BAD`` active bad ratings (grade 1-2) rated within the
  last ``DEVICE_BURST_MINUTES``. Remembered in Redis per window with the id of the newest rating it
  counted: the next alert needs K *new* bad ratings. Kept (and shown) for BURST_KEEP, at least 2 M;
  a claim key per (window, newest rating) keeps two workers from sending it twice. Losing Redis loses
  only the dashboard copy and may repeat one alert, which is acceptable for a notice; while Redis is
  unreachable the dashboard shows the offline alerts only.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import BAD_GRADES, Evaluation, EvaluationKind, Hall, Role, SmsMessage, User, Window
from evaluations.outage import OUTAGE_ERRORS
from evaluations.policies import policy_for_region
from evaluations.scope import visible_to
from evaluations.services.sms import sms_enqueue
from evaluations.workdays import is_working_day

from ..models import Device

logger = logging.getLogger(__name__)

OPENING_START = time(8, 30)
OPENING_END = time(17, 30)
BURST_KEEP = timedelta(hours=4)
BURST_KEY = "devices:burst:{window_id}"
BURST_CLAIM_KEY = "devices:burst-claim:{window_id}:{newest_id}"

ONLINE, OFFLINE, NEVER, INACTIVE = "online", "offline", "never", "inactive"
STATUS_LABELS = {
    ONLINE: gettext_lazy("在线"),
    OFFLINE: gettext_lazy("离线"),
    NEVER: gettext_lazy("未上线"),
    INACTIVE: gettext_lazy("已停用"),
}


@dataclass(frozen=True)
class Alert:
    kind: str  # "offline" or "burst"
    raised_at: datetime
    window_id: int | None
    text: str


def offline_cutoff(now: datetime) -> datetime:
    """Devices last seen before this moment are offline."""
    return now - timedelta(minutes=settings.DEVICE_OFFLINE_MINUTES)


def device_status(device: Device, now: datetime) -> str:
    if not device.active:
        return INACTIVE
    if device.last_seen_at is None:
        return NEVER
    return ONLINE if device.last_seen_at >= offline_cutoff(now) else OFFLINE


def opening_start(now: datetime) -> datetime | None:
    """When the halls opened today, or None when ``now`` is outside opening hours."""
    local = timezone.localtime(now)
    if not (OPENING_START <= local.time() < OPENING_END) or not is_working_day(local.date()):
        return None
    return datetime.combine(local.date(), OPENING_START, tzinfo=local.tzinfo)


def alerts_check(*, now: datetime | None = None) -> dict[str, int]:
    """Re-arm devices that came back, then raise the due offline and burst alerts; safe to run twice."""
    now = now or timezone.now()
    return {
        "rearmed": devices_rearm(),
        "offline": offline_alerts_raise(now),
        "burst": burst_alerts_raise(now),
    }


def devices_rearm() -> int:
    """A device heard from after its offline alert (or deactivated) may alert again."""
    came_back = Q(last_seen_at__gt=F("offline_alerted_at")) | Q(active=False)
    return Device.objects.filter(came_back, offline_alerted_at__isnull=False).update(offline_alerted_at=None)


def offline_alerts_raise(now: datetime) -> int:
    opened = opening_start(now)
    cutoff = offline_cutoff(now)
    if opened is None or cutoff < opened:
        return 0
    silent = Q(active=True, hall__active=True, offline_alerted_at__isnull=True, last_seen_at__lt=cutoff)
    raised = 0
    for device in Device.objects.filter(silent).select_related("hall__region", "window"):
        with transaction.atomic():
            # The claim: of two workers (or two runs) only one UPDATE finds the alert unset.
            if not Device.objects.filter(silent, pk=device.pk).update(offline_alerted_at=now):
                continue
            seen = device.last_seen_at
            assert seen is not None  # matched last_seen_at__lt (a NULL never does)
            text = _(
                "【政务服务好差评】%(place)s的评价设备 %(serial)s 已 %(minutes)d 分钟没有上线"
                "（最近在线 %(seen)s），请检查设备电源和网络。"
            ) % {
                "place": _place(device.hall, device.window),
                "serial": device.serial,
                "minutes": int((now - seen).total_seconds() // 60),
                "seen": timezone.localtime(seen).strftime("%H:%M"),
            }
            _notify(device.hall, _device_scope(device), text, now)
        raised += 1
    return raised


def _bad_ratings(now: datetime) -> QuerySet[Evaluation]:
    since = now - timedelta(minutes=settings.DEVICE_BURST_MINUTES)
    return Evaluation.objects.filter(
        kind=EvaluationKind.ACTIVE, grade__in=BAD_GRADES, window__isnull=False, rated_at__gt=since,
        rated_at__lte=now,
    )  # fmt: skip


def burst_alerts_raise(now: datetime) -> int:
    threshold = settings.DEVICE_BURST_BAD
    candidates = (
        _bad_ratings(now).values("window_id").annotate(n=Count("pk")).filter(n__gte=threshold).order_by()
    )
    raised = 0
    for row in candidates:
        window_id = row["window_id"]
        previous = cache.get(BURST_KEY.format(window_id=window_id)) or {}
        fresh = _bad_ratings(now).filter(window_id=window_id, pk__gt=previous.get("newest_id", 0))
        figures = fresh.aggregate(n=Count("pk"), newest=Max("pk"))
        if figures["n"] < threshold:
            continue
        claim = BURST_CLAIM_KEY.format(window_id=window_id, newest_id=figures["newest"])
        keep = int(max(BURST_KEEP, timedelta(minutes=2 * settings.DEVICE_BURST_MINUTES)).total_seconds())
        if not cache.add(claim, 1, timeout=keep):
            continue
        memo = {
            "raised_at": now.isoformat(),
            "count": figures["n"],
            "minutes": settings.DEVICE_BURST_MINUTES,
            "newest_id": figures["newest"],
        }
        cache.set(BURST_KEY.format(window_id=window_id), memo, timeout=keep)
        window = Window.objects.select_related("hall__region").get(pk=window_id)
        text = _(
            "【政务服务好差评】%(place)s在 %(minutes)d 分钟内收到 %(count)d 条差评，请及时了解情况。"
        ) % {
            "place": _place(window.hall, window),
            "minutes": settings.DEVICE_BURST_MINUTES,
            "count": figures["n"],
        }
        with transaction.atomic():
            _notify(window.hall, Window.objects.filter(pk=window_id), text, now)
        raised += 1
    return raised


def live_alerts(*, devices: list[Device], window_ids: list[int], now: datetime) -> list[Alert]:
    """The alerts a hall dashboard shows: offline devices already reported, and recent bursts."""
    alerts = [
        Alert(
            "offline",
            device.offline_alerted_at,
            device.window_id,
            _("评价设备 %(serial)s 离线（最近在线 %(seen)s）")
            % {
                "serial": device.serial,
                "seen": timezone.localtime(device.last_seen_at).strftime("%m-%d %H:%M"),
            },
        )
        for device in devices
        if device.offline_alerted_at and device.last_seen_at and device_status(device, now) == OFFLINE
    ]
    keys = {BURST_KEY.format(window_id=pk): pk for pk in window_ids}
    try:
        memos = cache.get_many(list(keys))
    except OUTAGE_ERRORS as exc:
        logger.warning("burst alerts not shown, Redis unreachable: %s", exc)
        memos = {}
    for key, memo in memos.items():
        text = _("%(minutes)d 分钟内收到 %(count)d 条差评") % {
            "minutes": memo["minutes"],
            "count": memo["count"],
        }
        alerts.append(Alert("burst", datetime.fromisoformat(memo["raised_at"]), keys[key], text))
    return sorted(alerts, key=lambda alert: alert.raised_at, reverse=True)


def hall_managers(hall: Hall, scope: QuerySet) -> list[User]:
    """Hall managers whose region is the hall's or an ancestor's and who see ``scope`` (a device or
    window queryset): a manager held to one department only hears about that department's windows."""
    codes = hall.region.ancestor_codes()
    in_region = Q(region__code__in=codes) | Q(region__isnull=True, department__region__code__in=codes)
    people = User.objects.filter(in_region, role=Role.HALL_MANAGER, is_active=True).select_related(
        "region", "department__region"
    )
    return [person for person in people if not person.department_id or visible_to(person, scope).exists()]


def _notify(hall: Hall, scope: QuerySet, text: str, now: datetime) -> None:
    policy = policy_for_region(hall.region)
    for person in hall_managers(hall, scope):
        if person.phone:
            sms_enqueue(phone=person.phone, body=text, kind=SmsMessage.Kind.NOTICE, policy=policy, now=now)


def _device_scope(device: Device) -> QuerySet[Device]:
    return Device.objects.filter(pk=device.pk)


def _place(hall: Hall, window: Window | None) -> str:
    return f"{hall.name}{window.name}" if window is not None else hall.name

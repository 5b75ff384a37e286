"""Live alerts: a burst of bad ratings at a window, a device offline during opening hours.

Each is raised once, shown on the hall dashboard, and sent by SMS (kind notice, quiet hours kept) to
the hall managers with a phone whose region is the hall's or above it; nobody else gets one.
"""

import uuid
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from devices.models import Device
from devices.services.alerts import alerts_check, burst_alerts_raise, offline_alerts_raise
from devices.services.registry import device_register
from devices.tasks import check_device_alerts
from evaluations.models import Role, SmsMessage, User, WorkCalendar
from evaluations.services.intake import Rating, evaluation_record

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
TZ = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2025, 10, 15, 10, 0, tzinfo=TZ)  # an ordinary working day
SUNDAY = datetime(2025, 10, 19, 10, 0, tzinfo=TZ)
NATIONAL_DAY = datetime(2025, 10, 2, 10, 0, tzinfo=TZ)  # a Thursday, a statutory holiday


@pytest.fixture(autouse=True)
def own_cache(settings) -> None:
    """Real Redis under a key prefix of this test's own, so remembered bursts never leak between runs."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-alerts-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}
    settings.DEVICE_OFFLINE_MINUTES, settings.DEVICE_BURST_BAD, settings.DEVICE_BURST_MINUTES = 10, 3, 30


@pytest.fixture
def managers(regions, org) -> dict[str, User]:
    """Hall managers in and out of the 章贡区 hall's line, with and without a phone, and an office."""

    def make(username: str, region: str, phone: str, role: str = Role.HALL_MANAGER) -> User:
        return User.objects.create_user(username, password="pw-for-tests-1", role=role,
                                        region=regions[region], phone=phone)  # fmt: skip

    return {
        "district": make("hall_zg", "zhanggong", "13900000001"),
        "city": make("hall_city", "city", "13900000002"),  # an ancestor region
        "no_phone": make("hall_zg2", "zhanggong", ""),
        "nankang": make("hall_nk", "nankang", "13900000003"),
        "town": make("hall_town", "town", "13900000004"),  # below the hall: not its manager
        "office": make("office_zg", "zhanggong", "13900000005", role=Role.OFFICE),
    }


@pytest.fixture
def device(org) -> Device:
    device, _secret = device_register(by=None, serial="EV-ZG-01", window=org["zhanggong"]["window"])
    return device


def seen(device: Device, at: datetime) -> None:
    Device.objects.filter(pk=device.pk).update(last_seen_at=at)


def bad_rating(window, at: datetime, grade: int = 1) -> None:
    rating = Rating(
        target="staff", stage="completion", grade=grade, channel="qr", comment="态度差", rated_at=at
    )
    evaluation_record(rating=rating, window=window, now=at)


def texted() -> set[str]:
    return {message.phone for message in SmsMessage.objects.filter(kind=SmsMessage.Kind.NOTICE)}


# --- a burst of bad ratings ---------------------------------------------------------------------------


def test_three_bad_ratings_in_half_an_hour_alert_the_hall_managers_once(managers, org):
    window = org["zhanggong"]["window"]
    for minutes in (25, 10, 1):
        bad_rating(window, WEDNESDAY - timedelta(minutes=minutes))
    assert burst_alerts_raise(WEDNESDAY) == 1
    assert texted() == {"13900000001", "13900000002"}
    body = SmsMessage.objects.first().body
    assert "综合受理窗口" in body and "30 分钟内收到 3 条差评" in body
    assert burst_alerts_raise(WEDNESDAY) == 0
    assert burst_alerts_raise(WEDNESDAY + timedelta(minutes=1)) == 0
    assert SmsMessage.objects.count() == 2


def test_the_next_burst_needs_three_new_bad_ratings(managers, org):
    window = org["zhanggong"]["window"]
    for minutes in (20, 10, 5):
        bad_rating(window, WEDNESDAY - timedelta(minutes=minutes))
    assert burst_alerts_raise(WEDNESDAY) == 1
    later = WEDNESDAY + timedelta(minutes=10)
    for minutes in (9, 8):
        bad_rating(window, later - timedelta(minutes=minutes))
    assert burst_alerts_raise(later) == 0  # five in 30 minutes, but only two since the alert
    bad_rating(window, later - timedelta(minutes=1))
    assert burst_alerts_raise(later) == 1


def test_bad_ratings_spread_out_or_good_ones_raise_nothing(managers, org):
    window = org["zhanggong"]["window"]
    for minutes in (70, 40, 5):
        bad_rating(window, WEDNESDAY - timedelta(minutes=minutes))
    for minutes in (4, 3):
        bad_rating(window, WEDNESDAY - timedelta(minutes=minutes), grade=3)
    assert burst_alerts_raise(WEDNESDAY) == 0
    assert not SmsMessage.objects.exists()


def test_a_burst_at_night_is_texted_when_quiet_hours_end(managers, org):
    night = datetime(2025, 10, 15, 22, 30, tzinfo=TZ)
    for minutes in (3, 2, 1):
        bad_rating(org["zhanggong"]["window"], night - timedelta(minutes=minutes))
    assert burst_alerts_raise(night) == 1
    assert {message.send_after for message in SmsMessage.objects.all()} == {
        datetime(2025, 10, 16, 8, 0, tzinfo=TZ)
    }


# --- a device offline during opening hours ----------------------------------------------------------


def test_a_device_silent_for_ten_minutes_in_opening_hours_alerts_once(managers, device):
    seen(device, WEDNESDAY - timedelta(minutes=11))
    assert offline_alerts_raise(WEDNESDAY) == 1
    device.refresh_from_db()
    assert device.offline_alerted_at == WEDNESDAY
    assert texted() == {"13900000001", "13900000002"}
    assert "EV-ZG-01" in SmsMessage.objects.first().body
    assert offline_alerts_raise(WEDNESDAY + timedelta(minutes=1)) == 0
    assert SmsMessage.objects.count() == 2


def test_a_device_is_not_reported_at_night_on_a_sunday_or_on_a_holiday(managers, device):
    WorkCalendar.objects.update_or_create(
        date=date(2025, 10, 2), defaults={"kind": WorkCalendar.Kind.HOLIDAY, "name": "国庆节"}
    )
    night = datetime(2025, 10, 15, 19, 0, tzinfo=TZ)
    for moment in (night, SUNDAY, NATIONAL_DAY):
        seen(device, moment - timedelta(hours=2))
        assert offline_alerts_raise(moment) == 0
    assert not SmsMessage.objects.exists()


def test_a_device_gets_the_first_minutes_after_opening_to_come_online(managers, device):
    seen(device, WEDNESDAY - timedelta(hours=16))  # switched off last evening
    assert offline_alerts_raise(WEDNESDAY.replace(hour=8, minute=35)) == 0
    assert offline_alerts_raise(WEDNESDAY.replace(hour=8, minute=41)) == 1


def test_a_device_never_seen_or_deactivated_raises_nothing(managers, device, org):
    quiet, _secret = device_register(by=None, serial="EV-OFF", window=org["zhanggong"]["window"])
    seen(quiet, WEDNESDAY - timedelta(hours=1))
    Device.objects.filter(pk=quiet.pk).update(active=False)
    assert offline_alerts_raise(WEDNESDAY) == 0  # ``device`` never called, ``quiet`` is retired


def test_a_device_back_online_is_re_armed(managers, device):
    seen(device, WEDNESDAY - timedelta(minutes=15))
    assert alerts_check(now=WEDNESDAY)["offline"] == 1
    seen(device, WEDNESDAY + timedelta(minutes=5))  # a heartbeat after the alert
    result = alerts_check(now=WEDNESDAY + timedelta(minutes=6))
    device.refresh_from_db()
    assert (result["rearmed"], device.offline_alerted_at) == (1, None)
    assert alerts_check(now=WEDNESDAY + timedelta(minutes=16))["offline"] == 1
    assert SmsMessage.objects.count() == 4


def test_the_task_runs_the_checks_and_is_safe_to_run_twice(managers, device):
    assert check_device_alerts() == check_device_alerts()


# --- on the dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_the_live_alerts(client, managers, device, org):
    now = timezone.now()
    window = org["zhanggong"]["window"]
    for minutes in (3, 2, 1):
        bad_rating(window, now - timedelta(minutes=minutes))
    burst_alerts_raise(now)
    seen(device, now - timedelta(minutes=30))
    Device.objects.filter(pk=device.pk).update(offline_alerted_at=now - timedelta(minutes=20))
    client.force_login(managers["district"])
    html = client.get(reverse("devices:dashboard")).content.decode()
    assert "实时告警" in html and "30 分钟内收到 3 条差评" in html
    assert "评价设备 EV-ZG-01 离线" in html and "dv-status-offline" in html
    seen(device, now)  # back: the offline alert leaves the dashboard at once
    html = client.get(reverse("devices:dashboard")).content.decode()
    assert "评价设备 EV-ZG-01 离线" not in html


def test_the_command_runs_the_checks_once(managers, device):
    out = StringIO()
    call_command("device_alerts", stdout=out)
    assert "offline alerts: 0" in out.getvalue()

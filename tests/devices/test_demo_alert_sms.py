"""Issue 12, point 9: the demo's hall manager (hall_city, 市政务服务中心负责人) has a phone, so a device
alert in the demo is sent by SMS (devices.services.alerts sends to hall managers with a phone)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from devices.models import Device
from devices.services.alerts import alerts_check
from devices.services.registry import device_register
from evaluations.models import SmsMessage, User, Window

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

WEDNESDAY_10 = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_demo_hall_manager_gets_the_offline_alert_sms():
    with time_machine.travel(WEDNESDAY_10, tick=True):
        call_command("seed_demo", months=0, verbosity=0)
        manager = User.objects.get(username="hall_city")
        assert manager.phone
        device, _secret = device_register(
            by=None, serial="EV-CITY-01", window=Window.objects.get(code="W-CITY-01")
        )
        Device.objects.filter(pk=device.pk).update(last_seen_at=WEDNESDAY_10 - timedelta(minutes=40))
        assert alerts_check()["offline"] == 1
    notices = [sms for sms in SmsMessage.objects.filter(kind="notice") if "EV-CITY-01" in sms.body]
    assert manager.phone in {sms.phone for sms in notices}

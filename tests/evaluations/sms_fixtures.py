"""Shared by the SMS tests: a phone number, June 2025 moments, and a queued message."""

from datetime import datetime

from django.utils import timezone

from evaluations.models import SmsMessage
from evaluations.services.sms import sms_enqueue

PHONE = "13812345678"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in June 2025, Beijing time."""
    return datetime(2025, 6, day, hour, minute, tzinfo=timezone.get_default_timezone())


def enqueue(now: datetime, **kwargs) -> SmsMessage:
    fields = {"phone": PHONE, "body": "【好差评】请评价", "kind": SmsMessage.Kind.REMINDER, "now": now}
    return sms_enqueue(**{**fields, **kwargs})

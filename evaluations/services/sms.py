"""The SMS outbox: rows are written in the caller's transaction and sent later by a task.

The database row is the source of truth. Enqueueing only nudges the sender on commit; if the broker
is down, the beat schedule (every minute) picks the row up anyway.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from ..models import Policy, ServiceRecord, SmsMessage
from ..outbox import backoff
from ..sms_backends import SmsBackend, SmsSendError, get_backend

logger = logging.getLogger(__name__)

DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(8, 0)
RETRYABLE = (SmsMessage.Status.PENDING, SmsMessage.Status.FAILED)


def sms_enqueue(
    *,
    phone: str,
    body: str,
    kind: str,
    record: ServiceRecord | None = None,
    policy: Policy | None = None,
    urgent: bool = False,
    now: datetime | None = None,
) -> SmsMessage:
    """Write an outbox row, due now or (unless urgent) at the end of the policy's quiet hours."""
    phone = (phone or "").strip()
    if not phone:
        raise ValueError("an SMS needs a phone number")
    if not body.strip():
        raise ValueError("an SMS needs a body")
    if kind not in SmsMessage.Kind.values:
        raise ValueError(f"unknown SMS kind {kind!r}")
    now = now or timezone.now()
    send_after = now if urgent else quiet_hours_end(now, policy)
    with transaction.atomic():
        message = SmsMessage.objects.create(
            phone=phone, body=body, kind=kind, record=record, send_after=send_after
        )
        transaction.on_commit(start_sender, robust=True)
    return message


def quiet_hours_end(now: datetime, policy: Policy | None = None) -> datetime:
    """``now`` outside the quiet hours, else the next quiet_end, in the project's time zone.

    A window whose start is after its end (21:00-08:00) wraps midnight; equal ends mean no quiet hours.
    """
    start, end = _quiet_window(policy)
    if start == end:
        return now
    local = timezone.localtime(now, timezone.get_default_timezone())
    clock = local.time()
    quiet = (clock >= start or clock < end) if start > end else (start <= clock < end)
    if not quiet:
        return now
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=local.tzinfo)


def _quiet_window(policy: Policy | None) -> tuple[time, time]:
    if policy is None:
        return DEFAULT_QUIET_START, DEFAULT_QUIET_END
    # An unsaved policy (Policy.from_preset) still holds the field defaults as "21:00" strings.
    return _as_time(policy.quiet_start, DEFAULT_QUIET_START), _as_time(policy.quiet_end, DEFAULT_QUIET_END)


def _as_time(value: time | str | None, default: time) -> time:
    if value is None or value == "":
        return default
    return time.fromisoformat(value) if isinstance(value, str) else value


def start_sender() -> None:
    """Ask a worker to send due rows now; a broker that is down only delays them until the next beat."""
    try:
        send_due_sms.delay()
    except BrokerError as exc:
        logger.warning("SMS queued but the sender could not be started (broker unreachable: %s)", exc)


def sms_send_due(*, limit: int = 100, now: datetime | None = None) -> dict[str, int]:
    """Send up to ``limit`` due rows, one row per transaction, each locked while it is being sent.

    The lock (SKIP LOCKED) keeps two workers off the same row; a row's new status commits with its
    send, so a crash loses nothing and a row marked sent is never sent again.
    """
    now = now or timezone.now()
    backend = get_backend()
    counts = {"sent": 0, "failed": 0, "dead": 0}
    for _ in range(limit):
        outcome = _send_next(backend, now)
        if outcome is None:
            break
        counts[outcome] += 1
    return counts


def _send_next(backend: SmsBackend, now: datetime) -> str | None:
    with transaction.atomic():
        message = (
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(status__in=RETRYABLE, send_after__lte=now)
            .order_by("send_after", "pk")
            .first()
        )
        if message is None:
            return None
        try:
            provider_id = backend.send(message)
        except SmsSendError as exc:
            return _record_failure(message, str(exc), now)
        except Exception as exc:  # a bug in a backend must not stall the queue behind this row
            logger.exception("SMS backend crashed on message %s", message.pk)
            return _record_failure(message, f"{type(exc).__name__}: {exc}", now)
        _record_success(message, provider_id, now)
        return "sent"


def _record_success(message: SmsMessage, provider_id: str, now: datetime) -> None:
    message.status = SmsMessage.Status.SENT
    message.sent_at = now
    message.provider_id = provider_id[:100]
    message.attempts += 1
    message.save(update_fields=["status", "sent_at", "provider_id", "attempts"])


def _record_failure(message: SmsMessage, error: str, now: datetime) -> str:
    message.attempts += 1
    message.last_error = error[:500]
    if message.attempts >= settings.SMS_MAX_ATTEMPTS:
        message.status = SmsMessage.Status.DEAD
        logger.error("SMS %s given up after %s attempts: %s", message.pk, message.attempts, error)
    else:
        message.status = SmsMessage.Status.FAILED
        message.send_after = now + backoff(message.attempts)
    message.save(update_fields=["status", "attempts", "last_error", "send_after"])
    return "dead" if message.status == SmsMessage.Status.DEAD else "failed"


def sms_retry(*, messages: Iterable[SmsMessage], now: datetime | None = None) -> int:
    """Put failed and dead rows back in the queue, due now with a fresh attempt count."""
    now = now or timezone.now()
    ids = [message.pk for message in messages]
    with transaction.atomic():
        count = SmsMessage.objects.filter(
            pk__in=ids, status__in=(SmsMessage.Status.FAILED, SmsMessage.Status.DEAD)
        ).update(status=SmsMessage.Status.PENDING, attempts=0, send_after=now)
        if count:
            transaction.on_commit(start_sender, robust=True)
    return count


# Defined beside its service (and re-exported by evaluations.tasks, the name beat uses) so that the
# service can start it without importing the task module.
@shared_task(name="evaluations.tasks.send_due_sms")
def send_due_sms() -> dict[str, int]:
    """Send the SMS outbox rows that are due; safe to run in several workers at once."""
    return sms_send_due()

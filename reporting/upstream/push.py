"""Sending the outbox upstream: batches claimed with SKIP LOCKED, order kept per case, backoff, dead letters.

One batch is one transaction: claim due rows (``select_for_update(skip_locked=True)``, so two workers
never send the same row), POST them, record each outcome, commit. A worker that dies after the POST
and before the commit leaves the rows unsent; they go again with the same idempotency keys, which the
platform drops as repeats (client.py). A row marked sent is never sent again.

Order per case: a row is due only when no earlier row of its case (``case_key``, by id) is unsent —
pending, failed, dead, or held by another worker right now. So a batch holds at most one message of a
case, and a dead message holds back the later ones of its case until it is retried.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from evaluations.outbox import backoff

from ..models import UpstreamMessage
from .client import UpstreamError
from .profiles import Profile, current_profile

logger = logging.getLogger(__name__)
# At most one nudge per this many seconds, however fast ratings arrive (the beat runs every minute).
NUDGE_SECONDS = 2

Status = UpstreamMessage.Status
RETRYABLE = (Status.PENDING, Status.FAILED)


@dataclass
class PushResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    batches: int = 0
    disabled: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return {"sent": self.sent, "failed": self.failed, "dead": self.dead, "batches": self.batches}


def due_messages(now: datetime, profile: str | None = None) -> QuerySet[UpstreamMessage]:
    """Rows that may be sent at ``now``: the profile's, retryable, due, and first unsent of their case."""
    earlier_unsent = UpstreamMessage.objects.filter(
        case_key=OuterRef("case_key"), id__lt=OuterRef("id")
    ).exclude(status=Status.SENT)
    return (
        UpstreamMessage.objects.filter(
            status__in=RETRYABLE, next_attempt_at__lte=now, profile=profile or settings.UPSTREAM_PROFILE
        )
        .exclude(Exists(earlier_unsent))
        .order_by("id")
    )


def upstream_push(*, now: datetime | None = None, max_batches: int = 50) -> PushResult:
    """Send due rows, batch after batch, until none is due, ``max_batches`` went out, or the platform
    fails a whole request (it is down or refusing: the rest wait for their next turn, not hammer it)."""
    result = PushResult()
    if not settings.UPSTREAM_URL:
        result.disabled = True  # pushing is switched off; the rows wait as pending
        return result
    profile = current_profile()
    for _ in range(max_batches):
        outcome = _push_batch(profile, now or timezone.now())
        if outcome is None:
            break
        result.batches += 1
        result.sent += outcome["sent"]
        result.failed += outcome["failed"]
        result.dead += outcome["dead"]
        if outcome["batch_failed"]:
            break
    return result


def _push_batch(profile: Profile, now: datetime) -> dict[str, int] | None:
    """One batch: its rows go in the profile's requests (one for all, or one per row); a request the
    platform does not take fails its rows and leaves the later requests' rows unsent, as they were."""
    with transaction.atomic():
        rows = list(
            due_messages(now, profile.name).select_for_update(skip_locked=True, of=("self",))[
                : settings.UPSTREAM_BATCH
            ]
        )
        if not rows:
            return None
        counts = {"sent": 0, "failed": 0, "dead": 0, "batch_failed": 0}
        touched: list[UpstreamMessage] = []
        for request in profile.requests(rows):
            text = request.text()  # the exact body, kept on each of its rows: decoded once
            for row in request.rows:
                row.sent_body = text
            try:
                rejected = profile.read(profile.send(request), request)
            except UpstreamError as exc:
                logger.warning("upstream request of %d failed: %s", len(request.rows), exc)
                for row in request.rows:
                    counts[_record_failure(row, str(exc), now)] += 1
                touched += request.rows
                counts["batch_failed"] = 1
                break
            sent: list[UpstreamMessage] = []
            for row in request.rows:
                reason = rejected.get(row.idempotency_key)
                if reason is None:
                    _record_success(row, now)
                    sent.append(row)
                else:
                    counts[_record_failure(row, reason, now)] += 1
                    touched.append(row)
            counts["sent"] += len(sent)
            if len(sent) > 1:
                _save_sent(sent, text, now)
            else:
                touched += sent
        UpstreamMessage.objects.bulk_update(
            touched, ["status", "attempts", "next_attempt_at", "last_error", "sent_at", "sent_body"]
        )
    return counts


def _save_sent(rows: list[UpstreamMessage], text: str, now: datetime) -> None:
    """The rows of one request the platform took, in one UPDATE: the body they went in is passed once,
    not once per row as bulk_update would (a batch of 100 carried 100 copies of its whole body)."""
    UpstreamMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=Status.SENT, sent_at=now, attempts=F("attempts") + 1, sent_body=text
    )


def _record_success(row: UpstreamMessage, now: datetime) -> None:
    row.status = Status.SENT
    row.sent_at = now
    row.attempts += 1


def _record_failure(row: UpstreamMessage, error: str, now: datetime) -> str:
    row.attempts += 1
    row.last_error = error[:500]
    if row.attempts >= settings.UPSTREAM_MAX_ATTEMPTS:
        row.status = Status.DEAD
        logger.error("upstream message %s given up after %s attempts: %s", row.pk, row.attempts, error)
        return "dead"
    row.status = Status.FAILED
    row.next_attempt_at = now + backoff(row.attempts)
    return "failed"


def upstream_retry(
    *, messages: Iterable[UpstreamMessage] | Iterable[int], now: datetime | None = None
) -> int:
    """Put failed and dead rows back in the queue, due now with a fresh attempt count; returns how many."""
    now = now or timezone.now()
    ids = [message if isinstance(message, int) else message.pk for message in messages]
    with transaction.atomic():
        count = UpstreamMessage.objects.filter(pk__in=ids, status__in=(Status.FAILED, Status.DEAD)).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now
        )
        if count and settings.UPSTREAM_URL:
            transaction.on_commit(start_pusher, robust=True)
    return count


def upstream_counts(*, now: datetime | None = None) -> dict[str, int]:
    """Rows waiting in each status, and rows sent in the last 24 hours (the admin's header, the command).

    Sent rows pile up with every rating; counting only the last day keeps this an index range scan.
    """
    now = now or timezone.now()
    found = dict(
        UpstreamMessage.objects.exclude(status=Status.SENT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {status.value: found.get(status.value, 0) for status in Status}
    counts[Status.SENT.value] = UpstreamMessage.objects.filter(
        status=Status.SENT, sent_at__gte=now - timedelta(hours=24)
    ).count()
    return counts


def start_pusher() -> None:
    """Ask a worker to push now; a broker that is down only delays the rows until the next beat."""
    try:
        if not cache.add("reporting:upstream:nudged", 1, NUDGE_SECONDS):
            return  # a push was asked for a moment ago and will pick this row up
        push_upstream.delay()
    except BrokerError as exc:
        logger.warning("upstream message queued but the pusher could not be started: %s", exc)
    except Exception as exc:  # Redis down for the cache as well: the beat still finds the row
        logger.warning("upstream pusher not nudged (%s: %s)", type(exc).__name__, exc)


# Defined beside its service (re-exported by reporting.tasks, the name beat uses) so that the outbox
# can start it without importing the task module.
@shared_task(name="reporting.tasks.push_upstream")
def push_upstream() -> dict[str, int | bool]:
    """Send the due upstream messages; safe to run in several workers at once (rows are claimed)."""
    result = upstream_push()
    return {**result.as_dict(), "disabled": result.disabled}

"""The order of each case: a later message never leaves while an earlier one of its case is unsent,
whether it backs off, is dead, or is being sent by another worker right now."""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from bench.upstream_platform import Platform, running_platform
from evaluations.models import Evaluation
from reporting.models import UpstreamMessage
from reporting.upstream.push import upstream_push, upstream_retry

from ..workorders.workorder_fixtures import rate

Status = UpstreamMessage.Status


@pytest.fixture
def platform(settings) -> Iterator[Platform]:
    yield from running_platform(settings)


def good(record, **fields):
    return rate(record, **{"grade": 5, "tags": [], **fields})


@pytest.mark.django_db
def test_a_later_message_of_a_case_waits_for_the_earlier_one(platform, make_record):
    case_a, case_b = make_record(), make_record()
    a1 = good(case_a, grade=3).evaluation
    b1 = good(case_b).evaluation
    a2 = good(case_a, assess_number=2).evaluation
    platform.mode = "error"
    now = timezone.now()
    upstream_push(now=now)
    # One batch holds at most one message of a case: a2 waits behind a1.
    assert [m["idempotencyKey"] for m in platform.messages()] == [
        f"evaluation:{a1.pk}",
        f"evaluation:{b1.pk}",
    ]
    platform.mode = "ok"
    assert upstream_push(now=now + timedelta(seconds=30)).batches == 0  # a1 backs off, so a2 waits too
    assert upstream_push(now=now + timedelta(minutes=1)).as_dict() == {
        "sent": 3,
        "failed": 0,
        "dead": 0,
        "batches": 2,
    }
    keys = platform.received
    assert keys.index(f"evaluation:{a1.pk}") < keys.index(f"evaluation:{a2.pk}")


@pytest.mark.django_db
def test_a_dead_message_holds_back_its_case_but_not_the_others(platform, make_record, settings):
    settings.UPSTREAM_MAX_ATTEMPTS = 1
    case_a, case_b = make_record(), make_record()
    a1 = good(case_a, grade=3).evaluation
    platform.reject = {f"evaluation:{a1.pk}": "数据不完整"}
    upstream_push()
    a2, b1 = good(case_a, assess_number=2).evaluation, good(case_b).evaluation
    platform.reject = {}
    assert upstream_push().sent == 1
    assert UpstreamMessage.objects.get(evaluation=b1).status == Status.SENT
    assert UpstreamMessage.objects.get(evaluation=a2).status == Status.PENDING
    upstream_retry(messages=UpstreamMessage.objects.filter(evaluation=a1))
    assert upstream_push().sent == 2
    assert platform.received[-2:] == [f"evaluation:{a1.pk}", f"evaluation:{a2.pk}"]


# --- two workers ------------------------------------------------------------------------------


# serialized_rollback: see test_sms_gateway (a plain flush re-creates the content types under new ids).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_pushing_at_once_send_each_message_exactly_once(platform, make_record, settings):
    settings.UPSTREAM_BATCH = 3
    settings.UPSTREAM_URL = platform.url
    cases = [make_record() for _ in range(10)]
    for case in cases:
        good(case, grade=3)
        good(case, assess_number=2)  # a second message per case, which must follow the first
    start, results = threading.Barrier(2), []

    def worker() -> None:
        try:
            start.wait()
            for _ in range(20):
                results.append(upstream_push(max_batches=1))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    expected = {f"evaluation:{pk}" for pk in Evaluation.objects.values_list("pk", flat=True)}
    assert sorted(platform.received) == sorted(expected)  # every message, none twice
    assert sum(r.sent for r in results) == 20
    for case in cases:
        first, second = Evaluation.objects.filter(record=case).order_by("assess_number")
        assert platform.received.index(f"evaluation:{first.pk}") < platform.received.index(
            f"evaluation:{second.pk}"
        )
    assert set(UpstreamMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}

"""Sending the outbox to the platform on loopback: batches, failures and backoff, dead letters and manual
retry (the order of each case and concurrent workers are in test_upstream_order.py).

Time travels through ``now=``."""

import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.upstream_platform import APP_ID, Platform, running_platform
from evaluations.outbox import backoff
from reporting.models import UpstreamMessage
from reporting.tasks import push_upstream
from reporting.upstream.push import upstream_push, upstream_retry

from ..workorders.workorder_fixtures import rate

Status = UpstreamMessage.Status


@pytest.fixture
def platform(settings) -> Iterator[Platform]:
    yield from running_platform(settings)


def good(record, **fields):
    return rate(record, **{"grade": 5, "tags": [], **fields})


def statuses() -> list[tuple[str, int]]:
    return list(UpstreamMessage.objects.order_by("id").values_list("status", "attempts"))


def later(minutes: float) -> timezone.datetime:
    return timezone.now() + timedelta(minutes=minutes)


# --- the happy path ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_pending_messages_are_sent_signed_in_one_batch_and_marked_sent(platform, make_record):
    evaluations = [good(make_record()).evaluation for _ in range(3)]
    result = upstream_push()
    assert (result.sent, result.failed, result.dead, result.batches) == (3, 0, 0, 1)
    [request] = platform.requests
    assert request["signature_ok"] and request["body"]["appId"] == APP_ID
    keys = [m["idempotencyKey"] for m in request["body"]["messages"]]
    assert keys == [f"evaluation:{e.pk}" for e in evaluations]
    first = request["body"]["messages"][0]
    assert (
        first["type"] == "evaluation"
        and first["data"] == UpstreamMessage.objects.get(evaluation=evaluations[0]).payload
    )
    assert statuses() == [(Status.SENT, 1)] * 3
    assert not UpstreamMessage.objects.filter(sent_at__isnull=True).exists()
    # Every row keeps the exact body it went in (written once for the request's rows, push._save_sent).
    assert [json.loads(m.sent_body) for m in UpstreamMessage.objects.all()] == [request["body"]] * 3
    assert upstream_push().batches == 0  # nothing is sent twice


@pytest.mark.django_db
def test_the_batch_size_is_a_setting_and_one_pass_sends_every_batch(platform, make_record, settings):
    settings.UPSTREAM_BATCH = 2
    for _ in range(5):
        good(make_record())
    assert upstream_push().as_dict() == {"sent": 5, "failed": 0, "dead": 0, "batches": 3}
    assert [len(r["body"]["messages"]) for r in platform.requests] == [2, 2, 1]


@pytest.mark.django_db
def test_without_a_url_pushing_is_off_and_the_messages_wait(make_record, settings):
    settings.UPSTREAM_URL = ""
    good(make_record())
    assert upstream_push().disabled
    assert statuses() == [(Status.PENDING, 0)]
    out = StringIO()
    call_command("upstream", "push", stdout=out)
    assert "未设置 UPSTREAM_URL" in out.getvalue() and "待上报 1 条" in out.getvalue()


@pytest.mark.django_db
def test_the_command_runs_one_pass_and_prints_the_counts(platform, make_record):
    good(make_record())
    good(make_record())
    out = StringIO()
    call_command("upstream", "push", stdout=out)
    assert out.getvalue().strip() == "已上报 2 条，失败 0 条，放弃 0 条（1 批）。"
    call_command("upstream", "status", stdout=(out := StringIO()))
    assert out.getvalue().strip() == "待上报 0 条，失败待重试 0 条，已放弃 0 条，近 24 小时已上报 2 条。"


@pytest.mark.django_db
def test_the_celery_task_is_one_pass(platform, make_record):
    good(make_record())
    assert push_upstream() == {"sent": 1, "failed": 0, "dead": 0, "batches": 1, "disabled": False}


# --- failures ---------------------------------------------------------------------------------


def test_the_backoff_doubles_from_one_minute_up_to_an_hour():
    assert [backoff(n) for n in range(1, 9)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]


@pytest.mark.django_db
def test_a_500_fails_the_batch_and_it_is_sent_again_after_a_growing_pause(platform, make_record):
    platform.mode = "error"
    good(make_record())
    now = timezone.now()
    assert upstream_push(now=now).as_dict() == {"sent": 0, "failed": 1, "dead": 0, "batches": 1}
    message = UpstreamMessage.objects.get()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        Status.FAILED,
        1,
        now + timedelta(minutes=1),
    )
    assert "HTTP 500" in message.last_error and "平台内部错误" in message.last_error
    assert upstream_push(now=now + timedelta(seconds=59)).batches == 0  # not due yet
    upstream_push(now=now + timedelta(minutes=1))
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (2, now + timedelta(minutes=3))
    platform.mode = "ok"
    assert upstream_push(now=now + timedelta(minutes=3)).sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(platform.requests)) == (Status.SENT, 3, 3)
    assert "HTTP 500" in message.last_error  # kept: the row had trouble on its way


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("malformed", "不是有效的 JSON"),
        ("slow", "超时（0.5 秒）"),
        ("refuse", "拒收本批消息（code 1001）：appId 未登记"),
    ],
)
def test_a_bad_answer_fails_the_batch(platform, make_record, mode, error):
    platform.mode = mode
    good(make_record())
    assert upstream_push().failed == 1
    message = UpstreamMessage.objects.get()
    assert (message.status, message.sent_at) == (Status.FAILED, None)
    assert error in message.last_error


@pytest.mark.django_db
def test_an_unreachable_platform_is_a_failure(platform, make_record):
    platform.stop()  # nothing listens on the port any more
    good(make_record())
    assert upstream_push().failed == 1
    assert "无法连接省级平台" in UpstreamMessage.objects.get().last_error


@pytest.mark.django_db
def test_a_resend_after_a_timeout_is_no_duplicate_upstream(platform, make_record):
    platform.mode = "slow"  # the platform keeps the batch but answers too late
    evaluation = good(make_record()).evaluation
    now = timezone.now()
    assert upstream_push(now=now).failed == 1
    platform.mode = "ok"
    assert upstream_push(now=now + timedelta(minutes=1)).sent == 1
    key = f"evaluation:{evaluation.pk}"
    assert platform.received == [key, key]  # it arrived twice …
    assert list(platform.stored) == [key]  # … and the platform kept it once, by its idempotency key


@pytest.mark.django_db
def test_a_message_the_platform_rejects_fails_alone(platform, make_record):
    first, second = good(make_record()).evaluation, good(make_record()).evaluation
    platform.reject = {f"evaluation:{first.pk}": "事项编码未在国家平台登记"}
    assert upstream_push().as_dict() == {"sent": 1, "failed": 1, "dead": 0, "batches": 1}
    rejected = UpstreamMessage.objects.get(evaluation=first)
    assert (rejected.status, rejected.last_error) == (Status.FAILED, "事项编码未在国家平台登记")
    assert UpstreamMessage.objects.get(evaluation=second).status == Status.SENT


@pytest.mark.django_db
def test_the_rows_taken_and_the_row_rejected_in_one_request_each_keep_their_outcome(platform, make_record):
    evaluations = [good(make_record()).evaluation for _ in range(4)]
    platform.reject = {f"evaluation:{evaluations[1].pk}": "评价数据格式错误"}
    assert upstream_push().as_dict() == {"sent": 3, "failed": 1, "dead": 0, "batches": 1}
    [request] = platform.requests
    rows = UpstreamMessage.objects.order_by("id")
    assert [(m.status, m.attempts, m.sent_at is not None) for m in rows] == [
        (Status.SENT, 1, True),
        (Status.FAILED, 1, False),
        (Status.SENT, 1, True),
        (Status.SENT, 1, True),
    ]
    assert rows[1].last_error == "评价数据格式错误" and rows[1].next_attempt_at > timezone.now()
    assert all(json.loads(m.sent_body) == request["body"] for m in rows)


@pytest.mark.django_db
def test_a_failed_batch_ends_the_pass_so_a_platform_that_is_down_is_not_hammered(
    platform, make_record, settings
):
    settings.UPSTREAM_BATCH = 1
    platform.mode = "error"
    for _ in range(3):
        good(make_record())
    assert upstream_push().as_dict() == {"sent": 0, "failed": 1, "dead": 0, "batches": 1}
    assert statuses() == [(Status.FAILED, 1), (Status.PENDING, 0), (Status.PENDING, 0)]


# --- dead letters and manual retry ------------------------------------------------------------


@pytest.mark.django_db
def test_a_message_is_given_up_after_the_maximum_attempts_and_a_retry_revives_it(
    platform, make_record, settings
):
    settings.UPSTREAM_MAX_ATTEMPTS = 3
    platform.mode = "error"
    good(make_record())
    outcomes = [upstream_push(now=later(120 * hour)).as_dict() for hour in range(1, 5)]
    assert outcomes[2] == {"sent": 0, "failed": 0, "dead": 1, "batches": 1}
    assert outcomes[3]["batches"] == 0  # a dead message is not sent again by itself
    message = UpstreamMessage.objects.get()
    assert (message.status, message.attempts, len(platform.requests)) == (Status.DEAD, 3, 3)

    assert upstream_retry(messages=[message]) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 0)
    platform.mode = "ok"
    assert upstream_push().sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


@pytest.mark.django_db
def test_retry_leaves_pending_and_sent_messages_alone(platform, make_record):
    good(make_record())
    upstream_push()
    good(make_record())
    assert upstream_retry(messages=UpstreamMessage.objects.all()) == 0
    assert statuses() == [(Status.SENT, 1), (Status.PENDING, 0)]


@pytest.mark.django_db
def test_the_retry_command_queues_every_failed_and_dead_message(platform, make_record, settings):
    settings.UPSTREAM_MAX_ATTEMPTS = 1
    platform.mode = "error"
    good(make_record())
    upstream_push()
    out = StringIO()
    call_command("upstream", "retry", stdout=out)
    assert out.getvalue().strip() == "1 条消息已重新排队上报。"
    assert statuses() == [(Status.PENDING, 0)]

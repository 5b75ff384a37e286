"""The SMS outbox: quiet hours, starting the sender, the development backends, retrying, the admin.

The HTTP gateway, backoff and concurrent workers are in test_sms_gateway.py. Time travels through ``now=``.
"""

import logging
from collections.abc import Iterator
from datetime import time

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from evaluations.models import Policy, Preset, SmsMessage
from evaluations.services.sms import sms_retry, sms_send_due

from .sms_fixtures import PHONE, enqueue, local

pytestmark = pytest.mark.calendar

Status = SmsMessage.Status


@pytest.fixture(autouse=True)
def database_backend(settings) -> None:
    """Whatever the environment says, these tests send through the development backend unless told."""
    settings.SMS_BACKEND = "evaluations.sms_backends.DatabaseBackend"
    settings.SMS_MAX_ATTEMPTS = 6


# --- quiet hours -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("enqueued", "due"),
    [
        (local(10, 22, 30), local(11, 8)),  # late evening: next morning
        (local(10, 7), local(10, 8)),  # early morning: the same morning
        (local(10, 21), local(11, 8)),  # the quiet hours start on the minute
        (local(10, 12), local(10, 12)),  # daytime: at once
        (local(10, 8), local(10, 8)),  # the quiet hours are over on the minute
    ],
)
def test_a_message_waits_for_the_end_of_the_default_quiet_hours(enqueued, due):
    message = enqueue(enqueued)
    message.refresh_from_db()
    assert message.send_after == due
    assert (message.status, message.attempts) == (Status.PENDING, 0)


@pytest.mark.django_db
def test_an_urgent_message_ignores_quiet_hours():
    message = enqueue(local(10, 23, 15), urgent=True)
    assert message.send_after == local(10, 23, 15)


@pytest.mark.django_db
def test_the_policy_quiet_hours_apply_even_when_they_do_not_wrap_midnight(regions):
    lunch = Policy.objects.create(region=regions["city"], quiet_start=time(12), quiet_end=time(14))
    lunch.refresh_from_db()
    assert enqueue(local(10, 13), policy=lunch).send_after == local(10, 14)
    assert enqueue(local(10, 22, 30), policy=lunch).send_after == local(10, 22, 30)


@pytest.mark.django_db
def test_an_unsaved_preset_policy_uses_its_default_quiet_hours():
    assert enqueue(local(10, 22, 30), policy=Policy.from_preset(Preset.TIANJIN)).send_after == local(11, 8)


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["", "   "])
def test_a_message_without_a_phone_is_refused(phone):
    with pytest.raises(ValueError, match="phone"):
        enqueue(local(10, 12), phone=phone)
    assert not SmsMessage.objects.exists()


@pytest.mark.django_db
def test_the_phone_is_encrypted_at_rest():
    message = enqueue(local(10, 12))
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM evaluations_smsmessage WHERE id = %s", [message.pk])
        stored = cursor.fetchone()[0]
    assert PHONE not in stored
    assert SmsMessage.objects.get(pk=message.pk).phone == PHONE


# --- starting the sender -----------------------------------------------------------------------


@pytest.fixture
def eager_celery() -> Iterator[None]:
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.django_db
def test_enqueueing_starts_the_sender_once_the_transaction_commits(
    eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue(timezone.now(), urgent=True)
        message.refresh_from_db()
        assert message.status == Status.PENDING  # nothing leaves before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.SENT, f"db-{message.pk}")


@pytest.mark.django_db
def test_a_broker_that_is_down_leaves_the_message_for_the_beat(django_capture_on_commit_callbacks, caplog):
    down = Celery("broker-down", broker="redis://127.0.0.1:1/0", set_as_current=False)
    down.conf.update(task_publish_retry=False, redis_socket_connect_timeout=0.2)
    down.conf.broker_transport_options = {"max_retries": 0}
    down.set_current()
    try:
        with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
            message = enqueue(timezone.now(), urgent=True)
    finally:
        celery_app.set_current()
    assert "broker unreachable" in caplog.text
    message.refresh_from_db()
    assert message.status == Status.PENDING


# --- sending -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_messages_are_sent_through_the_database_backend():
    first, second = enqueue(local(10, 9)), enqueue(local(10, 10))
    tonight = enqueue(local(10, 22))
    assert sms_send_due(now=local(10, 12)) == {"sent": 2, "failed": 0, "dead": 0}
    for message in (first, second, tonight):
        message.refresh_from_db()
    assert [(m.status, m.sent_at, m.provider_id) for m in (first, second)] == [
        (Status.SENT, local(10, 12), f"db-{first.pk}"),
        (Status.SENT, local(10, 12), f"db-{second.pk}"),
    ]
    assert tonight.status == Status.PENDING
    assert sms_send_due(now=local(10, 12)) == {"sent": 0, "failed": 0, "dead": 0}


@pytest.mark.django_db
def test_the_console_backend_logs_only_the_masked_phone(settings, caplog):
    settings.SMS_BACKEND = "evaluations.sms_backends.ConsoleBackend"
    message = enqueue(local(10, 12))
    with caplog.at_level(logging.INFO, logger="evaluations.sms_backends"):
        assert sms_send_due(now=local(10, 12))["sent"] == 1
    assert "138****5678" in caplog.text and "【好差评】请评价" in caplog.text
    assert PHONE not in caplog.text
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.django_db
def test_a_retry_leaves_sent_and_pending_messages_alone():
    sent, waiting = enqueue(local(10, 12)), enqueue(local(10, 22))
    sms_send_due(now=local(10, 12))
    assert sms_retry(messages=SmsMessage.objects.filter(pk__in=[sent.pk, waiting.pk])) == 0
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.status, waiting.status, waiting.send_after) == (Status.SENT, Status.PENDING, local(11, 8))


# --- admin -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_counts_the_queue_masks_the_phone_and_retries_a_dead_message(client, sysadmin, settings):
    settings.SMS_MAX_ATTEMPTS = 1
    settings.SMS_BACKEND = "evaluations.sms_backends.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http://127.0.0.1:1/unreachable", "k"
    dead, waiting = enqueue(local(10, 12)), enqueue(local(10, 22))
    sms_send_due(now=local(10, 12))
    client.force_login(sysadmin)

    page = client.get("/admin/evaluations/smsmessage/").content.decode()
    assert "待发送</a>：<strong>1</strong>" in page and "多次失败，已放弃</a>：<strong>1</strong>" in page
    assert "138****5678" in page and PHONE not in page
    assert client.get("/admin/evaluations/smsmessage/add/").status_code == 403
    detail = client.get(f"/admin/evaluations/smsmessage/{dead.pk}/change/")
    assert detail.status_code == 200 and "无法连接短信网关" in detail.text
    assert "138****5678" in detail.text and PHONE not in detail.text
    assert 'name="_save"' not in detail.text  # read-only: nothing to save

    response = client.post(
        "/admin/evaluations/smsmessage/", {"action": "retry", "_selected_action": [dead.pk, waiting.pk]}
    )
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (Status.PENDING, 0)
    notes = [str(m) for m in client.get(response.url).context["messages"]]
    assert notes == ["1 条短信已重新排队发送。", "1 条短信不是失败状态，未重新发送。"]


@pytest.mark.django_db
def test_an_office_sees_only_the_messages_about_cases_in_its_region(client, owner, org, make_record):
    nankang = org["nankang"]
    ours = enqueue(local(10, 22), record=make_record(), phone="13900001111")
    theirs = make_record(
        matter_code=nankang["matter"].code,
        department_code=nankang["department"].code,
        region_code=nankang["department"].region.code,
        window_code=nankang["window"].code,
        staff_no=nankang["staff"].staff_no,
    )
    enqueue(local(10, 22), record=theirs, phone="13900002222")
    enqueue(local(10, 22), kind=SmsMessage.Kind.NOTICE, phone="13900003333")  # no case: administrators only
    client.force_login(owner)

    page = client.get("/admin/evaluations/smsmessage/")
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [ours]
    assert "待发送</a>：<strong>1</strong>" in page.text
    assert "重新发送" not in page.text  # viewing is not retrying

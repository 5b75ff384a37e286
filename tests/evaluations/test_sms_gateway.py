"""The SMS outbox against an HTTP gateway: a real server on loopback, started by each test.

It records every request and answers as told: 200 with an id, 500, malformed JSON, too late, no id.
"""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connections
from django.utils import timezone

from evaluations.models import SmsMessage
from evaluations.outbox import backoff
from evaluations.services.sms import sms_retry, sms_send_due

from .sms_fixtures import PHONE, enqueue, local

Status = SmsMessage.Status


class Gateway(ThreadingHTTPServer):
    """An SMS gateway on 127.0.0.1: records every request and answers as ``mode`` says."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.mode = "ok"  # ok | error (500) | malformed | slow | empty (200 "{}")
        self.delay = 0.0
        self.seen: list[dict] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        # For the concurrency test: hold the first request until a second one is open beside it.
        self.hold_first = False
        self.second_arrived = threading.Event()
        self.open_requests = self.most_open_requests = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sms/send"

    def ids(self) -> list[int]:
        return [request["body"]["id"] for request in self.seen]


class GatewayHandler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        gateway = self.server
        with gateway.lock:
            gateway.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
            gateway.open_requests += 1
            gateway.most_open_requests = max(gateway.most_open_requests, gateway.open_requests)
            if len(gateway.seen) >= 2:
                gateway.second_arrived.set()
        if gateway.hold_first:
            gateway.second_arrived.wait(5)
        gateway.release.wait(gateway.delay if gateway.mode != "slow" else 5)
        with gateway.lock:
            gateway.open_requests -= 1
        status, answer = {
            "ok": (200, json.dumps({"id": f"gw-{body['id']}", "status": "accepted"}).encode()),
            "error": (500, "网关内部错误".encode()),
            "malformed": (200, b"{not json"),
        }.get(gateway.mode, (200, b"{}"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass  # the client gave up waiting (the timeout test)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:
    server = Gateway()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "evaluations.sms_backends.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = server.url
    settings.SMS_GATEWAY_KEY = "gateway-key-for-tests"
    settings.SMS_GATEWAY_TIMEOUT = 0.5
    settings.SMS_MAX_ATTEMPTS = 6
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# --- sending ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_gateway_receives_the_outbox_id_and_the_key_and_its_id_is_recorded(gateway):
    message = enqueue(local(10, 12), body="【好差评】您的办件已办结，请评价")
    assert sms_send_due(now=local(10, 12)) == {"sent": 1, "failed": 0, "dead": 0}
    [request] = gateway.seen
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == "Bearer gateway-key-for-tests"
    assert request["body"] == {
        "id": message.pk,
        "phone": PHONE,
        "content": "【好差评】您的办件已办结，请评价",
    }
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.sent_at) == (
        Status.SENT,
        f"gw-{message.pk}",
        local(10, 12),
    )


def test_the_backoff_doubles_from_one_minute_up_to_an_hour():
    assert [backoff(n) for n in range(1, 9)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]


@pytest.mark.django_db
def test_a_gateway_error_is_retried_after_a_growing_pause(gateway):
    gateway.mode = "error"
    message = enqueue(local(10, 12))
    assert sms_send_due(now=local(10, 12)) == {"sent": 0, "failed": 1, "dead": 0}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.send_after) == (Status.FAILED, 1, local(10, 12, 1))
    assert "HTTP 500" in message.last_error and "网关内部错误" in message.last_error
    assert sms_send_due(now=local(10, 12, 0) + timedelta(seconds=59))["failed"] == 0  # not due yet
    assert sms_send_due(now=local(10, 12, 1))["failed"] == 1
    message.refresh_from_db()
    assert (message.attempts, message.send_after) == (2, local(10, 12, 3))
    assert len(gateway.seen) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("mode", "error"), [("malformed", "JSON"), ("slow", "超时"), ("empty", "缺少 id")])
def test_a_bad_answer_from_the_gateway_is_a_failure(gateway, mode, error):
    gateway.mode = mode
    message = enqueue(local(10, 12))
    assert sms_send_due(now=local(10, 12))["failed"] == 1
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.FAILED, "")
    assert error in message.last_error


@pytest.mark.django_db
def test_an_unreachable_gateway_is_a_failure(gateway):
    gateway.shutdown()
    gateway.server_close()  # nothing listens on the port any more
    message = enqueue(local(10, 12))
    assert sms_send_due(now=local(10, 12))["failed"] == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "无法连接短信网关" in message.last_error


@pytest.mark.django_db
def test_a_message_is_given_up_after_the_maximum_attempts_and_a_retry_revives_it(gateway, settings):
    settings.SMS_MAX_ATTEMPTS = 3
    gateway.mode = "error"
    message = enqueue(local(10, 12))
    outcomes = [sms_send_due(now=local(10, 13 + hour)) for hour in range(4)]
    assert outcomes[-2:] == [{"sent": 0, "failed": 0, "dead": 1}, {"sent": 0, "failed": 0, "dead": 0}]
    assert len(gateway.seen) == 3
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.DEAD, 3)

    assert sms_retry(messages=[message], now=local(11, 9)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.send_after) == (Status.PENDING, 0, local(11, 9))
    gateway.mode = "ok"
    assert sms_send_due(now=local(11, 9))["sent"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(gateway.seen)) == (Status.SENT, 1, 4)


# serialized_rollback: a plain flush re-creates the content types under new ids, and the next
# serialized_rollback test (there are some after this file) then fails to restore its snapshot.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_sending_at_once_send_each_message_exactly_once(gateway):
    gateway.delay = 0.01  # each send holds its row a moment, so the workers keep overlapping
    gateway.hold_first = True  # and the first send waits (up to 5 s) for a second one to start
    now = timezone.now()
    expected = sorted(
        SmsMessage.objects.create(phone=PHONE, body=f"第{n}条", kind="notice", send_after=now).pk
        for n in range(30)
    )  # created directly: sms_enqueue would also nudge the real broker on commit
    start, results = threading.Barrier(2), []

    def worker() -> None:
        try:
            start.wait()
            results.append(sms_send_due(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(gateway.ids()) == expected  # every message reached the gateway, none twice
    assert len(results) == 2 and sum(result["sent"] for result in results) == 30
    # Two rows were at the gateway at once: the second worker skipped the row the first one held.
    assert gateway.most_open_requests == 2
    assert all(result["sent"] > 0 for result in results), results
    assert set(SmsMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}

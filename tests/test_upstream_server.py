"""The provincial platform as the tests see it: a real HTTP server on loopback, started by each test.

It checks the signature, records every request, keeps the first copy of each idempotency key (as the
real platform does, so a resend is no duplicate) and answers as told: ok, 500, slow, malformed JSON,
a refusal of the batch, or the rejection of named messages. The other test_upstream_* files import
``platform`` from here; the tests below are about the client and the signature themselves.
"""

import hashlib
import hmac
import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from reporting.upstream.client import UpstreamClient, UpstreamError, signature

APP_ID = "hcp-ganzhou"
KEY = "upstream-key-for-tests"
PATH = "/hcp/v1/evaluations"


class Platform(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), PlatformHandler)
        self.mode = "ok"  # ok | error | slow | malformed | refuse
        self.reject: dict[str, str] = {}  # idempotency key -> reason, answered in "rejected"
        self.requests: list[dict] = []  # every POST as received: headers, body, signature_ok
        self.received: list[str] = []  # every idempotency key as received, repeats included
        self.stored: dict[str, dict] = {}  # the first copy of each key: what the platform keeps
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)

    def messages(self) -> list[dict]:
        return [message for request in self.requests for message in request["body"]["messages"]]

    def duplicates(self) -> dict[str, int]:
        return {key: n for key, n in Counter(self.received).items() if n > 1}


class PlatformHandler(BaseHTTPRequestHandler):
    server: Platform

    def do_POST(self) -> None:
        platform = self.server
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        expected = signature(
            key=KEY,
            method="POST",
            path=self.path,
            app_id=self.headers.get("X-App-Id", ""),
            timestamp=self.headers.get("X-Timestamp", ""),
            nonce=self.headers.get("X-Nonce", ""),
            body=raw,
        )
        signed = hmac.compare_digest(expected, self.headers.get("X-Signature", ""))
        body = json.loads(raw)
        with platform.lock:
            platform.requests.append({"headers": dict(self.headers), "body": body, "signature_ok": signed})
            if signed and platform.mode not in ("error", "refuse"):
                for message in body["messages"]:
                    key = message["idempotencyKey"]
                    platform.received.append(key)
                    if key not in platform.reject:
                        platform.stored.setdefault(key, message)
        if platform.mode == "slow":
            platform.release.wait(5)  # stored, but the answer comes too late
        if not signed:
            status, answer = 401, json.dumps({"code": 401, "message": "签名错误"}).encode()
        else:
            status, answer = {
                "error": (500, "平台内部错误".encode()),
                "malformed": (200, b"{not json"),
                "refuse": (200, json.dumps({"code": 1001, "message": "appId 未登记"}).encode()),
            }.get(platform.mode, (200, self._ok(body)))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass  # the client gave up waiting

    def _ok(self, body: dict) -> bytes:
        rejected = [
            {
                "idempotencyKey": message["idempotencyKey"],
                "message": self.server.reject[message["idempotencyKey"]],
            }
            for message in body["messages"]
            if message["idempotencyKey"] in self.server.reject
        ]
        return json.dumps({"code": 0, "rejected": rejected}, ensure_ascii=False).encode()

    def log_message(self, *args) -> None:
        pass


def point_settings_at(settings, platform: Platform) -> None:
    settings.UPSTREAM_URL = platform.url
    settings.UPSTREAM_APP_ID = APP_ID
    settings.UPSTREAM_KEY = KEY
    settings.UPSTREAM_TIMEOUT = 0.5
    settings.UPSTREAM_BATCH = 100
    settings.UPSTREAM_MAX_ATTEMPTS = 10


def running_platform(settings) -> Iterator[Platform]:
    """The body of the ``platform`` fixture, for the other test files to declare their own."""
    server = Platform()
    point_settings_at(settings, server)
    yield server
    server.stop()


@pytest.fixture
def platform(settings) -> Iterator[Platform]:
    yield from running_platform(settings)


def client(url: str, key: str = KEY) -> UpstreamClient:
    return UpstreamClient(url=url, app_id=APP_ID, key=key, timeout=0.5)


MESSAGE = {
    "idempotencyKey": "evaluation:1",
    "type": "evaluation",
    "createdAt": "",
    "data": {"satisfaction": "5"},
}


def test_a_batch_is_signed_over_method_path_app_timestamp_nonce_and_body(platform):
    assert client(platform.url).send([MESSAGE]).rejected == {}
    [request] = platform.requests
    headers, raw = request["headers"], json.dumps(request["body"], ensure_ascii=False, separators=(",", ":"))
    text = "\n".join(
        [
            "POST",
            PATH,
            APP_ID,
            headers["X-Timestamp"],
            headers["X-Nonce"],
            hashlib.sha256(raw.encode()).hexdigest(),
        ]
    )
    assert headers["X-Signature"] == hmac.new(KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
    assert request["signature_ok"] and headers["X-App-Id"] == APP_ID
    assert request["body"]["appId"] == APP_ID and request["body"]["messages"] == [MESSAGE]
    assert len(request["body"]["batchId"]) == 32


def test_each_batch_has_its_own_nonce(platform):
    upstream = client(platform.url)
    upstream.send([MESSAGE])
    upstream.send([MESSAGE])
    nonces = {request["headers"]["X-Nonce"] for request in platform.requests}
    assert len(nonces) == 2


def test_a_wrong_key_is_refused_by_the_platform(platform):
    with pytest.raises(UpstreamError, match="HTTP 401"):
        client(platform.url, key="not-the-key").send([MESSAGE])
    assert platform.stored == {}


def test_the_platform_names_the_messages_it_rejects(platform):
    platform.reject = {"evaluation:1": "事项编码不存在"}
    assert client(platform.url).send([MESSAGE]).rejected == {"evaluation:1": "事项编码不存在"}


def test_the_client_needs_a_url_an_app_id_and_a_key():
    with pytest.raises(ImproperlyConfigured):
        UpstreamClient(url="ftp://example", app_id=APP_ID, key=KEY, timeout=1)
    with pytest.raises(ImproperlyConfigured):
        UpstreamClient(url="http://127.0.0.1:9/x", app_id=APP_ID, key="", timeout=1)

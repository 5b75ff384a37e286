"""A provincial platform on loopback: a real HTTP server that checks the signature, keeps every message
and answers like the platforms do. ``bench_province`` pushes to it (bench/province_run.py) and the
upstream tests use it (tests/reporting/test_upstream_*.py); it lives here, not under tests/, so that
the benchmark command imports nothing from the test suite."""

import hmac
import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reporting.upstream.client import UpstreamClient, signature

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
    """The body of a ``platform`` fixture, for each test file to declare its own."""
    server = Platform()
    point_settings_at(settings, server)
    yield server
    server.stop()


def client(url: str, key: str = KEY) -> UpstreamClient:
    return UpstreamClient(url=url, app_id=APP_ID, key=key, timeout=0.5)

"""The provincial platform as the tests see it: a real HTTP server on loopback, started by each test.

It checks the signature, records every request, keeps the first copy of each idempotency key (as the
real platform does, so a resend is no duplicate) and answers as told: ok, 500, slow, malformed JSON,
a refusal of the batch, or the rejection of named messages. The other test_upstream_* files import
``platform`` from here; the tests below are about the client and the signature themselves.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from bench.upstream_platform import APP_ID, KEY, PATH, Platform, client, running_platform
from reporting.upstream.client import UpstreamClient, UpstreamError


@pytest.fixture
def platform(settings) -> Iterator[Platform]:
    yield from running_platform(settings)


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

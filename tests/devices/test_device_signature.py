"""Signed device requests (DESIGN §7): published test vectors, and a 401 with its own code per refusal."""

import hashlib
import hmac
import json
import time
from datetime import timedelta
from uuid import uuid4

import pytest
import time_machine
from django.utils import timezone

from devices.auth import body_digest, sign, signed_headers, string_to_sign
from devices.models import Device
from devices.services.registry import device_register, device_rotate_secret, device_set_active

pytestmark = pytest.mark.django_db

HEARTBEAT = "/api/devices/v1/heartbeat"
PENDING = "/api/devices/v1/pending"

# --- the published vectors: what firmware authors check their implementation against -----------

SECRET = "3f9a1c0e5b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf0246a"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
RATING_BODY = (
    b'{"client_id":"EV-0001-000042","serial_no":"SN-2025-0001","grade":5,"tags":[],"comment":"",'
    b'"rated_at":"2025-10-09T14:30:00+08:00"}'
)
CHINESE_BODY = (
    '{"client_id":"EV-0001-000043","grade":2,"comment":"等候时间太长","rated_at":"2025-10-09T14:31:00+08:00"}'
)
VECTORS = [
    # method, path, timestamp, nonce, body, expected body sha256, expected signature
    (
        "GET", PENDING, "1760000000", "nonce-0001", b"", EMPTY_SHA256,
        "f9d985f1a2e848d05bfe4840aed3759cab3dc7f5e7da2d3fccc399feef4a2162",
    ),
    (
        "POST", "/api/devices/v1/evaluations", "1760000000", "b5e1c0d2a3f44e6f", RATING_BODY,
        "e826f239f44a661d9fd368716d78cd2bb03e750e3ec466e7758c198cfd8bef24",
        "81f0c6575f586686f418ebbf011e476a5af0363a2eb9b8b5c8921a281a41cd1c",
    ),
    (
        # The body is hashed as the UTF-8 bytes sent, Chinese text included.
        "POST", "/api/devices/v1/evaluations", "1760000060", "6f1d2c3b-4a59-4e8f-9d7c-0b1a2c3d4e5f",
        CHINESE_BODY.encode(), "6c28eaad6e7906c1911e48d03308368afa0248ae5718f9a30327f1a63e47d97c",
        "0c96d0f73d4dfd679b67b91bbac845f9a444e097216b198144a7ed94b6d9344d",
    ),
]  # fmt: skip


def reference_signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The recipe of DESIGN §7 written out independently of devices.auth."""
    digest = hashlib.sha256(body).hexdigest()
    message = f"{method}\n{path}\n{timestamp}\n{nonce}\n{digest}"
    return hmac.new(secret.encode("ascii"), message.encode("utf-8"), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(("method", "path", "timestamp", "nonce", "body", "digest", "signature"), VECTORS)
def test_the_signature_matches_the_published_vectors(method, path, timestamp, nonce, body, digest, signature):
    assert body_digest(body) == digest
    assert (
        string_to_sign(method, path, timestamp, nonce, body)
        == f"{method}\n{path}\n{timestamp}\n{nonce}\n{digest}"
    )
    assert reference_signature(SECRET, method, path, timestamp, nonce, body) == signature
    assert sign(SECRET, method, path, timestamp, nonce, body) == signature


def test_signed_headers_carry_the_serial_time_nonce_and_signature():
    headers = signed_headers(
        serial="EV-0001", secret=SECRET, method="GET", path=PENDING, timestamp=1760000000, nonce="nonce-0001"
    )
    assert headers == {
        "X-Device-Id": "EV-0001",
        "X-Timestamp": "1760000000",
        "X-Nonce": "nonce-0001",
        "X-Signature": "f9d985f1a2e848d05bfe4840aed3759cab3dc7f5e7da2d3fccc399feef4a2162",
    }


# --- the server side --------------------------------------------------------------------------


@pytest.fixture
def evaluator(org) -> Device:
    device, _secret = device_register(by=None, serial="EV-0001", window=org["zhanggong"]["window"])
    Device.objects.filter(pk=device.pk).update(secret=SECRET)  # the vectors' secret
    return device


def headers_for(
    method: str,
    path: str,
    body: bytes = b"",
    *,
    serial: str = "EV-0001",
    secret: str = SECRET,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or uuid4().hex
    return {
        "X-Device-Id": serial,
        "X-Timestamp": stamp,
        "X-Nonce": nonce,
        "X-Signature": reference_signature(secret, method, path, stamp, nonce, body),
    }


def beat(client, headers: dict[str, str], body: bytes = b'{"firmware":"2.1.0"}'):
    return client.post(HEARTBEAT, data=body, content_type="application/json", headers=headers)


def refusal(response) -> tuple[int, str, str]:
    assert response["Content-Type"].startswith("application/json")
    first = response.json()["errors"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in first["message"])
    return response.status_code, first["code"], first["field"]


def test_a_request_signed_by_the_recipe_is_accepted(client, evaluator):
    body = b'{"firmware":"2.1.0"}'
    response = beat(client, headers_for("POST", HEARTBEAT, body), body)
    assert response.status_code == 200, response.content
    evaluator.refresh_from_db()
    assert evaluator.firmware == "2.1.0"
    assert evaluator.last_seen_at is not None and evaluator.last_address == "127.0.0.1"


def test_a_get_signs_the_empty_body_and_not_the_query_string(client, evaluator):
    response = client.get(f"{PENDING}?after=1", headers=headers_for("GET", PENDING))
    assert (response.status_code, response.json()) == (200, None)


@pytest.mark.parametrize("header", ["X-Device-Id", "X-Timestamp", "X-Nonce", "X-Signature"])
def test_a_missing_header_is_refused(client, evaluator, header):
    headers = headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}')
    del headers[header]
    assert refusal(beat(client, headers)) == (401, "missing_headers", header)


@pytest.mark.parametrize(("header", "value"), [("X-Timestamp", "1760000000.5"), ("X-Signature", "xyz")])
def test_a_malformed_header_is_refused_as_missing(client, evaluator, header, value):
    headers = {**headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}'), header: value}
    assert refusal(beat(client, headers)) == (401, "missing_headers", header)


def test_an_unknown_device_is_refused(client, evaluator):
    headers = headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}', serial="EV-9999")
    response = beat(client, headers)
    assert refusal(response) == (401, "unknown_device", "X-Device-Id")
    assert response["WWW-Authenticate"] == "Device-HMAC-SHA256"


def test_an_inactive_device_is_refused(client, evaluator):
    device_set_active(by=None, device=evaluator, active=False)
    assert refusal(beat(client, headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}'))) == (
        401,
        "inactive_device",
        "X-Device-Id",
    )


@pytest.mark.parametrize("offset", [-301, 301])
def test_a_timestamp_beyond_300_seconds_is_stale(client, evaluator, offset):
    # The clock stands still: one second's tick between signing and checking would make 301 a legal 300.
    with time_machine.travel(timezone.now(), tick=False):
        headers = headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}', timestamp=int(time.time()) + offset)
        assert refusal(beat(client, headers)) == (401, "stale_timestamp", "X-Timestamp")


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"secret": "0" * 64}, id="wrong-secret"),
        pytest.param({"body": b'{"firmware":"9.9.9"}'}, id="other-body"),
        pytest.param({"path": f"{HEARTBEAT}/"}, id="trailing-slash"),
        pytest.param({"method": "GET"}, id="other-method"),
    ],
)
def test_a_wrong_signature_is_refused(client, evaluator, tamper):
    signed_body = tamper.get("body", b'{"firmware":"2.1.0"}')
    headers = headers_for(
        tamper.get("method", "POST"),
        tamper.get("path", HEARTBEAT),
        signed_body,
        secret=tamper.get("secret", SECRET),
    )
    assert refusal(beat(client, headers)) == (401, "bad_signature", "X-Signature")
    evaluator.refresh_from_db()
    assert evaluator.firmware == "" and evaluator.last_seen_at is None


def test_a_replayed_request_is_refused(client, evaluator):
    headers = headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}')
    assert beat(client, headers).status_code == 200
    assert refusal(beat(client, headers)) == (401, "replayed_nonce", "X-Nonce")


def test_a_forged_request_does_not_burn_the_nonce(client, evaluator):
    nonce = uuid4().hex
    forged = headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}', nonce=nonce, secret="f" * 64)
    assert refusal(beat(client, forged))[1] == "bad_signature"
    assert (
        beat(client, headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}', nonce=nonce)).status_code == 200
    )


def test_a_rotated_secret_invalidates_the_old_one(client, evaluator):
    new_secret = device_rotate_secret(by=None, device=evaluator)
    assert (
        refusal(beat(client, headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}')))[1] == "bad_signature"
    )
    headers = headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}', secret=new_secret)
    assert beat(client, headers).status_code == 200


def test_last_seen_is_written_at_most_every_30_seconds(client, evaluator, django_assert_num_queries):
    recently = timezone.now() - timedelta(seconds=10)
    Device.objects.filter(pk=evaluator.pk).update(last_seen_at=recently, firmware="2.1.0")
    # The device, its nonce (claimed in PostgreSQL, issue 14 point 3), its window, the staff on duty:
    # no write of last_seen_at.
    with django_assert_num_queries(4):
        assert beat(client, headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}')).status_code == 200
    evaluator.refresh_from_db()
    assert evaluator.last_seen_at == recently
    Device.objects.filter(pk=evaluator.pk).update(last_seen_at=timezone.now() - timedelta(seconds=31))
    assert beat(client, headers_for("POST", HEARTBEAT, b'{"firmware":"2.1.0"}')).status_code == 200
    evaluator.refresh_from_db()
    assert timezone.now() - evaluator.last_seen_at < timedelta(seconds=5)


def test_every_refusal_has_the_error_shape(client, evaluator):
    response = client.post(HEARTBEAT, data=json.dumps({}), content_type="application/json")
    assert response.status_code == 401
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["X-Device-Id", "X-Timestamp", "X-Nonce", "X-Signature"]
    assert all(set(e) == {"field", "code", "message"} and e["code"] == "missing_headers" for e in errors)

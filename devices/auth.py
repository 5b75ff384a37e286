"""Signed device requests (DESIGN §7, a fixed contract that evaluator firmware implements).

Every request carries four headers:

- ``X-Device-Id``: the device serial;
- ``X-Timestamp``: unix seconds, within ±300 s of the server clock;
- ``X-Nonce``: a value the device never sends twice (1-128 printable ASCII characters);
- ``X-Signature``: hex HMAC-SHA256 keyed with the device secret (the 64 hex characters exactly as
  printed by ``device register``, used as ASCII bytes, not decoded) over
  ``METHOD + "\\n" + PATH + "\\n" + timestamp + "\\n" + nonce + "\\n" + hex sha256(body)``, where
  PATH is the full request path without query string (``/api/devices/v1/heartbeat``) and an empty
  body hashes as sha256 of zero bytes.

The checks run in the order headers → device → active → timestamp → signature → nonce, so a forged
request is refused before it can burn a nonce. Nonces are remembered in PostgreSQL (``nonces.py``: the
device API keeps working while Redis is down) for twice the clock skew: a replay inside the skew window
finds its nonce, a replay outside it fails the timestamp check.
Each refusal is a 401 with its own code (``missing_headers``, ``unknown_device``, ``inactive_device``,
``stale_timestamp``, ``bad_signature``, ``replayed_nonce``).
"""

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security.base import AuthBase

from evaluations.api.errors import ApiError
from evaluations.http import client_address
from evaluations.refusals import input_error

from .models import Device
from .nonces import nonce_claim

DEVICE_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER = (
    "X-Device-Id",
    "X-Timestamp",
    "X-Nonce",
    "X-Signature",
)
MAX_SKEW_SECONDS = 300
NONCE_TTL_SECONDS = 2 * MAX_SKEW_SECONDS
SEEN_EVERY = timedelta(seconds=30)  # last_seen_at is written at most this often per device
_FORMATS = {
    DEVICE_HEADER: re.compile(r"[\x21-\x7e]{1,64}"),
    TIMESTAMP_HEADER: re.compile(r"[0-9]{1,12}"),
    NONCE_HEADER: re.compile(r"[\x21-\x7e]{1,128}"),
    SIGNATURE_HEADER: re.compile(r"[0-9a-fA-F]{64}"),
}


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join((method.upper(), path, timestamp, nonce, body_digest(body)))


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes = b"") -> str:
    """The hex signature of one request (what the device computes, and what the server expects)."""
    message = string_to_sign(method, path, timestamp, nonce, body).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    *,
    serial: str,
    secret: str,
    method: str,
    path: str,
    body: bytes = b"",
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four headers of a signed request, as a device sends them (used by the simulator and tests)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(16)
    return {
        DEVICE_HEADER: serial,
        TIMESTAMP_HEADER: stamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(secret, method, path, stamp, nonce, body),
    }


class DeviceAuthError(ApiError):
    """A refused device request: 401, rendered in the API's error shape."""

    def __init__(self, code: str, message: str, *, field: str = "", more: list[dict] | None = None) -> None:
        super().__init__(401, code, message, field=field)
        self.errors.extend(more or [])


@dataclass(frozen=True)
class SignedHeaders:
    serial: str
    timestamp: str
    nonce: str
    signature: str


def authenticate(request: HttpRequest) -> Device:
    """The active device that signed ``request``, or DeviceAuthError. Marks the device as seen."""
    headers = _read_headers(request)
    try:
        # One indexed row, no joins: the endpoints load the window or hall they need themselves.
        device = Device.objects.get(serial=headers.serial)
    except Device.DoesNotExist:
        raise DeviceAuthError("unknown_device", _("设备未登记。"), field=DEVICE_HEADER) from None
    if not device.active:
        raise DeviceAuthError("inactive_device", _("设备已停用，请联系大厅管理员。"), field=DEVICE_HEADER)
    if abs(time.time() - int(headers.timestamp)) > MAX_SKEW_SECONDS:
        message = _("请求时间与服务器时间相差超过 %(seconds)d 秒，请校准设备时钟。") % {
            "seconds": MAX_SKEW_SECONDS
        }
        raise DeviceAuthError("stale_timestamp", message, field=TIMESTAMP_HEADER)
    expected = sign(
        device.secret, request.method or "", request.path, headers.timestamp, headers.nonce, request.body
    )
    if not hmac.compare_digest(expected, headers.signature.lower()):
        raise DeviceAuthError("bad_signature", _("签名校验失败。"), field=SIGNATURE_HEADER)
    # One INSERT … ON CONFLICT: of two requests with one nonce, exactly one gets through.
    if not nonce_claim(
        serial=device.serial, nonce=headers.nonce, now=timezone.now(), ttl_seconds=NONCE_TTL_SECONDS
    ):
        raise DeviceAuthError("replayed_nonce", _("该请求已处理过（随机数重复）。"), field=NONCE_HEADER)
    _mark_seen(device, client_address(request))
    return device


def _read_headers(request: HttpRequest) -> SignedHeaders:
    values: dict[str, str] = {}
    errors: list[dict] = []
    for name, pattern in _FORMATS.items():
        value = request.headers.get(name, "").strip()
        if not pattern.fullmatch(value):
            message = _("缺少请求头 %(header)s，或其格式不正确。") % {"header": name}
            errors.append(input_error(name, "missing_headers", message))
        values[name] = value
    if errors:
        first = errors[0]
        raise DeviceAuthError(first["code"], first["message"], field=first["field"], more=errors[1:])
    return SignedHeaders(
        serial=values[DEVICE_HEADER],
        timestamp=values[TIMESTAMP_HEADER],
        nonce=values[NONCE_HEADER],
        signature=values[SIGNATURE_HEADER],
    )


def _mark_seen(device: Device, address: str | None) -> None:
    """Record when and from where the device last called, at most once per SEEN_EVERY.

    The UPDATE is conditional, so requests racing in several workers still write once.
    """
    now = timezone.now()
    if device.last_seen_at is not None and now - device.last_seen_at < SEEN_EVERY:
        return
    stale = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - SEEN_EVERY)
    Device.objects.filter(stale, pk=device.pk).update(last_seen_at=now, last_address=address)
    device.last_seen_at, device.last_address = now, address


class DeviceSignatureAuth(AuthBase):
    """django-ninja auth for the device API; ``request.auth`` is the Device."""

    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = SIGNATURE_HEADER
    openapi_description = (
        "X-Device-Id、X-Timestamp（Unix 秒，±300 秒）、X-Nonce（不重复）与 X-Signature："
        "以设备密钥对 METHOD\\nPATH\\ntimestamp\\nnonce\\nhex(sha256(body)) 做 HMAC-SHA256 的十六进制值。"
    )

    def __call__(self, request: HttpRequest) -> Device:
        return authenticate(request)

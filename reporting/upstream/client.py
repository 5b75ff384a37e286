"""The HTTP client of the upstream platform: one signed POST per batch (docs/upstream.md, "HTTP contract").

Request: ``POST UPSTREAM_URL`` with a JSON body
``{"appId", "batchId", "messages": [{"idempotencyKey", "type", "createdAt", "data": {...}}]}`` and the
headers ``X-App-Id``, ``X-Timestamp`` (unix seconds), ``X-Nonce`` (random, never reused) and
``X-Signature`` = hex HMAC-SHA256(UPSTREAM_KEY, METHOD + "\\n" + PATH + "\\n" + appId + "\\n" +
timestamp + "\\n" + nonce + "\\n" + hex sha256(body)), PATH being the URL's path without the query.

Answer: HTTP 2xx with ``{"code": 0}`` (or ``"0"``) takes the whole batch; ``"rejected": [{"idempotencyKey",
"message"}]`` names messages refused one by one. Anything else — another status, a timeout, a body that
is not such JSON — fails the batch, which is sent again later with the same idempotency keys: the
platform keeps the first copy of each key and answers success for a repeat, so a resend never
duplicates a message upstream.
"""

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from evaluations.http_post import post

# Enough for the answer to a batch of a few hundred messages; more means something is wrong.
MAX_ANSWER_BYTES = 1024 * 1024


class UpstreamError(Exception):
    """The batch was not taken; the text (short, Chinese, for the admin list) says why."""


@dataclass
class BatchAnswer:
    rejected: dict[str, str] = field(default_factory=dict)  # idempotency key -> the platform's reason


def signature(
    *, key: str, method: str, path: str, app_id: str, timestamp: str, nonce: str, body: bytes
) -> str:
    text = "\n".join([method.upper(), path, app_id, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


class UpstreamClient:
    def __init__(self, *, url: str, app_id: str, key: str, timeout: float) -> None:
        if not url.startswith(("http://", "https://")) or not app_id or not key:
            raise ImproperlyConfigured(
                "the upstream push needs UPSTREAM_URL (http:// or https://), UPSTREAM_APP_ID and UPSTREAM_KEY"
            )
        self.url, self.app_id, self.key, self.timeout = url, app_id, key, float(timeout)
        self.path = urllib.parse.urlsplit(url).path or "/"

    @classmethod
    def from_settings(cls) -> "UpstreamClient":
        return cls(
            url=settings.UPSTREAM_URL,
            app_id=settings.UPSTREAM_APP_ID,
            key=settings.UPSTREAM_KEY,
            timeout=settings.UPSTREAM_TIMEOUT,
        )

    def send(self, messages: list[dict[str, Any]]) -> BatchAnswer:
        body, headers = self.signed(messages)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        return answer_of(self._post(request))

    def signed(self, messages: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
        """The body of a batch and its signed headers."""
        body = json.dumps(
            {"appId": self.app_id, "batchId": uuid.uuid4().hex, "messages": messages},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-App-Id": self.app_id,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": signature(
                key=self.key,
                method="POST",
                path=self.path,
                app_id=self.app_id,
                timestamp=timestamp,
                nonce=nonce,
                body=body,
            ),
        }
        return body, headers

    def _post(self, request: urllib.request.Request) -> bytes:
        return post(
            request, timeout=self.timeout, peer=_("省级平台"), max_bytes=MAX_ANSWER_BYTES, error=UpstreamError
        )


def answer_of(raw: bytes) -> BatchAnswer:
    try:
        answer = json.loads(raw)
    except ValueError as exc:  # also bytes that are not UTF-8
        raise UpstreamError(_("省级平台应答不是有效的 JSON")) from exc
    if not isinstance(answer, dict) or "code" not in answer:
        raise UpstreamError(_("省级平台应答缺少 code"))
    if str(answer["code"]) != "0":
        reason = str(answer.get("message") or answer.get("msg") or "")[:200]
        raise UpstreamError(
            _("省级平台拒收本批消息（code %(code)s）：%(reason)s")
            % {"code": answer["code"], "reason": reason}
        )
    rejected: dict[str, str] = {}
    for item in answer.get("rejected") or []:
        if isinstance(item, dict) and item.get("idempotencyKey"):
            rejected[str(item["idempotencyKey"])] = str(item.get("message") or _("未说明原因"))[:300]
    return BatchAnswer(rejected=rejected)

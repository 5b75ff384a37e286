"""Where an outbox row goes when it is sent; ``settings.SMS_BACKEND`` names the class (a dotted path).

A backend's ``send`` returns the provider's id for the message or raises ``SmsSendError``; it never
touches the outbox row, which ``services.sms.sms_send_due`` updates in the same transaction.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .crypto import mask_phone
from .http_post import post
from .models import SmsMessage

logger = logging.getLogger(__name__)

# Enough for any sensible answer; a gateway that streams more is misbehaving.
MAX_ANSWER_BYTES = 64 * 1024


class SmsSendError(Exception):
    """The message was not accepted; the text (short, for the admin list) says why."""


class SmsBackend:
    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    """Writes the message to the log (phone and citizen link masked: logs are read by operators, and
    the link is the citizen's authority) and reports it sent."""

    def send(self, message: SmsMessage) -> str:
        logger.info("SMS %s to %s: %s", message.pk, mask_phone(message.phone), message.masked_body)
        return f"console-{message.pk}"


class DatabaseBackend(SmsBackend):
    """For development: the outbox row is the only record; sending always succeeds."""

    def send(self, message: SmsMessage) -> str:
        return f"db-{message.pk}"


class HttpGatewayBackend(SmsBackend):
    """POSTs ``{"id", "phone", "content"}`` as JSON with a Bearer key; a 2xx answer with an "id" is success.

    The outbox id lets the gateway drop a resend of a message it already accepted (a worker that dies
    between the gateway's answer and its commit sends the row again).
    """

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        self.key = settings.SMS_GATEWAY_KEY
        self.timeout = float(settings.SMS_GATEWAY_TIMEOUT)
        if not self.url.startswith(("http://", "https://")) or not self.key:
            raise ImproperlyConfigured(
                "HttpGatewayBackend needs SMS_GATEWAY_URL (http:// or https://) and SMS_GATEWAY_KEY"
            )

    def send(self, message: SmsMessage) -> str:
        payload = {"id": message.pk, "phone": message.phone, "content": message.body}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.key}",
            },
            method="POST",
        )
        return _provider_id(self._post(request))

    def _post(self, request: urllib.request.Request) -> bytes:
        return post(
            request, timeout=self.timeout, peer=_("短信网关"), max_bytes=MAX_ANSWER_BYTES, error=SmsSendError
        )


def _provider_id(raw: bytes) -> str:
    try:
        answer = json.loads(raw)
    except ValueError as exc:  # also covers bytes that are not UTF-8
        raise SmsSendError(_("短信网关应答不是有效的 JSON")) from exc
    provider_id = answer.get("id") if isinstance(answer, dict) else None
    if provider_id in (None, "") or isinstance(provider_id, bool | dict | list):
        raise SmsSendError(_("短信网关应答缺少 id"))
    return str(provider_id)[:100]


def get_backend() -> SmsBackend:
    """A fresh instance of the configured backend (settings are read now, so tests can override them)."""
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class()

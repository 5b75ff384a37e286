"""What "Redis is down" looks like to the code, and how a page says so (issue 14 point 3).

Redis holds only what can be lost or recomputed (rate-limit counters, the dashboard's burst memo,
the Celery queue); the database is the source of truth. Callers that can do without Redis catch
OUTAGE_ERRORS themselves and carry on; what truly needs it (queueing a job) lets the error rise and
``UnavailableMiddleware`` answers 503 with a Retry-After instead of a 500: JSON under /api/, the
Chinese page ``503.html`` elsewhere. The ninja APIs answer through ``api/errors.py`` the same way.
"""

import logging
from collections.abc import Callable

import redis.exceptions
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# A refused or timed-out connection to Redis, through the cache (redis-py) or Celery (kombu).
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    BrokerError,
)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_CODE = "temporarily_unavailable"


def unavailable_message() -> str:
    return _("系统的缓存与队列服务暂时不可用，请稍后重试；已经提交的评价不受影响。")


def unavailable_json() -> JsonResponse:
    error = {"field": "", "code": UNAVAILABLE_CODE, "message": unavailable_message()}
    response = JsonResponse({"errors": [error]}, status=503, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_page(request: HttpRequest) -> HttpResponse:
    body = render_to_string("503.html", {"message": unavailable_message()}, request=request)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class UnavailableMiddleware:
    """Turn an outage that reached a view into a 503 (never a 500), logged once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, OUTAGE_ERRORS):
            return None
        logger.warning("503 on %s %s: %s: %s", request.method, request.path, type(exc).__name__, exc)
        if request.path.startswith("/api/"):
            return unavailable_json()
        return unavailable_page(request)

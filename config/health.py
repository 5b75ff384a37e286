"""``/healthz``: is the database reachable, is Redis reachable? 200 when both are, 503 otherwise.

Anyone (a load balancer, the compose probe) gets the status only; the checks and their errors, which
name hosts and ports, are for staff who are logged in and for callers that send ``HEALTHZ_TOKEN`` as
``Authorization: Bearer <token>`` (monitoring).
"""

import hmac

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not reachable"; the message says which
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_redis() -> str | None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "redis": _check_redis()}
    body: dict[str, object] = {
        name: {"ok": error is None, **({"error": error} if error else {})} for name, error in checks.items()
    }
    healthy = all(error is None for error in checks.values())
    status = "ok" if healthy else "unavailable"
    if not _may_see_details(request):
        return JsonResponse({"status": status}, status=200 if healthy else 503)
    body["status"] = status
    return JsonResponse(body, status=200 if healthy else 503)


def _may_see_details(request: HttpRequest) -> bool:
    if getattr(request.user, "is_staff", False):
        return True
    token = settings.HEALTHZ_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)

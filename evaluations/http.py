"""Request plumbing shared by every app: the client's address, and fixed-window counters in Redis."""

import ipaddress
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User

logger = logging.getLogger(__name__)


class AuthedRequest(HttpRequest):
    """The request a view behind ``login_required`` or ``role_required`` receives.

    For annotations only (django-stubs' pattern): Django types ``request.user`` as ``User |
    AnonymousUser``, and behind a login it is always our ``User``.
    """

    user: "User"


class HtmxRequest(AuthedRequest):
    """For annotations: a logged-in view that also answers htmx (``HtmxMiddleware`` sets ``htmx``)."""

    htmx: "HtmxDetails"


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address our own proxy appended to X-Forwarded-For when we sit behind one.

    The right-most entry is the one the trusted proxy added; entries to its left come from the client.
    """
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            candidates.insert(0, forwarded.split(",")[-1].strip())
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def count_hit(key: str, seconds: int, delta: int = 1) -> int:
    """Add ``delta`` to the fixed-window counter ``key`` and return it (0 when Redis is unreachable)."""
    try:
        cache.add(key, 0, seconds)
        count = cache.incr(key, delta)
        if count == delta:
            # The key may have expired between add and incr and been recreated without an expiry.
            cache.touch(key, seconds)
        return count
    except ValueError:  # expired between add and incr (non-Redis backends)
        cache.set(key, delta, seconds)
        return delta
    except Exception:  # Redis unreachable: fail open, see the module docstring
        logger.warning("rate-limit counter %s unavailable", key, exc_info=True)
        return 0

"""Abuse protection for the public rating pages, counted in Redis through Django's cache.

Two different things happen here (DESIGN §9):

* a **limit**: every POST counts against the client address (settings.CITIZEN_ADDRESS_LIMIT per
  10 minutes) and against the case or window token (see TOKEN_LIMITS); beyond it the page
  answers 429 and nothing is written;
* a **burst flag**: an accepted rating that arrives in a burst (more than 5 for one window within
  2 minutes, or more than 3 from one address) is still written, with ``flag_reason`` set, so the
  office can review it instead of a real citizen losing their rating.

Counters are fixed windows: ``cache.add(key, 0, ttl)`` then ``cache.incr`` (atomic INCR in Redis,
which keeps the key's expiry). When Redis cannot be reached the pages fail open and log it: a
citizen's rating matters more than the limit, and the database remains the source of truth.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .http import client_address, count_hit

LIMIT_SECONDS = 10 * 60
# A case token is used by one applicant; a window's static QR by everyone served there, so its
# limit must sit above the burst threshold below, or a burst could never be seen, only refused.
# A questionnaire's link (questionnaires, /s/<token>/) is shared with a whole town, so its limit is the
# widest; the address limit still holds each phone to the same allowance as on the rating pages.
TOKEN_LIMITS = {"case": 5, "window": 30, "survey": 300}

BURST_SECONDS = 2 * 60
WINDOW_BURST = 5


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def over_limit(request: HttpRequest, *, kind: str, token: str) -> bool:
    """Count this POST; True when the address or the token has used up its allowance."""
    address = client_address(request) or "unknown"
    by_address = count_hit(f"citizen:rl:addr:{address}", LIMIT_SECONDS)
    by_token = count_hit(f"citizen:rl:{kind}:{_digest(token)}", LIMIT_SECONDS)
    return by_address > settings.CITIZEN_ADDRESS_LIMIT or by_token > TOKEN_LIMITS[kind]


@dataclass
class Burst:
    """The flag for a rating about to be written; ``cancel()`` when it was not written after all."""

    reason: str = ""
    keys: list[tuple[str, int]] = field(default_factory=list)

    def cancel(self) -> None:
        for key, seconds in self.keys:
            count_hit(key, seconds, delta=-1)
        self.keys = []


def burst_check(request: HttpRequest, *, window_token: str | None = None) -> Burst:
    """Count one accepted rating for the address (and the window of a static QR); say if it is a burst."""
    burst = Burst()
    reasons = []
    if window_token is not None:
        key = f"citizen:burst:window:{_digest(window_token)}"
        burst.keys.append((key, BURST_SECONDS))
        if count_hit(key, BURST_SECONDS) > WINDOW_BURST:
            reasons.append(_("同一窗口 2 分钟内评价超过 %(n)d 次") % {"n": WINDOW_BURST})
    address = client_address(request) or "unknown"
    key = f"citizen:burst:addr:{address}"
    burst.keys.append((key, BURST_SECONDS))
    if count_hit(key, BURST_SECONDS) > settings.CITIZEN_ADDRESS_BURST:
        reasons.append(_("同一地址 2 分钟内评价超过 %(n)d 次") % {"n": settings.CITIZEN_ADDRESS_BURST})
    burst.reason = "；".join(reasons)
    return burst

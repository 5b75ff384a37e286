"""A per-address request limit for the public pages (DESIGN §9), on the citizen pages' Redis counters.

Reading is cheap and cached downstream, so the allowance is generous (settings.PUBLIC_ADDRESS_LIMIT
requests per minute); beyond it the page answers 429 in Chinese. Redis down: the pages stay open.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evaluations.http import client_address, count_hit

WINDOW_SECONDS = 60


def throttled(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        address = client_address(request) or "unknown"
        if count_hit(f"public:rl:{address}", WINDOW_SECONDS) > settings.PUBLIC_ADDRESS_LIMIT:
            response = render(request, "public/throttled.html", status=429)
            response["Retry-After"] = str(WINDOW_SECONDS)
            return response
        return view(request, *args, **kwargs)

    return wrapped

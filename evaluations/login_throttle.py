"""Login throttling with django-axes (settings: AXES_*): a username tried from one address is locked
after AXES_FAILURE_LIMIT wrong passwords for AXES_COOLOFF_TIME; the lockout page is
templates/registration/locked_out.html, and an administrator unlocks in the admin (访问尝试)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_STATUS = 429  # Too Many Requests, as axes answers by default


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for every login that comes with a request (the login page, the admin's).

    ``authenticate()`` without a request (``Client.login`` in tests, a shell) has no address to lock
    and is no form anyone can reach, so it is let through to the next backend instead of raising
    ``AxesBackendRequestParameterRequired``.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The Chinese lockout page (AXES_LOCKOUT_CALLABLE), for the login form and the admin's alike."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=LOCKED_STATUS)

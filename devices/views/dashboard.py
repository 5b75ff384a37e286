"""The hall dashboard (/devices/) and registering, re-keying and retiring devices from it.

A new secret is rendered straight into the response of the POST that made it (never stored in the
session or a message cookie, never cached): leaving or reloading that page is the end of it.
Each action writes an entry in the admin history of the device, next to the admin's own.
"""

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluations.http import AuthedRequest, HtmxRequest
from evaluations.models import Window
from evaluations.scope import visible_to

from .. import selectors
from ..access import get_device_for_user, get_hall_for_user, halls_for_user, managers_only
from ..forms import ActiveForm, DeviceRegisterForm
from ..models import Device
from ..qr import public_url
from ..services.registry import device_register, device_rotate_secret, device_set_active

REFRESH_SECONDS = 30


def _partial(request: HtmxRequest) -> bool:
    """An htmx refresh of the list (not a history restore, which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@managers_only
@require_GET
def dashboard(request: HtmxRequest) -> HttpResponse:
    halls = list(halls_for_user(request.user))
    code = request.GET.get("hall", "")
    hall = get_hall_for_user(request, code) if code else (halls[0] if halls else None)
    board = selectors.hall_dashboard(request.user, hall, timezone.now()) if hall else None
    context = {
        "halls": halls,
        "board": board,
        "refresh_seconds": REFRESH_SECONDS,
        "offline_minutes": settings.DEVICE_OFFLINE_MINUTES,
    }
    template = "devices/_dashboard.html" if _partial(request) else "devices/dashboard.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@managers_only
@require_http_methods(["GET", "POST"])
def register(request: AuthedRequest, hall_code: str) -> HttpResponse:
    hall = get_hall_for_user(request, hall_code)
    windows = visible_to(request.user, Window.objects.filter(hall=hall, active=True)).order_by("code")
    form = DeviceRegisterForm(
        request.POST or None, windows=windows, initial={"window": request.GET.get("window")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device, secret = device_register(
                by=request.user,
                serial=data["serial"],
                window=data["window"],
                hall=hall,
                kind=data["kind"],
                note=_("在大厅设备页登记"),
            )
        except IntegrityError:  # registered by someone else a moment ago
            form.add_error("serial", _("序列号为 %(serial)s 的设备已经登记过。") % {"serial": data["serial"]})
        else:
            return _secret_page(request, device, secret, rotated=False)
    return render(request, "devices/register.html", {"form": form, "hall": hall})


@managers_only
@require_http_methods(["GET", "POST"])
def rotate(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (the old secret stops working at once); POST makes and shows the new one."""
    device = get_device_for_user(request, pk)
    if request.method == "GET":
        return render(request, "devices/rotate_confirm.html", {"device": device})
    secret = device_rotate_secret(by=request.user, device=device, note=_("在大厅设备页更换密钥"))
    return _secret_page(request, device, secret, rotated=True)


@managers_only
@require_POST
def set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    device = get_device_for_user(request, pk)
    form = ActiveForm(request.POST)
    if form.is_valid():
        active = form.cleaned_data["active"]
        device_set_active(by=request.user, device=device, active=active)
        text = _("已启用设备 %(serial)s。") if active else _("已停用设备 %(serial)s，它的请求将被拒绝。")
        messages.success(request, text % {"serial": device.serial})
    return redirect(f"{reverse('devices:dashboard')}?{urlencode({'hall': device.hall.code})}")


def _secret_page(request: AuthedRequest, device: Device, secret: str, *, rotated: bool) -> HttpResponse:
    context = {
        "device": device,
        "secret": secret,
        "rotated": rotated,
        "api_base": public_url("/api/devices/v1/"),
    }
    response = render(request, "devices/secret.html", context)
    add_never_cache_headers(response)  # Cache-Control: no-store and friends
    return response

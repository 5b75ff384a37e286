"""QR code images and the A4 print sheet of a hall; the per-case code for business systems.

Window codes are behind a login (they are printed by hall staff, and the list of a hall's codes is
not public) although each only encodes a public URL. The per-case code is for business systems: the
records-API key (``Authorization: Bearer``) and its region scope, errors in the API's JSON shape.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from evaluations.api.auth import records_of
from evaluations.http import AuthedRequest
from evaluations.models import ApiKey, Window
from evaluations.refusals import input_error
from evaluations.scope import visible_to

from .. import qr
from ..access import get_hall_for_user, get_window_for_user, managers_only

CARDS_PER_PAGE = 6  # 2 columns x 3 rows on A4
_TRAILING_NUMBER = re.compile(r"(\d+)$")


@dataclass
class Card:
    window: Window
    number: str
    svg: SafeString


def window_number(window: Window) -> str:
    """The number on the counter: the trailing digits of the window code ("W-CITY-07" -> "7")."""
    found = _TRAILING_NUMBER.search(window.code)
    return str(int(found.group(1))) if found else window.code


@login_required
@require_GET
def window_code(request: AuthedRequest, code: str, fmt: qr.Format) -> HttpResponse:
    window = get_window_for_user(request, code)
    response = _image(qr.render(qr.window_url(window), fmt), fmt, f"{window.code}.{fmt}")
    response["Cache-Control"] = "private, max-age=300"
    return response


@managers_only
@require_GET
def hall_sheet(request: AuthedRequest, code: str) -> HttpResponse:
    hall = get_hall_for_user(request, code)
    windows = visible_to(request.user, Window.objects.filter(hall=hall, active=True)).order_by("code")
    cards = [
        # segno writes the SVG itself (numbers and path data only), so it is safe to embed as is.
        Card(window, window_number(window), mark_safe(qr.inline_svg(qr.window_url(window))))
        for window in windows
    ]
    pages = [cards[start : start + CARDS_PER_PAGE] for start in range(0, len(cards), CARDS_PER_PAGE)]
    return render(request, "devices/print_sheet.html", {"hall": hall, "pages": pages, "count": len(cards)})


@require_GET
def case_code(request: HttpRequest, serial_no: str, fmt: qr.Format) -> HttpResponse:
    key = _bearer_key(request)
    if key is None:
        message = _("缺少有效的接口密钥（Authorization: Bearer <密钥>）。")
        response: HttpResponse = _errors(401, "unauthorized", message)
        response["WWW-Authenticate"] = "Bearer"
        return response
    record = records_of(key).filter(serial_no=serial_no).first()
    if record is None:
        return _errors(404, "not_found", _("办件不存在，或不在该接口密钥的范围内。"), field="serial_no")
    response = _image(qr.render(qr.case_url(record), fmt), fmt, f"{record.serial_no}.{fmt}")
    response["Cache-Control"] = "no-store"
    return response


def _bearer_key(request: HttpRequest) -> ApiKey | None:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return ApiKey.authenticate(token.strip())


def _image(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=qr.CONTENT_TYPES[fmt])
    safe_name = re.sub(r"[^\w.-]", "_", filename, flags=re.ASCII)
    response["Content-Disposition"] = f'inline; filename="{safe_name}"'
    return response


def _errors(status: int, code: str, message: str, *, field: str = "") -> JsonResponse:
    return JsonResponse({"errors": [input_error(field, code, message)]}, status=status,
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip

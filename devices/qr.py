"""QR codes (segno) for the citizen rating pages: the static code of a window and the code of one case.

A code only encodes a public URL: ``PUBLIC_BASE_URL`` + ``/r/w/<window qr_token>/`` on the counter,
``PUBLIC_BASE_URL`` + ``/r/<case token>/`` on the receipt. Error correction M (segno raises it when the
symbol has room) survives a scuffed or partly covered sticker; the 4-module quiet zone is the standard.
"""

import io
from typing import Literal

import segno
from django.conf import settings
from django.urls import reverse

from evaluations.models import ServiceRecord, Window
from evaluations.tokens import case_token

Format = Literal["svg", "png"]
CONTENT_TYPES: dict[str, str] = {"svg": "image/svg+xml", "png": "image/png"}
ERROR_LEVEL = "m"
BORDER = 4
# On the print sheet the card's own white margin (>= 2 modules more) completes the 4-module quiet zone,
# so the code itself gets the room.
SHEET_BORDER = 2
SVG_SCALE = 8  # user units per module; the SVG is scalable anyway
PNG_SCALE = 10  # pixels per module: a 33-module code is 410 px, sharp when printed at 35 mm
SVG_TITLE = "扫码评价"


def public_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def window_url(window: Window) -> str:
    """What the static code on the counter encodes."""
    return public_url(reverse("citizen:window_rate", args=[window.qr_token]))


def case_url(record: ServiceRecord) -> str:
    """What the code on a receipt encodes (the same signed link the SMS carries)."""
    return public_url(reverse("citizen:case_rate", args=[case_token(record)]))


def make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def render(url: str, fmt: Format) -> bytes:
    """The code for ``url`` as a standalone SVG document or a PNG image."""
    out = io.BytesIO()
    if fmt == "svg":
        make(url).save(out, kind="svg", scale=SVG_SCALE, border=BORDER, title=SVG_TITLE, light="#fff")
    else:
        make(url).save(out, kind="png", scale=PNG_SCALE, border=BORDER)
    return out.getvalue()


def inline_svg(url: str) -> str:
    """An ``<svg>`` element for an HTML page (the print sheet); sized by CSS, no XML declaration."""
    return make(url).svg_inline(scale=SVG_SCALE, border=SHEET_BORDER, omitsize=True, light="#fff")

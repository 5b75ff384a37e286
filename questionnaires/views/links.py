"""The public link of a questionnaire and its QR code (devices.qr draws every QR code of the product)."""

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from devices import qr

from ..models import Questionnaire


def public_link(questionnaire: Questionnaire) -> str:
    """What the QR code encodes and the office sends: PUBLIC_BASE_URL + /s/<token>/."""
    return qr.public_url(reverse("survey:answer", args=[questionnaire.token]))


def qr_svg(questionnaire: Questionnaire) -> SafeString:
    # segno writes the SVG itself (numbers and path data only), so it is safe to embed as is.
    return mark_safe(qr.inline_svg(public_link(questionnaire)))

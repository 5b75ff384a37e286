"""The signed per-case link printed on the receipt and sent by SMS: ``/r/<case token>/``.

A token is the record id in base 36, a dot and an HMAC-SHA256 of it (Django's ``Signer`` with a
salt of our own), about 50 URL-safe characters. It carries no expiry: the link stops working when
the case's evaluation window closes (``ServiceRecord.rating_deadline``), which the page checks.
Rotating ``SECRET_KEY`` would retire printed receipts, so keep the old key in
``SECRET_KEY_FALLBACKS`` until their windows have closed.
"""

from django.core import signing
from django.utils.http import base36_to_int, int_to_base36

from .models import ServiceRecord

CASE_SALT = "haochaping.citizen.case-link"
_signer = signing.Signer(salt=CASE_SALT, sep=".")


def case_token(record: ServiceRecord) -> str:
    return _signer.sign(int_to_base36(record.pk))


def record_for_token(token: str) -> ServiceRecord | None:
    """The case a token names, or None when the token is malformed, tampered with or unknown."""
    try:
        pk = base36_to_int(_signer.unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return (
        ServiceRecord.objects.select_related("matter", "department", "window__hall", "staff")
        .filter(pk=pk)
        .first()
    )

"""Field encryption at rest (Fernet, key FIELD_ENCRYPTION_KEY) and masking for display."""

import re
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "cannot decrypt: FIELD_ENCRYPTION_KEY differs from the one the value was written with"
        ) from exc


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; reads give back the plain text ("" stays "")."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def mask_phone(phone: str) -> str:
    """138****1234; short or odd values keep only their last two characters."""
    digits = phone.strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 2, 0) + digits[-2:] if digits else ""


# The signed citizen links SMS carry (/r/<id>.<signature>/, /r/revisit/<id>.<signature>/): whoever
# holds one may rate or answer a revisit in the citizen's name, so staff see the signature masked.
_SIGNED_LINK_IN_TEXT = re.compile(r"(/r/(?:revisit/)?[0-9a-z]+\.)[A-Za-z0-9_-]+")
SIGNATURE_MASK = "******"


def mask_signed_links(text: str) -> str:
    """``text`` with the signature of every citizen link replaced by ``******`` (the link then opens
    the "link not valid" page); only the citizen's phone receives the real link."""
    return _SIGNED_LINK_IN_TEXT.sub(rf"\g<1>{SIGNATURE_MASK}", text or "")


def mask_identity(number: str) -> str:
    """An ID card or credit code with only its first 3 and last 4 characters shown."""
    value = number.strip()
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; company names keep their first two and last two characters."""
    value = name.strip()
    if len(value) <= 1:
        return value
    if len(value) > 6:
        return f"{value[:2]}{'*' * (len(value) - 4)}{value[-2:]}"
    return value[0] + "*" * (len(value) - 1)

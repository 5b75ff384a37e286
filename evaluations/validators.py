"""Validators for national identifiers and mainland phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code uses 31 characters (no I, O, Z, S, V)
# and ends with a check character computed from the first 17.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    if len(value) != 18 or any(ch not in USCC_CHARSET for ch in value):
        raise ValidationError(
            _("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。"), code="uscc_format"
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确。"), code="uscc_checksum")


# Mainland numbers as people write them: a mobile (11 digits from 13-19, optionally +86 / 86), or a
# landline with its area code (0 and 2-3 digits, then 7-8 digits, an optional extension after - or
# 转), or a local landline of 7-8 digits. Spaces, and hyphens between digit groups, are allowed.
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?")


def normalize_phone(value: str) -> str:
    """A mobile as its 11 digits, a landline as written without spaces; "" stays "".

    Raises ValidationError for anything else ("call me maybe", too few digits, letters)."""
    compact = re.sub(r"\s", "", value)
    if not compact:
        return ""
    if mobile := _MOBILE.fullmatch(compact.replace("-", "")):
        return mobile.group(1)
    if _LANDLINE.fullmatch(compact):
        return compact
    raise ValidationError(
        _("请填写正确的电话号码：11 位手机号，或固定电话（如 0797-8123456）。"), code="phone_format"
    )

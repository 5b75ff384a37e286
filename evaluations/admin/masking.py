"""Free text in the admin with its phone, ID and bank-card numbers masked (evaluations/pii.py).

The admin has no logged reveal: whoever needs the number as written uses the work-order page's
显示完整文字, which writes the look to the timeline.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin

from ..pii import mask_text


def masked_text(field: str, description: Any) -> Callable[[Any, Any], str]:
    """A read-only admin column or field showing ``field`` masked; use it in place of ``field``."""

    @admin.display(description=description)
    def show(self: Any, obj: Any) -> str:
        return mask_text(getattr(obj, field))

    show.__name__ = f"masked_{field}"
    return show

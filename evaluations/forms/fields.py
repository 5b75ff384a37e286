"""Form fields shared by the desk, citizen, review and work-order forms."""

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from ..text import has_nul, strip_controls

# Django's own Chinese message for this validator reads "empty string not allowed" (不允许是用空字符串).
NUL_MESSAGE = _("不能包含空字符（NUL），请删除后重新输入。")


class FreeTextField(forms.CharField):
    """A CharField for what a person wrote: control characters other than tab, line feed and CR are
    stripped (issue 14 point 2; evaluations/text.py says why). NUL is left in place for Django's
    ProhibitNullCharactersValidator, which every CharField runs, to refuse (with a clearer message)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            ProhibitNullCharactersValidator(message=NUL_MESSAGE)
            if isinstance(v, ProhibitNullCharactersValidator)
            else v
            for v in self.validators
        ]

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None or has_nul(text):  # None only with empty_value=None
            return text
        text = strip_controls(text)
        return text.strip() if self.strip else text

"""Form fields shared by the desk, citizen, review and work-order forms."""

from typing import Any

from django import forms

from ..text import has_nul, strip_controls


class FreeTextField(forms.CharField):
    """A CharField for what a person wrote: control characters other than tab, line feed and CR are
    stripped (issue 14 point 2; evaluations/text.py says why). NUL is left in place for Django's
    ProhibitNullCharactersValidator, which every CharField runs, to refuse with its own message."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if has_nul(text):
            return text
        text = strip_controls(text)
        return text.strip() if self.strip else text

"""One form field for every page that asks for a period (dashboard, rankings, circulars, revisits): it
parses with ``Period.parse`` and checks the kinds and the end the page needs, each with its Chinese
message beside the field."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone

from .periods import Period, PeriodError

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


class PeriodField(forms.CharField):
    """A text box holding 2026-10, 2026-Q4 or 2026; cleans to a ``Period`` (or ``default()`` when empty).

    ``messages`` may name "invalid" (not a period; else the parser's own words), "kind" (a period of
    another kind than ``kinds``) and "not_ended" (with ``ended=True``: the period has not ended yet).
    """

    def __init__(
        self,
        *,
        kinds: Iterable[str] = ("month", "quarter", "year"),
        ended: bool = False,
        default: Callable[[], Period] | None = None,
        messages: "dict[str, StrOrPromise] | None" = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("required", default is None)
        super().__init__(**kwargs)
        self.kinds, self.ended, self.default = frozenset(kinds), ended, default
        self.messages = messages or {}

    def clean(self, value) -> Period | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return self.default() if self.default else None
        try:
            period = Period.parse(text)
        except PeriodError as error:
            raise forms.ValidationError(
                self.messages.get("invalid", str(error)), code="invalid_period"
            ) from error
        if period.kind not in self.kinds:
            raise forms.ValidationError(
                self.messages.get("kind", self.messages.get("invalid", "")), code="kind"
            )
        if self.ended and period.last >= timezone.localdate():
            raise forms.ValidationError(self.messages["not_ended"], code="not_ended")
        return period

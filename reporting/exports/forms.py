"""The export request form: what, which format, which dates (at most a year)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models import ExportJob

from .run import MAX_DAYS, date_out_of_range

DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式应为 YYYY-MM-DD，例如 2026-10-01。")}


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("导出内容"),
        choices=ExportJob.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择导出内容。"), "invalid_choice": _("请选择导出内容。")},
    )
    file_format = forms.ChoiceField(
        label=_("格式"),
        choices=ExportJob.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择导出格式。"), "invalid_choice": _("请选择导出格式。")},
    )
    date_from = forms.DateField(
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            last_month_end = today.replace(day=1) - dt.timedelta(days=1)
            self.initial.update(
                kind=ExportJob.Kind.EVALUATIONS,
                file_format=ExportJob.Format.XLSX,
                date_from=last_month_end.replace(day=1),
                date_to=last_month_end,
            )

    def clean_date_from(self) -> dt.date:
        return self._in_range(self.cleaned_data["date_from"])

    def clean_date_to(self) -> dt.date:
        return self._in_range(self.cleaned_data["date_to"])

    @staticmethod
    def _in_range(day: dt.date) -> dt.date:
        error = date_out_of_range(day)
        if error:
            raise forms.ValidationError(error)
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns (its stub allows None for overrides)
        first, last = data.get("date_from"), data.get("date_to")
        if first and last:
            if last < first:
                self.add_error("date_to", _("截止日期不能早于起始日期。"))
            elif (last - first).days + 1 > MAX_DAYS:
                self.add_error(
                    "date_to", _("一次最多导出 %(n)d 天的数据，请缩小日期范围。") % {"n": MAX_DAYS}
                )
        return data

"""Forms of the revisit pages: the quarterly draw and the result of one call."""

from decimal import Decimal
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.forms.fields import FreeTextField
from evaluations.models import Region, User
from evaluations.scope import visible_to
from reporting.models import RevisitCall
from reporting.period_field import PeriodField
from reporting.periods import Period


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.code}）"


class DrawForm(forms.Form):
    region = RegionChoiceField(
        label=_("抽样区划"),
        queryset=Region.objects.none(),
        error_messages={"required": _("请选择抽样区划。"), "invalid_choice": _("请选择您管辖范围内的区划。")},
    )
    quarter = PeriodField(
        label=_("季度"),
        max_length=7,
        help_text=_("格式 YYYY-Qn，例如 2026-Q3"),
        error_messages={"required": _("请填写要抽样的季度。")},
        kinds=["quarter"],
        ended=True,
        messages={
            "invalid": _("季度格式应为 YYYY-Qn，例如 2026-Q3。"),
            "not_ended": _("只能对已经结束的季度抽样。"),
        },
    )
    percent = forms.DecimalField(
        label=_("抽样比例（%）"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("留空则按本区划评价规则的比例"),
        error_messages={
            "invalid": _("抽样比例应为数字，例如 5。"),
            "max_digits": _("抽样比例应在 0.01 到 100 之间。"),
            "max_decimal_places": _("抽样比例最多保留两位小数。"),
            "max_whole_digits": _("抽样比例应在 0.01 到 100 之间。"),
        },
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = cast(RegionChoiceField, self.fields["region"])  # declared above
        region.queryset = visible_to(user, Region.objects.filter(level__lte=Region.Level.COUNTY))
        if not self.is_bound:
            last = Period.quarter_of(timezone.localdate()).previous()
            self.initial.setdefault("quarter", str(last))
            if user.region_id:
                self.initial.setdefault("region", user.region_id)

    def clean_percent(self) -> Decimal | None:
        percent = self.cleaned_data.get("percent")
        if percent is not None and not Decimal("0.01") <= percent <= Decimal("100"):
            raise forms.ValidationError(_("抽样比例应在 0.01 到 100 之间。"))
        return percent


class CallForm(forms.Form):
    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=RevisitCall.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择回访结果。"), "invalid_choice": _("请选择回访结果。")},
    )
    note = FreeTextField(
        label=_("意见建议"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("意见建议（选填）")}),
        error_messages={"max_length": _("意见建议最多 500 字。")},
    )

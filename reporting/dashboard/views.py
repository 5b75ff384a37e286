"""The managers' dashboard (/reports/): the month's figures, trend, grades, channels, 堵点 and overdue orders.

Thin: a form parses ``period`` (YYYY-MM) and ``detail``; reporting.dashboard.selectors reads within the
user's scope; reporting.dashboard.charts draws the SVG. A bad period is a 400 with the error beside the field.
"""

import datetime as dt

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.db_router import reads_from_replica
from evaluations.http import AuthedRequest
from evaluations.models import User
from evaluations.models.choices import Channel, Grade
from evaluations.roles import SUPERVISION_READERS
from supervision.selectors import PeriodResults, period_results

from ..access import readers_only
from ..period_field import PeriodField
from ..periods import Period
from ..rankings import Scope, scale_for
from ..scoring import figures
from . import charts
from .selectors import Dashboard, dashboard_for

FIRST_YEAR, LAST_YEAR = 2000, 2100


class DashboardForm(forms.Form):
    period = PeriodField(
        label=gettext_lazy("统计月份"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026-10"}),
        kinds=["month"],
        messages={
            "invalid": gettext_lazy("统计月份格式应为 YYYY-MM，例如 2026-10。"),
            "kind": gettext_lazy("请选择一个月份，格式为 YYYY-MM，例如 2026-10。"),
        },
    )
    detail = forms.BooleanField(label=gettext_lazy("显示分子分母"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_period(self) -> Period:
        return self.cleaned_data["period"] or Period.month_of(self.today)


def _scope_name(user: User) -> str:
    if user.has_global_scope:
        return _("全部区划")
    if user.department:
        return user.department.name
    return user.region.name if user.region else ""


def _supervision(user: User, period: Period) -> PeriodResults | None:
    """The month's 监督查评 in the user's region (offices, the auditor, administrators only)."""
    if user.role not in SUPERVISION_READERS and not user.is_superuser:
        return None
    region = user.region or (user.department.region if user.department else None)
    if region is None and not user.has_global_scope:
        return None
    return period_results(region, period.first, period.last)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _charts(data: Dashboard) -> dict:
    totals, label = data.totals, data.period.label
    trend = charts.trend_chart(
        [
            charts.TrendPoint(
                label=_("%(month)d月") % {"month": month.number},
                year=month.year,
                month=month.number,
                count=t.rated,
                bad=t.bad,
                rate=t.bad / t.rated if t.rated else None,
            )
            for month, t in data.months
        ],
        chart_id="chart-trend",
        title=_("近12个月评价数与差评率（截至%(month)s）") % {"month": label},
    )
    grades = charts.hbar_chart(
        [
            charts.Bar(
                str(g.label),
                totals.grade(g.value),
                _percent(totals.grade(g.value), totals.rated),
                charts.GRADE_COLOURS[g.value],
            )
            for g in sorted(Grade, key=lambda g: -g.value)
        ],
        chart_id="chart-grades",
        title=_("%(month)s评价等级分布") % {"month": label},
        desc=_("非常满意至非常不满意各等级的评价数及占比（有效评价 %(rated)d 件）") % {"rated": totals.rated},
        empty_text=_("本月暂无评价"),
    )
    rated_by_channel = sum(data.channels.values())
    channels = charts.hbar_chart(
        [
            charts.Bar(str(c.label), count, _percent(count, rated_by_channel))
            for c in Channel
            for count in [data.channels.get(c.value, 0)]
        ],
        chart_id="chart-channels",
        title=_("%(month)s评价渠道分布") % {"month": label},
        desc=_("各评价渠道的有效评价数及占比"),
        empty_text=_("本月暂无评价"),
    )
    bad = data.hotspots.bad
    tags = charts.hbar_chart(
        [charts.Bar(text, n, _percent(n, bad), charts.LINE) for text, n in data.hotspots.tags],
        chart_id="chart-tags",
        title=_("%(month)s差评标签排行") % {"month": label},
        desc=_("差评所选标签的出现次数及占差评件数的比例（差评 %(bad)d 件）") % {"bad": bad},
        labels_above=True,
        empty_text=_("本月暂无带标签的差评"),
    )
    return {"trend": trend, "grades": grades, "channels": channels, "tags": tags}


@readers_only
@reads_from_replica
def dashboard(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = DashboardForm(request.GET, today=today)
    context = {"form": form, "scope_name": _scope_name(request.user), "today": today}
    if not form.is_valid():
        context["current"] = Period.month_of(today)
        return render(request, "reporting/dashboard/index.html", context, status=400)
    period: Period = form.cleaned_data["period"]
    data = dashboard_for(request.user, period, today=today)
    context.update(
        period=period,
        previous=period.previous(),
        next=period.next() if period.next().first <= today else None,
        detail=form.cleaned_data["detail"],
        data=data,
        figures=figures(data.totals, scale_for(Scope.for_user(request.user))),
        charts=_charts(data),
        supervision=_supervision(request.user, period),
    )
    return render(request, "reporting/dashboard/index.html", context)


urlpatterns = [
    path("", dashboard, name="dashboard"),
]

"""Monthly circulars (通报) under /reports/circulars/: list, generate, printable page, Excel, publish."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest
from evaluations.models import Grade, Region, User
from evaluations.scope import visible_to
from reporting.models import Circular

from ..access import CIRCULAR_ISSUERS, circular_readers_only, has_role, issuers_only
from ..period_field import PeriodField
from ..periods import Period
from ..rankings import LEVELS
from .chain import closing_digest
from .labels import rate_definitions, rate_labels, weight_labels
from .service import CIRCULAR_LEVELS, circular_generate, circular_publish
from .xlsx import circular_workbook

# Offices issue circulars down to the county (Tianjin art. 25: city and district); an office of a
# township may still issue its own.
ISSUING_LEVEL = Region.Level.COUNTY
PER_PAGE = 20


def _issuable_regions(user: User) -> QuerySet[Region]:
    regions = Region.objects.filter(Q(level__lte=ISSUING_LEVEL) | Q(pk=user.region_id or 0))
    return visible_to(user, regions).order_by("path")


class RegionChoiceField(forms.ModelChoiceField):
    """Regions indented by level under one another."""

    def label_from_instance(self, obj: Region) -> str:
        return f"{'　' * max(obj.level - 1, 0)}{obj.name}"


class GenerateForm(forms.Form):
    month = PeriodField(
        label=gettext_lazy("统计月份"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
        error_messages={"required": gettext_lazy("请选择统计月份。")},
        kinds=["month"],
        ended=True,
        messages={
            "kind": gettext_lazy("请选择一个月份，例如 2026-10。"),
            "not_ended": gettext_lazy("只能生成已经结束的月份的通报。"),
        },
    )
    region = RegionChoiceField(
        label=gettext_lazy("通报区划"),
        queryset=Region.objects.none(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("请选择通报区划。"),
            "invalid_choice": gettext_lazy("所选区划不在您的管辖范围内。"),
        },
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = cast(RegionChoiceField, self.fields["region"])  # declared above
        region.queryset = _issuable_regions(user)
        if user.region_id:
            region.initial = user.region_id
        self.fields["month"].initial = str(Period.last_complete_month())


def _get_circular_for_user(request: AuthedRequest, pk: int) -> Circular:
    circular = visible_to(request.user, Circular.objects.select_related("region", "created_by")).filter(pk=pk)
    found = circular.first()
    if found is None:
        raise Http404(_("没有找到该通报，或您无权查看。"))
    return found


def _list(request: AuthedRequest, form: GenerateForm | None = None, status: int = 200) -> HttpResponse:
    circulars = visible_to(request.user, Circular.objects.select_related("region", "created_by"))
    can_issue = has_role(request.user, CIRCULAR_ISSUERS)
    if can_issue and form is None:
        form = GenerateForm(user=request.user)
    page = Paginator(circulars, PER_PAGE).get_page(request.GET.get("page"))
    context = {"circulars": page.object_list, "page": page, "form": form if can_issue else None}
    return render(request, "reporting/circulars/list.html", context, status=status)


@circular_readers_only
def circular_list(request: AuthedRequest) -> HttpResponse:
    return _list(request)


@require_POST
@issuers_only
def circular_generate_view(request: AuthedRequest) -> HttpResponse:
    form = GenerateForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list(request, form, status=400)
    try:
        circular = circular_generate(
            region=form.cleaned_data["region"], period=form.cleaned_data["month"], by=request.user
        )
    except ValidationError as error:
        form.add_error("month", error)
        return _list(request, form, status=400)
    messages.success(request, _("已生成 %(circular)s。") % {"circular": circular})
    return redirect("reporting:circular", pk=circular.pk)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _summary_row(key: str, label: str, figure: dict | None) -> dict:
    figure = figure or {"num": 0, "den": 0, "value": None}
    value = figure.get("value")
    if value is None:
        shown = "—"
    elif key == "quality":
        shown = _("%(points).2f 分") % {"points": value}
    else:
        shown = f"{100 * value:.1f}%"
    return {
        "key": key,
        "label": label,
        "definition": rate_definitions()[key],
        "figure": figure,
        "shown": shown,
        "num": _number(figure.get("num")),
        "den": _number(figure.get("den")),
    }


def _levels(circular: Circular) -> list[dict]:
    rankings = circular.data.get("rankings", {})
    levels = [level for level in CIRCULAR_LEVELS if level in rankings]
    return [{"key": level, "label": LEVELS[level], **rankings[level]} for level in levels]


@circular_readers_only
def circular_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = _get_circular_for_user(request, pk)
    summary = circular.data.get("summary", {})
    period = Period.parse(circular.period)
    # Generated before the day's digest was written (or before the chain): the digest is append-only, so
    # reading it now shows what it was then.
    chain = circular.data.get("chain") or closing_digest(period)
    weights, points = circular.policy.get("weights", {}), circular.policy.get("points", {})
    context = {
        "circular": circular,
        "period_label": period.label,
        "chain": chain,
        "summary": summary,
        "figures": [_summary_row(key, label, summary.get(key)) for key, label in rate_labels()],
        "levels": _levels(circular),
        "policy": circular.policy,
        "weights": [(label, weights.get(key)) for key, label in weight_labels()],
        "points": [(Grade(grade).label, points.get(str(grade))) for grade in range(5, 0, -1)],
        "can_issue": has_role(request.user, CIRCULAR_ISSUERS),
        "other_versions": visible_to(request.user, Circular.objects.all())
        .filter(region=circular.region, period=circular.period)
        .exclude(pk=circular.pk)
        .order_by("-version"),
    }
    return render(request, "reporting/circulars/detail.html", context)


@circular_readers_only
def circular_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = _get_circular_for_user(request, pk)
    response = HttpResponse(
        circular_workbook(circular),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"circular-{circular.region.code}-{circular.period}-v{circular.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@issuers_only
def circular_publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = _get_circular_for_user(request, pk)
    circular_publish(circular=circular, by=request.user)
    messages.success(request, _("已公开，该通报的数据将在“好差评”专区展示。"))
    return redirect("reporting:circular", pk=circular.pk)


urlpatterns = [
    path("circulars/", circular_list, name="circulars"),
    path("circulars/generate/", circular_generate_view, name="circular_generate"),
    path("circulars/<int:pk>/", circular_detail, name="circular"),
    path("circulars/<int:pk>/xlsx/", circular_xlsx, name="circular_xlsx"),
    path("circulars/<int:pk>/publish/", circular_publish_view, name="circular_publish"),
]

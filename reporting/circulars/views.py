"""Monthly circulars (通报) under /reports/circulars/: list, generate a draft, the printable page, Excel.
The draft's editing and the lifecycle (freeze, publish, withdraw, correct) are in lifecycle_views.py."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest
from evaluations.models import Region, User
from evaluations.scope import visible_to
from reporting.models import Circular

from ..access import CIRCULAR_ISSUERS, circular_readers_only, has_role, issuers_only
from ..period_field import PeriodField
from ..periods import Period
from . import lifecycle_views as lifecycle
from .issuing import ISSUING_LEVELS
from .lookup import get_circular_for_user
from .presenters import detail_context
from .service import circular_generate
from .xlsx import circular_workbook

PER_PAGE = 20


def _issuable_regions(user: User) -> QuerySet[Region]:
    """An office drafts its own region's circular (reporting/circulars/lookup.py); a system administrator
    any issuing level's (reporting/circulars/issuing.py)."""
    if user.has_global_scope:
        return Region.objects.filter(level__in=ISSUING_LEVELS).order_by("path")
    return Region.objects.filter(pk=user.region_id or 0)


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
    messages.success(request, _("已生成 %(circular)s 的草稿。") % {"circular": circular})
    return redirect("reporting:circular", pk=circular.pk)


@circular_readers_only
def circular_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = get_circular_for_user(request, pk)
    return render(request, "reporting/circulars/detail.html", detail_context(request, circular))


@circular_readers_only
def circular_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = get_circular_for_user(request, pk)
    response = HttpResponse(
        circular_workbook(circular),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"circular-{circular.region.code}-{circular.period}-v{circular.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("circulars/", circular_list, name="circulars"),
    path("circulars/generate/", circular_generate_view, name="circular_generate"),
    path("circulars/<int:pk>/", circular_detail, name="circular"),
    path("circulars/<int:pk>/xlsx/", circular_xlsx, name="circular_xlsx"),
    *lifecycle.urlpatterns,
]

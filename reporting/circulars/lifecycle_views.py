"""A circular's draft and lifecycle under /reports/circulars/<pk>/: edit the draft (number, narrative,
typical cases), freeze, publish, withdraw with a reason, correct with a new version.

Only the office of the circular's own region changes it (lookup.get_own_circular). A refusal re-renders
the page with the reason next to the field (400); nothing is written then.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest
from reporting.models import Circular

from ..access import issuers_only
from ..periods import Period
from .cases import candidate_orders
from .lookup import get_own_circular
from .models import MAX_REASON
from .presenters import detail_context
from .service import (
    circular_correct,
    circular_draft_save,
    circular_freeze,
    circular_publish,
    circular_withdraw,
)


class DraftForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("文号"), max_length=60, required=False)
    narrative = forms.CharField(
        label=gettext_lazy("通报正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("总体情况、存在问题和工作要求，印在数据之前。"),
    )
    cases = forms.TypedMultipleChoiceField(
        label=gettext_lazy("典型案例"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("所选案例不是本通报范围内本月的差评。")},
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤回原因"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请填写撤回原因，公众将在专区看到该原因。")},
    )


def _case_label(order) -> str:
    evaluation = order.evaluation
    matter = evaluation.matter.name if evaluation.matter else _("窗口服务")
    day = timezone.localdate(evaluation.rated_at).isoformat()
    return f"{order.number} · {day} · {order.department.name} · {matter} · {evaluation.get_grade_display()}"


def _draft_page(request: AuthedRequest, circular: Circular, form: DraftForm | None, status: int = 200):
    orders = candidate_orders(circular.region, Period.parse(circular.period))
    choices = [(order.pk, _case_label(order)) for order in orders]
    if form is None:
        chosen = [case["order"] for case in circular.cases]
        initial = {"number": circular.number, "narrative": circular.narrative, "cases": chosen}
        form = DraftForm(initial=initial, choices=choices)
    context = {"circular": circular, "form": form, "period_label": Period.parse(circular.period).label}
    return render(request, "reporting/circulars/edit.html", context, status=status)


def _refused(request: AuthedRequest, circular: Circular, error: ValidationError, **forms_) -> HttpResponse:
    """The circular's page again with the reason of the refusal (400)."""
    context = detail_context(request, circular, refusal=" ".join(error.messages), **forms_)
    return render(request, "reporting/circulars/detail.html", context, status=400)


@issuers_only
def circular_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = get_own_circular(request, pk)
    if not circular.is_draft:
        messages.error(request, _("通报已冻结，不能再修改。"))
        return redirect("reporting:circular", pk=circular.pk)
    if request.method != "POST":
        return _draft_page(request, circular, None)
    orders = candidate_orders(circular.region, Period.parse(circular.period))
    form = DraftForm(request.POST, choices=[(order.pk, _case_label(order)) for order in orders])
    if not form.is_valid():
        return _draft_page(request, circular, form, status=400)
    try:
        circular_draft_save(
            circular=circular,
            number=form.cleaned_data["number"],
            narrative=form.cleaned_data["narrative"],
            case_orders=form.cleaned_data["cases"],
            by=request.user,
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _draft_page(request, circular, form, status=400)
    messages.success(request, _("草稿已保存。"))
    return redirect("reporting:circular", pk=circular.pk)


def _step(request: AuthedRequest, pk: int, service, done: str) -> HttpResponse:
    """One step of the circular's lifecycle by its own office: done, or refused with the reason."""
    circular = get_own_circular(request, pk)
    try:
        service(circular=circular, by=request.user)
    except ValidationError as error:
        return _refused(request, circular, error)
    messages.success(request, done)
    return redirect("reporting:circular", pk=circular.pk)


@require_POST
@issuers_only
def circular_freeze_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, circular_freeze, _("通报已冻结，内容不再改变；可以公开到好差评专区。"))


@require_POST
@issuers_only
def circular_publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, circular_publish, _("已公开，该通报的数据将在“好差评”专区展示。"))


@require_POST
@issuers_only
def circular_withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = get_own_circular(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(
            request, "reporting/circulars/detail.html", detail_context(request, circular, withdraw_form=form),
            status=400,
        )  # fmt: skip
    try:
        circular_withdraw(circular=circular, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        return _refused(request, circular, error, withdraw_form=form)
    messages.success(request, _("已撤回，好差评专区显示该通报已撤回及撤回原因。"))
    return redirect("reporting:circular", pk=circular.pk)


@require_POST
@issuers_only
def circular_correct_view(request: AuthedRequest, pk: int) -> HttpResponse:
    circular = get_own_circular(request, pk)
    try:
        correction = circular_correct(circular=circular, by=request.user)
    except ValidationError as error:
        return _refused(request, circular, error)
    messages.success(request, _("已生成更正草稿（第 %(version)d 版）。") % {"version": correction.version})
    return redirect("reporting:circular_edit", pk=correction.pk)


urlpatterns = [
    path("circulars/<int:pk>/edit/", circular_edit, name="circular_edit"),
    path("circulars/<int:pk>/freeze/", circular_freeze_view, name="circular_freeze"),
    path("circulars/<int:pk>/publish/", circular_publish_view, name="circular_publish"),
    path("circulars/<int:pk>/withdraw/", circular_withdraw_view, name="circular_withdraw"),
    path("circulars/<int:pk>/correct/", circular_correct_view, name="circular_correct"),
]

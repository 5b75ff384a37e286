"""季度随机回访 (Qingdao art. 17): the draw, the call list with logged phone reveals, and the report.

Everything works without JavaScript; with htmx a reveal or a recorded result swaps only its row (and
the report block). Only the office, 12345 and administrators use these pages (``callers_only``);
samples and rows are limited to the user's data scope.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest, HtmxRequest
from evaluations.models import ServiceRecord
from evaluations.scope import visible_to
from reporting.access import callers_only
from reporting.models import RevisitCall, RevisitSample
from reporting.revisits.forms import CallForm, DrawForm
from reporting.revisits.service import (
    RevisitAlreadyDrawn,
    RevisitError,
    report_from_counts,
    revisit_draw,
    revisit_record,
    revisit_report,
    revisit_reveal_phone,
    samples_with_report_counts,
)

PAGE_SIZE = 50
SAMPLES_PER_PAGE = 20
SHOW_CHOICES = ("pending", *RevisitCall.Result.values)


@dataclass
class CallRow:
    call: RevisitCall
    form: CallForm
    revealed: str = ""
    error: str = ""


def _get_sample_for_user(request: AuthedRequest, pk: int) -> RevisitSample:
    samples = visible_to(request.user, RevisitSample.objects.select_related("region", "drawn_by"))
    sample = samples.filter(pk=pk).first()
    if sample is None:
        raise Http404(_("没有找到该抽样，或您无权查看。"))
    return sample


def _visible_calls(request: AuthedRequest, sample: RevisitSample):
    records = visible_to(request.user, ServiceRecord.objects.all()).values("pk")
    return (
        visible_to(request.user, sample.calls.all())
        .filter(record_id__in=records)
        .select_related("record__matter", "record__department", "caller")
        .order_by("position")
    )


def _get_call_for_user(request: AuthedRequest, pk: int) -> RevisitCall:
    call = RevisitCall.objects.select_related("sample__region").filter(pk=pk).first()
    if call is None:
        raise Http404(_("没有找到该回访件，或您无权查看。"))
    try:
        return _visible_calls(request, call.sample).select_related("sample__region").get(pk=pk)
    except RevisitCall.DoesNotExist:
        raise Http404(_("没有找到该回访件，或您无权查看。")) from None


def _listing(request: AuthedRequest) -> tuple[str, str]:
    """The list filter and page, kept across the row forms as a query string."""
    show = request.GET.get("show", "")
    show = show if show in SHOW_CHOICES else ""
    keep = {key: value for key, value in (("show", show), ("page", request.GET.get("page", ""))) if value}
    return show, f"?{urlencode(keep)}" if keep else ""


def _row(call: RevisitCall, **extra) -> CallRow:
    form = extra.pop("form", None) or CallForm(
        prefix=f"c{call.pk}", initial={"result": call.result, "note": call.note}
    )
    return CallRow(call, form, **extra)


def _render_sample(
    request: AuthedRequest, sample: RevisitSample, *, special: CallRow | None = None, status: int = 200
) -> HttpResponse:
    show, query = _listing(request)
    calls = _visible_calls(request, sample)
    if show == "pending":
        calls = calls.filter(result="")
    elif show:
        calls = calls.filter(result=show)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [special if special and special.call.pk == call.pk else _row(call) for call in page.object_list]
    filters = [("", _("全部")), ("pending", _("未回访")), *RevisitCall.Result.choices]
    return render(
        request,
        "reporting/revisits/sample.html",
        {
            "sample": sample,
            "report": revisit_report(sample),
            "rows": rows,
            "page": page,
            "show": show,
            "query": query,
            "filters": filters,
        },
        status=status,
    )


def _render_row(
    request: AuthedRequest, sample: RevisitSample, row: CallRow, status: int = 200
) -> HttpResponse:
    _show, query = _listing(request)
    context = {"sample": sample, "row": row, "query": query, "report": revisit_report(sample), "oob": True}
    return render(request, "reporting/revisits/_row.html", context, status=status)


@callers_only
def revisit_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = DrawForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sample = revisit_draw(
                    region=data["region"], quarter=data["quarter"], by=request.user, percent=data["percent"]
                )
            except RevisitAlreadyDrawn as exc:
                messages.warning(request, str(exc))
                return redirect("reporting:revisit_sample", pk=exc.sample.pk)
            except RevisitError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("已抽取 %(n)d 件（本季度有联系电话的办结件 %(total)d 件）。")
                    % {"n": sample.calls.count(), "total": sample.population},
                )
                return redirect("reporting:revisit_sample", pk=sample.pk)
        status = 422
    else:
        form = DrawForm(user=request.user)
        status = 200
    samples = visible_to(request.user, RevisitSample.objects.select_related("region", "drawn_by"))
    samples = samples_with_report_counts(samples).order_by("-quarter", "region__code", "pk")
    page = Paginator(samples, SAMPLES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(sample, report_from_counts(sample)) for sample in page.object_list]
    context = {"form": form, "rows": rows, "page": page}
    return render(request, "reporting/revisits/list.html", context, status=status)


@callers_only
def revisit_sample(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_sample(request, _get_sample_for_user(request, pk))


@callers_only
@require_POST
def revisit_call_reveal(request: HtmxRequest, pk: int) -> HttpResponse:
    call = _get_call_for_user(request, pk)
    try:
        phone = revisit_reveal_phone(call=call, by=request.user)
    except RevisitError as exc:
        row, status = _row(call, error=str(exc)), 403
    else:
        row, status = _row(call, revealed=phone or "-"), 200
    if request.htmx:
        return _render_row(request, call.sample, row, status)
    return _render_sample(request, call.sample, special=row, status=status)


@callers_only
@require_POST
def revisit_call_record(request: HtmxRequest, pk: int) -> HttpResponse:
    call = _get_call_for_user(request, pk)
    form = CallForm(request.POST, prefix=f"c{call.pk}")
    error = ""
    if form.is_valid():
        try:
            call = revisit_record(
                call=call, result=form.cleaned_data["result"], note=form.cleaned_data["note"], by=request.user
            )
        except RevisitError as exc:
            error = str(exc)
        else:
            if request.htmx:
                return _render_row(request, call.sample, _row(_get_call_for_user(request, call.pk)))
            messages.success(
                request, _("第 %(n)d 号回访结果已保存：%(result)s。")
                % {"n": call.position, "result": call.get_result_display()}
            )  # fmt: skip
            _show, query = _listing(request)
            url = reverse("reporting:revisit_sample", args=[call.sample_id])
            return redirect(f"{url}{query}#call-{call.pk}")
    row = _row(call, form=form, error=error)
    status = 403 if error else 422
    if request.htmx:
        return _render_row(request, call.sample, row, status)
    return _render_sample(request, call.sample, special=row, status=status)


urlpatterns = [
    path("revisits/", revisit_list, name="revisits"),
    path("revisits/<int:pk>/", revisit_sample, name="revisit_sample"),
    path("revisits/calls/<int:pk>/reveal/", revisit_call_reveal, name="revisit_call_reveal"),
    path("revisits/calls/<int:pk>/record/", revisit_call_record, name="revisit_call_record"),
]

"""Inspection plans, visits and findings; the photo; 转为整改工单 on a finding."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest

from ..access import get_in_scope, may_plan, planners_only, readers_only
from ..forms import FindingForm, InspectionForm, RectifyForm, VisitForm
from ..photos import content_type_of
from ..selectors import findings_for, inspections_for, visits_for
from ..services import SupervisionError
from ..services.inspections import finding_add, inspection_plan, visit_file
from ..services.rectification import rectification_open
from . import refuse


@planners_only
def plan_new(request: AuthedRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = inspection_plan(by=request.user, **form.cleaned_data)
        except SupervisionError as error:
            refuse(form, error)
        else:
            messages.success(request, _("督查计划已制定。"))
            return redirect("supervision:inspection", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("制定督查计划"), "button": _("制定计划")}
    return render(request, "supervision/form.html", context, status=status)


@readers_only
def inspection(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_in_scope(inspections_for(request.user), pk)
    context = {
        "plan": plan,
        "visits": visits_for(request.user).filter(inspection=plan),
        "assigned": plan.inspectors.filter(pk=request.user.pk).exists(),
        "inspectors": plan.inspectors.all(),
        "halls": plan.halls.all(),
        "windows": plan.windows.select_related("hall"),
    }
    return render(request, "supervision/inspection.html", context)


@readers_only
def visit_new(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_in_scope(inspections_for(request.user), pk)
    form = VisitForm(request.POST or None, inspection=plan)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_file(inspection=plan, by=request.user, **form.cleaned_data)
        except SupervisionError as error:
            refuse(form, error)
        else:
            messages.success(request, _("走访记录已提交，请登记发现的问题。"))
            return redirect("supervision:visit", pk=visit.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("填报走访记录"),
        "subtitle": plan.subject,
        "button": _("提交走访记录"),
    }
    return render(request, "supervision/form.html", context, status=status)


def _visit_page(
    request: AuthedRequest, visit, form: FindingForm | None = None, status: int = 200
) -> HttpResponse:
    own = visit.by_id == request.user.pk
    context = {
        "visit": visit,
        "findings": findings_for(request.user).filter(visit=visit),
        "form": form or (FindingForm(visit=visit) if own else None),
        "may_rectify": may_plan(request.user),
        "rectify_form": RectifyForm(),
    }
    return render(request, "supervision/visit.html", context, status=status)


@readers_only
def visit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _visit_page(request, get_in_scope(visits_for(request.user), pk))


@readers_only
@require_POST
def finding_new(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_in_scope(visits_for(request.user), pk)
    form = FindingForm(request.POST, request.FILES, visit=found)
    if form.is_valid():
        try:
            finding_add(visit=found, by=request.user, **form.cleaned_data)
        except SupervisionError as error:
            refuse(form, error)
        else:
            messages.success(request, _("问题已登记。"))
            return redirect("supervision:visit", pk=found.pk)
    return _visit_page(request, found, form, status=400)


@readers_only
def photo(request: AuthedRequest, pk: int) -> FileResponse:
    finding = get_in_scope(findings_for(request.user), pk)
    if not finding.photo:
        raise Http404("no photo")
    response = FileResponse(finding.photo.open("rb"), content_type=content_type_of(finding.photo.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@planners_only
@require_POST
def finding_order(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = get_in_scope(findings_for(request.user), pk)
    form = RectifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择工单类别。"))
    else:
        try:
            order = rectification_open(finding, by=request.user, category=form.cleaned_data["category"])
        except SupervisionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已转为整改工单 %(number)s。") % {"number": order.number})
    return redirect("supervision:visit", pk=finding.visit_id)

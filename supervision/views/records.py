"""Forums with deputies and committee members, their issues, and third-party assessments with the
import of their results."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest

from ..access import get_in_scope, may_plan, planners_only, readers_only
from ..forms import AssessmentForm, ForumForm, ForumIssueForm, ImportForm, RectifyForm
from ..selectors import assessments_for, forum_issues_for, forums_for
from ..services import SupervisionError
from ..services.assessments import CODE, COMMENT, NAME, RANK, SCORE, assessment_create, results_import
from ..services.forums import forum_issue_add, forum_record
from ..services.rectification import rectification_open
from . import refuse


@planners_only
def forum_new(request: AuthedRequest) -> HttpResponse:
    form = ForumForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            forum = forum_record(by=request.user, **form.cleaned_data)
        except SupervisionError as error:
            refuse(form, error)
        else:
            messages.success(request, _("座谈会已登记，请登记会上反映的问题。"))
            return redirect("supervision:forum", pk=forum.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("登记座谈会"), "button": _("登记")}
    return render(request, "supervision/form.html", context, status=status)


def _forum_page(
    request: AuthedRequest, forum, form: ForumIssueForm | None = None, status: int = 200
) -> HttpResponse:
    planner = may_plan(request.user)
    context = {
        "forum": forum,
        "issues": forum_issues_for(request.user).filter(forum=forum),
        "form": form or (ForumIssueForm(region=forum.region) if planner else None),
        "may_rectify": planner,
        "rectify_form": RectifyForm(),
    }
    return render(request, "supervision/forum.html", context, status=status)


@readers_only
def forum(request: AuthedRequest, pk: int) -> HttpResponse:
    return _forum_page(request, get_in_scope(forums_for(request.user), pk))


@planners_only
@require_POST
def forum_issue_new(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_in_scope(forums_for(request.user), pk)
    form = ForumIssueForm(request.POST, region=found.region)
    if form.is_valid():
        try:
            forum_issue_add(forum=found, by=request.user, **form.cleaned_data)
        except SupervisionError as error:
            refuse(form, error)
        else:
            messages.success(request, _("问题已登记。"))
            return redirect("supervision:forum", pk=found.pk)
    return _forum_page(request, found, form, status=400)


@planners_only
@require_POST
def forum_issue_order(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_in_scope(forum_issues_for(request.user), pk)
    form = RectifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择工单类别。"))
    else:
        try:
            order = rectification_open(issue, by=request.user, category=form.cleaned_data["category"])
        except SupervisionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已转为整改工单 %(number)s。") % {"number": order.number})
    return redirect("supervision:forum", pk=issue.forum_id)


@planners_only
def assessment_new(request: AuthedRequest) -> HttpResponse:
    form = AssessmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_create(by=request.user, **form.cleaned_data)
        except SupervisionError as error:
            refuse(form, error)
        else:
            messages.success(request, _("第三方评估已登记，请导入评估结果。"))
            return redirect("supervision:assessment", pk=assessment.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("登记第三方评估"), "button": _("登记")}
    return render(request, "supervision/form.html", context, status=status)


@readers_only
def assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    found = get_in_scope(assessments_for(request.user), pk)
    form, errors, status = None, [], 200
    if may_plan(request.user):
        form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form is None:
            return redirect("supervision:assessment", pk=found.pk)
        status = 400
        if form.is_valid():
            try:
                outcome = results_import(
                    assessment=found, by=request.user, content=form.cleaned_data["file"].read()
                )
            except SupervisionError as error:
                refuse(form, error)
            else:
                if not outcome.errors:
                    messages.success(request, _("已导入 %(n)d 个部门的评估结果。") % {"n": outcome.imported})
                    return redirect("supervision:assessment", pk=found.pk)
                errors = outcome.errors
    context = {
        "assessment": found,
        "results": found.results.select_related("department"),
        "form": form,
        "errors": errors,
        "columns": [CODE, NAME, SCORE, RANK, COMMENT],
    }
    return render(request, "supervision/assessment.html", context, status=status)

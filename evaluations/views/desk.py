"""Pages for hall clerks and hotline agents: enter a phone or paper rating; 综合点评 in and out."""

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import role_required
from ..forms.citizen import new_client_id
from ..forms.desk import FeedbackAnswerForm, FeedbackForm, RatingEntryForm
from ..http import AuthedRequest
from ..models import Department, Evaluation, Feedback, Hall, SenderKind, ServiceRecord, Staff, Window
from ..refusals import Refusal
from ..roles import ENTRY_ROLES, FEEDBACK_ANSWERERS, FEEDBACK_READERS
from ..scope import visible_to
from ..services import duty
from ..services.client_keys import Sender
from ..services.feedback import feedback_answer, feedback_submit
from ..services.intake import Rating, evaluation_record

PAGE_SIZE = 20


@role_required(ENTRY_ROLES)
@require_http_methods(["GET", "POST"])
def rating_entry(request: AuthedRequest) -> HttpResponse:
    windows = visible_to(request.user, Window.objects.select_related("hall"))
    staff = visible_to(request.user, Staff.objects.filter(active=True).select_related("department"))
    form = RatingEntryForm(
        request.POST or None,
        windows=windows,
        staff=staff.order_by("name", "staff_no"),
        initial={"client_id": new_client_id()},
    )
    if request.method == "POST" and form.is_valid() and _enter_rating(request, form):
        return redirect("desk:entry")
    recent = (
        Evaluation.objects.filter(entered_by=request.user)
        .select_related("record", "window", "staff", "matter")
        .order_by("-submitted_at")
    )
    page = Paginator(recent, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/entry.html", {"form": form, "page": page}, status=_form_status(request))


def _enter_rating(request: AuthedRequest, form: RatingEntryForm) -> bool:
    data = form.cleaned_data
    record = None
    if data["serial_no"]:
        record = (
            visible_to(request.user, ServiceRecord.objects.all()).filter(serial_no=data["serial_no"]).first()
        )
        if record is None:
            form.add_error("serial_no", _("找不到该办件，或不在您的数据范围内。"))
            return False
    elif not data["staff"] and not data["window_only"]:
        # Several people on duty at the window then: the desk asks which one, never guesses.
        on_duty = duty.on_duty_at(data["window"], data["rated_at"] or timezone.now())
        if len(on_duty) > 1:
            names = "、".join(person.name for person in on_duty)
            form.add_error("staff", Refusal("staff_ambiguous", field="staff", names=names).message)
            return False
    rating = Rating(
        target=data["target"],
        stage=data["stage"],
        grade=data["grade"],
        channel=data["channel"],
        tags=data["tags"],
        comment=data["comment"],
        rated_at=data["rated_at"],
        evaluator_name=data["evaluator_name"],
        evaluator_phone=data["evaluator_phone"],
        assess_number=data["assess_number"] or 1,
        apply_to_theme=not data["theme_one"],
        window_only=data["window_only"],
        client_id=data["client_id"],
    )
    try:
        result = evaluation_record(
            rating=rating,
            record=record,
            window=data["window"],
            staff=data["staff"],
            by=request.user,
            sender=Sender.of(SenderKind.USER, request.user),  # the form's client_id is its user's
        )
    except Refusal as refusal:
        if refusal.code == "client_id_reused":  # an old form sent again, changed: nothing was written
            data = cast(QueryDict, form.data).copy()
            data["client_id"] = new_client_id()  # sending it once more is a new entry
            form.data = data
        field = refusal.field if refusal.field in form.fields and refusal.field != "client_id" else None
        if record is not None and field in ("window", "staff"):
            field = "serial_no"  # the case's window or clerk: what was typed is the case's number
        form.add_error(field, refusal.message)
        return False
    evaluation = result.evaluation
    what = record.serial_no if record else str(data["window"])
    if record is None:
        what += " · " + (evaluation.staff.name if evaluation.staff else _("只计入窗口"))
    text = _("已录入：%(what)s，%(grade)s。") % {"what": what, "grade": evaluation.get_grade_display()}
    if result.work_order:
        text += _("已生成差评工单 %(number)s。") % {"number": result.work_order}
    messages.success(request, text)
    return True


@role_required(FEEDBACK_READERS | ENTRY_ROLES)
def feedback_list(request: AuthedRequest) -> HttpResponse:
    items = visible_to(request.user, Feedback.objects.select_related("department", "hall"))
    status = request.GET.get("status", "")
    if status in Feedback.Status.values:
        items = items.filter(status=status)
    page = Paginator(items.order_by("status", "-submitted_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    can_answer = request.user.role in FEEDBACK_ANSWERERS or request.user.is_superuser
    return render(
        request,
        "desk/feedback_list.html",
        {"page": page, "status": status, "statuses": Feedback.Status.choices, "can_answer": can_answer},
    )


@role_required(ENTRY_ROLES)
@require_http_methods(["GET", "POST"])
def feedback_new(request: AuthedRequest) -> HttpResponse:
    form = FeedbackForm(
        request.POST or None,
        departments=visible_to(request.user, Department.objects.filter(active=True)),
        halls=visible_to(request.user, Hall.objects.filter(active=True)),
    )
    if request.method == "POST" and form.is_valid():
        feedback_submit(by=request.user, **form.cleaned_data)
        messages.success(request, _("综合点评已登记，相关部门将在此答复。"))
        return redirect("desk:feedback")
    return render(request, "desk/feedback_form.html", {"form": form}, status=_form_status(request))


@role_required(FEEDBACK_ANSWERERS)
@require_http_methods(["GET", "POST"])
def feedback_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(
        visible_to(request.user, Feedback.objects.select_related("department", "hall")), pk=pk
    )
    form = FeedbackAnswerForm(request.POST or None, initial={"answer": feedback.answer})
    if request.method == "POST" and form.is_valid():
        feedback_answer(feedback=feedback, answer=form.cleaned_data["answer"], by=request.user)
        messages.success(request, _("答复已保存。"))
        return redirect("desk:feedback")
    return render(
        request,
        "desk/feedback_answer.html",
        {"form": form, "feedback": feedback},
        status=_form_status(request),
    )


def _form_status(request: AuthedRequest) -> int:
    """A POST that comes back to its form was refused: 422 with the errors, not a 200 that looks saved."""
    return 422 if request.method == "POST" else 200

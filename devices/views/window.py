"""The window clerk's page: who is on duty (签到 / 签退), and today's finished cases at the window, each
with a "请评价" button that puts the case on the window's evaluator (the device API's ``pending``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.http import AuthedRequest
from evaluations.models import ServiceRecord, Shift, Staff, Window
from evaluations.refusals import Refusal
from evaluations.services.duty import open_shifts_at, shift_end, shift_start

from .. import selectors
from ..access import get_window_for_clerk, is_device_manager
from ..forms import DutyForm, PendingForm
from ..services.pending import PendingRefused, pending_set

RECENT_CASES = 30


@login_required
@require_GET
def window_page(request: AuthedRequest, code: str) -> HttpResponse:
    window = get_window_for_clerk(request, code)
    now = timezone.now()
    me = _own_staff(request)
    shifts = open_shifts_at(window, now)
    my_shift = next((shift for shift in shifts if me is not None and shift.staff_id == me.pk), None)
    elsewhere = None
    if me is not None and my_shift is None:
        elsewhere = (
            Shift.objects.filter(staff=me, ended_at__isnull=True, started_at__gte=selectors.start_of_day(now))
            .select_related("window")
            .first()
        )
    context = {
        "window": window,
        "cases": selectors.cases_today(window, now)[:RECENT_CASES],
        "intake_cases": selectors.intake_cases_today(window, now)[:RECENT_CASES],
        "pending": selectors.pending_at(window),
        "devices": window.devices.filter(active=True).order_by("serial"),
        "shifts": shifts,
        "me": me,
        "my_shift": my_shift,
        "elsewhere": elsewhere,
        "may_sign_out_others": is_device_manager(request.user),
    }
    return render(request, "devices/window.html", context)


@login_required
@require_POST
def duty(request: AuthedRequest, code: str) -> HttpResponse:
    """签到 / 签退 at the window: the clerk for themselves; a manager may sign out whoever is on duty."""
    window = get_window_for_clerk(request, code)
    form = DutyForm(request.POST, on_duty=_on_duty(window))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("devices:window", code=window.code)
    me = _own_staff(request)
    staff = form.cleaned_data["staff"] if is_device_manager(request.user) else None
    staff = staff or me
    if staff is None:
        messages.error(request, _("您的账号没有绑定工作人员，不能签到或签退。"))
        return redirect("devices:window", code=window.code)
    try:
        if form.cleaned_data["action"] == DutyForm.SIGN_IN:
            if staff != me:
                raise PermissionDenied("only the clerk signs themselves in")
            shift_start(staff=staff, window=window, by=request.user)
            text = _("%(name)s 已在 %(window)s 签到，评价器显示您的姓名、工号和部门。")
        else:
            shift_end(staff=staff, window=window, by=request.user)
            text = _("%(name)s 已从 %(window)s 签退。")
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, text % {"name": staff.name, "window": window.name})
    return redirect("devices:window", code=window.code)


def _own_staff(request: AuthedRequest) -> Staff | None:
    return Staff.objects.filter(user=request.user, active=True).select_related("department").first()


def _on_duty(window: Window):
    return Staff.objects.filter(pk__in=[shift.staff_id for shift in open_shifts_at(window)])


@login_required
@require_POST
def ask_rating(request: AuthedRequest, code: str) -> HttpResponse:
    window = get_window_for_clerk(request, code)
    now = timezone.now()
    # 请评价: a case completed today and not rated, or a joint-approval case accepted today (its intake
    # rating, Tianjin art. 13); 请追评 (assess_number 2): a case of today rated once, for its follow-up.
    follow_up = request.POST.get("assess_number") == "2"
    today = selectors.cases_today(window, now)
    offerable: QuerySet[ServiceRecord]
    if follow_up:
        offerable = today.filter(Q(matter_rated=True) | Q(staff_rated=True), followed_up=False)
    else:
        unrated = today.filter(rated=False).values("pk")
        at_intake = selectors.intake_cases_today(window, now).filter(intake_rated=False).values("pk")
        offerable = ServiceRecord.objects.filter(Q(pk__in=unrated) | Q(pk__in=at_intake))
    form = PendingForm(request.POST, records=offerable, follow_up=follow_up)
    if not form.is_valid():
        for error in form.errors.get("record", [_("请选择要评价的办件。")]):
            messages.error(request, str(error))  # an ErrorList yields its messages, already str
        return redirect("devices:window", code=window.code)
    record = form.cleaned_data["record"]
    try:
        pending_set(window=window, record=record, by=request.user, assess_number=2 if follow_up else 1)
    except PendingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        text = (
            _("办件 %(serial)s 已推送到本窗口评价器，请群众在评价器上追加评价。")
            if follow_up
            else _("办件 %(serial)s 已推送到本窗口评价器，请群众在评价器上评价。")
        )
        messages.success(request, text % {"serial": record.serial_no})
    return redirect("devices:window", code=window.code)

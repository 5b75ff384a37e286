"""The window clerk's page: today's finished cases at the window, each with a "请评价" button that puts
the case on the window's evaluator (the device API's ``pending``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.http import AuthedRequest
from evaluations.models import ServiceRecord

from .. import selectors
from ..access import get_window_for_clerk
from ..forms import PendingForm
from ..services.pending import PendingRefused, pending_set

RECENT_CASES = 30


@login_required
@require_GET
def window_page(request: AuthedRequest, code: str) -> HttpResponse:
    window = get_window_for_clerk(request, code)
    now = timezone.now()
    context = {
        "window": window,
        "cases": selectors.cases_today(window, now)[:RECENT_CASES],
        "intake_cases": selectors.intake_cases_today(window, now)[:RECENT_CASES],
        "pending": selectors.pending_at(window),
        "devices": window.devices.filter(active=True).order_by("serial"),
    }
    return render(request, "devices/window.html", context)


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

"""The window clerk's page: today's finished cases at the window, each with a "请评价" button that puts
the case on the window's evaluator (the device API's ``pending``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.http import AuthedRequest

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
        "pending": selectors.pending_at(window),
        "devices": window.devices.filter(active=True).order_by("serial"),
    }
    return render(request, "devices/window.html", context)


@login_required
@require_POST
def ask_rating(request: AuthedRequest, code: str) -> HttpResponse:
    window = get_window_for_clerk(request, code)
    unrated = selectors.cases_today(window, timezone.now()).filter(rated=False)
    form = PendingForm(request.POST, records=unrated)
    if not form.is_valid():
        for error in form.errors.get("record", [_("请选择要评价的办件。")]):
            messages.error(request, str(error))  # an ErrorList yields its messages, already str
        return redirect("devices:window", code=window.code)
    record = form.cleaned_data["record"]
    try:
        pending_set(window=window, record=record, by=request.user)
    except PendingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("办件 %(serial)s 已推送到本窗口评价器，请群众在评价器上评价。") % {"serial": record.serial_no},
        )
    return redirect("devices:window", code=window.code)

"""POST endpoints of the detail page: one per action, and the logged reveals of the citizen's phone
and of the free texts with their numbers unmasked.

Status codes: 403 when the user may not take the action at all (role or scope), 409 when the order is
no longer in the state the user saw, 422 when the input or a business rule refuses it. With htmx the
action's block is swapped in place; without JavaScript the whole page comes back. Success redirects
to the detail page (``HX-Redirect`` for htmx) with a message.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from evaluations.http import HtmxRequest
from workorders.models import WorkOrder
from workorders.selectors import pending_extension
from workorders.services.base import WorkOrderBlocked
from workorders.services.notices import workorder_reveal_phone, workorder_reveal_text
from workorders.services.recalendar import calendar_gap_warning

from ..access import get_order_for_user, readers_only
from . import registry
from .detail import ActionBlock, Failure, render_detail


def _refuse(request: HtmxRequest, order: WorkOrder, failure: Failure, status: int) -> HttpResponse:
    if request.htmx:
        action = registry.ACTIONS[failure.name]
        form = failure.form or action.form_class(order=order, user=request.user, prefix=action.name)
        block = ActionBlock(action, form, failure.message, open=True, label=str(action.label_for(order)))
        return render(
            request,
            "workorders/_action.html",
            {"block": block, "order": order},
            status=status,
        )
    return render_detail(request, order, failure=failure, status=status)


def _stale_message(order: WorkOrder, name: str) -> str:
    label = registry.ACTIONS[name].label_for(order)
    return _("工单 %(number)s 已被他人处理，当前状态为“%(state)s”，无法%(action)s。请刷新后查看。") % {
        "number": order.number,
        "state": order.get_state_display(),
        "action": label,
    }


@readers_only
@require_POST
def act(request: HtmxRequest, number: str, name: str) -> HttpResponse:
    action = registry.ACTIONS.get(name)
    if action is None:
        raise Http404("no such action")
    order = get_order_for_user(request, number)
    pending = pending_extension(order)
    form = action.form_class(request.POST, order=order, user=request.user, prefix=name)
    if not registry.may(order, request.user, name):
        message = _("您无权对该工单执行“%(action)s”。") % {"action": action.label_for(order)}
        return _refuse(request, order, Failure(name, None, message), 403)
    seen = request.POST.get(f"{name}-seen_state", order.state)
    if seen != order.state or not registry.fits_state(order, name, pending):
        return _refuse(request, order, Failure(name, form, _stale_message(order, name)), 409)
    if not form.is_valid():
        return _refuse(request, order, Failure(name, form, _("请按提示修改后再提交。")), 422)
    try:
        result = action.run(order, request.user, form.cleaned_data, pending)
    except WorkOrderBlocked as blocked:
        current = WorkOrder.objects.only("state").get(pk=order.pk)
        status = 409 if current.state != order.state else 422
        return _refuse(request, order, Failure(name, form, blocked.message), status)
    messages.success(
        request,
        _("已%(action)s：工单 %(number)s。")
        % {"action": action.done or action.label_for(order), "number": order.number},
    )
    if name == "dispatch" and isinstance(result, WorkOrder) and (gap := calendar_gap_warning(result)):
        messages.warning(request, gap)  # a limit in a year without a holiday table: provisional
    url = reverse("workorders:detail", args=[order.number])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@readers_only
@require_POST
def reveal_phone(request: HtmxRequest, number: str) -> HttpResponse:
    """The full number for a call back, logged in the timeline; only for someone who must call."""
    order = get_order_for_user(request, number)
    if not registry.may_see_phone(order, request.user):
        message = _("您无权查看该评价人的完整联系电话。")
        if request.htmx:
            return render(request, "workorders/_phone.html", {"order": order, "refused": message}, status=403)
        messages.error(request, message)
        return redirect("workorders:detail", number=order.number)
    phone = workorder_reveal_phone(order, by=request.user)
    if request.htmx:
        return render(request, "workorders/_phone.html", {"order": order, "revealed": phone or "-"})
    return render_detail(request, order, revealed=phone or "-")


@readers_only
@require_POST
def reveal_text(request: HtmxRequest, number: str) -> HttpResponse:
    """The page again with its free texts as written, the look logged; never for an auditor."""
    order = get_order_for_user(request, number)
    if not registry.may_see_phone(order, request.user):
        return render_detail(request, order, refusal=_("您无权查看未遮盖的文字内容。"), status=403)
    workorder_reveal_text(order, by=request.user)
    return render_detail(request, order, text_revealed=True)

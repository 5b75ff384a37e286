"""The handlers' inbox (tabs, filters, search, paging) and the managers' board."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from evaluations.http import AuthedRequest, HtmxRequest
from evaluations.models import Department
from evaluations.scope import visible_to
from workorders import selectors
from workorders.forms import InboxFilterForm

from ..access import board_readers_only, readers_only


def _partial(request: HtmxRequest) -> bool:
    """An htmx request for the list (not a history restore, which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@readers_only
@require_GET
def inbox(request: HtmxRequest) -> HttpResponse:
    user = request.user
    departments = visible_to(user, Department.objects.filter(active=True)).order_by("name")
    form = InboxFilterForm(request.GET or None, departments=departments)
    filters = form.filters()
    tab = filters.pop("tab", "")
    tab = tab if tab in selectors.TAB_KEYS else selectors.default_tab(user)
    today = timezone.localdate()
    next_day = selectors.next_working_day(today)
    context = {
        "form": form,
        "tab": tab,
        "tabs": selectors.inbox_tabs(user, today, next_day),
        "page": selectors.inbox_page(user, tab, filters, request.GET.get("page"), today, next_day),
        "filtered": bool(filters),
    }
    template = "workorders/_inbox.html" if _partial(request) else "workorders/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@board_readers_only
@require_GET
def board(request: AuthedRequest) -> HttpResponse:
    rows = selectors.board(request.user)
    sums = (sum(getattr(row, name) for row in rows) for name in selectors.BOARD_COUNTS)
    totals = selectors.BoardRow("", *sums)
    return render(
        request,
        "workorders/board.html",
        {"rows": rows, "totals": totals, "today": timezone.localdate()},
    )

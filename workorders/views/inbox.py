"""The handlers' inbox (tabs, filters, search, paging, the rows to tick for a bulk action) and the
managers' board."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from evaluations.http import AuthedRequest, HtmxRequest
from evaluations.models import Department, Role, User
from evaluations.scope import visible_to
from workorders import selectors
from workorders.forms import PAGE_SIZES, InboxFilterForm
from workorders.models import CLOCK_STATES, Category, State

from ..access import board_readers_only, readers_only

# The bulk actions each role may take from the list, with their buttons (the services check each order).
_BULK_LABELS = {"dispatch": _("派发所选"), "accept": _("签收所选"), "remind": _("催办所选")}
_BULK_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.OFFICE: ("dispatch", "remind"),
    Role.DEPARTMENT: ("accept",),
    Role.SYSADMIN: ("dispatch", "accept", "remind"),
}
# The states each bulk action starts from: a button is offered only when the page has such a row.
_BULK_FROM = {"dispatch": {State.CREATED}, "accept": {State.DISPATCHED}, "remind": set(CLOCK_STATES)}
RESULTS_KEY = "workorders.bulk_results"


def bulk_actions_for(user: User) -> list[tuple[str, Any]]:
    names = _BULK_BY_ROLE[Role.SYSADMIN] if user.is_superuser else _BULK_BY_ROLE.get(user.role, ())
    return [(name, _BULK_LABELS[name]) for name in names]


@dataclass
class BulkRow:
    """A list row with its checkbox and, for an order to dispatch, the row's category and department."""

    row: selectors.Row
    checked: bool
    dispatchable: bool
    category: str
    department_id: str  # "" keeps the suggested department (the rated one)


def _bulk_rows(
    page: Any, actions: list[tuple[str, Any]], checked: set[str], posted: QueryDict | None
) -> list[BulkRow]:
    may_dispatch = any(name == "dispatch" for name, _label in actions)
    rows = []
    for row in page.object_list:
        number = row.order.number
        rows.append(
            BulkRow(
                row,
                checked=number in checked,
                dispatchable=may_dispatch and row.order.state == State.CREATED,
                category=(posted.get(f"category-{number}") if posted else None) or row.order.category,
                department_id=(posted.get(f"department-{number}") if posted else None) or "",
            )
        )
    return rows


def _partial(request: HtmxRequest) -> bool:
    """An htmx request for the list (not a history restore, which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_inbox(
    request: HtmxRequest, query: QueryDict, *, status: int = 200, bulk_error: str = "",
    checked: set[str] | None = None, posted: QueryDict | None = None, partial: bool = False,
) -> HttpResponse:  # fmt: skip
    """The inbox for ``query`` (the GET parameters); a refused bulk submission comes back with its error
    above the list and the rows still ticked."""
    user = request.user
    departments = visible_to(user, Department.objects.filter(active=True)).order_by("name")
    form = InboxFilterForm(query or None, departments=departments)
    filters = form.filters()
    tab = filters.pop("tab", "")
    tab = tab if tab in selectors.TAB_KEYS else selectors.default_tab(user)
    size = filters.pop("per_page", selectors.PAGE_SIZE)
    today = timezone.localdate()
    next_day = selectors.next_working_day(today)
    page = selectors.inbox_page(user, tab, filters, query.get("page"), today, next_day, size=size)
    states = {row.order.state for row in page.object_list}
    actions = [(name, label) for name, label in bulk_actions_for(user) if states & _BULK_FROM[name]]
    if checked is None:
        checked = {row.order.number for row in page.object_list} if query.get("select") == "page" else set()
    back = query.copy()
    back.pop("select", None)
    context = {
        "form": form,
        "query": query,
        "tab": tab,
        "tabs": selectors.inbox_tabs(user, today, next_day),
        "page": page,
        "filtered": bool(filters),
        "per_page": size,
        "page_sizes": PAGE_SIZES,
        "bulk_actions": actions,
        "rows": _bulk_rows(page, actions, checked, posted),
        "all_checked": bool(page.object_list) and len(checked) >= len(page.object_list),
        # Read once for a user who may dispatch, whether or not this page holds an order to dispatch, so
        # that a page costs the same queries whatever its rows (tests/workorders/test_inbox_scale.py).
        "departments": list(departments) if any(n == "dispatch" for n, _l in bulk_actions_for(user)) else [],
        "categories": Category.choices,
        "back": back.urlencode(),
        "bulk_error": bulk_error,
        "results": request.session.pop(RESULTS_KEY, None) if status == 200 else None,
    }
    template = "workorders/_inbox.html" if partial else "workorders/inbox.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@readers_only
@require_GET
def inbox(request: HtmxRequest) -> HttpResponse:
    return render_inbox(request, request.GET, partial=_partial(request))


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

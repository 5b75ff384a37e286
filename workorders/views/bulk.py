"""POST /orders/bulk/: the inbox's ticked rows, one action, one submission (issue 16 §2).

A plain form POST (no JavaScript needed). A submission that cannot be read (nothing ticked, no such
action, too many orders) comes back as the inbox with the error above the list and the rows still
ticked (422), nothing done. Otherwise every order is tried on its own (workorders/services/bulk.py)
and the browser is sent back to the list it came from, which shows the result of each order once.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from evaluations.http import HtmxRequest
from workorders.forms import BulkForm
from workorders.services.bulk import BULK_ACTIONS

from ..access import readers_only
from .inbox import RESULTS_KEY, bulk_actions_for, render_inbox

_DONE = {"dispatch": _("派发"), "accept": _("签收"), "remind": _("催办")}


@readers_only
@require_POST
def bulk(request: HtmxRequest) -> HttpResponse:
    allowed = [name for name, _label in bulk_actions_for(request.user)]
    if not allowed:
        raise PermissionDenied  # the auditor and 12345 act on orders one by one, or not at all
    back = QueryDict(request.POST.get("back", "")[:2000])
    form = BulkForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] not in allowed:
        raise PermissionDenied
    if not form.is_valid():
        errors = [str(error) for field in ("action", "order") for error in form.errors.get(field, [])]
        ticked = {str(value).strip().upper() for value in request.POST.getlist("order")}
        return render_inbox(
            request, back, status=422, bulk_error=" ".join(errors), checked=ticked, posted=request.POST
        )
    action = form.cleaned_data["action"]
    outcomes = BULK_ACTIONS[action](by=request.user, picks=form.picks())
    request.session[RESULTS_KEY] = {
        "action": str(_DONE[action]),
        "done": sum(outcome.done for outcome in outcomes),
        "refused": sum(not outcome.done for outcome in outcomes),
        "rows": [[outcome.number, outcome.done, outcome.text] for outcome in outcomes],
    }
    query = back.urlencode()
    return redirect(reverse("workorders:inbox") + (f"?{query}" if query else ""))

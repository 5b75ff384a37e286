"""Who may open the work-order pages, and the one way an order is fetched (CONVENTIONS §4)."""

from django.http import Http404

from evaluations.access import role_required
from evaluations.http import AuthedRequest
from evaluations.roles import BOARD_READERS, ORDER_READERS
from workorders.models import WorkOrder
from workorders.selectors import get_order

readers_only = role_required(ORDER_READERS)
board_readers_only = role_required(BOARD_READERS)


def get_order_for_user(request: AuthedRequest, number: str) -> WorkOrder:
    """The order, only within the user's data scope; 404 otherwise (whether absent or not theirs)."""
    order = get_order(request.user, number)
    if order is None:
        raise Http404("no such work order in scope")
    return order

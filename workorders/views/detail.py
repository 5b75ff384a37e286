"""The detail page of one work order: the rating, the case, the deadlines, the timeline, and the forms
of exactly the actions this user may take now."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluations.crypto import mask_phone
from evaluations.http import AuthedRequest
from evaluations.pii import mask_text
from workorders.forms import ActionForm
from workorders.models import WorkOrder
from workorders.selectors import OrderFile, order_file
from workorders.services.notices import citizen_phone

from ..access import get_order_for_user, readers_only
from . import registry


@dataclass
class Failure:
    """An action that did not go through: its form as posted (input kept) and why, in Chinese."""

    name: str
    form: ActionForm | None
    message: str


@dataclass
class ActionBlock:
    action: registry.Action
    form: ActionForm | None  # None: shown disabled, with ``reason``
    message: str = ""
    open: bool = False
    reason: str = ""
    label: str = ""  # the action's name on this order (registry.Action.label_for)


def action_blocks(
    request: AuthedRequest, order: WorkOrder, file: OrderFile, failure: Failure | None
) -> list[ActionBlock]:
    """A block per action the user's role may take in this state: a form, or disabled with why; the
    first open one is unfolded. Disabled ones come last."""
    blocks, disabled = [], []
    for offer in registry.offers(order, request.user, file.pending_extension):
        action = offer.action
        label = str(action.label_for(order))
        if failure is not None and failure.name == action.name and failure.form is not None:
            blocks.append(ActionBlock(action, failure.form, failure.message, open=True, label=label))
        elif offer.reason:
            disabled.append(ActionBlock(action, None, reason=offer.reason, label=label))
        else:
            form = action.form_class(order=order, user=request.user, prefix=action.name)
            blocks.append(ActionBlock(action, form, open=not blocks and failure is None, label=label))
    return blocks + disabled


def render_detail(
    request: AuthedRequest,
    order: WorkOrder,
    *,
    failure: Failure | None = None,
    revealed: str | None = None,
    text_revealed: bool = False,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    file = order_file(order)
    blocks = action_blocks(request, order, file, failure)
    shown = {block.action.name for block in blocks}
    # A failed action no longer on offer (someone else moved the order) keeps its input below the alert.
    stale = failure if failure is not None and failure.name not in shown else None
    context = {
        "order": order,
        "file": file,
        "evaluation": order.evaluation,
        "blocks": blocks,
        "stale": stale,
        "stale_label": registry.ACTIONS[stale.name].label_for(order) if stale else "",
        "masked_phone": _masked(order),
        "may_see_phone": registry.may_see_phone(order, request.user),
        "revealed": revealed,
        # Free texts show their numbers masked; the full text only after a logged reveal (issue 14).
        "text_revealed": text_revealed,
        "text_refusal": refusal,
        "has_masked_text": any(mask_text(text) != text for text in free_texts(order, file)),
        "read_only": not any(block.form for block in blocks),
    }
    return render(request, "workorders/detail.html", context, status=status)


def free_texts(order: WorkOrder, file: OrderFile) -> list[str]:
    """Every text on the page that someone typed: the rating's comment (a supervision finding's
    description) and the order's texts."""
    rating = order.evaluation
    texts = [order.summary, order.rectification, order.reply]
    texts += [rating.comment, rating.validity_reason] if rating is not None else []
    texts += [order.contact_note, *(step.event.note for step in file.timeline)]
    texts += [text for row in file.extensions for text in (row.reason, row.decision_note)]
    texts += [text for row in file.appeals for text in (row.reason, row.evidence, row.decision_note)]
    return [text for text in texts if text]


def _masked(order: WorkOrder) -> str:
    return mask_phone(citizen_phone(order))


@readers_only
@require_GET
def detail(request: AuthedRequest, number: str) -> HttpResponse:
    return render_detail(request, get_order_for_user(request, number))

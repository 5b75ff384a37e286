"""``POST /api/v1/evaluations/bulk``: up to 500 ratings in one call, for portals and business systems
that sync in batches (issue 19 point 2). Each item is answered as ``POST /api/v1/evaluations`` would
answer it alone (201, 200 replay, or its refusal with status and errors), in the order sent; one bad
item never blocks the others. One transaction (services/bulk_intake.py says why); the items are judged
one by one and written together (services/intake_set.py).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pydantic
from django.utils.translation import gettext as _
from ninja import Body, Router, Status

from ..models import SenderKind
from ..refusals import Refusal
from ..services.bulk_intake import BULK_LIMIT, in_one_transaction
from ..services.client_keys import Sender
from ..services.intake import IntakeResult
from ..services.intake_set import SetItem, ratings_record_set
from .auth import KeyRequest
from .errors import ApiError, pydantic_errors
from .schemas import BulkEvaluationResultOut, EvaluationIn, responses

router = Router(tags=["评价"])

RESPONSES, _DOCS = responses(
    {200: (list[BulkEvaluationResultOut], "逐条结果，与提交顺序一致")}, (400, 401, 413, 415, 422)
)
_DOCS["requestBody"] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "maxItems": BULK_LIMIT,
                "items": {"$ref": "#/components/schemas/EvaluationIn"},
            }
        }
    },
}


def check_size(items: Sequence[Any]) -> None:
    """More than BULK_LIMIT ratings in one call is refused as a whole (413), before anything is read."""
    if len(items) > BULK_LIMIT:
        message = _("一次最多提交 %(limit)d 条评价，本次 %(count)d 条。") % {
            "limit": BULK_LIMIT,
            "count": len(items),
        }
        raise ApiError(413, "too_many_items", message)


def item_answer(sent: object, parsed: object, outcome: IntakeResult | Exception) -> dict:
    """One item's entry in the answer: the single call's status and body, or its errors. ``sent`` is
    the item as posted, ``parsed`` the validated model (or its ValidationError)."""
    client_id = getattr(parsed, "client_id", None)
    if client_id is None and isinstance(sent, Mapping):
        client_id = sent.get("client_id")
    answer: dict = {"client_id": client_id if isinstance(client_id, str) else None}
    if isinstance(outcome, IntakeResult):
        status = 201 if outcome.created else 200
        return {**answer, "status": status, "id": outcome.evaluation.pk, "work_order": outcome.work_order}
    if isinstance(outcome, Refusal):
        return {**answer, "status": outcome.status, "errors": [outcome.as_error()]}
    if isinstance(outcome, pydantic.ValidationError):
        return {**answer, "status": 422, "errors": pydantic_errors(outcome.errors(include_url=False))}
    raise outcome  # the bulk paths return only the refused kinds


def parse_each(items: Sequence[Any], schema: type[pydantic.BaseModel]) -> list[Any]:
    """Each item validated on its own, before the transaction: the model, or its ValidationError."""
    parsed: list[Any] = []
    for item in items:
        try:
            parsed.append(schema.model_validate(item))
        except pydantic.ValidationError as exc:
            parsed.append(exc)
    return parsed


def raise_if_invalid(item: Any) -> None:
    """An item that failed validation is refused at its turn (each_in_one_transaction answers it)."""
    if isinstance(item, Exception):
        raise item


@router.post(
    "/evaluations/bulk",
    response=RESPONSES,
    exclude_unset=True,
    openapi_extra=_DOCS,
    summary="批量提交评价",
    description=(
        f"一次最多 {BULK_LIMIT} 条，每条与单条提交（POST /api/v1/evaluations）的字段和规则相同，"
        "按提交顺序逐条处理、逐条返回：status 为单条提交时的状态码——201 新评价、200 本密钥以同一 "
        "client_id 提交过相同内容（返回第一次的 id 和 work_order）、4xx 未写入（errors 为原因，"
        "如 409 client_id_reused、422 reason_required、404 record_not_found）。某条不通过不影响其他条；"
        "同一批中靠后的条目能看到靠前的（同一 client_id 再次出现按重试返回 200）。"
        f"超过 {BULK_LIMIT} 条返回 413 too_many_items，请求体不是数组返回 422，均不写入。"
    ),
)
def evaluations_bulk(request: KeyRequest, items: Body[list[Any]]):
    check_size(items)
    parsed = parse_each(items, EvaluationIn)
    sender = Sender.of(SenderKind.API_KEY, request.auth)  # a client_id is this key's own
    entries = [SetItem(item.serial_no, item.to_rating()) if isinstance(item, EvaluationIn) else item
               for item in parsed]  # fmt: skip
    # Judged one by one by the single call's rules, written together (services.intake_set).
    outcomes = in_one_transaction(
        lambda: ratings_record_set(entries, sender=sender, scope=request.auth.region)
    )
    return Status(200, [item_answer(*entry) for entry in zip(items, parsed, outcomes, strict=True)])

"""``POST /api/devices/v1/evaluations/bulk``: an evaluator flushing its offline buffer (issue 19 point 2).

One signed request (the same signature and nonce as every device request, devices/auth.py) carries up
to 500 ratings; each is answered as ``POST evaluations`` would answer it alone, in order, with the
late-upload rules judged per item (evaluations/services/upload_window.py: each by its own rated_at).
One transaction, a savepoint per item (evaluations/services/bulk_intake.py says why).
"""

from typing import Any

import pydantic
from ninja import Body, Router, Status

from evaluations.api.evaluations_bulk import check_size, item_answer, parse_each, raise_if_invalid
from evaluations.api.schemas import BulkEvaluationResultOut
from evaluations.http import client_address
from evaluations.refusals import Refusal
from evaluations.services.bulk_intake import BULK_LIMIT, each_in_one_transaction
from evaluations.services.intake import IntakeResult

from ..services.intake import device_rating_record
from .routes import ERRORS, DeviceRequest, _responses
from .schemas import DeviceEvaluationIn

router = Router(tags=["评价设备"])

BULK, _BULK_DOCS = _responses(
    {200: (list[BulkEvaluationResultOut], "逐条结果，与提交顺序一致")}, (400, 401, 413, 415, 422)
)
_BULK_DOCS["responses"][413] = {"description": f"超过 {BULK_LIMIT} 条（too_many_items），或{ERRORS[413]}"}
_BULK_DOCS["requestBody"] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "maxItems": BULK_LIMIT,
                "items": {"$ref": "#/components/schemas/DeviceEvaluationIn"},
            }
        }
    },
}


@router.post(
    "/evaluations/bulk",
    response=BULK,
    exclude_unset=True,
    openapi_extra=_BULK_DOCS,
    summary="批量补传评价",
    description=(
        f"离线缓存的评价一次补传，最多 {BULK_LIMIT} 条；整个请求按设备接口的规则签名一次"
        "（签名覆盖整个请求体，随机数只用一次）。每条与单条提交（POST evaluations）的字段和规则相同，"
        "按顺序逐条处理、逐条返回：status 为单条提交时的状态码——201 新评价、200 本设备以同一 client_id "
        "提交过相同内容、4xx 未写入（errors 为原因）。每条按自己的 rated_at 判断评价期限和补传期限"
        "（超过“离线评价补传期限”的返回 422 upload_too_late），某条不通过不影响其他条。"
        f"超过 {BULK_LIMIT} 条返回 413 too_many_items，请求体不是数组返回 422，均不写入。"
    ),
)
def evaluations_bulk(request: DeviceRequest, items: Body[list[Any]]):
    check_size(items)
    parsed = parse_each(items, DeviceEvaluationIn)
    device, address = request.auth, client_address(request)

    def rate(item: Any, _prepared: None) -> IntakeResult:
        raise_if_invalid(item)
        return device_rating_record(device=device, rating=item.to_rating(), address=address)

    # One device's buffer: its cases are locked one by one as the intake service reaches them (two
    # flushes of one buffer lock them in the same order; a deadlock otherwise is retried).
    outcomes = each_in_one_transaction(parsed, each=rate, refused=(Refusal, pydantic.ValidationError))
    return Status(200, [item_answer(*entry) for entry in zip(items, parsed, outcomes, strict=True)])

"""Records API: business systems push cases (办件) as they are accepted and completed (DESIGN §7)."""

from typing import Any

import pydantic
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Body, Path, Router, Status

from ..refusals import InputErrors
from ..services.records import record_upsert
from .auth import KeyRequest, check_record_scope
from .errors import ApiError, pydantic_errors, status_and_errors
from .schemas import BulkRecordIn, BulkResultOut, RecordIn, RecordOut, SerialNo, responses
from .text_types import NO_CONTROLS_PATTERN

BULK_LIMIT = 500

router = Router(tags=["办件"])

BULK_RESPONSES, _BULK_DOCS = responses({200: (list[BulkResultOut], "逐条结果")}, (400, 401, 413, 415, 422))
PUT_RESPONSES, _PUT_DOCS = responses(
    {200: (RecordOut, "已更新"), 201: (RecordOut, "已新建")}, (400, 401, 403, 415, 422)
)
_BULK_DOCS["requestBody"] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "maxItems": BULK_LIMIT,
                "items": {
                    "allOf": [
                        {"$ref": "#/components/schemas/RecordIn"},
                        {
                            "type": "object",
                            "required": ["serial_no"],
                            "properties": {
                                "serial_no": {
                                    "type": "string",
                                    "maxLength": 64,
                                    "pattern": NO_CONTROLS_PATTERN,
                                    "description": "办件编号",
                                }
                            },
                        },
                    ]
                },
            }
        }
    },
}


# Registered before "records/{serial_no}" so that "records/bulk" is not read as a serial number.
@router.post(
    "/records/bulk",
    response=BULK_RESPONSES,
    exclude_unset=True,
    summary="批量推送办件",
    description=(
        f"一次最多 {BULK_LIMIT} 条，每条与单条推送相同并带 serial_no。逐条写入，某条出错不影响其他条；"
        "返回与提交顺序一致的逐条结果。"
    ),
    openapi_extra=_BULK_DOCS,
)
def records_bulk(request: KeyRequest, items: Body[list[Any]]):
    if len(items) > BULK_LIMIT:
        message = _("一次最多提交 %(limit)d 条办件，本次 %(count)d 条。") % {
            "limit": BULK_LIMIT,
            "count": len(items),
        }
        raise ApiError(413, "too_many_items", message)
    # One transaction around the call, a savepoint per item (the service's atomic): a refused item
    # rolls back alone and is reported in its result (DESIGN §7), while an unexpected failure (a bug,
    # a lost connection) rolls back every item, so the 500 never leaves the call half-written.
    with transaction.atomic():
        results = [_push_one(request, item) for item in items]
    return Status(200, results)


@router.put(
    "/records/{serial_no}",
    response=PUT_RESPONSES,
    openapi_extra=_PUT_DOCS,
    summary="推送办件（按办件编号新建或更新）",
    description="新建返回 201，更新返回 200；同一内容重复推送结果相同。办结时计算评价截止时间。",
)
def record_put(request: KeyRequest, serial_no: Path[SerialNo], payload: RecordIn):
    check_record_scope(request.auth, serial_no=serial_no, region_code=payload.region_code)
    record, created = record_upsert(serial_no=serial_no, data=payload.to_data(), source=request.auth)
    return Status(201 if created else 200, RecordOut.of(record))


def _push_one(request: KeyRequest, item: Any) -> dict:
    """One item of a bulk push, in its own transaction (the service's); a refusal stays with it."""
    serial_no = item.get("serial_no") if isinstance(item, dict) else None
    result: dict = {"serial_no": serial_no if isinstance(serial_no, str) else None}
    try:
        parsed = BulkRecordIn.model_validate(item)
        check_record_scope(request.auth, serial_no=parsed.serial_no, region_code=parsed.region_code)
        record, created = record_upsert(
            serial_no=parsed.serial_no, data=parsed.to_data(), source=request.auth
        )
    except pydantic.ValidationError as exc:
        return {**result, "status": 422, "errors": pydantic_errors(exc.errors(include_url=False))}
    except (ApiError, InputErrors) as exc:
        status, errors = status_and_errors(exc)  # type: ignore[misc]
        return {**result, "status": status, "errors": errors}
    return {"serial_no": record.serial_no, "status": 201 if created else 200}

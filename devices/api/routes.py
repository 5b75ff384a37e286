"""The device API's operations: parse, call one service, answer (DESIGN §7)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from evaluations.api.schemas import ErrorsOut
from evaluations.http import client_address

from ..models import Device
from ..services.duty import device_sign_in, device_sign_out
from ..services.intake import device_heartbeat, device_pending, device_rating_record
from .schemas import DeviceEvaluationIn, DutyIn, DutyOut, EvaluationOut, HeartbeatIn, HeartbeatOut, PendingOut

router = Router(tags=["评价设备"])


class DeviceRequest(HttpRequest):
    """For annotations only: ninja sets ``auth`` to what DeviceSignatureAuth returned, the Device."""

    auth: Device


ERRORS = {
    400: "请求内容不是有效的 JSON",
    401: "签名请求头缺失或无效：设备未登记、已停用、时间偏差过大、签名错误或随机数重复",
    404: "办件不存在，或不属于本设备所在大厅",
    409: "该办件此对象已经评价过；或本设备的同一 client_id 已用于内容不同的评价（client_id_reused），未写入",
    413: "请求内容过大",
    415: "请求内容不是 JSON（Content-Type: application/json）",
    422: "字段校验不通过，或业务规则不允许（如评价期限已过）",
}


def _responses(ok: dict[int, tuple[Any, str]], errors: tuple[int, ...]) -> tuple[dict, dict]:
    response: dict = {code: schema for code, (schema, _text) in ok.items()}
    response[frozenset(errors)] = ErrorsOut
    texts = {code: text for code, (_schema, text) in ok.items()} | {code: ERRORS[code] for code in errors}
    return response, {"responses": {code: {"description": text} for code, text in texts.items()}}


HEARTBEAT, _HEARTBEAT_DOCS = _responses(
    {200: (HeartbeatOut, "服务器时间、窗口与在岗人员")}, (400, 401, 415, 422)
)
PENDING, _PENDING_DOCS = _responses({200: (PendingOut | None, "待评价办件；没有时为 null")}, (401,))
EVALUATION, _EVALUATION_DOCS = _responses(
    {
        201: (EvaluationOut, "已记录"),
        200: (EvaluationOut, "本设备以同一 client_id 提交过相同内容：第一次的结果"),
    },
    (400, 401, 404, 409, 413, 415, 422),
)


@router.post(
    "/heartbeat",
    response=HEARTBEAT,
    openapi_extra=_HEARTBEAT_DOCS,
    summary="心跳",
    description='设备定时调用（请求体可为空或 {"firmware": "…"}）；返回服务器时间、所在窗口和在岗人员。',
)
def heartbeat(request: DeviceRequest, payload: HeartbeatIn | None = None):
    return device_heartbeat(device=request.auth, firmware=payload.firmware if payload else None)


@router.get(
    "/pending",
    response=PENDING,
    openapi_extra=_PENDING_DOCS,
    summary="待评价办件",
    description=(
        "本窗口等待评价的办件（办件编号、事项名称、经办人）；没有时返回 null。"
        "stage、target、assess_number 说明评价器应请群众评价什么：刚办结的办件评价事项；"
        "窗口人员推送的未办结联办件在收件时评价窗口人员；为已评价办件推送的为追评。"
    ),
)
def pending(request: DeviceRequest):
    return device_pending(device=request.auth)


@router.post(
    "/evaluations",
    response=EVALUATION,
    openapi_extra=_EVALUATION_DOCS,
    summary="提交评价",
    description=(
        "新评价返回 201；本设备以同一 client_id 再次提交相同内容（设备重试、离线补传，"
        "随机数和时间戳可以不同）"
        "返回 200 和第一次的结果，绝不重复记录；内容不同返回 409 client_id_reused，不写入。"
        "client_id 属于设备（按设备序列号）：其他设备使用同一编号是另一条新评价。"
        "带 serial_no 时评价该办件：stage、target、assess_number 缺省为该办件所待的评价"
        "（未办结的联办件为收件时的窗口人员，查询咨询类业务为窗口人员，评价器正显示追评的为追评，其余为事项首评）；"
        "不带时评价 rated_at 时在本窗口签到的工作人员"
        "（无人或多人在岗时只评价窗口，不计入个人）。"
        "离线缓存的评价带原来的 rated_at：按 rated_at 判断是否在办件评价期限内（期限内作出的评价，"
        "期限过后补传仍可受理；期限过后才作出的返回 422 window_closed）；"
        "在评价后的“离线评价补传期限”（评价规则，缺省 3 个工作日）内上传均受理，记为补传，"
        "超过返回 422 upload_too_late。"
    ),
)
def evaluation_post(request: DeviceRequest, payload: DeviceEvaluationIn):
    result = device_rating_record(
        device=request.auth, rating=payload.to_rating(), address=client_address(request)
    )
    body = {"id": result.evaluation.pk, "work_order": result.work_order}
    return Status(201 if result.created else 200, body)


# Signing staff in and out at the device's window (issue 12: who is on duty).
_DUTY_ERRORS = {
    400: ERRORS[400],
    401: ERRORS[401],
    404: "没有这个工号的工作人员（staff_unknown）",
    409: "该工作人员没有在本窗口签到（not_on_duty，仅签退）",
    415: ERRORS[415],
    422: (
        "字段校验不通过；设备不属于窗口（window_required）；"
        "工作人员已停用（staff_inactive）或不属于本窗口进驻部门（staff_not_at_window）"
    ),
}
DUTY = {200: DutyOut, frozenset((400, 401, 404, 409, 415, 422)): ErrorsOut}
_DUTY_DOCS = {
    "responses": {200: {"description": "签到、签退后本窗口的在岗工作人员"}}
    | {code: {"description": text} for code, text in _DUTY_ERRORS.items()}
}


@router.post(
    "/duty/sign-in",
    response=DUTY,
    openapi_extra=_DUTY_DOCS,
    summary="工作人员签到",
    description=(
        "工作人员在本设备所在窗口签到上岗（工号须属于窗口进驻部门，或本窗口为其所在窗口）；"
        "在其他窗口的在岗记录随之结束，同一天在本窗口重复签到不重复记录。"
        "签到后评价器显示其姓名、工号和部门，没有办件的评价计入签到的工作人员。"
    ),
)
def duty_sign_in(request: DeviceRequest, payload: DutyIn):
    return device_sign_in(device=request.auth, staff_no=payload.staff_no)


@router.post(
    "/duty/sign-out",
    response=DUTY,
    openapi_extra=_DUTY_DOCS,
    summary="工作人员签退",
    description="工作人员在本设备所在窗口签退；此后没有办件的评价不再计入其名下（无人在岗时只计入窗口）。",
)
def duty_sign_out(request: DeviceRequest, payload: DutyIn):
    return device_sign_out(device=request.auth, staff_no=payload.staff_no)

"""Request and response shapes of the records and evaluations APIs (DESIGN §7, a fixed contract).

Times are ISO 8601 strings with an offset, e.g. ``2025-10-09T14:30:00+08:00`` or ``...Z``.
A time without an offset is **refused** (code ``naive_datetime``), not read as Asia/Shanghai: a
business system whose clock runs on UTC would otherwise shift every case by eight hours and nobody
would notice, while a refusal is noticed on the first request. Unix timestamps and bare dates are
refused for the same reason. Times in responses are given in Asia/Shanghai (``+08:00``).

Request bodies are plain pydantic models (not ``ninja.Schema``, which also reads attributes of
objects and would report a string sent for an object as missing fields). Optional fields may be
left out or sent as ``null``. Fields the contract does not name are ignored, so a business system
may send more than we read. Integers are strict: ``"5"`` or ``true`` is not a grade; a whole number
written as a float (``3.0``, as some JSON libraries write every number) is the integer, while ``3.5``
is refused with code ``not_integer``.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AwareDatetime, BaseModel, BeforeValidator, StrictBool, StrictInt, StringConstraints
from pydantic_core import PydanticCustomError

from ..refusals import COMMENT_LIMIT
from ..services.intake import Rating
from ..services.records import RecordData
from .text_types import FREE_TEXT, IDENTIFIER


def _iso_string(value: object) -> object:
    if isinstance(value, str | datetime):
        return value
    raise PydanticCustomError("datetime_format", "expected an ISO 8601 string with an offset")


def _text(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


def _integral(value: object) -> object:
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise PydanticCustomError("not_integral", "expected a whole number")
    return value


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_string)]
# An integer field: 3 or 3.0, never 3.5, "3" or true. The schema still says "integer".
WholeInt = Annotated[StrictInt, BeforeValidator(_integral)]
# Identifiers refuse NUL and control characters; free text refuses NUL and strips the others
# (evaluations/api/text_types.py says why).
SerialNo = Annotated[str, _text(64), IDENTIFIER]
ClientId = Annotated[str, _text(64), IDENTIFIER]
Code = Annotated[str, _text(64), IDENTIFIER]
Name = Annotated[str, _text(100), FREE_TEXT]
ShortText = Annotated[str, _text(32, min_length=0), IDENTIFIER]
TagCode = Annotated[str, _text(16), IDENTIFIER]
Comment = Annotated[str, StringConstraints(max_length=COMMENT_LIMIT), FREE_TEXT]

# The vocabularies of DESIGN §7, spelled out here because they are the contract
# (test_api_records checks that they match the model choices).
CaseChannelIn = Literal["window", "online", "mobile", "kiosk", "hotline"]
RecordStatusIn = Literal["accepted", "completed"]
ApplicantTypeIn = Literal["person", "legal_person"]
TargetIn = Literal["matter", "staff"]
StageIn = Literal["intake", "completion"]
# "default" is the system's own channel for timed-out cases; a client cannot send it.
RatingChannelIn = Literal["pc", "mobile", "qr", "device", "kiosk", "phone", "sms", "paper"]


class ErrorOut(Schema):
    field: str = Field(description="出错的字段（如 applicant.name），与字段无关时为空")
    code: str = Field(description="错误代码，供程序判断")
    message: str = Field(description="中文说明，供人阅读")


class ErrorsOut(Schema):
    errors: list[ErrorOut]


ERROR_DESCRIPTIONS = {
    400: "请求内容不是有效的 JSON",
    401: "缺少、错误或已停用的接口密钥",
    403: "办件不在密钥限定的区划内",
    404: "办件不存在",
    409: (
        "该办件此对象此环节已经评价过（already_rated、follow_up_exists）；"
        "或本密钥的同一 client_id 已用于内容不同的评价（client_id_reused），未写入"
    ),
    413: "条数过多或请求内容过大",
    415: "请求内容不是 JSON（Content-Type: application/json）",
    422: "字段校验不通过，或业务规则不允许",
}


def responses(ok: dict[int, tuple[Any, str]], errors: tuple[int, ...]) -> tuple[dict, dict]:
    """ninja's ``response=`` and the matching ``openapi_extra`` with Chinese descriptions."""
    response: dict = {code: schema for code, (schema, _text) in ok.items()}
    response[frozenset(errors)] = ErrorsOut
    texts = {code: text for code, (_schema, text) in ok.items()} | {
        code: ERROR_DESCRIPTIONS[code] for code in errors
    }
    return response, {"responses": {code: {"description": text} for code, text in texts.items()}}


class ApplicantIn(BaseModel):
    type: ApplicantTypeIn = Field(description="申请人类型：person 自然人，legal_person 法人")
    name: Name = Field(description="申请人（单位）名称")
    id_number: ShortText | None = Field(None, description="证件号码")
    phone: ShortText | None = Field(None, description="联系电话，用于评价提醒短信")


class RecordIn(BaseModel):
    matter_code: Code = Field(description="事项编码")
    department_code: Code = Field(description="办理部门统一社会信用代码")
    region_code: Code = Field(description="区划代码（12 位）")
    window_code: Code | None = Field(None, description="窗口编码")
    staff_no: Code | None = Field(None, description="经办人工号")
    channel: CaseChannelIn = Field(description="办件来源")
    status: RecordStatusIn = Field(description="accepted 已受理，completed 已办结")
    accepted_at: IsoDateTime = Field(description="受理时间，ISO 8601 带时区")
    completed_at: IsoDateTime | None = Field(None, description="办结时间，已办结时必填")
    applicant: ApplicantIn = Field(description="申请人")
    batch_no: Code | None = Field(None, description="批量业务编号：同一批次评价一次")
    theme_no: Code | None = Field(None, description="主题业务编号")
    joint_department_codes: list[Code] | None = Field(None, max_length=20, description="联办部门代码")
    consultation: StrictBool | None = Field(
        None,
        description=(
            "查询咨询类业务（缺省 false；事项本身为仅咨询的也按咨询类办理）：网上办结的不评价，"
            "在大厅办结的只评价窗口人员服务；均不发提醒短信、不作超期未评或默认评价"
        ),
    )

    def to_data(self) -> RecordData:
        return RecordData(
            matter_code=self.matter_code,
            department_code=self.department_code,
            region_code=self.region_code,
            channel=self.channel,
            status=self.status,
            accepted_at=self.accepted_at,
            completed_at=self.completed_at,
            window_code=self.window_code,
            staff_no=self.staff_no,
            applicant_type=self.applicant.type,
            applicant_name=self.applicant.name,
            applicant_id_number=self.applicant.id_number or "",
            applicant_phone=self.applicant.phone or "",
            batch_no=self.batch_no or "",
            theme_no=self.theme_no or "",
            joint_department_codes=list(self.joint_department_codes or []),
            consultation=bool(self.consultation),
        )


class BulkRecordIn(RecordIn):
    serial_no: SerialNo = Field(description="办件编号")


class RecordOut(Schema):
    serial_no: str
    status: str = Field(description="办件状态：accepted 或 completed")
    rating_deadline: datetime | None = Field(description="评价截止时间；未办结时为 null")

    @staticmethod
    def of(record) -> dict:
        deadline = record.rating_deadline
        return {
            "serial_no": record.serial_no,
            "status": record.status,
            "rating_deadline": timezone.localtime(deadline) if deadline else None,
        }


class BulkResultOut(Schema):
    serial_no: str | None = Field(description="该条的办件编号；无法读出时为 null")
    status: int = Field(description="该条的结果：201 新建，200 更新，4xx 未写入")
    errors: list[ErrorOut] | None = Field(None, description="未写入时的原因")


class EvaluationIn(BaseModel):
    client_id: ClientId = Field(
        description=(
            "客户端生成的编号，在本密钥内唯一：同一内容重复提交返回第一次的结果，"
            "内容不同返回 409 client_id_reused；其他密钥的同一编号与本密钥无关"
        )
    )
    serial_no: SerialNo = Field(description="办件编号")
    target: TargetIn = Field(description="评价对象：matter 服务事项，staff 服务人员")
    stage: StageIn = Field(description="评价环节：intake 受理时，completion 办结时")
    grade: Annotated[WholeInt, Field(ge=1, le=5)] = Field(
        description="评价等级：1 非常不满意，2 不满意，3 基本满意，4 满意，5 非常满意"
    )
    tags: list[TagCode] | None = Field(None, max_length=20, description="评价标签编码")
    comment: Comment | None = Field(None, description="评价内容")
    channel: RatingChannelIn = Field(description="评价渠道")
    rated_at: IsoDateTime | None = Field(None, description="评价时间，缺省为收到的时间")
    assess_number: Annotated[WholeInt, Field(ge=1, le=2)] | None = Field(
        None, description="1 首评（缺省），2 追评"
    )
    apply_to_theme: StrictBool | None = Field(
        None,
        description=(
            "主题业务的事项评价：true（缺省）为总体评价，同时适用于主题业务中尚未分别评价的已办结事项；"
            "false 只评价本事项（分别评价）"
        ),
    )

    def to_rating(self) -> Rating:
        return Rating(
            target=self.target,
            stage=self.stage,
            grade=self.grade,
            channel=self.channel,
            tags=list(self.tags or []),
            comment=self.comment or "",
            assess_number=self.assess_number or 1,
            rated_at=self.rated_at,
            client_id=self.client_id,
            apply_to_theme=self.apply_to_theme is not False,
        )


class EvaluationOut(Schema):
    id: int = Field(description="评价编号")
    work_order: str | None = Field(description="差评生成的工单编号；非差评为 null")


class BulkEvaluationResultOut(Schema):
    """One item of a bulk rating call: what the single call would have answered for it."""

    client_id: str | None = Field(description="该条的 client_id；无法读出时为 null")
    status: int = Field(
        description="单条提交时的状态码：201 新评价，200 同一 client_id 相同内容的重试，4xx 未写入"
    )
    id: int | None = Field(None, description="评价编号（201、200 时）")
    work_order: str | None = Field(None, description="差评生成的工单编号（201、200 时；非差评为 null）")
    errors: list[ErrorOut] | None = Field(None, description="未写入时的原因（4xx 时）")

"""Request and response shapes of the device API (DESIGN §7, a fixed contract).

The field types are the records API's (evaluations.api.schemas): strict integers, trimmed texts,
times as ISO 8601 with an offset (a time without one is refused, never guessed), identifiers that
refuse NUL and control characters, a comment that refuses NUL and loses other control characters.
"""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints

from evaluations.api.schemas import (
    ClientId,
    Comment,
    IsoDateTime,
    SerialNo,
    StageIn,
    TagCode,
    TargetIn,
    WholeInt,
)
from evaluations.api.text_types import IDENTIFIER

from ..services.intake import DeviceRating

Firmware = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), IDENTIFIER]


class HeartbeatIn(BaseModel):
    firmware: Firmware | None = Field(None, description="设备固件版本")


class WindowOut(Schema):
    code: str = Field(description="窗口编码")
    name: str = Field(description="窗口名称")


class StaffOut(Schema):
    staff_no: str = Field(description="工号")
    name: str = Field(description="姓名")
    department: str = Field(description="所属部门名称")
    signed_in_at: datetime = Field(description="在本窗口签到的时间")


class HeartbeatOut(Schema):
    server_time: datetime = Field(description="服务器时间（带时区），设备据此校准时钟")
    window: WindowOut | None = Field(description="设备所在窗口；自助终端不属于窗口时为 null")
    staff_on_duty: list[StaffOut] = Field(description="在本窗口签到、尚未签退的工作人员（按签到先后）")


StaffNo = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), IDENTIFIER]


class DutyIn(BaseModel):
    staff_no: StaffNo = Field(description="工作人员工号")


class DutyOut(Schema):
    window: WindowOut = Field(description="设备所在窗口")
    staff_on_duty: list[StaffOut] = Field(description="签到、签退之后本窗口的在岗工作人员")


class PendingOut(Schema):
    serial_no: str = Field(description="办件编号")
    matter_name: str = Field(description="事项名称")
    staff_name: str | None = Field(description="经办人姓名")
    set_at: datetime = Field(description="发起评价的时间")
    stage: str = Field(description="评价环节：intake 收件时（联办件未办结，评价窗口人员），completion 办结时")
    target: str = Field(
        description="评价对象：matter 事项（窗口办件可另评 staff），staff 窗口人员（收件时、查询咨询类业务）"
    )
    assess_number: int = Field(description="1 首评；2 追评（窗口人员为已评价的办件发起追加评价）")
    staff_and_matter: bool = Field(
        description="批量业务、联办件办结时：一次评价同时适用于窗口人员和事项，差评须分别带两者的标签"
    )


class DeviceEvaluationIn(BaseModel):
    client_id: ClientId = Field(
        description="设备生成的编号，在本设备内唯一；重试时不变，同一内容重复提交返回第一次的结果"
    )
    serial_no: SerialNo | None = Field(None, description="办件编号；不填时评价窗口在岗工作人员")
    target: TargetIn | None = Field(
        None, description="评价对象：有办件时缺省为 matter（事项），staff 为办结时的经办人；无办件时为 staff"
    )
    grade: Annotated[WholeInt, Field(ge=1, le=5)] = Field(
        description="评价等级：1 非常不满意，2 不满意，3 基本满意，4 满意，5 非常满意"
    )
    tags: list[TagCode] | None = Field(None, max_length=20, description="评价标签编码，缺省为空")
    comment: Comment | None = Field(None, description="评价内容，缺省为空")
    rated_at: IsoDateTime = Field(description="评价人评价的时间（设备时钟）；离线缓存后补传时保持原值")
    stage: StageIn | None = Field(
        None, description="评价环节：缺省为办件所待的环节（未办结的联办件为 intake，否则 completion）"
    )
    assess_number: Annotated[WholeInt, Field(ge=1, le=2)] | None = Field(
        None, description="1 首评，2 追评；缺省时，评价器正为该办件显示追评则为 2，否则为 1"
    )

    def to_rating(self) -> DeviceRating:
        return DeviceRating(
            client_id=self.client_id,
            grade=self.grade,
            rated_at=self.rated_at,
            serial_no=self.serial_no,
            target=self.target,
            tags=list(self.tags or []),
            comment=self.comment or "",
            stage=self.stage,
            assess_number=self.assess_number,
        )


class EvaluationOut(Schema):
    id: int = Field(description="评价编号")
    work_order: str | None = Field(description="差评生成的工单编号；非差评为 null")

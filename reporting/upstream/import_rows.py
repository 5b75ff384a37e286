"""Reading one row of a historical export (national field names, docs/upstream.md) into what the
services take: the case for ``record_upsert`` and, for an active rating, the ``Rating`` for intake.

Each column is checked on its own and every mistake is collected, so a row reports all its problems
at once. Rules that need the database (codes that exist, the evaluation window, tags) are left to the
services, which apply them as they did on the day of the rating.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import ApplicantType, CaseChannel, ServiceRecord, Stage, Target
from evaluations.services.intake import Rating
from evaluations.services.records import RecordData

from . import mapping

# Column -> its Chinese name, in the order of the documented table.
COLUMNS: dict[str, str] = {
    "projectNo": "办件编号",
    "taskCode": "事项编码",
    "deptCode": "部门统一社会信用代码",
    "areaCode": "行政区划代码",
    "userProp": "申请人类型",
    "userName": "申请人",
    "mobile": "联系电话",
    "handleChannel": "办件来源",
    "windowCode": "窗口编码",
    "staffNo": "工作人员工号",
    "acceptTime": "受理时间",
    "finishTime": "办结时间",
    "assessType": "评价类型",
    "assessObject": "评价对象",
    "assessStage": "评价环节",
    "pf": "评价渠道",
    "satisfaction": "满意度",
    "evalDetail": "评价标签",
    "writingEvaluation": "文字评价",
    "assessTime": "评价时间",
    "assessNumber": "评价次数",
    # A bad review's history in the predecessor system (import_orders.py).
    "rectification": "整改情况",
    "replyContent": "答复评价人",
    "rectifyTime": "整改时间",
    "revisitResult": "回访结果",
    "revisitWay": "回访方式",
    "revisitTime": "回访时间",
}
REQUIRED_COLUMNS = ("projectNo", "taskCode", "deptCode", "areaCode", "userProp", "assessTime")
# A case without its own channel column: from the window, else from where it was rated.
# pf 6 (短信) says nothing of how the case was handled: such a case falls back to online.
CHANNEL_BY_PF = {"1": "online", "2": "mobile", "3": "window", "4": "window", "5": "kiosk"}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y%m%d%H%M%S")
FUTURE_SKEW = timedelta(minutes=5)
USER_PROP_WORDS = {
    "自然人": ApplicantType.PERSON,
    "个人": ApplicantType.PERSON,
    "法人": ApplicantType.LEGAL_PERSON,
}


@dataclass
class RowError:
    row: int  # the spreadsheet's row number: the header is row 1
    column: str
    message: str

    @property
    def column_label(self) -> str:
        if self.column in COLUMNS:
            return f"{self.column}（{COLUMNS[self.column]}）"
        return self.column or _("整行")

    def __str__(self) -> str:
        return _("第 %(row)d 行 %(column)s：%(message)s") % {
            "row": self.row,
            "column": self.column_label,
            "message": self.message,
        }


@dataclass
class PlannedRow:
    number: int
    serial_no: str
    case: RecordData | None = None
    rating: Rating | None = None  # None: a timeout row, the case only (our own rules derive the marker)
    history: Any = None  # import_orders.History: a bad review's rectification and revisit
    when: datetime | None = None
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, str(message)))

    @property
    def rating_key(self) -> tuple | None:
        if self.rating is None:
            return None
        return (self.serial_no, self.rating.target, self.rating.stage, self.rating.assess_number)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns codes typed as digits into floats
    return str(value).strip()


def parse_time(value: Any) -> datetime | None:
    """A time as Excel gives it (a datetime) or as text; without an offset it is Beijing time."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        raw = text(value)
        if not raw:
            return None
        parsed: datetime | None = None
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            for pattern in TIME_FORMATS:
                try:
                    parsed = datetime.strptime(raw, pattern)  # noqa: DTZ007 -- Beijing time, set below
                    break
                except ValueError:
                    continue
        if parsed is None:
            raise ValueError(_("“%(value)s”不是有效的时间，应为“2024-05-01 09:30:00”。") % {"value": raw})
        moment = parsed
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=mapping.BEIJING)


def plan_row(number: int, row: dict[str, Any], finish_by_case: dict[str, datetime]) -> PlannedRow:
    planned = PlannedRow(number=number, serial_no=text(row.get("projectNo")))
    value = {name: text(row.get(name)) for name in COLUMNS}
    for name in ("projectNo", "taskCode", "deptCode", "areaCode", "userProp"):
        if not value[name]:
            planned.fail(name, _("必填。"))
    max_length = ServiceRecord._meta.get_field("serial_no").max_length
    assert max_length is not None  # serial_no is a CharField, which always has one
    if len(planned.serial_no) > max_length:
        planned.fail("projectNo", _("不能超过 64 个字符。"))
    times = _plan_times(planned, row)
    finish = times["finishTime"] or finish_by_case.get(planned.serial_no)
    applicant = USER_PROP_WORDS.get(value["userProp"]) or mapping.invert(mapping.USER_PROP).get(
        value["userProp"]
    )
    if value["userProp"] and applicant is None:
        planned.fail("userProp", _("应为 1（自然人）或 2（法人）。"))
    assess_type = value["assessType"] or "1"
    if assess_type not in mapping.ASSESS_TYPE.values():
        planned.fail("assessType", _("应为 1（主动评价）、2（超期默认评价）或 3（超期未评）。"))
    rating = _plan_rating(planned, value, times["assessTime"]) if assess_type == "1" else None
    if rating is not None and rating.stage == Stage.COMPLETION:
        if finish is None:
            planned.fail("finishTime", _("办结时的评价须填写办结时间。"))
        elif times["assessTime"] and times["assessTime"] < finish:
            planned.fail("assessTime", _("评价时间早于办结时间。"))
    if rating is None and assess_type != "1" and finish is None:
        planned.fail("finishTime", _("超期默认或未评的办件须填写办结时间。"))
    channel = _case_channel(planned, value)
    accepted = times["acceptTime"] or finish or times["assessTime"]
    if planned.errors or accepted is None or applicant is None or channel is None:
        return planned
    planned.case = RecordData(
        matter_code=value["taskCode"],
        department_code=value["deptCode"],
        region_code=value["areaCode"],
        channel=channel,
        status=ServiceRecord.Status.COMPLETED if finish else ServiceRecord.Status.ACCEPTED,
        accepted_at=accepted,
        completed_at=finish,
        window_code=value["windowCode"] or None,
        staff_no=value["staffNo"] or None,
        applicant_type=applicant,
        applicant_name=value["userName"],
        applicant_phone=value["mobile"],
    )
    planned.rating = rating
    planned.when = times["assessTime"] or finish
    return planned


def _plan_times(planned: PlannedRow, row: dict[str, Any]) -> dict[str, datetime | None]:
    """The row's three times, each parsed and not in the future (a bad one fails the row, reads None)."""
    times: dict[str, datetime | None] = {}
    latest = timezone.now() + FUTURE_SKEW
    for name in ("acceptTime", "finishTime", "assessTime"):
        try:
            times[name] = parse_time(row.get(name))
        except ValueError as exc:
            planned.fail(name, str(exc))
            times[name] = None
        moment = times[name]
        if moment is not None and moment > latest:
            planned.fail(name, _("时间晚于当前时间。"))
    return times


def _plan_rating(planned: PlannedRow, value: dict[str, str], assessed: datetime | None) -> Rating | None:
    channel = mapping.CHANNEL_OF_PF.get(value["pf"])
    if value["pf"] == "7":
        planned.fail("pf", _("7 是系统默认评价，不是评价人的评价：请以 assessType 2 导入（只导入办件）。"))
    elif channel is None:
        planned.fail("pf", _("应为 1 至 6 的评价渠道代码。"))
    if value["satisfaction"] not in {"1", "2", "3", "4", "5"}:
        planned.fail("satisfaction", _("应为 1（非常不满意）至 5（非常满意）。"))
    if assessed is None and not any(error.column == "assessTime" for error in planned.errors):
        planned.fail("assessTime", _("必填。"))
    number = value["assessNumber"] or "1"
    if number not in ("1", "2"):
        planned.fail("assessNumber", _("应为 1（首评）或 2（追评）。"))
    target = mapping.invert(mapping.ASSESS_OBJECT).get(value["assessObject"] or "1")
    if target is None:
        planned.fail("assessObject", _("应为 1（服务事项）或 2（服务人员）。"))
    stage = mapping.invert(mapping.ASSESS_STAGE).get(value["assessStage"] or "2")
    if stage is None:
        planned.fail("assessStage", _("应为 1（受理时）或 2（办结时）。"))
    if target == Target.STAFF and not value["staffNo"]:
        planned.fail("staffNo", _("评价工作人员时须填写工号。"))
    # Each None above has failed the row already; the checks are repeated only to narrow the types.
    if planned.errors or target is None or stage is None or channel is None:
        return None
    tags = [code.strip() for code in value["evalDetail"].replace("，", ",").replace("、", ",").split(",")]
    return Rating(
        target=target,
        stage=stage,
        grade=int(value["satisfaction"]),
        channel=channel,
        tags=[code for code in tags if code],
        comment=value["writingEvaluation"],
        assess_number=int(number),
        rated_at=assessed,
        historical=True,  # handled in the system it came from: no work order is opened today
    )


def _case_channel(planned: PlannedRow, value: dict[str, str]) -> str | None:
    raw = value["handleChannel"]
    if raw:
        channel = mapping.invert(mapping.HANDLE_CHANNEL).get(raw) or (
            raw if raw in CaseChannel.values else None
        )
        if channel is None:
            planned.fail(
                "handleChannel", _("应为 1（窗口）、2（网上）、3（移动端）、4（自助终端）或 5（热线）。")
            )
        return channel
    if value["windowCode"]:
        return CaseChannel.WINDOW
    return CHANNEL_BY_PF.get(value["pf"], CaseChannel.ONLINE)

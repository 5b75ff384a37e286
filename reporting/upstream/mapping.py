"""Where our model meets the national field vocabulary (PROVINCIAL_INTERFACES.md; DESIGN §5).

The generic profile's payloads and every column a historical import reads are named and coded here;
each provincial profile (profiles/) maps the same model in its own module; docs/upstream.md documents
them for the people on the other side. Codes are sent as strings (the national platforms' interface
tables type them so), times as Beijing time ``YYYY-MM-DD HH:MM:SS``.
"""

from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from evaluations.models import (
    ApplicantType,
    CaseChannel,
    Channel,
    Evaluation,
    EvaluationKind,
    InvalidOutcome,
    ServiceMatter,
    Stage,
    Target,
    Validity,
)
from evaluations.policies import policy_for_region
from workorders.models import Category, RevisitChannel, RevisitResult, WorkOrder, WorkOrderEvent

from ..models import UpstreamMessage

BEIJING = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
K = TypeVar("K")

# --- codes ------------------------------------------------------------------------------------

# Keyed by str: the choices members are strs equal to their values, and lookups use model field values.
Codes = dict[str, str]

# satisfaction: our grade is already the national order, 1 非常不满意 … 5 非常满意.
USER_PROP: Codes = {ApplicantType.PERSON: "1", ApplicantType.LEGAL_PERSON: "2"}
# 即办件 / 承诺件
PROJECT_TYPE: Codes = {ServiceMatter.Kind.INSTANT: "1", ServiceMatter.Kind.PROMISE: "2"}
ASSESS_TYPE: Codes = {
    EvaluationKind.ACTIVE: "1",
    EvaluationKind.DEFAULT: "2",
    EvaluationKind.UNEVALUATED: "3",
}
ASSESS_OBJECT: Codes = {Target.MATTER: "1", Target.STAFF: "2"}
ASSESS_STAGE: Codes = {Stage.INTAKE: "1", Stage.COMPLETION: "2"}
# A case's own channel (办件来源), used by the import: 1 窗口 2 网上 3 移动端 4 自助终端 5 热线.
HANDLE_CHANNEL: Codes = {
    CaseChannel.WINDOW: "1",
    CaseChannel.ONLINE: "2",
    CaseChannel.MOBILE: "3",
    CaseChannel.KIOSK: "4",
    CaseChannel.HOTLINE: "5",
}
# Work-order milestones.
ORDER_STATUS: Codes = {
    UpstreamMessage.Kind.DISPATCHED: "1",
    UpstreamMessage.Kind.RECTIFIED: "2",
    UpstreamMessage.Kind.REVISITED: "3",
    UpstreamMessage.Kind.VOIDED: "4",
}
CATEGORY: Codes = {Category.SIMPLE: "1", Category.GENERAL: "2", Category.COMPLEX: "3"}
REVISIT_RESULT: Codes = {
    RevisitResult.SATISFIED: "1",
    RevisitResult.DISSATISFIED: "2",
    RevisitResult.UNREACHABLE: "3",
}
REVISIT_WAY: Codes = {RevisitChannel.HOTLINE: "1", RevisitChannel.SMS: "2", RevisitChannel.VISIT: "3"}
INVALID_TYPE: Codes = {
    InvalidOutcome.NOT_ADOPTED: "1",
    InvalidOutcome.UNEVALUATED: "2",
    InvalidOutcome.UNTRUE: "3",
}

# pf is the profile's (profiles/base.py NATIONAL_PF). Read back (import), each code is the channel that
# owns it: 5 is a hall terminal (paper and telephone ratings are also exported as 5), 6 is SMS, and 7
# (系统默认评价) is no citizen's rating: an import brings a default as assessType 2, the case only.
CHANNEL_OF_PF = {
    "1": Channel.PC,
    "2": Channel.MOBILE,
    "3": Channel.QR,
    "4": Channel.DEVICE,
    "5": Channel.KIOSK,
    "6": Channel.SMS,
}
# The work-order transitions that are milestones upstream; the others stay local.
MILESTONE_OF_ACTION = {
    "dispatch": UpstreamMessage.Kind.DISPATCHED,
    "submit": UpstreamMessage.Kind.RECTIFIED,  # the rectification and the reply to the citizen
    "record_revisit": UpstreamMessage.Kind.REVISITED,
    "void": UpstreamMessage.Kind.VOIDED,
    "withdraw": UpstreamMessage.Kind.VOIDED,  # the review set aside on the office's flag review, no appeal
}


def invert(codes: dict[K, str]) -> dict[str, K]:
    return {code: value for value, code in codes.items()}


def national_time(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(BEIJING).strftime(TIME_FORMAT)


# --- keys -------------------------------------------------------------------------------------


def case_key(evaluation: Evaluation) -> str:
    """Messages about one case keep their order; a rating without a case is a case of its own."""
    return f"R:{evaluation.record_id}" if evaluation.record_id else f"E:{evaluation.pk}"


def evaluation_kind(evaluation: Evaluation) -> str:
    """A rating is an "evaluation"; a default 满意 or a 未评 marker after the window closed a "timeout"."""
    if evaluation.kind == EvaluationKind.ACTIVE:
        return UpstreamMessage.Kind.EVALUATION.value
    return UpstreamMessage.Kind.TIMEOUT.value


def evaluation_key(evaluation: Evaluation) -> str:
    return f"{evaluation_kind(evaluation)}:{evaluation.pk}"


def milestone_key(kind: str, order: WorkOrder, event: WorkOrderEvent) -> str:
    return f"{UpstreamMessage.Kind(kind).value}:{order.number}:{event.pk}"


# --- payloads ---------------------------------------------------------------------------------


def evaluation_payload(evaluation: Evaluation, *, pf: str, eval_detail: str) -> dict[str, str]:
    """A rating, a default 满意 or a 未评 marker, as the national platform names its fields (the generic
    profile; ``pf`` and ``eval_detail`` are the profile's codes)."""
    record, matter = evaluation.record, evaluation.matter
    return {
        **_identity(evaluation),
        "taskName": matter.name if matter else "",
        "projectType": PROJECT_TYPE.get(matter.kind, "") if matter else "",
        "deptName": evaluation.department.name,
        "windowCode": evaluation.window.code if evaluation.window else "",
        "staffNo": evaluation.staff.staff_no if evaluation.staff else "",
        # Without a case the rater is someone at a window (a static QR code): a natural person.
        "userProp": USER_PROP.get(record.applicant_type, "1") if record else "1",
        "pf": pf,
        "assessType": ASSESS_TYPE[evaluation.kind],
        "assessObject": ASSESS_OBJECT[evaluation.target],
        "assessStage": ASSESS_STAGE[evaluation.stage],
        "satisfaction": "" if evaluation.grade is None else str(evaluation.grade),
        "evalDetail": eval_detail,
        "writingEvaluation": evaluation.comment,
        "assessTime": national_time(evaluation.rated_at),
    }


def milestone_payload(
    kind: str, order: WorkOrder, event: WorkOrderEvent, evaluation: Evaluation
) -> dict[str, str]:
    """A work-order milestone: which rating (``order``'s evaluation) it answers, and what happened."""
    data = {
        **_identity(evaluation),
        "workOrderNo": order.number,
        "orderStatus": ORDER_STATUS[kind],
        "handleDeptCode": order.department.code,
        "eventTime": national_time(event.at),
        "remark": event.note,
    }
    if kind == UpstreamMessage.Kind.DISPATCHED:
        data.update(
            category=CATEGORY.get(order.category, ""),
            dispatchTime=national_time(order.dispatched_at),
            contactDeadline=order.contact_due.isoformat() if order.contact_due else "",
            rectifyDeadline=order.due.isoformat() if order.due else "",
        )
    elif kind == UpstreamMessage.Kind.RECTIFIED:
        data.update(
            rectification=order.rectification,
            replyContent=order.reply,
            rectifyTime=national_time(order.submitted_at),
        )
    elif kind == UpstreamMessage.Kind.REVISITED:
        data.update(
            revisitResult=REVISIT_RESULT.get(order.revisit_result, ""),
            revisitWay=REVISIT_WAY.get(order.revisit_channel, ""),
            revisitTime=national_time(order.closed_at),
        )
    elif kind == UpstreamMessage.Kind.VOIDED:
        # On appeal the rating's validity is written just after this transition, by the region's
        # policy; a rating ruled 刷评 or 恶意评价 on review (withdraw) is 不予采纳 (51号 四(一)
        # "核实为误评或恶意差评的，评价结果不予采纳") whatever the region's appeal outcome.
        outcome = (
            InvalidOutcome.NOT_ADOPTED
            if evaluation.validity == Validity.RULED
            else policy_for_region(order.department.region).invalid_outcome
        )
        data.update(
            invalidType=INVALID_TYPE.get(outcome, ""),
            invalidReason=event.note,
            voidTime=national_time(order.closed_at),
        )
    return data


def _identity(evaluation: Evaluation) -> dict[str, str]:
    """The fields that say which rating of which case a message is about."""
    record, matter = evaluation.record, evaluation.matter
    return {
        "assessId": str(evaluation.pk),
        "projectNo": record.serial_no if record else "",
        "taskCode": matter.code if matter else "",
        "deptCode": evaluation.department.code,
        "areaCode": evaluation.region.code,
        "assessNumber": str(evaluation.assess_number),
    }

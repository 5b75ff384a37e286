"""What the citizen is told by SMS about their bad review, and the logged reveals of their phone and
of the free texts as written (numbers in them are otherwise masked, evaluations/pii.py)."""

from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Role, SmsMessage, User
from evaluations.policies import policy_for_region
from evaluations.services.sms import sms_enqueue
from workorders import rules
from workorders.models import WorkOrder

from .base import WorkOrderBlocked
from .events import log_reveal


def citizen_phone(order: WorkOrder) -> str:
    """The number to reach the citizen at; "" for an anonymous review and for a supervision order,
    which has no citizen behind it (so no reply, new-date or revisit SMS and no contact limit)."""
    evaluation = order.evaluation
    if evaluation is None:
        return ""
    if evaluation.evaluator_phone:
        return evaluation.evaluator_phone
    record = evaluation.record  # None, without a query, when record_id is None
    return record.applicant_phone if record is not None else ""


def _tell(order_id: int, body_for) -> SmsMessage | None:
    order = WorkOrder.objects.select_related("evaluation__record", "department__region").get(pk=order_id)
    phone = citizen_phone(order)
    if not phone or order.evaluation is None:
        return None  # an anonymous review, or a supervision finding: nobody to tell
    return sms_enqueue(
        phone=phone,
        body=body_for(order),
        kind=SmsMessage.Kind.REPLY,
        record=order.evaluation.record,
        policy=policy_for_region(order.department.region),
    )


def reply_to_citizen(order_id: int) -> SmsMessage | None:
    """The department's reply to the review, sent when it submits the rectification (Tianjin art. 20)."""
    return _tell(
        order_id,
        lambda order: (
            _("【政务服务好差评】您对%(department)s的评价已收到整改答复：%(reply)s")
            % {"department": order.department.name, "reply": order.reply[:200]}
        ),
    )


def tell_citizen_new_due(order_id: int) -> SmsMessage | None:
    return _tell(
        order_id,
        lambda order: (
            _("【政务服务好差评】您反映的问题整改时限已延长至%(due)s，%(department)s将继续办理并答复您。")
            % {"due": order.due.strftime("%Y年%m月%d日"), "department": order.department.name}
        ),
    )


def workorder_reveal_phone(order: WorkOrder, *, by: User) -> str:
    """The full phone number for a call back; every look is written to the timeline.

    Only for someone who must call the citizen back (DESIGN §9): the handler, the office, 12345.
    """
    if not (rules.can_handle(order, by) or rules.can_revisit(order, by)):
        raise WorkOrderBlocked(_("您无权查看该评价人的完整联系电话。"))
    with transaction.atomic():
        log_reveal(order, by=by, note=_("查看了评价人联系电话"))
        return citizen_phone(order)


def workorder_reveal_text(order: WorkOrder, *, by: User) -> None:
    """Log a look at the order's free texts (comment, reply, notes) with their numbers unmasked.

    The same people as the phone (DESIGN §9); an auditor never, whatever a rule might grant.
    """
    if by.role == Role.AUDITOR and not by.is_superuser:
        raise WorkOrderBlocked(_("您无权查看未遮盖的文字内容。"))
    if not (rules.can_handle(order, by) or rules.can_revisit(order, by)):
        raise WorkOrderBlocked(_("您无权查看未遮盖的文字内容。"))
    with transaction.atomic():
        log_reveal(order, by=by, note=_("查看了未遮盖号码的评价内容和办理文字"), action="text")

"""The revisit by SMS: after approval the citizen gets a signed link and answers 满意 / 不满意 on a
page; the answer closes the order as a revisit through the SMS channel (DESIGN §5: revisit by
phone or SMS). The signed link is the citizen's authority, so there is no staff actor."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.http import base36_to_int, int_to_base36
from django.utils.translation import gettext as _

from evaluations.models import SmsMessage
from evaluations.policies import policy_for_region
from evaluations.services.sms import sms_enqueue
from workorders.models import RevisitChannel, RevisitResult, Source, State, WorkOrder

from ..signals import workorder_transitioned
from .base import WorkOrderBlocked, locked
from .events import log_transition
from .notices import citizen_phone

_signer = signing.Signer(salt="haochaping.workorders.revisit", sep=".")


def revisit_token(order: WorkOrder) -> str:
    return _signer.sign(int_to_base36(order.pk))


def order_for_token(token: str) -> WorkOrder | None:
    try:
        pk = base36_to_int(_signer.unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    # Only a rating's order is revisited by the citizen; a supervision order closes on the office's 复查.
    orders = WorkOrder.objects.filter(pk=pk, source=Source.RATING)
    return orders.select_related("department", "evaluation__matter").first()


def send_revisit_link(order_id: int) -> SmsMessage | None:
    order = WorkOrder.objects.select_related("evaluation__record", "department__region").get(pk=order_id)
    phone = citizen_phone(order)
    if not phone or order.evaluation is None or order.state != State.REVISITING:
        return None  # nobody to ask: an anonymous review, or a supervision order (the office re-inspects)
    link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/r/revisit/{revisit_token(order)}/"
    body = _("【政务服务好差评】%(department)s已就您的评价完成整改，请告诉我们您是否满意：%(link)s") % {
        "department": order.department.name,
        "link": link,
    }
    return sms_enqueue(
        phone=phone,
        body=body,
        kind=SmsMessage.Kind.REVISIT,
        record=order.evaluation.record,
        policy=policy_for_region(order.department.region),
    )


def workorder_revisit_answer(order: WorkOrder, *, satisfied: bool, comment: str = "") -> WorkOrder:
    """The citizen's own answer on the revisit page closes the order."""
    with transaction.atomic():
        current = locked(order.pk)
        if current.state != State.REVISITING:
            raise WorkOrderBlocked(_("该回访已经完成，感谢您的反馈。"))
        current.revisit_result = RevisitResult.SATISFIED if satisfied else RevisitResult.DISSATISFIED
        current.revisit_channel = RevisitChannel.SMS
        before = current.state
        current.record_revisit(at=timezone.now())
        current.save()
        note = _("评价人通过短信链接回访：%(result)s。%(comment)s") % {
            "result": current.get_revisit_result_display(),
            "comment": comment.strip()[:200],
        }
        event = log_transition(current, action="record_revisit", before=before, by=None, note=note)
        workorder_transitioned.send(sender=WorkOrder, order=current, action="record_revisit", event=event)
    return current

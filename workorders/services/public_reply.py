"""The public version of a department's reply (issue 14): the public pages never print the reply as
the department wrote it. The office writes or approves a version with numbers masked and names
removed; until then the public page says only that the reply reached the evaluator."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Role, User
from evaluations.pii import flagged_names, mask_text
from workorders import rules
from workorders.models import State, WorkOrder

from .base import WorkOrderBlocked, locked
from .events import log_public_reply

# The office approves the public version while reviewing the rectification or afterwards; the public
# page shows it only once the rectification is approved (reporting/public/selectors.py).
PUBLIC_REPLY_STATES = (State.REVIEWING, State.REVISITING, State.CLOSED)


def public_reply_draft(order: WorkOrder) -> str:
    """What the form starts from: the approved version, or else the reply with its numbers masked."""
    return order.public_reply if order.public_reply_at else mask_text(order.reply)


def public_reply_blocked(order: WorkOrder, by: User) -> str:
    """Why ``by`` may not approve a public version of the reply now ("" when they may)."""
    if by.role == Role.AUDITOR and not by.is_superuser:
        return _("审计员只能查看，不能审定公开答复。")
    if not rules.can_supervise(order, by):
        return _("只有政务服务管理部门可以审定公开答复。")
    if order.state not in PUBLIC_REPLY_STATES or not order.reply:
        return _("部门提交整改答复后才能审定公开答复。")
    return ""


def workorder_publish_reply(order: WorkOrder, *, by: User, text: str, names_confirmed: bool) -> WorkOrder:
    """Approve ``text`` as the public version of the reply; numbers in it are masked whatever was
    typed. Spans that look like names must be removed, or confirmed as not being names."""
    text = mask_text(text.strip())
    if not text:
        raise WorkOrderBlocked(_("请填写公开答复的内容。"))
    names = flagged_names(text)
    if names and not names_confirmed:
        raise WorkOrderBlocked(
            _("公开答复中仍有疑似姓名：%(names)s。请删除，或勾选确认它们不是个人姓名。")
            % {"names": "、".join(names)}
        )
    with transaction.atomic():
        current = locked(order.pk)
        if why := public_reply_blocked(current, by):
            raise WorkOrderBlocked(why)
        current.public_reply = text
        current.public_reply_at = timezone.now()
        current.public_reply_by = by
        current.save(update_fields=["public_reply", "public_reply_at", "public_reply_by"])
        log_public_reply(current, by=by, note=_("公开版本：%(text)s") % {"text": text})
    return current

"""转为整改工单: a finding or a forum issue opens one work order (source 监督查评, no rating behind it)
through workorders' opening service, so it runs the same lifecycle, deadlines and escalation as a bad
review. Office only; once per item (the row is locked, so two clicks cannot open two orders)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import User
from workorders.models import WorkOrder
from workorders.services.opening import workorder_open_for_supervision

from ..models import Rectifiable
from . import SupervisionError, planners_only


def rectification_open(item: Rectifiable, *, by: User, category: str) -> WorkOrder:
    planners_only(by)
    now = timezone.now()
    with transaction.atomic():
        current = type(item).objects.select_for_update().get(pk=item.pk)
        if current.work_order_id is not None:
            raise SupervisionError(
                _("该问题已于 %(at)s 转为整改工单 %(number)s。")
                % {
                    "at": f"{timezone.localtime(current.converted_at):%Y-%m-%d %H:%M}",
                    "number": current.work_order.number,
                }
            )
        order = workorder_open_for_supervision(
            department=current.department,
            region=current.place_region(),
            summary=current.order_summary(),
            category=category,
            at=now,
        )
        current.work_order, current.converted_by, current.converted_at = order, by, now
        current.save(update_fields=["work_order", "converted_by", "converted_at"])
    return order

"""Demo work orders in every state: the bad ratings of the demo data, moved along their lifecycle by
the demo users through the real services (so the timelines are real). Safe to run twice."""

from django.utils import timezone

from evaluations.models import Role, User
from workorders.models import Category, RevisitChannel, RevisitResult, State, WorkOrder
from workorders.services import lifecycle

REPLY = "已核实情况，窗口已补充材料样本并对工作人员进行了业务培训，欢迎再次监督。"
RECTIFICATION = "组织窗口人员学习办事指南，补充一次性告知清单，调整高峰时段窗口数量。"


def seed_work_orders(sender=None, months: int = 0, **kwargs) -> int:
    admin = User.objects.filter(role=Role.SYSADMIN).first()
    if admin is None:
        return 0
    moved = 0
    orders = WorkOrder.objects.filter(state=State.CREATED).select_related("evaluation", "department")
    for order in orders.order_by("evaluation__rated_at"):
        age = (timezone.now() - order.evaluation.rated_at).days
        if age < 2:
            continue  # the newest wait in 待派发
        handler = User.objects.filter(role=Role.DEPARTMENT, department=order.department).first() or admin
        office = User.objects.filter(role=Role.OFFICE, region=order.office_region).first() or admin
        order = lifecycle.workorder_dispatch(order, by=office, category=order.category or Category.GENERAL)
        moved += 1
        if age < 5:
            continue  # 待签收
        order = lifecycle.workorder_accept(order, by=handler)
        if age < 10:
            continue  # 整改中
        order = lifecycle.workorder_submit(order, by=handler, rectification=RECTIFICATION, reply=REPLY)
        if age < 20:
            continue  # 待审核
        order = lifecycle.workorder_approve(order, by=office)
        if age < 30:
            continue  # 待回访
        lifecycle.workorder_record_revisit(
            order,
            by=office,
            result=RevisitResult.SATISFIED,
            channel=RevisitChannel.HOTLINE,
            note="12345 回访",
        )
    return moved

"""Demo work orders: the bad ratings of the demo, moved along their lifecycle by the demo users through
the real services, each step at the moment it would have happened (the clock is moved there with
time-machine), so timelines, deadlines and the overdue tabs are what production would show.

The newest orders are left open relative to today, in every state of the lifecycle: waiting for
dispatch, to be signed for, in rectification (some due within one working day, some overdue), with an
extension request or an appeal to decide, to be reviewed and to be revisited. Older ones went the whole
way: closed after a revisit, one appeal upheld, one voided. Safe to run twice: an order somebody has
already moved is left as it is.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TypeVar

import time_machine
from django.utils import timezone

from evaluations.models import Role, User
from evaluations.workdays import add_working_days
from workorders.models import (
    Category,
    RevisitChannel,
    RevisitResult,
    Source,
    State,
    WorkOrder,
    WorkOrderEvent,
)
from workorders.services import appeals, extensions, lifecycle, public_reply

REPLY = "已核实情况，窗口已补充材料样本并对工作人员进行了业务培训，欢迎再次监督。"
RECTIFICATION = "组织窗口人员学习办事指南，补充一次性告知清单，调整高峰时段窗口数量。"
APPEAL = "评价人所述材料要求系法定要件，已当场一次性告知，申请复核。"


@dataclass(frozen=True)
class Slot:
    """An order left open: its state, category and how many working days ago it was dispatched."""

    state: str
    category: str = Category.GENERAL
    dispatched: int = 0


# In order of age, so the newest bad reviews fill the newest slots. Due dates follow the demo region's
# policy (Ganzhou: 立整立改 in 1 working day, others in 10).
OPEN_SLOTS = (
    Slot(State.CREATED),
    Slot(State.CREATED),
    Slot(State.DISPATCHED, dispatched=0),
    Slot(State.HANDLING, Category.SIMPLE, dispatched=0),  # due the next working day
    Slot(State.DISPATCHED, dispatched=1),
    Slot(State.HANDLING, Category.SIMPLE, dispatched=1),  # due today
    Slot("appeal", dispatched=1),
    Slot(State.HANDLING, dispatched=2),
    Slot(State.REVIEWING, Category.SIMPLE, dispatched=2),
    Slot("extension", dispatched=3),
    Slot(State.HANDLING, Category.SIMPLE, dispatched=4),  # overdue
    Slot(State.REVIEWING, dispatched=4),
    Slot(State.REVISITING, dispatched=6),
    Slot(State.REVISITING, Category.SIMPLE, dispatched=8),
    Slot(State.HANDLING, dispatched=14),  # overdue
)
T = TypeVar("T")
DISPATCH_HOUR = time(9, 30)
STEP = timedelta(hours=2)


def seed_work_orders(sender=None, months: int = 0, **kwargs) -> int:
    admin = User.objects.filter(role=Role.SYSADMIN).first()
    if admin is None:
        return 0
    now = timezone.now()
    orders = list(
        # The demo's rating orders only: their steps are timed from the rating (supervision orders,
        # from the supervision app's demo, have no rating to start from).
        WorkOrder.objects.filter(source=Source.RATING)
        .select_related("evaluation", "department__region", "office_region")
        .order_by("-evaluation__rated_at", "-pk")
    )
    touched = set(WorkOrderEvent.objects.exclude(action="").values_list("order_id", flat=True).distinct())
    moved = closed = 0
    people: dict[tuple[int, int], _People] = {}  # by (office region, department)
    for order, slot in _assign(orders, now):
        untouched = order.pk not in touched and order.state == State.CREATED
        if slot is None:
            closed += 1  # counted either way, so a second run numbers the same orders alike
        if not untouched:
            continue
        key = (order.office_region_id, order.department_id)
        if key not in people:
            people[key] = _People(order, admin)
        actors = people[key]
        if slot is None:
            _close(order, actors, closed, now)
        else:
            _leave_open(order, actors, slot, now)
        moved += 1
    return moved


def _rated_at(order: WorkOrder) -> datetime:
    assert order.evaluation is not None  # seed_work_orders takes the rating orders only
    return order.evaluation.rated_at


def _dispatch_moment(slot: Slot, now: datetime) -> datetime:
    day = add_working_days(timezone.localdate(now), -slot.dispatched)
    at = timezone.make_aware(datetime.combine(day, DISPATCH_HOUR))
    return min(at, now - timedelta(minutes=30))


def _assign(orders: list[WorkOrder], now: datetime) -> list[tuple[WorkOrder, Slot | None]]:
    """Each order with the open slot it fills (newest orders first), or None: closed in the past."""
    free = list(OPEN_SLOTS)
    assigned: list[tuple[WorkOrder, Slot | None]] = []
    for order in orders:
        rated_at = _rated_at(order)
        slot = next(
            (
                s
                for s in free
                if s.state == State.CREATED or _dispatch_moment(s, now) > rated_at + timedelta(minutes=30)
            ),
            None,
        )
        if slot is not None:
            free.remove(slot)
        assigned.append((order, slot))
    return assigned


class _People:
    """Who acts on an order: the office over its region, a handler of its department."""

    def __init__(self, order: WorkOrder, admin: User) -> None:
        users = User.objects.filter(is_active=True)
        self.office = users.filter(role=Role.OFFICE, region=order.office_region).first() or admin
        self.handler = users.filter(role=Role.DEPARTMENT, department=order.department).first() or admin


class _Clock:
    """Steps of one order, each at a moment after the one before and never in the future."""

    def __init__(self, start: datetime, now: datetime) -> None:
        self.at, self.now = start, now

    def run(self, moment: datetime, step: Callable[[], T]) -> T:
        self.at = min(max(moment, self.at + timedelta(minutes=1)), self.now - timedelta(minutes=1))
        with time_machine.travel(self.at, tick=False):
            return step()


def _leave_open(order: WorkOrder, people: _People, slot: Slot, now: datetime) -> None:
    if slot.state == State.CREATED:
        return
    dispatched = _dispatch_moment(slot, now)
    clock = _Clock(_rated_at(order), now)
    order = clock.run(
        dispatched, lambda: lifecycle.workorder_dispatch(order, by=people.office, category=slot.category)
    )
    if slot.state == State.DISPATCHED:
        return
    order = clock.run(dispatched + STEP, lambda: lifecycle.workorder_accept(order, by=people.handler))
    if slot.state == "appeal":
        clock.run(
            dispatched + 2 * STEP,
            lambda: appeals.workorder_appeal(order, by=people.handler, reason=APPEAL),
        )
    elif slot.state == "extension":
        assert order.due is not None  # dispatching set it (lifecycle.due_dates)
        new_due = add_working_days(order.due, 5)
        reason = "需协调不动产登记中心调取历史档案，申请延期。"
        clock.run(
            dispatched + timedelta(days=1),
            lambda: extensions.extension_request(order, by=people.handler, reason=reason, new_due=new_due),
        )
    elif slot.state in (State.REVIEWING, State.REVISITING):
        order = clock.run(dispatched + timedelta(days=1), lambda: _submit(order, people))
        if slot.state == State.REVISITING:
            clock.run(
                dispatched + timedelta(days=2), lambda: lifecycle.workorder_approve(order, by=people.office)
            )


def _submit(order: WorkOrder, people: _People) -> WorkOrder:
    return lifecycle.workorder_submit(order, by=people.handler, rectification=RECTIFICATION, reply=REPLY)


def _close(order: WorkOrder, people: _People, number: int, now: datetime) -> None:
    """The whole way in the past: dispatch, sign, rectify, review, revisit; now and then an appeal."""
    rated_at = _rated_at(order)
    # Five steps over five days, squeezed into the time there was if the rating is recent.
    span = min(timedelta(days=5), (now - rated_at) * 0.9)
    clock = _Clock(rated_at, now)

    def after(share: float) -> datetime:
        return rated_at + span * share

    order = clock.run(after(0.05), lambda: lifecycle.workorder_dispatch(order, by=people.office))
    order = clock.run(after(0.2), lambda: lifecycle.workorder_accept(order, by=people.handler))
    if number % 23 in (1, 12):
        clock.run(after(0.3), lambda: appeals.workorder_appeal(order, by=people.handler, reason=APPEAL))
        order.refresh_from_db()  # the appeal service answers with the Appeal
        if number % 23 == 1:
            note = "经调取窗口录像核实，评价所述情况不属实。"
            clock.run(after(0.4), lambda: appeals.workorder_void(order, by=people.office, note=note))
            return
        note = "材料要求确有依据，但告知不到位，维持差评。"
        order = clock.run(after(0.4), lambda: appeals.workorder_uphold(order, by=people.office, note=note))
    order = clock.run(after(0.6), lambda: _submit(order, people))
    order = clock.run(after(0.8), lambda: lifecycle.workorder_approve(order, by=people.office))
    if number % 5 != 4:  # the office publishes most replies; the rest show 答复已送达评价人
        order = clock.run(
            after(0.9),
            lambda: public_reply.workorder_publish_reply(
                order, by=people.office, text=REPLY, names_confirmed=False
            ),
        )
    satisfied = number % 7 != 3
    clock.run(
        after(1.0),
        lambda: lifecycle.workorder_record_revisit(
            order,
            by=people.office,
            result=RevisitResult.SATISFIED if satisfied else RevisitResult.DISSATISFIED,
            channel=RevisitChannel.HOTLINE,
            note="12345 回访",
        ),
    )

"""Bulk actions of the inbox (issue 16 §2): dispatch, accept or remind many orders in one submission.

Each order goes through the same service as on its detail page (lifecycle.workorder_dispatch,
workorder_accept) in its own transaction, so one refusal never blocks the others and nothing is half
written; the result is one ``Outcome`` per order, done or refused with the reason. An order counts as
changed meanwhile when its state is no longer the one the user saw on the list.

A reminder (催办) is what the escalation task sends when an order is overdue: the same SMS notice to the
department's handler (or its people), and an event on the timeline; at most one a day per order.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Department, User
from evaluations.scope import visible_to
from workorders import rules
from workorders.models import CLOCK_STATES, Category, State, WorkOrder, WorkOrderEvent
from workorders.selectors import orders_for

from .base import ACTION_NAMES, WorkOrderBlocked, locked
from .escalation import notify_department
from .events import Kind, log_reminder
from .lifecycle import workorder_accept, workorder_dispatch
from .recalendar import calendar_gap_warning

# One submission handles at most this many orders (a page of the inbox holds at most 100).
BULK_LIMIT = 100
REMIND = "remind"


@dataclass(frozen=True)
class Pick:
    """An order the user ticked, with the state the list showed it in."""

    number: str
    seen_state: str


@dataclass(frozen=True)
class DispatchChoice(Pick):
    """A ticked order to dispatch, with the row's category and department (None: keep the suggested)."""

    category: str = ""
    department_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    number: str
    done: bool
    text: str


def _in_scope(by: User, picks: Iterable[Pick]) -> dict[str, WorkOrder]:
    numbers = [pick.number for pick in picks]
    return {order.number: order for order in orders_for(by).filter(number__in=numbers)}


def _each(by: User, picks: list[Pick], action: str, run: Callable[[WorkOrder, Pick], str]) -> list[Outcome]:
    """Run ``run(order, pick)`` for every pick in the user's scope; what it returns is the done text."""
    unique = list({pick.number: pick for pick in picks}.values())
    orders = _in_scope(by, unique)
    outcomes = []
    for pick in unique:
        order = orders.get(pick.number)
        if order is None:
            outcomes.append(Outcome(pick.number, False, _("工单不存在或不在您的数据范围内。")))
            continue
        if pick.seen_state and order.state != pick.seen_state:
            text = _("工单已被他人处理，当前状态为“%(state)s”，无法%(action)s。") % {
                "state": order.get_state_display(),
                "action": ACTION_NAMES.get(action, _("催办")),
            }
            outcomes.append(Outcome(pick.number, False, text))
            continue
        try:
            outcomes.append(Outcome(pick.number, True, run(order, pick)))
        except WorkOrderBlocked as blocked:
            outcomes.append(Outcome(pick.number, False, blocked.message))
    return outcomes


def bulk_dispatch(*, by: User, picks: list[Pick]) -> list[Outcome]:
    """Dispatch each order with its row's category and department (the office); a plain ``Pick``
    keeps the suggested ones."""
    choices = [
        pick if isinstance(pick, DispatchChoice) else DispatchChoice(pick.number, pick.seen_state)
        for pick in picks
    ]
    ids = {choice.department_id for choice in choices if choice.department_id}
    allowed = {
        department.pk: department
        for department in visible_to(by, Department.objects.filter(active=True, pk__in=ids)).select_related(
            "region"
        )
    }

    def run(order: WorkOrder, pick: Pick) -> str:
        assert isinstance(pick, DispatchChoice)
        if pick.category and pick.category not in Category.values:
            raise WorkOrderBlocked(_("所选类别无效。"))
        department = None
        if pick.department_id is not None and pick.department_id != order.department_id:
            department = allowed.get(pick.department_id)
            if department is None:
                raise WorkOrderBlocked(_("不能派发给所选部门：不在您的辖区内或已停用。"))
        result = workorder_dispatch(order, by=by, category=pick.category or None, department=department)
        text = _("已派发给%(department)s，类别：%(category)s。") % {
            "department": result.department.name,
            "category": result.get_category_display(),
        }
        gap = calendar_gap_warning(result)
        return f"{text}{gap}" if gap else text

    return _each(by, list(choices), "dispatch", run)


def bulk_accept(*, by: User, picks: list[Pick]) -> list[Outcome]:
    """Accept (签收) each order for the user's department."""

    def run(order: WorkOrder, _pick: Pick) -> str:
        result = workorder_accept(order, by=by)
        return _("已签收，整改时限 %(due)s。") % {"due": result.due}

    return _each(by, picks, "accept", run)


def workorder_remind(order: WorkOrder, *, by: User) -> WorkOrderEvent:
    """催办: the office presses the department on an order it holds; an event and the SMS notice."""
    now = timezone.now()
    with transaction.atomic():
        current = locked(order.pk)
        if current.state not in CLOCK_STATES:
            raise WorkOrderBlocked(
                _("工单当前状态为“%(state)s”，不在部门办理中，无需催办。")
                % {"state": current.get_state_display()}
            )
        if not rules.can_supervise(current, by):
            raise WorkOrderBlocked(_("您无权催办该工单。"))
        today = timezone.localtime(now).date()
        if current.events.filter(kind=Kind.NOTE, action=REMIND, at__date=today).exists():
            raise WorkOrderBlocked(_("该工单今天已催办过。"))
        if current.state == State.DISPATCHED:
            text = _("工单 %(number)s 催办：请尽快签收并于 %(due)s 前完成整改、答复评价人。")
        else:
            text = _("工单 %(number)s 催办：请于 %(due)s 前完成整改并答复评价人。")
        text = text % {"number": current.number, "due": current.due}
        event = log_reminder(current, by=by, note=text, action=REMIND)
        notify_department(current, text, now)
    return event


def bulk_remind(*, by: User, picks: list[Pick]) -> list[Outcome]:
    def run(order: WorkOrder, _pick: Pick) -> str:
        workorder_remind(order, by=by)
        return _("已催办%(department)s。") % {"department": order.department.name}

    return _each(by, picks, REMIND, run)


BULK_ACTIONS: dict[str, Callable[..., list[Outcome]]] = {
    "dispatch": bulk_dispatch,
    "accept": bulk_accept,
    REMIND: bulk_remind,
}

"""Who may take which transition, from which state (CONVENTIONS §10: a role × state matrix), and what
happens when two people act on one order at the same moment."""

import threading

import pytest
from django.db import connections

from evaluations.models import Role
from workorders.models import State, WorkOrder, WorkOrderEvent
from workorders.services.base import WorkOrderBlocked
from workorders.services.lifecycle import workorder_accept, workorder_dispatch

from .workorder_fixtures import ACTIONS, CHINESE, PATH, SOURCE, TARGET, act, bad_order, make_user, move

ROLES = [
    "sysadmin",
    "office",
    "outside_office",
    "handler",
    "other_handler",
    "hall_manager",
    "window_staff",
    "hotline",
    "outside_hotline",
    "auditor",
]
# The intended answer: the office of the order's region supervises, the responsible department
# handles, a 12345 agent of the region may record the revisit, the system administrator may do all.
ALLOWED = {
    "sysadmin": set(ACTIONS),
    "office": {"dispatch", "approve", "reject", "uphold", "void", "record_revisit"},
    "handler": {"send_back", "accept", "submit", "appeal"},
    "hotline": {"record_revisit"},
}
MATRIX = [(action, role, action in ALLOWED.get(role, set())) for action in ACTIONS for role in ROLES]


def snapshot(order: WorkOrder) -> tuple:
    order.refresh_from_db()
    fields = ("state", "department_id", "handler_id", "due", "dispatched_at", "accepted_at", "submitted_at")
    fields += ("approved_at", "closed_at", "paused_at", "rectification", "reply", "revisit_result")
    return (*(getattr(order, name) for name in fields), order.events.count(), order.appeals.count())


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "allowed"), MATRIX)
def test_each_role_may_take_exactly_its_own_transitions(new_order, people, action, role, allowed):
    order = move(new_order, SOURCE[action], office=people["office"], handler=people["handler"])
    user = people[role]
    if allowed:
        order = act(order, action, user)
        assert order.state == TARGET[action]
        event = order.events.filter(kind=WorkOrderEvent.Kind.TRANSITION).latest("pk")
        assert (event.action, event.actor, event.from_state, event.to_state) == (
            action,
            user,
            SOURCE[action],
            TARGET[action],
        )
        return
    before = snapshot(order)
    with pytest.raises(WorkOrderBlocked) as caught:
        act(order, action, user)
    assert CHINESE.search(caught.value.message)
    assert "无权" in caught.value.message
    assert snapshot(order) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "state"), [(action, state) for action in ACTIONS for state in PATH if state != SOURCE[action]]
)
def test_no_transition_is_taken_from_a_state_it_does_not_start_from(new_order, people, action, state):
    order = move(new_order, state, office=people["office"], handler=people["handler"])
    before = snapshot(order)
    with pytest.raises(WorkOrderBlocked) as caught:
        act(order, action, people["sysadmin"])
    assert caught.value.message.startswith(f"工单当前状态为“{order.get_state_display()}”，不能")
    assert snapshot(order) == before


@pytest.mark.django_db
def test_a_handler_cannot_approve_their_own_rectification(new_order, people):
    order = move(new_order, State.REVIEWING, office=people["office"], handler=people["handler"])
    with pytest.raises(WorkOrderBlocked):
        act(order, "approve", people["handler"])
    order.refresh_from_db()
    assert (order.state, order.approved_at) == (State.REVIEWING, None)


@pytest.mark.django_db
def test_a_provincial_office_supervises_the_orders_below_it(new_order, people, regions):
    province = make_user("province", Role.OFFICE, region=regions["province"])
    order = act(new_order, "dispatch", province)
    assert (order.state, order.events.latest("pk").actor) == (State.DISPATCHED, province)


@pytest.mark.django_db
def test_a_stale_copy_of_the_order_is_refused_as_already_handled(new_order, people):
    stale = WorkOrder.objects.get(pk=new_order.pk)
    act(new_order, "dispatch", people["office"])
    with pytest.raises(WorkOrderBlocked) as caught:
        workorder_dispatch(stale, by=people["sysadmin"])
    assert "已被他人处理" in caught.value.message
    assert new_order.events.filter(action="dispatch").count() == 1


# --- two people at once ---------------------------------------------------------------------------


def race(order_id: int, call, users) -> tuple[list, list[str]]:
    """Run ``call(order, by=user)`` for each user in its own thread and connection, all at once;
    return who succeeded and the messages of those refused."""
    copies = [WorkOrder.objects.get(pk=order_id) for _ in users]
    start, winners, refused = threading.Barrier(len(users)), [], []

    def run(order, user) -> None:
        try:
            start.wait(timeout=10)
            call(order, by=user)
            winners.append(user)
        except WorkOrderBlocked as error:
            refused.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(copies, users, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return winners, refused


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("action", "state"), [("accept", State.DISPATCHED), ("dispatch", State.CREATED)])
def test_two_people_acting_at_once_on_one_order_apply_it_once(make_record, people, action, state):
    order = move(bad_order(make_record()), state, office=people["office"], handler=people["handler"])
    if action == "accept":
        call, users = workorder_accept, [people["handler"], people["sysadmin"]]
    else:
        call, users = workorder_dispatch, [people["office"], people["sysadmin"]]
    winners, refused = race(order.pk, call, users)
    assert len(winners) == 1 and len(refused) == 1
    assert "已被他人处理" in refused[0]
    order.refresh_from_db()
    assert order.state == TARGET[action]
    transitions = order.events.filter(kind=WorkOrderEvent.Kind.TRANSITION, action=action)
    assert transitions.count() == 1
    assert transitions.get().actor == winners[0]

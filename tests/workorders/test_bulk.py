"""Bulk actions (workorders/services/bulk.py): every order through its own service and transaction, a
result per order, a refusal never blocking the others and never half-writing.

The office dispatches (转派) and presses (督办) the departments' orders: Ganzhou 第六条 (市) and 第八条
(县), Tianjin 第五条 (对“差评”进行督办); the department signs for what it was sent (谁办理、谁负责, 51号).
"""

import pytest

from evaluations.models import Department, SmsMessage
from workorders.models import Category, State, WorkOrder, WorkOrderEvent
from workorders.selectors import order_file
from workorders.services.bulk import (
    DispatchChoice,
    Pick,
    bulk_accept,
    bulk_dispatch,
    bulk_remind,
)
from workorders.services.opening import workorder_open_for_supervision

from .workorder_fixtures import bad_order, move

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def dispatches(order: WorkOrder) -> int:
    return WorkOrderEvent.objects.filter(order=order, kind="transition", action="dispatch").count()


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_related("department").get(pk=order.pk)


def test_bulk_dispatch_does_each_order_it_can_and_says_why_not_for_the_others(
    make_record, people, org, local_departments
):
    office = people["office"]
    plain, recategorised, moved, elsewhere, rerouted = (bad_order(make_record()) for _n in range(5))
    lifecycle_meanwhile = move(moved, State.DISPATCHED, office=office, handler=people["handler"])
    town = local_departments["town"].department  # 解放街道, inside 章贡区: the office may send it there
    nankang = org["nankang"]["department"]  # outside the office's region
    outcomes = bulk_dispatch(
        by=office,
        picks=[
            DispatchChoice(plain.number, State.CREATED),
            DispatchChoice(recategorised.number, State.CREATED, category=Category.COMPLEX),
            DispatchChoice(moved.number, State.CREATED),  # the list showed it before someone dispatched it
            DispatchChoice(elsewhere.number, State.CREATED, department_id=nankang.pk),
            DispatchChoice(rerouted.number, State.CREATED, department_id=town.pk),
            DispatchChoice("CP202601-999999", State.CREATED),
        ],
    )
    result = {outcome.number: outcome for outcome in outcomes}
    assert [outcome.number for outcome in outcomes][:5] == [
        plain.number, recategorised.number, moved.number, elsewhere.number, rerouted.number,
    ]  # fmt: skip
    assert result[plain.number].done and "已派发给章贡区市场监督管理局" in result[plain.number].text
    assert result[recategorised.number].done and "综合协调" in result[recategorised.number].text
    assert not result[moved.number].done
    assert "已被他人处理" in result[moved.number].text and "待签收" in result[moved.number].text
    assert not result[elsewhere.number].done and "不能派发给所选部门" in result[elsewhere.number].text
    assert result[rerouted.number].done and town.name in result[rerouted.number].text
    assert result["CP202601-999999"].text == "工单不存在或不在您的数据范围内。"

    assert fresh(plain).state == State.DISPATCHED and fresh(plain).due is not None
    assert fresh(recategorised).category == Category.COMPLEX
    assert fresh(rerouted).department == town
    # The refused ones are as they were: no second dispatch, no half-written department or deadline.
    assert dispatches(lifecycle_meanwhile) == 1
    untouched = fresh(elsewhere)
    assert (untouched.state, untouched.department_id, untouched.due) == (
        State.CREATED,
        plain.department_id,
        None,
    )
    assert dispatches(untouched) == 0
    for order in (plain, recategorised, rerouted):
        assert dispatches(order) == 1


def test_a_department_id_that_is_not_a_department_refuses_that_row_only(make_record, people):
    first, second = bad_order(make_record()), bad_order(make_record())
    outcomes = bulk_dispatch(
        by=people["office"],
        picks=[DispatchChoice(first.number, "", department_id=0), DispatchChoice(second.number, "")],
    )
    assert [outcome.done for outcome in outcomes] == [False, True]
    assert "不能派发给所选部门" in outcomes[0].text
    assert (fresh(first).state, fresh(second).state) == (State.CREATED, State.DISPATCHED)


def test_an_inactive_department_is_not_offered_and_refused(make_record, people, local_departments):
    town = local_departments["town"].department
    Department.objects.filter(pk=town.pk).update(active=False)
    order = bad_order(make_record())
    (outcome,) = bulk_dispatch(
        by=people["office"], picks=[DispatchChoice(order.number, "", department_id=town.pk)]
    )
    assert not outcome.done and fresh(order).state == State.CREATED


def test_a_category_that_does_not_exist_is_refused(make_record, people):
    order = bad_order(make_record())
    (outcome,) = bulk_dispatch(by=people["office"], picks=[DispatchChoice(order.number, "", category="huge")])
    assert (outcome.done, outcome.text) == (False, "所选类别无效。")
    assert fresh(order).state == State.CREATED


def test_a_department_accepts_in_bulk_only_what_it_was_sent(make_record, people):
    office, handler = people["office"], people["handler"]
    sent = [
        move(bad_order(make_record()), State.DISPATCHED, office=office, handler=handler) for _n in range(3)
    ]
    waiting = bad_order(make_record())
    picks = [Pick(order.number, order.state) for order in [*sent, waiting]]
    outcomes = bulk_accept(by=handler, picks=picks)
    assert [outcome.done for outcome in outcomes] == [True, True, True, False]
    assert "已签收" in outcomes[0].text
    assert outcomes[3].text == "工单当前状态为“待派发”，不能签收。"
    for order in sent:
        order = fresh(order)
        assert (order.state, order.handler) == (State.HANDLING, handler)
    assert fresh(waiting).state == State.CREATED
    # Another district's department sees none of them.
    (outcome,) = bulk_accept(by=people["other_handler"], picks=[Pick(waiting.number, State.CREATED)])
    assert outcome.text == "工单不存在或不在您的数据范围内。"


def test_a_reminder_is_the_escalation_notice_and_a_timeline_event_once_a_day(make_record, people):
    office, handler = people["office"], people["handler"]
    handler.phone = "13700001111"
    handler.save(update_fields=["phone"])
    held = move(bad_order(make_record()), State.HANDLING, office=office, handler=handler)
    waiting = bad_order(make_record())
    outcomes = bulk_remind(
        by=office, picks=[Pick(held.number, held.state), Pick(waiting.number, waiting.state)]
    )
    assert [outcome.done for outcome in outcomes] == [True, False]
    assert outcomes[0].text == "已催办章贡区市场监督管理局。"
    assert "不在部门办理中" in outcomes[1].text
    event = WorkOrderEvent.objects.get(order=held, kind="note", action="remind")
    assert event.actor == office and held.number in event.note and "催办" in event.note
    (sms,) = SmsMessage.objects.filter(kind=SmsMessage.Kind.NOTICE)  # the phone is stored encrypted
    assert (sms.phone, sms.body) == ("13700001111", event.note)
    assert [step.label for step in order_file(fresh(held)).timeline][-1] == "催办"

    (again,) = bulk_remind(by=office, picks=[Pick(held.number, held.state)])
    assert (again.done, again.text) == (False, "该工单今天已催办过。")
    (auditor,) = bulk_remind(by=people["auditor"], picks=[Pick(held.number, held.state)])
    assert (auditor.done, auditor.text) == (False, "您无权催办该工单。")
    assert WorkOrderEvent.objects.filter(order=held, action="remind").count() == 1
    assert SmsMessage.objects.filter(kind=SmsMessage.Kind.NOTICE).count() == 1


def test_a_supervision_order_is_dispatched_like_a_rating_one(people, org, regions):
    order = workorder_open_for_supervision(
        department=org["zhanggong"]["department"], region=regions["zhanggong"], summary="窗口无人值守"
    )
    (outcome,) = bulk_dispatch(by=people["office"], picks=[Pick(order.number, State.CREATED)])
    assert outcome.done and fresh(order).state == State.DISPATCHED

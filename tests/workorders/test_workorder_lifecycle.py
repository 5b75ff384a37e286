"""A bad rating opens a work order; the order goes created → … → closed, each step on the timeline."""

import re
from datetime import UTC, datetime

import pytest

from evaluations.models import Department, Evaluation, ServiceMatter, SmsMessage
from evaluations.refusals import Refusal
from evaluations.signals import bad_evaluation_recorded
from workorders.models import Category, RevisitChannel, RevisitResult, State, WorkOrder, WorkOrderEvent
from workorders.services.base import WorkOrderBlocked
from workorders.services.lifecycle import (
    workorder_accept,
    workorder_approve,
    workorder_dispatch,
    workorder_record_revisit,
    workorder_reject,
    workorder_send_back,
    workorder_submit,
)
from workorders.services.notices import workorder_reveal_phone

from ..helpers import make_uscc
from .workorder_fixtures import RECTIFICATION, REPLY, anonymous_order, bad_order, move, rate

pytestmark = pytest.mark.django_db

Kind = WorkOrderEvent.Kind


def blocked(call, *args, **kwargs) -> str:
    with pytest.raises(WorkOrderBlocked) as caught:
        call(*args, **kwargs)
    return caught.value.message


# --- opening ------------------------------------------------------------------------------------


@pytest.mark.parametrize("grade", [1, 2])
def test_a_bad_rating_opens_one_order_for_the_rated_department(make_record, org, regions, grade):
    result = rate(make_record(), grade=grade, tags=[f"M{grade}-01"])
    order = WorkOrder.objects.get()
    assert result.work_order == order.number
    assert re.fullmatch(r"CP\d{6}-\d{6}", order.number)
    assert order.evaluation == result.evaluation
    assert (order.state, order.department, order.office_region) == (
        State.CREATED,
        org["zhanggong"]["department"],
        regions["zhanggong"],
    )
    event = order.events.get()
    assert (event.kind, event.to_state, event.actor) == (Kind.CREATED, State.CREATED, None)


def test_the_number_carries_the_month_of_the_rating_in_beijing_time(make_record):
    # 00:30 on 1 October in Beijing is still 30 September in UTC.
    moment = datetime(2025, 9, 30, 16, 30, tzinfo=UTC)
    record = make_record(accepted_at=datetime(2025, 9, 30, 1, tzinfo=UTC), completed_at=moment)
    result = rate(record, now=moment)
    assert result.work_order.startswith("CP202510-")


def test_the_order_is_opened_in_the_intake_transaction(make_record):
    def fail(sender, **kwargs):
        raise RuntimeError("the upstream receiver failed")

    bad_evaluation_recorded.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            rate(make_record())
    finally:
        bad_evaluation_recorded.disconnect(dispatch_uid="test.fail")
    assert not WorkOrder.objects.exists()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("level", ["town", "village"])
def test_township_and_village_orders_are_managed_by_the_county_office(
    make_record, local_departments, regions, level
):
    matter = local_departments[level]
    record = make_record(
        matter_code=matter.code,
        department_code=matter.department.code,
        region_code=regions[level].code,
        channel="online",
        window_code=None,
        staff_no=None,
    )
    order = bad_order(record)
    assert order.department == matter.department
    assert order.office_region == regions["zhanggong"]


@pytest.mark.parametrize(
    ("place", "office"),
    [("village", "zhanggong"), ("town", "zhanggong"), ("zhanggong", "zhanggong"), ("city", "city")],
)
def test_the_supervising_office_follows_the_place_not_the_department(make_record, regions, place, office):
    """Ganzhou art. 19: 乡镇、村级 services are supervised by the county office — also when a city
    department gave the service at a village point; a service given at city level stays the city's."""
    city_department = Department.objects.create(
        name="赣州市人力资源和社会保障局", code=make_uscc(regions["city"].code, 31), region=regions["city"]
    )
    matter = ServiceMatter.objects.create(code="M-city", name="社保卡补办", department=city_department)
    record = make_record(
        matter_code=matter.code,
        department_code=city_department.code,
        region_code=regions[place].code,
        channel="online",
        window_code=None,
        staff_no=None,
    )
    order = bad_order(record)
    assert (order.department, order.office_region) == (city_department, regions[office])


def test_redispatching_to_another_department_keeps_the_office_of_the_place(
    make_record, local_departments, regions, org, owner
):
    """Ganzhou art. 19: the office follows the place the service was given, whoever handles it."""
    matter = local_departments["village"]
    order = bad_order(
        make_record(
            matter_code=matter.code, department_code=matter.department.code,
            region_code=regions["village"].code, channel="online", window_code=None, staff_no=None,
        )
    )  # fmt: skip
    county_department = org["zhanggong"]["department"]
    order = workorder_dispatch(order, by=owner, category=Category.GENERAL, department=county_department)
    assert (order.department, order.office_region) == (county_department, regions["zhanggong"])


@pytest.mark.parametrize("grade", [3, 4, 5])
def test_a_good_or_middling_rating_opens_no_order(make_record, grade):
    result = rate(make_record(), grade=grade, tags=[])
    assert result.work_order is None
    assert not WorkOrder.objects.exists()


def test_a_refused_rating_opens_nothing(make_record):
    with pytest.raises(Refusal):
        rate(make_record(), tags=[], comment="")
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize(
    ("fields", "category"),
    [
        ({"target": "staff", "tags": ["S1-01"], "channel": "device"}, Category.SIMPLE),
        ({"tags": ["M1-06"]}, Category.COMPLEX),
        ({"grade": 2, "tags": ["M2-04"]}, Category.COMPLEX),
        ({"tags": ["M1-01"]}, Category.GENERAL),
        ({"tags": [], "comment": "材料清单说不清楚"}, Category.GENERAL),
    ],
)
def test_the_category_is_suggested_from_the_target_and_the_tags(make_record, fields, category):
    assert bad_order(make_record(), **fields).category == category


# --- the happy path -----------------------------------------------------------------------------


def test_an_order_goes_from_created_to_closed_with_an_event_per_step(new_order, people):
    office, handler, hotline = people["office"], people["handler"], people["hotline"]
    workorder_dispatch(new_order, by=office, note="请 1 个工作日内联系评价人")
    order = WorkOrder.objects.get(pk=new_order.pk)
    workorder_accept(order, by=handler)
    order.refresh_from_db()
    assert (order.state, order.handler, order.accepted_at is not None) == (State.HANDLING, handler, True)
    workorder_submit(order, by=handler, rectification=RECTIFICATION, reply=REPLY)
    order.refresh_from_db()
    workorder_approve(order, by=office, note="整改到位")
    order.refresh_from_db()
    workorder_record_revisit(
        order, by=hotline, result=RevisitResult.SATISFIED, channel=RevisitChannel.HOTLINE, note="12345 回访"
    )
    order.refresh_from_db()
    assert order.state == State.CLOSED
    assert (order.rectification, order.reply) == (RECTIFICATION, REPLY)
    assert (order.revisit_result, order.revisit_channel) == (RevisitResult.SATISFIED, RevisitChannel.HOTLINE)
    milestones = [order.created_at, order.dispatched_at, order.accepted_at, order.submitted_at]
    milestones += [order.approved_at, order.closed_at]
    assert None not in milestones and milestones == sorted(milestones)
    steps = list(order.events.filter(kind=Kind.TRANSITION).values_list("action", "from_state", "to_state"))
    assert steps == [
        ("dispatch", State.CREATED, State.DISPATCHED),
        ("accept", State.DISPATCHED, State.HANDLING),
        ("submit", State.HANDLING, State.REVIEWING),
        ("approve", State.REVIEWING, State.REVISITING),
        ("record_revisit", State.REVISITING, State.CLOSED),
    ]
    actors = list(order.events.filter(kind=Kind.TRANSITION).values_list("actor__username", "note"))
    assert actors == [
        ("owner", "请 1 个工作日内联系评价人"),
        ("colleague", ""),
        ("colleague", ""),
        ("owner", "整改到位"),
        ("hotline", "12345 回访"),
    ]


def test_a_department_sends_back_an_order_that_is_not_its_own_with_a_reason(new_order, people):
    order = move(new_order, State.DISPATCHED, office=people["office"], handler=people["handler"])
    assert order.due is not None
    assert "退回理由" in blocked(workorder_send_back, order, by=people["handler"], note="  ")
    workorder_send_back(order, by=people["handler"], note="该事项由税务部门办理")
    order.refresh_from_db()
    assert order.state == State.CREATED
    assert (order.dispatched_at, order.contact_due, order.due) == (None, None, None)
    event = order.events.latest("pk")
    assert (event.action, event.actor, event.note) == ("send_back", people["handler"], "该事项由税务部门办理")


def test_the_office_redispatches_a_sent_back_order_within_its_own_region(
    new_order, people, org, local_departments
):
    order = move(new_order, State.DISPATCHED, office=people["office"], handler=people["handler"])
    workorder_send_back(order, by=people["handler"], note="该事项由街道办理")
    order.refresh_from_db()
    message = blocked(workorder_dispatch, order, by=people["office"], department=org["nankang"]["department"])
    assert "本辖区" in message
    order.refresh_from_db()
    assert (order.state, order.department) == (State.CREATED, org["zhanggong"]["department"])
    town = local_departments["town"].department
    workorder_dispatch(order, by=people["office"], department=town)
    order.refresh_from_db()
    assert (order.state, order.department, order.due is not None) == (State.DISPATCHED, town, True)


def test_the_office_rejects_a_rectification_with_a_reason_and_it_goes_back_to_handling(new_order, people):
    order = move(new_order, State.REVIEWING, office=people["office"], handler=people["handler"])
    assert "理由" in blocked(workorder_reject, order, by=people["office"], note="")
    workorder_reject(order, by=people["office"], note="答复没有说明整改措施")
    order.refresh_from_db()
    assert (order.state, order.submitted_at) == (State.HANDLING, None)
    event = order.events.latest("pk")
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "reject",
        State.REVIEWING,
        State.HANDLING,
        "答复没有说明整改措施",
    )


# --- conditions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("rectification", "reply"), [("", REPLY), (RECTIFICATION, ""), (" ", " ")])
def test_a_rectification_needs_both_its_text_and_the_reply(new_order, people, rectification, reply):
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    events = order.events.count()
    message = blocked(workorder_submit, order, by=people["handler"], rectification=rectification, reply=reply)
    assert message == "请填写整改情况和给评价人的答复后再提交。"
    order.refresh_from_db()
    assert (order.state, order.rectification, order.reply, order.events.count()) == (
        State.HANDLING,
        "",
        "",
        events,
    )


def test_a_real_name_order_cannot_close_without_reaching_the_citizen(new_order, people):
    order = move(new_order, State.REVISITING, office=people["office"], handler=people["handler"])
    assert order.evaluation.real_name
    message = blocked(
        workorder_record_revisit,
        order,
        by=people["hotline"],
        result=RevisitResult.UNREACHABLE,
        channel=RevisitChannel.HOTLINE,
    )
    assert message == "实名差评须回访评价人后才能办结。"
    order.refresh_from_db()
    assert (order.state, order.revisit_result, order.closed_at) == (State.REVISITING, "", None)


def test_an_anonymous_order_closes_without_a_revisit(org, people):
    order = anonymous_order(org["zhanggong"]["window"])
    assert not order.evaluation.real_name
    order = move(order, State.REVISITING, office=people["office"], handler=people["handler"])
    workorder_record_revisit(
        order, by=people["office"], result=RevisitResult.UNREACHABLE, channel=RevisitChannel.HOTLINE
    )
    order.refresh_from_db()
    assert (order.state, order.revisit_result) == (State.CLOSED, RevisitResult.UNREACHABLE)


def test_a_transition_from_the_wrong_state_says_what_the_state_is(new_order, people):
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    message = blocked(workorder_approve, order, by=people["office"])
    assert message == "工单当前状态为“整改中”，不能审核通过。"
    order.refresh_from_db()
    assert order.state == State.HANDLING


# --- the citizen --------------------------------------------------------------------------------


def test_submitting_sends_the_reply_to_the_citizen_after_commit(
    new_order, people, django_capture_on_commit_callbacks
):
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    with django_capture_on_commit_callbacks(execute=True):
        workorder_submit(order, by=people["handler"], rectification=RECTIFICATION, reply=REPLY)
        assert not SmsMessage.objects.exists()  # nothing before the commit
    message = SmsMessage.objects.get()
    assert (message.kind, message.phone, message.record) == (
        SmsMessage.Kind.REPLY,
        "13812345678",
        order.evaluation.record,
    )
    assert REPLY in message.body


def test_an_anonymous_reviewer_gets_no_sms(org, people, django_capture_on_commit_callbacks):
    order = anonymous_order(org["zhanggong"]["window"])
    order = move(order, State.HANDLING, office=people["office"], handler=people["handler"])
    with django_capture_on_commit_callbacks(execute=True):
        workorder_submit(order, by=people["handler"], rectification=RECTIFICATION, reply=REPLY)
    order.refresh_from_db()
    assert order.state == State.REVIEWING
    assert not SmsMessage.objects.exists()


def test_revealing_the_phone_is_written_on_the_timeline(new_order, people):
    assert workorder_reveal_phone(new_order, by=people["handler"]) == "13812345678"
    event = new_order.events.get(kind=Kind.REVEAL)
    assert event.actor == people["handler"]


@pytest.mark.parametrize("role", ["other_handler", "outside_office", "hall_manager", "auditor"])
def test_only_those_who_call_back_may_see_the_phone(new_order, people, role):
    with pytest.raises(WorkOrderBlocked):
        workorder_reveal_phone(new_order, by=people[role])
    assert not new_order.events.filter(kind=Kind.REVEAL).exists()

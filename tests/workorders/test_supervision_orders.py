"""Work orders of supervision findings (监督查评: 51号 三(四); Qingdao 第六条(四)): the same lifecycle,
deadlines and escalation as a bad review, with no rating behind them. No citizen is contacted, told or
revisited: the last step is the office's re-inspection (复查). The appeal clauses (Ganzhou 第十九条,
Tianjin 第二十一条, Qingdao 第十四条) set a 差评 aside, so a finding cannot be appealed. Rating figures,
the public pages and the upstream push leave them out; they are counted apart, and the export shows them."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Role, SmsMessage
from evaluations.policies import policy_for_region
from evaluations.workdays import add_working_days
from reporting.exports.run import export_start
from reporting.models import UpstreamMessage
from reporting.public.selectors import department_bad_reviews
from workorders import figures
from workorders.models import (
    Category,
    RevisitChannel,
    RevisitResult,
    Source,
    State,
    WorkOrder,
    WorkOrderEvent,
)
from workorders.selectors import board, order_file
from workorders.services import appeals, lifecycle
from workorders.services.base import WorkOrderBlocked
from workorders.services.escalation import escalate
from workorders.services.opening import workorder_open_for_supervision
from workorders.services.revisit_link import order_for_token, revisit_token

from .workorder_fixtures import RECTIFICATION, move

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

Kind = WorkOrderEvent.Kind
FINDING = "暗访发现：综合受理窗口未公示一次性告知清单，咨询电话 13812345678 无人接听。"


@pytest.fixture
def finding(org, regions) -> WorkOrder:
    """A 社会监督员's finding at a township service point of 章贡区, for the 章贡区 department."""
    return workorder_open_for_supervision(
        department=org["zhanggong"]["department"], region=regions["town"], summary=FINDING
    )


def blocked(call, *args, **kwargs) -> str:
    with pytest.raises(WorkOrderBlocked) as caught:
        call(*args, **kwargs)
    return caught.value.message


def reinspect(order: WorkOrder, by, result: str = RevisitResult.RECTIFIED) -> WorkOrder:
    return lifecycle.workorder_record_revisit(
        order, by=by, result=result, channel=RevisitChannel.REINSPECTION, note="现场复查：清单已公示。"
    )


def test_a_finding_goes_dispatch_accept_submit_approve_reinspection_to_closed(finding, people):
    office, handler = people["office"], people["handler"]
    assert re.fullmatch(r"JC\d{6}-\d{6}", finding.number)
    assert (finding.source, finding.evaluation, finding.state) == (Source.SUPERVISION, None, State.CREATED)
    assert (
        finding.office_region.name == "章贡区"
    )  # a township's problem is the county office's (Ganzhou 第十九条)

    order = lifecycle.workorder_dispatch(finding, by=office)
    assert order.due is not None and order.contact_due is None  # nobody to contact, no limit to miss
    order = lifecycle.workorder_accept(order, by=handler)
    # No reply to a citizen: the rectification report is enough (and one is still required).
    assert blocked(lifecycle.workorder_submit, order, by=handler, rectification=" ", reply="") == (
        "请填写整改情况后再提交。"
    )
    order = lifecycle.workorder_submit(order, by=handler, rectification=RECTIFICATION, reply="")
    assert order.state == State.REVIEWING and order.contacted_at is None
    order = lifecycle.workorder_approve(order, by=office)
    assert order.state == State.REVISITING

    # The re-inspection is the office's: not a 12345 call, and not a citizen's answer.
    assert blocked(reinspect, order, people["hotline"]) == "您无权对该工单执行“回访办结”。"
    satisfied = blocked(
        lifecycle.workorder_record_revisit, order, by=office, result=RevisitResult.SATISFIED,
        channel=RevisitChannel.HOTLINE,
    )  # fmt: skip
    assert satisfied == "监督查评工单以复查结果办结：请选择“复查整改到位”或“复查未整改到位”。"
    order = reinspect(order, office)

    order.refresh_from_db()
    assert (order.state, order.revisit_result, order.revisit_channel) == (
        State.CLOSED, RevisitResult.RECTIFIED, RevisitChannel.REINSPECTION,
    )  # fmt: skip
    actions = list(order.events.filter(kind=Kind.TRANSITION).values_list("action", flat=True))
    assert actions == ["dispatch", "accept", "submit", "approve", "record_revisit"]
    assert not SmsMessage.objects.filter(kind__in=["reply", "revisit"]).exists()
    assert not UpstreamMessage.objects.exists()  # the platform receives ratings, not findings
    assert order_for_token(revisit_token(order)) is None  # no citizen's revisit page for it


def test_a_rating_order_cannot_close_on_a_reinspection_result(new_order, people):
    order = move(new_order, State.REVISITING, office=people["office"], handler=people["handler"])
    assert blocked(reinspect, order, people["office"]) == "差评工单以回访评价人的结果办结，不能选择复查结果。"


def test_a_finding_has_the_deadlines_of_a_bad_review_of_its_category(finding, new_order, people):
    office = people["office"]
    for order in (finding, new_order):
        WorkOrder.objects.filter(pk=order.pk).update(category=Category.COMPLEX)
    rated = lifecycle.workorder_dispatch(WorkOrder.objects.get(pk=new_order.pk), by=office)
    found = lifecycle.workorder_dispatch(WorkOrder.objects.get(pk=finding.pk), by=office)
    policy = policy_for_region(found.department.region)
    assert (
        found.due == rated.due == add_working_days(timezone.localdate(), policy.finish_days(Category.COMPLEX))
    )


def test_a_finding_cannot_be_appealed_but_can_be_sent_back(finding, people):
    office, handler = people["office"], people["handler"]
    order = lifecycle.workorder_dispatch(finding, by=office)
    order = lifecycle.workorder_accept(order, by=handler)
    message = blocked(appeals.workorder_appeal, order, by=handler, reason="不属实")
    assert message == "监督查评工单没有差评可申诉：不属于本部门的请退回，对查评结果有异议请在整改情况中说明。"
    assert WorkOrder.objects.get(pk=order.pk).state == State.HANDLING and not order.appeals.exists()
    other = workorder_open_for_supervision(
        department=order.department, region=order.office_region, summary="大厅无障碍通道被占用。"
    )
    other = lifecycle.workorder_dispatch(other, by=office)
    assert lifecycle.workorder_send_back(other, by=handler, note="不属于本部门").state == State.CREATED


def test_an_overdue_finding_is_warned_flagged_and_escalated_like_a_bad_review(finding, people):
    office, handler = people["office"], people["handler"]
    type(handler).objects.filter(pk=handler.pk).update(phone="13900000004")
    city = type(office).objects.create_user(
        username="city-office",
        password="x",
        role=Role.OFFICE,
        region=office.region.parent,
        phone="13900000002",
    )
    order = lifecycle.workorder_accept(lifecycle.workorder_dispatch(finding, by=office), by=handler)
    today = timezone.localdate()
    WorkOrder.objects.filter(pk=order.pk).update(due=today)
    assert escalate()["warned"] == 1
    warning = order.events.get(kind=Kind.WARNING)
    assert warning.note == f"监督查评工单 {order.number} 将于 {today} 到期，请按时完成整改并提交整改情况。"

    WorkOrder.objects.filter(pk=order.pk).update(due=add_working_days(today, -1))
    assert escalate()["overdue"] == 1 and escalate()["overdue"] == 0  # once, however often it runs
    order.refresh_from_db()
    assert order.overdue_flagged_at is not None
    assert "已超过整改时限" in order.events.get(kind=Kind.OVERDUE).note
    notified = set(SmsMessage.objects.filter(kind="notice").values_list("phone", flat=True))
    assert {city.phone, "13900000004"} <= notified  # the level above and the handler
    assert order_file(order).badge.kind == "overdue"


def test_rating_figures_and_public_pages_leave_findings_out_and_count_them_apart(
    finding, new_order, people, regions
):
    office, handler = people["office"], people["handler"]
    rated = move(new_order, State.HANDLING, office=office, handler=handler)
    found = lifecycle.workorder_accept(lifecycle.workorder_dispatch(finding, by=office), by=handler)
    today = timezone.localdate()
    WorkOrder.objects.filter(pk=found.pk).update(due=add_working_days(today, -1))
    closed = workorder_open_for_supervision(
        department=found.department, region=regions["zhanggong"], summary="x"
    )
    closed = move(closed, State.REVISITING, office=office, handler=handler)
    reinspect(closed, office)

    assert set(WorkOrder.objects.filter(figures.COUNTED).values_list("pk", flat=True)) == {rated.pk}
    (row,) = board(office)
    assert (row.open, row.overdue, row.counted) == (1, 0, 1)  # the board is of bad reviews
    reviews = department_bad_reviews(rated.department, today - timedelta(days=31), today)
    assert [order.pk for order in reviews] == [rated.pk]

    rows = figures.supervision_figures(regions["city"], today, today)
    assert [(r.region_name, r.opened, r.closed, r.overdue, r.open) for r in rows] == [("章贡区", 2, 1, 1, 1)]
    total = figures.supervision_total(rows, regions["city"])
    assert (total.region_name, total.opened, total.closed) == ("赣州市", 2, 1)
    assert figures.supervision_figures(regions["nankang"], today, today) == []
    assert (
        figures.supervision_figures(regions["city"], today - timedelta(days=40), today - timedelta(days=35))
        == []
    )


def test_the_work_order_export_shows_the_source_and_the_masked_finding(
    finding, new_order, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    job = export_start(
        user=people["office"], kind="workorders", file_format="csv", date_from=today, date_to=today
    )
    with job.file.open("rb") as handle:
        header, *rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_number) == {finding.number, new_order.number}
    found = by_number[finding.number]
    assert (found["来源"], found["评价等级"], found["评价时间"], found["状态"]) == (
        "监督查评",
        "",
        "",
        "待派发",
    )
    assert "13812345678" not in found["问题描述"] and found["问题描述"].startswith("暗访发现")
    assert by_number[new_order.number]["来源"] == "差评"

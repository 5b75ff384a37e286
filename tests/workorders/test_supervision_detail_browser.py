"""A supervision finding's work order in Chromium (监督查评, 51号 三(四)): the page shows where it came from
and what was found instead of a rating; the department handles it without a citizen to contact or reply
to, cannot appeal it (the appeal clauses are about 差评: Ganzhou 第十九条, Tianjin 第二十一条), and the office
closes it on its own re-inspection (复查)."""

import pytest
from playwright.sync_api import expect

from workorders.models import RevisitChannel, RevisitResult, State, WorkOrder
from workorders.services.opening import workorder_open_for_supervision

from ..helpers import login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]

PASSWORD = "pw-for-tests-1"
FINDING = "暗访发现：综合受理窗口未公示一次性告知清单，咨询电话 13812345678 无人接听。"


def act(page, action: str, button: str) -> None:
    block = page.locator(f"#action-{action}")
    if not block.evaluate("e => e.open"):
        block.locator("summary").click()
    with page.expect_navigation():
        block.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text(f"已{button}")


def open_as(page, live_server, username: str, number: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)
    page.goto(f"{live_server.url}/orders/{number}/")
    expect(page.get_by_role("heading", name=f"工单 {number}")).to_be_visible()


def test_the_department_handles_a_finding_and_the_office_closes_it_on_reinspection(
    page, live_server, people, org, regions
):
    order = workorder_open_for_supervision(
        department=org["zhanggong"]["department"], region=regions["town"], summary=FINDING
    )

    # The office sees the finding, not a rating: its source and description (numbers masked), no phone.
    open_as(page, live_server, people["office"].username, order.number)
    finding = page.locator("#finding")
    expect(finding).to_contain_text("问题描述")
    expect(finding).to_contain_text("监督查评")
    expect(finding).to_contain_text("138****5678")
    expect(page.locator(".wo-title")).to_contain_text("监督查评")
    expect(page.get_by_text("评价人联系电话")).to_have_count(0)
    act(page, "dispatch", "派发")

    # The department: no contact limit, no reply to write, and the appeal is off with the reason.
    open_as(page, live_server, people["handler"].username, order.number)
    act(page, "accept", "签收")
    expect(page.locator(".wo-side")).not_to_contain_text("联系时限")
    expect(page.locator("#action-contact")).to_have_count(0)
    expect(page.locator("#action-appeal")).to_contain_text("暂不可用")
    expect(page.locator("#action-appeal")).to_contain_text("监督查评工单没有差评可申诉")
    block = page.locator("#action-submit")
    expect(block.get_by_label("答复评价人")).to_have_count(0)
    block.get_by_label("整改情况").fill("已在综合受理窗口公示一次性告知清单，咨询电话设专人值守。")
    screenshot(page, "orders-supervision-handler")
    act(page, "submit", "提交整改")
    expect(page.locator(".wo-title")).to_contain_text("待审核")

    # The office approves, then re-inspects and closes it.
    open_as(page, live_server, people["office"].username, order.number)
    act(page, "approve", "审核通过")
    block = page.locator("#action-record_revisit")
    expect(block.locator("summary")).to_have_text("复查办结")
    block.get_by_label("复查整改到位").check()
    expect(block.get_by_label("复查方式").locator("option")).to_have_text(["监督复查"])
    block.get_by_label("复查记录（选填）").fill("现场复查：清单已公示，电话有人接听。")
    act(page, "record_revisit", "复查办结")
    expect(page.locator(".wo-title")).to_contain_text("已办结")
    expect(page.locator("main")).to_contain_text("复查结果")
    expect(page.locator("main")).to_contain_text("复查整改到位 · 监督复查")
    expect(page.locator(".wo-timeline li").last).to_contain_text("复查办结")
    expect(page.locator(".wo-timeline")).to_contain_text("待回访 → 已办结")
    screenshot(page, "orders-supervision-closed")

    order.refresh_from_db()
    assert (order.state, order.revisit_result, order.revisit_channel) == (
        State.CLOSED,
        RevisitResult.RECTIFIED,
        RevisitChannel.REINSPECTION,
    )
    assert WorkOrder.objects.get(pk=order.pk).reply == ""
